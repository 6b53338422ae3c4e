import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { combine, formatSummary, summarizePlaywright, summarizeReportFile, summarizeVitest } from './test-summary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'marketdesk-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Vitest JSON report with the fields Vitest 4 writes. */
function vitestReport({ passed = 0, failed = 0, skipped = 0, todo = 0, files } = {}) {
  const assertion = (status) => ({ status, title: status, fullName: status, failureMessages: [] });
  return {
    numTotalTestSuites: 1,
    numPassedTestSuites: failed ? 0 : 1,
    numFailedTestSuites: failed ? 1 : 0,
    numPendingTestSuites: 0,
    numTotalTests: passed + failed + skipped + todo,
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: skipped,
    numTodoTests: todo,
    success: failed === 0 && (files ?? []).every((f) => f.status !== 'failed'),
    testResults: files ?? [
      {
        name: '/repo/a.test.ts',
        status: failed ? 'failed' : 'passed',
        message: '',
        assertionResults: [
          ...Array(passed).fill(assertion('passed')),
          ...Array(failed).fill(assertion('failed')),
          ...Array(skipped).fill(assertion('skipped')),
          ...Array(todo).fill(assertion('todo')),
        ],
      },
    ],
  };
}

/** A Playwright JSON report (only what the summary reads, plus the usual top-level keys). */
function playwrightReport({ expected = 0, unexpected = 0, flaky = 0, skipped = 0, errors = [] } = {}) {
  return {
    config: {},
    suites: [],
    errors,
    stats: {
      startTime: '2026-01-01T00:00:00.000Z',
      duration: 1,
      expected,
      unexpected,
      flaky,
      skipped,
    },
  };
}

describe('summarizeVitest', () => {
  it('counts passed, failed, and skipped plus todo', () => {
    const c = summarizeVitest(vitestReport({ passed: 7, failed: 2, skipped: 3, todo: 1 }));
    expect([c.passed, c.failed, c.skipped]).toEqual([7, 2, 4]);
  });

  it('counts a file that failed outside its tests (import error) as a failure', () => {
    const c = summarizeVitest(
      vitestReport({
        passed: 1,
        files: [
          {
            name: '/repo/ok.test.ts',
            status: 'passed',
            message: '',
            assertionResults: [{ status: 'passed' }],
          },
          {
            name: '/repo/broken.test.ts',
            status: 'failed',
            message: 'Failed to load url ./missing (resolved id: ./missing)\n    at stack',
            assertionResults: [],
          },
        ],
      }),
    );
    expect([c.passed, c.failed, c.skipped]).toEqual([1, 1, 0]);
    expect(c.notes.join('\n')).toContain('broken.test.ts failed outside its tests: Failed to load url');
  });

  it('counts an unsuccessful run with no tests as one failure', () => {
    const c = summarizeVitest({ ...vitestReport(), success: false, testResults: [] });
    expect(c.failed).toBe(1);
    expect(c.notes[0]).toMatch(/no tests found/);
  });
});

describe('summarizePlaywright', () => {
  it('counts expected and flaky as passed, unexpected as failed', () => {
    const c = summarizePlaywright(playwrightReport({ expected: 5, flaky: 1, unexpected: 2, skipped: 3 }));
    expect([c.passed, c.failed, c.skipped]).toEqual([6, 2, 3]);
    expect(c.notes.join('\n')).toContain('1 flaky');
  });

  it('counts each error outside tests (e.g. global setup) as a failure', () => {
    const c = summarizePlaywright(
      playwrightReport({
        errors: [{ message: '\u001b[31mError: globalSetup failed\u001b[39m\n  at x' }],
      }),
    );
    expect(c.failed).toBe(1);
    expect(c.notes).toContain('playwright: error outside tests: Error: globalSetup failed');
  });
});

describe('summarizeReportFile', () => {
  it('reads a report from disk', () => {
    const path = join(dir, 'v.json');
    writeFileSync(path, JSON.stringify(vitestReport({ passed: 2, skipped: 1 })));
    const c = summarizeReportFile('vitest', path);
    expect([c.passed, c.failed, c.skipped]).toEqual([2, 0, 1]);
  });

  it('counts a missing report as one failure and says so', () => {
    const c = summarizeReportFile('playwright', join(dir, 'nope.json'), 'not run: "lint" failed');
    expect([c.passed, c.failed, c.skipped]).toEqual([0, 1, 0]);
    expect(c.notes[0]).toBe('playwright: no JSON report (not run: "lint" failed); counted as one failure');
  });

  it('counts an invalid report as one failure', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"numPassedTests": 3,');
    const c = summarizeReportFile('vitest', path);
    expect(c.failed).toBe(1);
    expect(c.notes[0]).toMatch(/not valid JSON/);
  });
});

