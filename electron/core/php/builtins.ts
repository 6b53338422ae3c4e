/**
 * The few pure PHP functions the static evaluator runs: `defined`, `constant`, the gettext
 * wrappers GLPI plugins use around names, `version_compare`, and string searches. Any other
 * call is an unknown value ("calls foo()").
 */
import { versionCompare } from '../../../shared/php-version';
import { bareName } from './tokens';
import { bool, str, toStr, unk, type Unk, type Val } from './values';

/** What the functions need from the file being read. */
export interface ConstantScope {
  isDefined(name: string): boolean;
  constant(name: string): Val;
}

/** `version_compare($a, $b, $op)` for every operator PHP accepts; null for an unknown operator. */
export function versionCompareOp(a: string, b: string, op: string): boolean | null {
  const c = versionCompare(a, b);
  const ok: Record<string, boolean> = {
    '<': c < 0,
    lt: c < 0,
    '<=': c <= 0,
    le: c <= 0,
    '>': c > 0,
    gt: c > 0,
    '>=': c >= 0,
    ge: c >= 0,
    '==': c === 0,
    '=': c === 0,
    eq: c === 0,
    '!=': c !== 0,
    '<>': c !== 0,
    ne: c !== 0,
  };
  return Object.hasOwn(ok, op) ? (ok[op] as boolean) : null;
}

function stringSearch(fn: string, [h, nd]: string[]): Val {
  if (fn === 'strpos') {
    const at = (h as string).indexOf(nd as string);
    return at < 0 ? bool(false) : { k: 'num', v: String(at) };
  }
  const hay = h as string;
  const needle = nd as string;
  return bool(
    fn === 'str_contains'
      ? hay.includes(needle)
      : fn === 'str_ends_with'
        ? hay.endsWith(needle)
        : hay.startsWith(needle),
  );
}

/** Needed argument count and evaluation of each supported function, on string arguments. */
const BUILTINS: Record<string, [number, (a: string[], scope: ConstantScope, fn: string) => Val]> = {
  defined: [1, (a, scope) => bool(scope.isDefined((a[0] as string).replace(/^\\/, '')))],
  constant: [1, (a, scope) => scope.constant(a[0] as string)],
  __: [1, (a) => str(a[0] as string)],
  __s: [1, (a) => str(a[0] as string)],
  _x: [2, (a) => str(a[1] as string)],
  _n: [3, (a) => str(Number(a[2]) === 1 ? (a[0] as string) : (a[1] as string))],
  version_compare: [
    3,
    (a) => {
      const ok = versionCompareOp(a[0] as string, a[1] as string, a[2] as string);
      return ok === null ? unk(`calls version_compare() with operator ${a[2]}`) : bool(ok);
    },
  ],
  strpos: [2, (a, _s, fn) => stringSearch(fn, a)],
  str_contains: [2, (a, _s, fn) => stringSearch(fn, a)],
  str_ends_with: [2, (a, _s, fn) => stringSearch(fn, a)],
  str_starts_with: [2, (a, _s, fn) => stringSearch(fn, a)],
};

/** Calls the function `name` (as written) with already evaluated arguments. */
export function callBuiltin(name: string, args: Val[], scope: ConstantScope): Val {
  const fn = bareName(name);
  const builtin = Object.hasOwn(BUILTINS, fn) ? BUILTINS[fn] : undefined;
  if (!builtin) return unk(`calls ${name.replace(/^\\/, '')}()`);
  const [count, run] = builtin;
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    const arg = args[i];
    if (arg === undefined) return unk(`calls ${fn}() with too few arguments`, false);
    const s: string | Unk = toStr(arg);
    if (typeof s !== 'string') return s;
    strings.push(s);
  }
  return run(strings, scope, fn);
}
