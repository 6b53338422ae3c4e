/**
 * Version ranges of a manifest, every comparison made with PHP's `version_compare` (what GLPI
 * orders plugin versions with, shared/php-version.ts). The grammar, written down once:
 *
 * - `*` (or empty): any version.
 * - `1.21.3`: exactly that version as PHP compares (`1.21.03` is the same version).
 * - `=V`, `==V`, `!=V`, `<V`, `<=V`, `>V`, `>=V`: one comparison with version_compare.
 * - `~V` (tilde, as npm and GLPI's own compatibility strings `~10.0.0` mean it): at least V, with
 *   the same first two numbers (`~1.21` and `~1.21.3` are the 1.21 line, >=1.21 <1.22), or the same
 *   first number when V has only one (`~1` is 1.x). Composer's `~1.21` would mean >=1.21 <2: not
 *   followed on purpose, an admin writing ~1.21 means "the 1.21 line".
 * - `^X.Y.Z` (caret): at least X.Y.Z, with the same first non-zero number (`^2.9` is 2.x from 2.9,
 *   `^0.3` is 0.3.x from 0.3).
 * - Several terms separated by spaces or commas must all hold (`>=2.9 <3`); `||` separates
 *   alternatives (`~1.21 || ^2`).
 *
 * "Same numbers" compares the leading numbers of the version (`1.21.0-beta1` is in the 1.21 line).
 * An upper bound such as `<3` is plain version_compare: PHP puts `3-beta` below `3` but `3.0-beta`
 * above it, so `<3` admits `3-beta`; write `<3-dev` to keep every 3.x prerelease out.
 */
import { versionCompare } from './php-version';

type Term =
  | { kind: 'any' }
  | { kind: 'cmp'; op: '<' | '<=' | '>' | '>=' | '==' | '!='; version: string }
  | { kind: 'line'; version: string; keep: number };

export interface VersionRange {
  /** The text as written. */
  text: string;
  /** Alternatives (`||`), each a list of terms that must all hold. */
  alternatives: Term[][];
  /** A single exact version (no operator): what `install key@version` takes. */
  exact: string | null;
}

const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]*$/;

/** Parses a range, or says what is wrong in it. */
export function parseRange(text: string): { ok: true; range: VersionRange } | { ok: false; error: string } {
  const alternatives: Term[][] = [];
  for (const alt of text.split('||')) {
    const words = alt
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean);
    const terms: Term[] = [];
    for (let i = 0; i < words.length; i++) {
      let word = words[i]!;
      // `>= 2.9`: an operator alone takes the next word.
      if (/^(<=|>=|==|!=|<|>|=|~|\^)$/.test(word) && i + 1 < words.length) word += words[++i]!;
      const term = parseTerm(word);
      if (typeof term === 'string') return { ok: false, error: term };
      terms.push(term);
    }
    alternatives.push(terms.length > 0 ? terms : [{ kind: 'any' }]);
  }
  const only = alternatives.length === 1 && alternatives[0]!.length === 1 ? alternatives[0]![0]! : null;
  const exact = only?.kind === 'cmp' && only.op === '==' ? only.version : null;
  return { ok: true, range: { text, alternatives, exact } };
}

function parseTerm(word: string): Term | string {
  if (word === '*') return { kind: 'any' };
  const m = /^(<=|>=|==|!=|<|>|=|~|\^)?(.*)$/.exec(word)!;
  const op = m[1] ?? '';
  const version = m[2] ?? '';
  if (!VERSION.test(version))
    return `"${word}" is not a version or range term (examples: 1.21.3, ~1.21, ^2.9, >=2.9 <3, *)`;
  if (op === '~') {
    const nums = leadingNumbers(version);
    if (nums.length === 0) return `"${word}": a tilde needs a version starting with a number (~1.21)`;
    return { kind: 'line', version, keep: Math.min(nums.length, 2) };
  }
  if (op === '^') {
    const nums = leadingNumbers(version);
    if (nums.length === 0) return `"${word}": a caret needs a version starting with a number (^2.9)`;
    const firstNonZero = nums.findIndex((n) => n !== 0);
    return { kind: 'line', version, keep: firstNonZero === -1 ? nums.length : firstNonZero + 1 };
  }
  return { kind: 'cmp', op: op === '' || op === '=' ? '==' : (op as '<' | '<=' | '>' | '>=' | '==' | '!='), version };
}

/** The leading numbers of a version: `1.21.0-beta1` → [1, 21, 0]; `v1.2` → []. */
function leadingNumbers(version: string): number[] {
  const m = /^\d+(?:\.\d+)*/.exec(version);
  return m ? m[0].split('.').map(Number) : [];
}

function holds(term: Term, version: string): boolean {
  if (term.kind === 'any') return true;
  const c = versionCompare(version, term.version);
  if (term.kind === 'line') {
    if (c < 0) return false;
    const want = leadingNumbers(term.version).slice(0, term.keep);
    const have = leadingNumbers(version).slice(0, term.keep);
    return want.length === have.length && want.every((n, i) => n === have[i]);
  }
  switch (term.op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
  }
}

/** Whether `version` is in the range. */
export function satisfies(version: string, range: VersionRange): boolean {
  return range.alternatives.some((terms) => terms.every((t) => holds(t, version)));
}

/** The newest of `versions` in the range (PHP's order), or null. */
export function newestSatisfying(versions: readonly string[], range: VersionRange): string | null {
  let best: string | null = null;
  for (const v of versions) if (satisfies(v, range) && (best === null || versionCompare(v, best) > 0)) best = v;
  return best;
}
