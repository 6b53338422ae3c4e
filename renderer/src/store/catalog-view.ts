import type { CatalogListItem, CatalogPlugin } from '../../../shared/catalog';
import { latestVersion } from '../../../shared/entitlements';
import { acceptLanguage, normalizeGlpiVersion } from '../../../shared/glpi-version';
import type { Offer } from '../../../shared/model';
import { currentLocale, t } from '../i18n/t';
import type { Availability } from './catalog-slice';
import { offerTitle } from '../../../shared/offer-tier';

/** An address the admin may open in a browser: http(s) only, never `javascript:`, `file:`… */
export function webUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Images are loaded from https only (the CSP allows nothing else from outside). */
export function httpsUrl(url: string | null | undefined): string | null {
  const web = webUrl(url);
  return web?.startsWith('https:') ? web : null;
}

/** Two letters standing for the logo GLPI shows when there is none. */
export function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.length > 1 ? `${words[0]?.[0] ?? ''}${words[1]?.[0] ?? ''}` : (words[0] ?? '').slice(0, 2);
  return letters.toUpperCase() || '?';
}

/** A stable hue per plugin for the initials tile (the text colour is fixed, so contrast holds). */
export function initialsHue(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) % 360;
  return h;
}

/** "Standard" from "GLPI Network Standard"; "Free" when the plugin needs no offer. */
export function tierName(offer: Offer | null): string {
  return offer ? offerTitle(offer) : t('catalog.tier.free');
}

/**
 * The availability line in the UI language (shared/entitlements gives the kind and the tier, and an
 * English text we do not show so that other languages can plug in).
 */
export function availabilityText(
  availability: Availability,
  plugin: Pick<CatalogListItem, 'versions'>,
  glpiVersion: string,
  includePrereleases: boolean,
): string {
  switch (availability.kind) {
    case 'included':
      return t('catalog.availability.included');
    case 'needs-tier':
      return t('catalog.availability.needs-tier', { tier: tierName(availability.tier) });
    case 'incompatible': {
      const version = normalizeGlpiVersion(glpiVersion);
      const onlyPrereleases = !includePrereleases && latestVersion(plugin, glpiVersion, true) !== null;
      return t(onlyPrereleases ? 'catalog.availability.onlyPrereleases' : 'catalog.availability.incompatible', {
        version,
      });
    }
    case 'not-running':
      return t('catalog.availability.not-running');
    case 'no-key':
      return t('catalog.availability.no-key');
  }
}

/**
 * The long description to show: the UI language (as GLPI compares it: `fr` for `fr_FR`), then
 * English, then the first one with text — the order shared/catalog-query uses for short ones.
 */
export function longDescription(plugin: Pick<CatalogPlugin, 'descriptions'>, language: string): string {
  const ui = acceptLanguage(language);
  const ds = plugin.descriptions.filter((d) => d.long.trim() !== '');
  return (
    ds.find((d) => acceptLanguage(d.lang) === ui)?.long ??
    ds.find((d) => acceptLanguage(d.lang) === 'en')?.long ??
    ds[0]?.long ??
    ''
  );
}

const compact = new Map<string, Intl.NumberFormat>();
const plain = new Map<string, Intl.NumberFormat>();

/** "12K" — the row is narrow; details show the full number. */
export function formatCompact(n: number): string {
  const locale = currentLocale();
  let f = compact.get(locale);
  if (!f) compact.set(locale, (f = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 })));
  return f.format(n);
}

export function formatNumber(n: number): string {
  const locale = currentLocale();
  let f = plain.get(locale);
  if (!f) plain.set(locale, (f = new Intl.NumberFormat(locale)));
  return f.format(n);
}

/** "4.5" for a 0-5 average; one decimal at most. */
export function formatRating(note: number): string {
  return new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 1 }).format(note);
}
