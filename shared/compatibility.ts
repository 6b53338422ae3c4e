/**
 * GLPI Network's per-version `compatibility` strings (docs/glpi-network-api.md §5.1), evaluated against
 * the GLPI version of the instance. GLPI itself never reads them: the server filters versions by
 * the User-Agent (§5.2), so these semantics are ours, chosen to agree with what is known of the
 * server and with Composer, whose syntax the catalogue borrows.
 *
 * The target is normalised like GLPI does before putting it in its User-Agent: three numeric parts,
 * stability suffix dropped (`11.0.0-rc2` → `11.0.0`). A constraint's version has one to three
 * numeric parts (a leading `v` is accepted, as in Composer).
 *
 * | constraint          | matches                                  | why                                   |
 * | ------------------- | ---------------------------------------- | ------------------------------------- |
 * | `~X.Y.Z`            | `>=X.Y.Z <X.(Y+1).0`                     | §5.2 maintainer statement: `~10.0.3` is 10.0.3, 10.0.4… but not 10.1.0 (Composer tilde) |
 * | `~X.Y`, `~X`        | `>=X.Y.0 <(X+1).0.0`                     | Composer tilde                        |
 * | `X.Y.Z`             | exactly `X.Y.Z`                          | §5.2: plain `10.0.3` did not match 10.0.5 (yllen/pdf#35) |
 * | `X.Y`, `X`          | the branch `X.Y.*` / `X.*`               | §5.2 leaves it open [U]; the catalogue's `10.0`, `9.5`, `0.85` name a GLPI branch, and an exact `10.0.0` would hide nearly every plugin from every 10.0.x instance |
 * | `X.Y.*`, `X.*`, `*` | the branch (`x`/`X` work like `*`)       | Composer wildcard                     |
 * | `^X.Y.Z`            | `>=X.Y.Z` and below the next change of the first non-zero part | Composer caret |
 * | `>=` `>` `<=` `<` `==` `=` `!=` `<>` + version | the comparison, missing parts read as 0 (`<11` is `<11.0.0`) | Composer |
 *
 * Constraints separated by commas or spaces must all hold (AND); `||` (or `|`) separates
 * alternatives (OR, lower precedence). Anything else (a stability suffix, four numeric parts, a
 * wildcard after an operator, an empty alternative, words) is unparseable and matches nothing;
 * `parseCompatibility` says why, for display.
 */
import { normalizeGlpiVersion } from './glpi-version';

type Triple = readonly [number, number, number];
type Op = '>=' | '>' | '<=' | '<' | '==' | '!=';

interface Bound {
  op: Op;
  v: Triple;
}

/** A parsed compatibility string: alternatives (OR) of conjunctions (AND) of bounds. */
export interface CompatibilityRule {
  source: string;
  anyOf: readonly (readonly Bound[])[];
  /** A normalised reading, e.g. `>=10.0.3 <10.1.0`, or `any version`. */
  text: string;
}

export type ParsedCompatibility = { ok: true; rule: CompatibilityRule } | { ok: false; error: string };

const WILDCARD = /^[*xX]$/;
const NUMBER = /^\d+$/;
const ATOM = /^(>=|<=|==|!=|<>|>|<|=|~|\^)?v?([0-9*xX]+(?:\.[0-9*xX]+)*)$/;

/** Parse a compatibility string; `error` is a sentence for the UI when it cannot be used. */
export function parseCompatibility(compatibility: string): ParsedCompatibility {
  const source = compatibility.trim();
  if (source === '') return { ok: false, error: 'The compatibility string is empty.' };
  const anyOf: Bound[][] = [];
  for (const alternative of source.split(/\|\|?/)) {
    // Operators may be followed by spaces (`>= 10.0`): glue them to their version first.
    const glued = alternative.trim().replace(/(>=|<=|==|!=|<>|>|<|=|~|\^)\s+/g, '$1');
    if (glued === '') return { ok: false, error: `"${source}" has an empty alternative around "||".` };
    const all: Bound[] = [];
    for (const token of glued.split(/\s*,\s*|\s+/)) {
      const bounds = parseAtom(token, source);
      if (typeof bounds === 'string') return { ok: false, error: bounds };
      all.push(...bounds);
    }
    anyOf.push(all);
  }
  return { ok: true, rule: { source, anyOf, text: describe(anyOf) } };
}

