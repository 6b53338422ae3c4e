/**
 * Text folding (accents, case, ligatures) and natural order (`strnatcasecmp`-like) for the catalogue
 * search and sort (catalog-query.ts).
 */
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i' };
// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/;

/** Lower case without accents (NFD, combining marks removed; œ → oe, ß → ss), for matching. */
export function foldText(s: string): string {
  const lower = s.toLowerCase();
  if (ASCII.test(lower)) return lower;
  return lower
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œæßøđłı]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[\u2018\u2019]/g, "'");
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Natural order like PHP's `strnatcasecmp` as GLPI uses it for names: digit runs compare by value
 * ("Plugin 2" < "Plugin 10"), letters without regard to case (and here, to accents).
 */
export function naturalCompare(a: string, b: string): number {
  return naturalCompareFolded(foldText(a), foldText(b));
}

export function naturalCompareFolded(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let si = i;
      let sj = j;
      while (a.charCodeAt(si) === 48) si++;
      while (b.charCodeAt(sj) === 48) sj++;
      let ei = si;
      let ej = sj;
      while (isDigit(a.charCodeAt(ei))) ei++;
      while (isDigit(b.charCodeAt(ej))) ej++;
      if (ei - si !== ej - sj) return ei - si - (ej - sj);
      for (let k = 0; k < ei - si; k++) {
        const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
        if (d !== 0) return d;
      }
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}
