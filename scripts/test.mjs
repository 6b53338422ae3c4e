#!/usr/bin/env node
// `npm test`: typecheck, lint, build, then the Vitest and Playwright suites against a real (private)
// OS keyring. Stops at the first failing step. Ends with one line:
//   tests: N passed, M failed, K skipped
// counted from the JSON reports; a report that is missing (step failed early or did not run) counts
// as one failure, so any failure shows in M. Exits 1 if any step or test failed.
//
// MARKETDESK_TEST_REPORT_DIR=<dir> keeps vitest.json and pw.json there (otherwise a temp dir that is
// removed at the end).
//
// The test steps run with TMPDIR set to a folder of their own, removed at the end: what a test, a
// server it starts or a browser leaves in its temporary folder does not pile up on the machine
// (CI machines and developers' ones run the suite many times). How much was left is printed.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { combine, formatSummary, summarizeReportFile } from './test-summary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const keepDir = process.env.MARKETDESK_TEST_REPORT_DIR;
const reportDir = keepDir ? resolve(keepDir) : mkdtempSync(join(tmpdir(), 'marketdesk-test-'));
mkdirSync(reportDir, { recursive: true });
const vitestJson = join(reportDir, 'vitest.json');
const pwJson = join(reportDir, 'pw.json');
// Stale reports from an earlier run must not be mistaken for this run's.
rmSync(vitestJson, { force: true });
rmSync(pwJson, { force: true });

const runTmp = mkdtempSync(join(tmpdir(), 'marketdesk-tmp-'));
// As /tmp: the tests' sshd servers run as an unprivileged user and read their own folders in it.
chmodSync(runTmp, 0o1777);
const testEnv = { TMPDIR: runTmp };

// The real-keychain tests need the Linux Secret Service; elsewhere they skip with their reason.
const keyring = process.platform === 'linux' ? ['bash', 'scripts/with-keyring.sh'] : [];

const steps = [
  { title: 'typecheck', cmd: ['npm', 'run', 'typecheck'] },
  { title: 'lint', cmd: ['npm', 'run', 'lint'] },
  { title: 'build', cmd: ['npm', 'run', 'build'] },
  {
    title: 'unit and integration tests (vitest, private keyring)',
    cmd: [
      ...keyring,
      'npx',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${vitestJson}`,
    ],
    env: testEnv,
    report: { kind: 'vitest', path: vitestJson },
  },
  {
    title: 'e2e (playwright, private keyring)',
    cmd: [...keyring, 'npx', 'playwright', 'test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'],
    env: { ...testEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson, PLAYWRIGHT_JSON_OUTPUT_FILE: pwJson },
    report: { kind: 'playwright', path: pwJson },
  },
];

function run(cmd, env) {
  return new Promise((done) => {
    const [file, ...args] = cmd;
    const child = (current = spawn(file, args, {
      stdio: 'inherit',
      env: { ...process.env, ...env },
      // npm and npx are .cmd files on Windows.
      shell: process.platform === 'win32',
    }));
    child.on('error', (e) => {
      console.error(`could not start ${file}: ${e.message}`);
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

// Ctrl-C reaches the running step too (same process group); SIGTERM is passed on. Either way the
// step stops, no later step runs, and the summary is still printed.
let current = null;
let interrupted = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = signal;
    console.log(`\n${signal} received: stopping`);
    if (signal === 'SIGTERM') current?.kill(signal);
  });
}

const counts = [];
const failures = [];
let stoppedAfter = null;
if (keyring.length === 0) {
  console.log(`note: not on Linux (${process.platform}); tests run without scripts/with-keyring.sh`);
}

for (const step of steps) {
  if (stoppedAfter) {
    if (step.report) {
      counts.push(summarizeReportFile(step.report.kind, step.report.path, `not run: "${stoppedAfter}" failed`));
    }
    continue;
  }
  console.log(`\n=== ${step.title}: ${step.cmd.join(' ')}`);
  const started = Date.now();
  const code = await run(step.cmd, step.env);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (step.report) {
    const c = summarizeReportFile(
      step.report.kind,
      step.report.path,
      code === 0 ? undefined : `the step exited with code ${code} before writing it`,
    );
    // A failing exit with no failing test (unhandled error, crash after the report) still counts.
    if (code !== 0 && c.failed === 0) {
      c.failed = 1;
      c.notes.push(`${step.report.kind}: exited with code ${code} although no test failed; counted as one failure`);
    }
    counts.push(c);
  }
  if (code === 0) {
    console.log(`=== ${step.title}: ok (${seconds} s)`);
  } else {
    console.log(`=== ${step.title}: FAILED with exit code ${code} (${seconds} s)`);
    failures.push(step.title);
    stoppedAfter = step.title;
  }
  if (interrupted && !stoppedAfter) stoppedAfter = `${step.title} (${interrupted})`;
}

const total = combine(counts);
console.log('');
const left = readdirSync(runTmp).length;
if (left > 0)
  console.log(`note: the tests left ${left} entries in their temporary folder (${runTmp}), removed with it`);
try {
  rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
} catch (e) {
  console.log(`note: could not remove the tests' temporary folder ${runTmp}: ${e.message}`);
}
for (const note of total.notes) console.log(`note: ${note}`);
if (failures.length > 0) console.log(`failed step: ${failures.join(', ')} (later steps not run)`);
if (keepDir) console.log(`reports: ${reportDir}`);
else rmSync(reportDir, { recursive: true, force: true });
console.log(formatSummary(total));

process.exitCode = failures.length > 0 || total.failed > 0 || interrupted ? 1 : 0;
