/**
 * The values the static PHP evaluator (php/interpreter.ts) knows: string/number/boolean/null
 * literals and arrays. Anything else is an "unknown" value that carries the reason in plain words.
 */

export type Val =
  | { k: 'str'; v: string }
  | { k: 'num'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'arr'; e: Array<[string, Val]> }
  /** `runtime`: depends on run-time state (calls, variables, GLPI); otherwise unsupported syntax. */
  | { k: 'unk'; why: string; runtime: boolean };

export type Unk = Extract<Val, { k: 'unk' }>;
export type Arr = Extract<Val, { k: 'arr' }>;

export const unk = (why: string, runtime = true): Unk => ({ k: 'unk', why, runtime });
export const str = (v: string): Val => ({ k: 'str', v });
export const bool = (v: boolean): Val => ({ k: 'bool', v });

/** PHP's string conversion; an Unk when it is not known (or not a plain conversion). */
export function toStr(v: Val): string | Unk {
  switch (v.k) {
    case 'str':
    case 'num':
      return v.v;
    case 'bool':
      return v.v ? '1' : '';
    case 'null':
      return '';
    case 'arr':
      return unk('converts an array to a string', false);
    default:
      return v;
  }
}

/** PHP's boolean conversion; an Unk when it is not known. */
export function truthy(v: Val): boolean | Unk {
  switch (v.k) {
    case 'str':
      return v.v !== '' && v.v !== '0';
    case 'num':
      return Number(v.v.replace(/_/g, '')) !== 0;
    case 'bool':
      return v.v;
    case 'null':
      return false;
    case 'arr':
      return v.e.length > 0;
    default:
      return v;
  }
}

/** The entry `key` of an array value (undefined when absent or not an array). */
export function get(arr: Val | undefined, key: string): Val | undefined {
  if (arr?.k !== 'arr') return undefined;
  return arr.e.find(([k]) => k === key)?.[1];
}

/** `$arr[key] = value`, or `$arr[] = value` when `key` is null. */
export function setEntry(arr: Arr, key: string | null, value: Val): void {
  if (key === null) {
    const ints = arr.e.map(([k]) => Number(k)).filter((k) => Number.isInteger(k) && k >= 0);
    key = String(ints.length ? Math.max(...ints) + 1 : 0);
  }
  const at = arr.e.findIndex(([k]) => k === key);
  if (at >= 0) arr.e[at] = [key, value];
  else arr.e.push([key, value]);
}

/** An array key as PHP normalises it. */
export function normKey(v: Val): string | Unk {
  if (v.k === 'bool') return v.v ? '1' : '0';
  if (v.k === 'num' && /^[0-9]+$/.test(v.v)) return String(Number(v.v));
  return toStr(v);
}
