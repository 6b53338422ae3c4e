/**
 * PHP's `version_compare`, ported literally from php-src `ext/standard/versioning.c` (unchanged in
 * substance from PHP 5 to PHP 8.4), because GLPI orders a plugin's versions with it and calls the
 * last one "latest" (docs/glpi-network-api.md §5.4). A "nicer" semver comparison would disagree with
 * GLPI on real catalogue values (`1.0` < `1.0.0`, `1.0-pl1` > `1.0.1`, `1.0abc` == `1.0alpha`).
 *
 * The quirks kept on purpose:
 * - canonical form: `-`, `_`, `+` and any other non-alphanumeric character become `.` (runs of them
 *   collapse), and a `.` is inserted at every digit/non-digit boundary, except that the first
 *   character is copied as is, and a non-alphanumeric character right after a digit is kept
 *   (`1~` → `1.~`);
 * - word parts are recognised by prefix and case-sensitively: `dev` < `alpha`=`a` < `beta`=`b` <
 *   `RC`=`rc` < number < `pl`=`p`; any other word (`Alpha`, `foo`, ``) is below `dev`, and
 *   `abc` counts as `a`, `build` as `b`, `pre`/`patch` as `p`;
 * - when one side runs out, a remaining number wins and a remaining word is compared to a number
 *   (so `1.0` < `1.0.0` and `1.0.0-beta` < `1.0.0` < `1.0.0.1` < `1.0.0-pl1`);
 * - an empty string is lower than anything else, and a trailing `.` leaves an empty part that is
 *   lower than the end of the other version (`1.0.` < `1.0`);
 * - numbers are compared as C `long` (64-bit): larger ones saturate at 2^63-1;
 * - PHP strings are bytes: non-ASCII characters are compared as their UTF-8 bytes, and a NUL byte
 *   ends the string (the C code works on NUL-terminated strings).
 */

export type VersionOperator =
  '<' | 'lt' | '<=' | 'le' | '>' | 'gt' | '>=' | 'ge' | '==' | '=' | 'eq' | '!=' | '<>' | 'ne';

export const VERSION_OPERATORS: readonly VersionOperator[] = [
  '<',
  'lt',
  '<=',
  'le',
  '>',
  'gt',
  '>=',
  'ge',
  '==',
  '=',
  'eq',
  '!=',
  '<>',
  'ne',
];

const LONG_MAX = '9223372036854775807';

/** `-1`, `0` or `1` as PHP's `version_compare($a, $b)` returns it. */
export function versionCompare(a: string, b: string): -1 | 0 | 1 {
  return comparePlain(a, b) ?? generalVersionCompare(a, b);
}

/** {@link versionCompare} by the literal port alone (exported for the tests that hold {@link comparePlain} to it). */
export function generalVersionCompare(a: string, b: string): -1 | 0 | 1 {
  return phpVersionCompare(toPhpBytes(a), toPhpBytes(b));
}

/**
 * {@link phpVersionCompare} where it is decided within dotted numbers (`10.0.18` against
 * `10.0.9`, `2.5` against `2.5.1`: most real versions), else null. Those parts are their own
 * canonical form, compared as numbers (at most 15 digits: no C long saturates, no double rounds),
 * and where one version ends PHP looks only at whether the other's next part starts with a digit.
 * Anything else (a word, an empty or longer part, a separator other than one `.`) leaves it to the
 * general path. Without the strings the general path builds, sorting each plugin's versions in a
 * catalogue sync went from 21 to 8 ms per 10,000 plugins, 5 of which the sort itself (measured).
 */
function comparePlain(a: string, b: string): -1 | 0 | 1 | null {
  let i = 0;
  let j = 0;
  for (;;) {
    const endI = partEnd(a, i);
    const endJ = partEnd(b, j);
    const x = digitsValue(a, i, endI);
    const y = digitsValue(b, j, endJ);
    if (x < 0 || y < 0) return null;
    if (x !== y) return x < y ? -1 : 1;
    const doneA = endI === a.length;
    const doneB = endJ === b.length;
    if (doneA && doneB) return 0;
    if (doneA) return isDigit(b.charCodeAt(endJ + 1)) ? -1 : null;
    if (doneB) return isDigit(a.charCodeAt(endI + 1)) ? 1 : null;
    i = endI + 1;
    j = endJ + 1;
  }
}

/** Where the part starting at `from` ends: its `.`, or the end of the string. */
function partEnd(s: string, from: number): number {
  const dot = s.indexOf('.', from);
  return dot === -1 ? s.length : dot;
}

/** The number `s[from, to)` writes with 1 to 15 digits, else -1. */
function digitsValue(s: string, from: number, to: number): number {
  if (to === from || to - from > 15) return -1;
  let value = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (!isDigit(c)) return -1;
    value = value * 10 + c - 48;
  }
  return value;
}

/** PHP's `version_compare($a, $b, $op)`. Throws on an unknown operator, like PHP 8. */
export function versionCompareOp(a: string, b: string, op: VersionOperator): boolean {
  const c = versionCompare(a, b);
  switch (op) {
    case '<':
    case 'lt':
      return c === -1;
    case '<=':
    case 'le':
      return c !== 1;
    case '>':
    case 'gt':
      return c === 1;
    case '>=':
    case 'ge':
      return c !== -1;
    case '==':
    case '=':
    case 'eq':
      return c === 0;
    case '!=':
    case '<>':
    case 'ne':
      return c !== 0;
    default:
      throw new RangeError(`version_compare(): Argument #3 ($operator) must be a valid comparison operator`);
  }
}

