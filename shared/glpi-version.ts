/** What a GLPI version typed by an admin may look like (10.0.18, 11.0.0-rc2, 9.5). */
export const glpiVersionPattern = /^\d+\.\d+(\.\d+){0,2}(-[0-9A-Za-z.]+)?$/;

/**
 * GLPI's VersionParser::getNormalizedVersion(version, false): always three numeric parts, the
 * stability suffix dropped. This is the form GLPI puts in its User-Agent, the only place GLPI
 * Network learns the instance's version.
 */
export function normalizeGlpiVersion(version: string): string {
  const numeric = version.trim().split(/[-+~ ]/)[0] ?? '';
  const parts = numeric.split('.').filter((p) => /^\d+$/.test(p));
  while (parts.length < 3) parts.push('0');
  return parts
    .slice(0, 3)
    .map((p) => String(Number(p)))
    .join('.');
}

/** Accept-Language as GLPI sends it: the letters before the first underscore (fr_FR → fr). */
export function acceptLanguage(language: string): string {
  return /^[^_-]+/.exec(language)?.[0]?.toLowerCase() ?? 'en';
}
