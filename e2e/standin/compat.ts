/**
 * How the stand-in picks the versions a GLPI instance may see (docs/glpi-network-api.md §5.1-5.2): the GLPI version
 * comes from the User-Agent only, and each `compatibility` string of the catalogue is matched
 * against it. GLPI never reads `compatibility` itself; the real server's rule is partly unknown
 * (§10.1), so the semantics below are the stand-in's decision, documented in README.md:
 *
 * - `~X.Y.Z`: Composer tilde, `>= X.Y.Z` and `< X.(Y+1).0` ("~10.0.3 implies 10.0.3, 10.0.4, … but
 *   not 10.1.0", the GLPI team in yllen/behaviors#66);
 * - `~X.Y`: Composer tilde on two parts, `>= X.Y.0` and `< (X+1).0.0`;
 * - `X.Y.Z`: exactly that version (a plain `10.0.3` did not match 10.0.5, yllen/pdf#35);
 * - `X.Y`: the whole X.Y branch (the docdev catalogue example uses `10.0` for "GLPI 10");
 * - `X`: the whole major line;
 * - anything else (`>=10.0`, four parts, words): matches nothing.
 */

/** A normalised GLPI version: three numbers, as GLPI sends it (`GLPI/10.0.16 (...)`). */
export type GlpiVersion = readonly [number, number, number];

/**
 * The GLPI version carried by a User-Agent, or null when the agent is not GLPI (then the stand-in
 * does not filter). GLPI always sends three parts; a missing part counts as 0.
 */
export function glpiVersionFromUserAgent(userAgent: string | undefined): GlpiVersion | null {
  const m = /^\s*GLPI\/(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(?![\d.])/.exec(userAgent ?? '');
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function formatGlpiVersion(v: GlpiVersion): string {
  return v.join('.');
}

function cmp(a: GlpiVersion, b: GlpiVersion): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A compatibility string as a half-open range [min, max), or null when it is not understood. */
export interface CompatRange {
  min: GlpiVersion;
  /** Exclusive. */
  max: GlpiVersion;
  kind: 'tilde' | 'exact' | 'branch' | 'major';
}

export function parseCompatibility(compatibility: string): CompatRange | null {
  const c = compatibility.trim();
  let m = /^~(\d+)\.(\d+)\.(\d+)$/.exec(c);
  if (m) {
    const [x, y, z] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return { min: [x, y, z], max: [x, y + 1, 0], kind: 'tilde' };
  }
  m = /^~(\d+)\.(\d+)$/.exec(c);
  if (m) {
    const [x, y] = [Number(m[1]), Number(m[2])];
    return { min: [x, y, 0], max: [x + 1, 0, 0], kind: 'tilde' };
  }
  m = /^(\d+)\.(\d+)\.(\d+)$/.exec(c);
  if (m) {
    const [x, y, z] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return { min: [x, y, z], max: [x, y, z + 1], kind: 'exact' };
  }
  m = /^(\d+)\.(\d+)$/.exec(c);
  if (m) {
    const [x, y] = [Number(m[1]), Number(m[2])];
    return { min: [x, y, 0], max: [x, y + 1, 0], kind: 'branch' };
  }
  m = /^(\d+)$/.exec(c);
  if (m) {
    const x = Number(m[1]);
    return { min: [x, 0, 0], max: [x + 1, 0, 0], kind: 'major' };
  }
  return null;
}

export function compatibilityMatches(compatibility: string, glpi: GlpiVersion): boolean {
  const range = parseCompatibility(compatibility);
  return range !== null && cmp(glpi, range.min) >= 0 && cmp(glpi, range.max) < 0;
}

/**
 * The `requirements.glpi` bounds a plugin author would write in setup.php for these compatibility
 * strings (min inclusive, max exclusive, GLPI's own convention: `10.0.99` caps a branch). Used to
 * write realistic archives; null bounds when nothing is understood.
 */
export function glpiBounds(compatibilities: readonly string[]): { min: string | null; max: string | null } {
  const ranges = compatibilities.map(parseCompatibility).filter((r): r is CompatRange => r !== null);
  if (ranges.length === 0) return { min: null, max: null };
  let lo = ranges[0] as CompatRange;
  let hi = lo;
  for (const r of ranges) {
    if (cmp(r.min, lo.min) < 0) lo = r;
    if (cmp(r.max, hi.max) > 0) hi = r;
  }
  const min = formatGlpiVersion(lo.min);
  let max: string;
  switch (hi.kind) {
    case 'exact':
      max = formatGlpiVersion(hi.max);
      break;
    case 'major':
    case 'tilde':
      // `~10.0.0` → `10.0.99`, `~10.0` / `10` → `11.0.0`.
      max = hi.max[2] === 0 && hi.max[1] === 0 ? formatGlpiVersion(hi.max) : `${hi.max[0]}.${hi.max[1] - 1}.99`;
      break;
    case 'branch':
      max = `${hi.min[0]}.${hi.min[1]}.99`;
      break;
  }
  return { min, max };
}