/** A new array, ascending by `versionCompare` (stable for versions PHP deems equal). */
export function sortVersions(nums: readonly string[]): string[] {
  return [...nums].sort(versionCompare);
}

/**
 * True when, after its first number, the version carries a word part that PHP orders below a
 * number (`-dev`, `alpha`, `b2`, `RC1`, or any unknown word, which PHP puts even below `dev`), so
 * that PHP sorts it before the plain release. `pl`/`p` (patch levels) are not prereleases, nor is a
 * leading word (`v1.2.0`).
 */
export function isPrerelease(num: string): boolean {
  const bytes = toPhpBytes(num);
  if (bytes === '' || bytes.startsWith('#')) return false;
  let seenNumber = false;
  for (const part of canonicalize(bytes).split('.')) {
    if (part === '') continue;
    if (isDigit(part.charCodeAt(0))) seenNumber = true;
    else if (seenNumber && specialOrder(part) < NUMBER_ORDER) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The port. Strings below are "byte strings": one UTF-16 unit per byte (0-255).

const NUMBER_ORDER = 4;
const SPECIAL_FORMS: readonly (readonly [string, number])[] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', NUMBER_ORDER],
  ['pl', 5],
  ['p', 5],
];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const DOT = 46;

/** isndig() of versioning.c: neither a digit nor the dot (its isdig() is plain isdigit()). */
function isNdig(c: number): boolean {
  return !isDigit(c) && c !== DOT;
}

function toPhpBytes(s: string): string {
  const nul = s.indexOf('\u0000');
  const str = nul === -1 ? s : s.slice(0, nul);
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(str)) return str;
  let out = '';
  for (const ch of str) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out += ch;
    else if (cp < 0x800) out += String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else
      out += String.fromCharCode(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 63),
        0x80 | ((cp >> 6) & 63),
        0x80 | (cp & 63),
      );
  }
  return out;
}

/** php_canonicalize_version(). */
function canonicalize(version: string): string {
  if (version.length === 0) return '';
  let out = version[0] ?? '';
  let lp = version.charCodeAt(0);
  for (let i = 1; i < version.length; i++) {
    const p = version.charCodeAt(i);
    const lq = out.charCodeAt(out.length - 1);
    if (p === 45 /* - */ || p === 95 /* _ */ || p === 43 /* + */) {
      if (lq !== DOT) out += '.';
    } else if ((isNdig(lp) && isDigit(p)) || (isDigit(lp) && isNdig(p))) {
      if (lq !== DOT) out += '.';
      out += version[i];
    } else if (!isAlnum(p)) {
      if (lq !== DOT) out += '.';
    } else {
      out += version[i];
    }
    lp = p;
  }
  return out;
}

/** The order of compare_special_version_forms(): prefix match, first entry wins, else -1. */
function specialOrder(form: string): number {
  for (const [name, order] of SPECIAL_FORMS) {
    if (form.startsWith(name)) return order;
  }
  return -1;
}

function compareSpecial(a: string, b: string): -1 | 0 | 1 {
  return sign(specialOrder(a) - specialOrder(b));
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** strtol() of a part that starts with a digit, saturating like a 64-bit long, as a digit string. */
function leadingLong(part: string): string {
  let end = 0;
  while (end < part.length && isDigit(part.charCodeAt(end))) end++;
  let start = 0;
  while (start < end - 1 && part.charCodeAt(start) === 48) start++;
  const digits = part.slice(start, end);
  if (digits.length > LONG_MAX.length || (digits.length === LONG_MAX.length && digits > LONG_MAX)) return LONG_MAX;
  return digits;
}

function compareLongs(a: string, b: string): -1 | 0 | 1 {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** php_version_compare(), with C pointers as indexes (-1 for NULL). */
function phpVersionCompare(orig1: string, orig2: string): -1 | 0 | 1 {
  if (orig1 === '' || orig2 === '') {
    if (orig1 === '' && orig2 === '') return 0;
    return orig1 !== '' ? 1 : -1;
  }
  const v1 = orig1.startsWith('#') ? orig1 : canonicalize(orig1);
  const v2 = orig2.startsWith('#') ? orig2 : canonicalize(orig2);
  let p1 = 0;
  let p2 = 0;
  let n1 = 0;
  let n2 = 0;
  let compare: -1 | 0 | 1 = 0;
  while (p1 < v1.length && p2 < v2.length && n1 !== -1 && n2 !== -1) {
    n1 = v1.indexOf('.', p1);
    n2 = v2.indexOf('.', p2);
    const s1 = n1 === -1 ? v1.slice(p1) : v1.slice(p1, n1);
    const s2 = n2 === -1 ? v2.slice(p2) : v2.slice(p2, n2);
    const d1 = isDigit(s1.charCodeAt(0));
    const d2 = isDigit(s2.charCodeAt(0));
    if (d1 && d2) {
      compare = compareLongs(leadingLong(s1), leadingLong(s2));
    } else if (!d1 && !d2) {
      compare = compareSpecial(s1, s2);
    } else if (d1) {
      compare = compareSpecial('#N#', s2);
    } else {
      compare = compareSpecial(s1, '#N#');
    }
    if (compare !== 0) break;
    if (n1 !== -1) p1 = n1 + 1;
    if (n2 !== -1) p2 = n2 + 1;
  }
  if (compare === 0) {
    if (n1 !== -1) {
      compare = isDigit(v1.charCodeAt(p1)) ? 1 : phpVersionCompare(v1.slice(p1), '#N#');
    } else if (n2 !== -1) {
      compare = isDigit(v2.charCodeAt(p2)) ? -1 : phpVersionCompare('#N#', v2.slice(p2));
    }
  }
  return compare;
}