function parseAtom(token: string, source: string): Bound[] | string {
  if (token === '') return `"${source}" has an empty constraint (a stray comma?).`;
  const m = ATOM.exec(token);
  if (!m) return `"${token}" is not a version constraint GLPI Network uses (in "${source}").`;
  const op = m[1] ?? '';
  const parts = (m[2] ?? '').split('.');
  if (parts.length > 3) return `"${token}" has more than three version parts (in "${source}").`;
  const firstWildcard = parts.findIndex((p) => WILDCARD.test(p));
  if (firstWildcard !== -1) {
    if (op !== '') return `"${token}" mixes an operator with a wildcard (in "${source}").`;
    if (parts.slice(firstWildcard).some((p) => !WILDCARD.test(p)))
      return `"${token}" has a number after a wildcard (in "${source}").`;
  }
  const numbers = parts.slice(0, firstWildcard === -1 ? parts.length : firstWildcard);
  if (numbers.some((p) => !NUMBER.test(p))) return `"${token}" is not a version (in "${source}").`;
  const n = numbers.map(Number);
  const [x = 0, y = 0, z = 0] = n;
  const v: Triple = [x, y, z];
  switch (op) {
    case '':
      // Full version: exact; fewer parts (or a wildcard): the branch they name.
      if (n.length === 3) return [{ op: '==', v }];
      if (n.length === 0) return [];
      return n.length === 2
        ? [
            { op: '>=', v },
            { op: '<', v: [x, y + 1, 0] },
          ]
        : [
            { op: '>=', v },
            { op: '<', v: [x + 1, 0, 0] },
          ];
    case '~':
      return [
        { op: '>=', v },
        { op: '<', v: n.length === 3 ? [x, y + 1, 0] : [x + 1, 0, 0] },
      ];
    case '^': {
      let upper: Triple;
      if (x > 0 || n.length === 1) upper = [x + 1, 0, 0];
      else if (y > 0 || n.length === 2) upper = [0, y + 1, 0];
      else upper = [0, 0, z + 1];
      return [
        { op: '>=', v },
        { op: '<', v: upper },
      ];
    }
    case '=':
      return [{ op: '==', v }];
    case '<>':
      return [{ op: '!=', v }];
    default:
      return [{ op: op as Op, v }];
  }
}

function describe(anyOf: readonly (readonly Bound[])[]): string {
  return anyOf
    .map((all) => (all.length === 0 ? 'any version' : all.map((b) => `${b.op}${b.v.join('.')}`).join(' ')))
    .join(' || ');
}

function cmp(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function holds(b: Bound, t: Triple): boolean {
  const c = cmp(t, b.v);
  switch (b.op) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
  }
}

/** Does the rule accept this GLPI version (normalised to three numeric parts)? */
export function ruleMatches(rule: CompatibilityRule, glpiVersion: string): boolean {
  const t = target(glpiVersion);
  return rule.anyOf.some((all) => all.every((b) => holds(b, t)));
}

// The catalogue repeats a handful of strings thousands of times, and availability is evaluated on
// every keystroke: parse each string once. Bounded so a hostile catalogue cannot grow it forever.
const CACHE_LIMIT = 2000;
const parsed = new Map<string, ParsedCompatibility>();
const targets = new Map<string, Triple>();

function cachedParse(compatibility: string): ParsedCompatibility {
  let p = parsed.get(compatibility);
  if (!p) {
    p = parseCompatibility(compatibility);
    if (parsed.size >= CACHE_LIMIT) parsed.clear();
    parsed.set(compatibility, p);
  }
  return p;
}

function target(glpiVersion: string): Triple {
  let t = targets.get(glpiVersion);
  if (!t) {
    const [x = 0, y = 0, z = 0] = normalizeGlpiVersion(glpiVersion).split('.').map(Number);
    t = [x, y, z];
    if (targets.size >= CACHE_LIMIT) targets.clear();
    targets.set(glpiVersion, t);
  }
  return t;
}

/** True when `compatibility` accepts `glpiVersion`; false when it does not or cannot be parsed. */
export function isCompatible(compatibility: string, glpiVersion: string): boolean {
  const p = cachedParse(compatibility);
  return p.ok && ruleMatches(p.rule, glpiVersion);
}

/**
 * True when any of a version's compatibility strings accepts `glpiVersion`. No strings at all:
 * true, because GLPI Network already kept only the versions that suit the User-Agent's version.
 */
export function fitsAny(compat: readonly string[], glpiVersion: string): boolean {
  if (compat.length === 0) return true;
  for (const c of compat) if (isCompatible(c, glpiVersion)) return true;
  return false;
}