describe('combine and formatSummary', () => {
  it('sums vitest and playwright counts into the one summary line', () => {
    const total = combine([
      summarizeVitest(vitestReport({ passed: 10, failed: 1, skipped: 2 })),
      summarizePlaywright(playwrightReport({ expected: 4, skipped: 1 })),
    ]);
    expect(formatSummary(total)).toBe('tests: 14 passed, 1 failed, 3 skipped');
  });
});

// scripts/test.mjs end to end, with fake `npm` and `npx` first on PATH. The vitest and playwright
// steps still go through scripts/with-keyring.sh (real private keyring) on Linux.
describe.skipIf(process.platform === 'win32')('scripts/test.mjs (fake npm/npx need a POSIX shell)', () => {
  const bin = join(dir, 'bin');
  const fake = `#!/usr/bin/env node
const fs = require('node:fs');
const s = JSON.parse(process.env.FAKE_SCENARIO);
const tool = require('node:path').basename(process.argv[1]);
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, tool + ' ' + args.join(' ') + ' real=' + (process.env.MARKETDESK_REAL_KEYCHAIN ?? '') + '\\n');
if (tool === 'npm') process.exit(s.npmFail === args[1] ? 1 : 0);
const kind = args[0];
const step = s[kind] ?? { exit: 0 };
if (step.report) {
  const out = kind === 'vitest'
    ? args.find((a) => a.startsWith('--outputFile.json=')).slice('--outputFile.json='.length)
    : process.env.PLAYWRIGHT_JSON_OUTPUT_NAME;
  fs.writeFileSync(out, JSON.stringify(step.report));
}
process.exit(step.exit);
`;
  writeFakeTools(bin, fake);

  function runTestScript(scenario) {
    const log = join(dir, `log-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(log, '');
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, FAKE_LOG: log };
    env.FAKE_SCENARIO = JSON.stringify(scenario);
    delete env.MARKETDESK_REAL_KEYCHAIN;
    delete env.MARKETDESK_TEST_REPORT_DIR;
    const r = spawnSync(process.execPath, [join(here, 'test.mjs')], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = r.stdout.trimEnd().split('\n');
    return {
      status: r.status,
      stdout: r.stdout,
      last: lines.at(-1),
      calls: readFileSync(log, 'utf8').trim().split('\n'),
    };
  }

  it('runs every step in order and sums both reports', () => {
    const r = runTestScript({
      vitest: { exit: 0, report: vitestReport({ passed: 3, skipped: 1 }) },
      playwright: { exit: 0, report: playwrightReport({ expected: 2, skipped: 1 }) },
    });
    expect(r.last).toBe('tests: 5 passed, 0 failed, 2 skipped');
    expect(r.status).toBe(0);
    expect(r.calls.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual([
      'npm run typecheck',
      'npm run lint',
      'npm run build',
      'npx vitest run',
      'npx playwright test',
    ]);
    if (process.platform === 'linux') {
      expect(r.calls[3]).toMatch(/--reporter=default --reporter=json --outputFile\.json=\S+vitest\.json real=1$/);
      expect(r.calls[4]).toMatch(/-c e2e\/playwright\.config\.ts --reporter=list,json real=1$/);
    }
    for (const header of ['=== typecheck', '=== lint', '=== build', '=== unit and', '=== e2e']) {
      expect(r.stdout).toContain(header);
    }
  }, 60_000);

  it('stops at the first failing step and counts the reports it never got', () => {
    const r = runTestScript({ npmFail: 'lint' });
    expect(r.calls.map((c) => c.replace(/ real=.*/, ''))).toEqual(['npm run typecheck', 'npm run lint']);
    expect(r.last).toBe('tests: 0 passed, 2 failed, 0 skipped');
    expect(r.stdout).toContain('vitest: no JSON report (not run: "lint" failed)');
    expect(r.status).toBe(1);
  });

  it('fails on failing tests and on a step that wrote no report', () => {
    const failing = runTestScript({
      vitest: { exit: 1, report: vitestReport({ passed: 3, failed: 1 }) },
    });
    expect(failing.last).toBe('tests: 3 passed, 2 failed, 0 skipped');
    expect(failing.calls.some((c) => c.startsWith('npx playwright'))).toBe(false);
    expect(failing.status).toBe(1);

    const noReport = runTestScript({
      vitest: { exit: 0, report: vitestReport({ passed: 4 }) },
      playwright: { exit: 0 },
    });
    expect(noReport.last).toBe('tests: 4 passed, 1 failed, 0 skipped');
    expect(noReport.stdout).toMatch(/playwright: no JSON report \(the step wrote no report at .*pw\.json\)/);
    expect(noReport.status).toBe(1);
  }, 60_000);
});

function writeFakeTools(binDir, source) {
  // CommonJS on purpose: the fakes live in a temp dir, outside this "type": "module" package.
  mkdirSync(binDir, { recursive: true });
  for (const name of ['npm', 'npx']) {
    const path = join(binDir, name);
    writeFileSync(path, source);
    chmodSync(path, 0o755);
  }
}
