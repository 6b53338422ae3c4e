// Turns the JSON reports of Vitest and Playwright into the counts `npm test` prints.
// Dependency-free so scripts/test.mjs runs before anything is built.
import { readFileSync } from 'node:fs';

/**
 * @typedef {{ passed: number; failed: number; skipped: number; notes: string[] }} Counts
 */

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const num = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** Vitest's `--reporter=json` output (Jest-compatible shape). */
export function summarizeVitest(report) {
  /** @type {Counts} */
  const c = {
    passed: num(report?.numPassedTests),
    failed: num(report?.numFailedTests),
    skipped: num(report?.numPendingTests) + num(report?.numTodoTests),
    notes: [],
  };
  // A file that fails outside any test (import error, failing beforeAll/afterAll) has no failed test.
  const files = Array.isArray(report?.testResults) ? report.testResults : [];
  for (const file of files) {
    const tests = Array.isArray(file?.assertionResults) ? file.assertionResults : [];
    if (file?.status === 'failed' && !tests.some((t) => t?.status === 'failed')) {
      c.failed += 1;
      c.notes.push(`vitest: ${file.name ?? 'a test file'} failed outside its tests: ${firstLine(file.message)}`);
    }
  }
  if (report?.success === false && c.failed === 0) {
    c.failed += 1;
    c.notes.push(
      num(report?.numTotalTests) === 0
        ? 'vitest: no tests found (counted as one failure)'
        : 'vitest: the run was reported unsuccessful (counted as one failure)',
    );
  }
  return c;
}

/** Playwright's `--reporter=json` output. */
export function summarizePlaywright(report) {
  const stats = report?.stats ?? {};
  /** @type {Counts} */
  const c = {
    // A flaky test failed first and then passed on retry: it passed.
    passed: num(stats.expected) + num(stats.flaky),
    failed: num(stats.unexpected),
    skipped: num(stats.skipped),
    notes: [],
  };
  if (num(stats.flaky) > 0) c.notes.push(`playwright: ${stats.flaky} flaky test(s) passed on retry`);
  // Errors outside tests: config or global setup failures, files that do not load, worker crashes.
  const errors = Array.isArray(report?.errors) ? report.errors : [];
  for (const e of errors) {
    c.failed += 1;
    c.notes.push(`playwright: error outside tests: ${firstLine(e?.message ?? e?.value)}`);
  }
  return c;
}

/**
 * Reads a report written by a step. A missing or unreadable report is one failure with a note.
 * @param {'vitest' | 'playwright'} kind
 * @param {string} path
 * @param {string} [whyMissing] why the step did not run, if it did not
 * @returns {Counts}
 */
export function summarizeReportFile(kind, path, whyMissing) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    const why = whyMissing ?? `the step wrote no report at ${path}`;
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      notes: [`${kind}: no JSON report (${why}); counted as one failure`],
    };
  }
  let report;
  try {
    report = JSON.parse(text);
  } catch (e) {
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      notes: [
        `${kind}: the JSON report at ${path} is not valid JSON (${firstLine(e?.message)}); counted as one failure`,
      ],
    };
  }
  return kind === 'vitest' ? summarizeVitest(report) : summarizePlaywright(report);
}

/** @param {Counts[]} list */
export function combine(list) {
  return list.reduce(
    (acc, c) => ({
      passed: acc.passed + c.passed,
      failed: acc.failed + c.failed,
      skipped: acc.skipped + c.skipped,
      notes: [...acc.notes, ...c.notes],
    }),
    { passed: 0, failed: 0, skipped: 0, notes: [] },
  );
}

/** The one line CI and people read. */
export function formatSummary({ passed, failed, skipped }) {
  return `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}

function firstLine(text) {
  const s = typeof text === 'string' ? text : '';
  // Drop the ANSI colours Playwright and Vitest keep in error messages.
  return (s.replace(ANSI, '').split('\n')[0] ?? '').trim() || '(no message)';
}
