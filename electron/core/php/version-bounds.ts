/**
 * Version bounds written as `version_compare(GLPI_VERSION, 'x', op)` calls in a function body
 * (a plugin's `plugin_<key>_check_prerequisites()`, setup-php-patterns.md): which calls give a
 * minimum (inclusive) and which a maximum (exclusive), from the operator and from whether a true
 * result makes the check fail (`if (…) { … return false; }`) or pass (`return version_compare(…)`).
 */
import type { PhpEvaluator } from './interpreter';
import type { PhpToken } from './lexer';
import { toStr } from './values';

export interface VersionBounds {
  mins: string[];
  maxs: string[];
  /** `version_compare` calls on the version whose meaning this reader cannot follow, with why. */
  unreadable: string[];
}

const FLIP: Record<string, string> = {
  '<': '>',
  lt: 'gt',
  '<=': '>=',
  le: 'ge',
  '>': '<',
  gt: 'lt',
  '>=': '<=',
  ge: 'le',
};
const OP_CLASS: Record<string, 'lt' | 'le' | 'gt' | 'ge'> = {
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
};

/** Tests whether a token range mentions the constant or a local variable derived from it. */
type Mentions = (x: number, y: number) => boolean;

/** `mentions` for `constant` in `[a, b)`, following `$v = f(CONSTANT…);` assignments. */
function mentionsOf(r: PhpEvaluator, [a, b]: [number, number], constant: string): Mentions {
  const vars = new Set<string>();
  const mentions: Mentions = (x, y) => {
    for (let j = x; j < y; j++) {
      const t = r.toks[j] as PhpToken;
      if ((t.t === 'id' && t.v.replace(/^\\/, '') === constant) || (t.t === 'var' && vars.has(t.v))) return true;
    }
    return false;
  };
  for (let j = a; j < b; j++) {
    if (r.is(j, 'var') && r.is(j + 1, 'op', '=')) {
      const end = r.semi(j + 2, b);
      if (mentions(j + 2, end)) vars.add((r.toks[j] as PhpToken).v);
    }
  }
  return mentions;
}

/**
 * Whether a true result of the call at `j` makes the check fail (true), pass (false) or neither
 * is clear (null), counting a `!` in front of it or of its parenthesised condition.
 */
function failsWhenTrue(r: PhpEvaluator, j: number, [a, b]: [number, number]): boolean | null {
  let negated = r.is(j - 1, 'op', '!');
  let depth = 0;
  let open = -1;
  for (let k = j - 1; k >= a; k--) {
    const t = r.toks[k] as PhpToken;
    if (t.t !== 'op') continue;
    if (t.v === ')') depth++;
    else if (t.v === '(') {
      if (depth === 0) {
        open = k;
        break;
      }
      depth--;
    } else if (depth === 0 && (t.v === ';' || t.v === '{' || t.v === '}')) break;
  }
  let fails: boolean | null = null;
  if (open >= 0 && (r.is(open - 1, 'id', 'if') || r.is(open - 1, 'id', 'elseif'))) {
    const bodyStart = r.match(open);
    const bodyText = r.text(bodyStart, r.stmtEnd(bodyStart, b), true).toLowerCase();
    if (/return\s+false|\bdie\b|\bexit\b/.test(bodyText)) fails = true;
    else if (/return\s+true/.test(bodyText)) fails = false;
  } else {
    let k = j - 1;
    while (k >= a && !r.is(k, 'op', ';') && !r.is(k, 'op', '{') && !r.is(k, 'op', '}')) k--;
    if (r.is(k + 1, 'id', 'return')) fails = false;
    if (open >= 0 && r.is(open - 1, 'op', '!')) negated = !negated;
  }
  return fails === null ? null : negated ? !fails : fails;
}

/** Reads the `version_compare` call at `j` into `out` (when it compares the version with a bound). */
function readCall(r: PhpEvaluator, j: number, body: [number, number], mentions: Mentions, out: VersionBounds): void {
  const close = r.match(j + 1);
  const [x, y, o] = r.split(j + 2, close - 1);
  const call = r.text(j, close);
  if (!x || !y) return;
  const gx = mentions(x[0], x[1]);
  if (gx === mentions(y[0], y[1])) return; // not a comparison of the version with a bound
  const opV = o ? toStr(r.eval(o[0], o[1], new Map())) : null;
  const bound = toStr(gx ? r.eval(y[0], y[1], new Map()) : r.eval(x[0], x[1], new Map()));
  if (typeof opV !== 'string' || typeof bound !== 'string') {
    const why = typeof bound !== 'string' ? bound.why : 'no literal operator';
    out.unreadable.push(`${call}: ${why}`);
    return;
  }
  const cls = OP_CLASS[gx ? opV : (FLIP[opV] ?? '')];
  const fails = failsWhenTrue(r, j, body);
  if (fails === null || !cls || (cls !== 'lt' && cls !== 'ge')) {
    out.unreadable.push(call);
    return;
  }
  // "fails when V >= X" and "passes when V < X" both mean: max X (exclusive).
  if ((fails && cls === 'ge') || (!fails && cls === 'lt')) out.maxs.push(bound);
  else out.mins.push(bound);
}

/** The bounds that the `version_compare(<constant>, …)` calls in `body` put on `constant`. */
export function readVersionBounds(r: PhpEvaluator, body: [number, number], constant = 'GLPI_VERSION'): VersionBounds {
  const out: VersionBounds = { mins: [], maxs: [], unreadable: [] };
  const mentions = mentionsOf(r, body, constant);
  for (let j = body[0]; j < body[1]; j++) {
    if (r.isWord(j, 'version_compare') && r.is(j + 1, 'op', '(')) readCall(r, j, body, mentions, out);
  }
  return out;
}
