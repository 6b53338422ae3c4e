import type { CatalogPlugin } from './catalog';
import type { Offer } from './model';

/**
 * The lowest tier that grants the plugin: the first offer of `/offers` (lowest first) contained in
 * `requiredOffers` — the one GLPI's badge names (§4.3). Null for a free plugin. When
 * `requiredOffers` only names tiers `/offers` does not list (or `/offers` failed), a stand-in named
 * after the first reference, so the UI can still say "needs X".
 */
export function tierOf(plugin: Pick<CatalogPlugin, 'requiredOffers'>, offers: readonly Offer[]): Offer | null {
  const required = plugin.requiredOffers;
  if (required === null || required.length === 0) return null;
  for (const offer of offers) if (required.includes(offer.reference)) return offer;
  const first = required[0] ?? '';
  return { reference: first, title: first };
}

/** Tiers with their own badge colours; any other offer gets the neutral premium style. */
const STYLED_TIERS = new Set(['free', 'registered', 'basic', 'standard', 'advanced']);

/** A paid offer's name as its badge shows it ("GLPI Network Advanced" → "Advanced"). */
export function offerTitle(offer: Offer): string {
  const title = offer.title.replace(/^\s*GLPI[\s-]*Network\s*/i, '').trim();
  if (title) return title;
  return offer.reference.charAt(0).toUpperCase() + offer.reference.slice(1);
}

/** The `data-tier` value and style of a tier badge. */
export function tierRef(offer: Offer | null): string {
  return offer ? offer.reference : 'free';
}

export function tierClass(offer: Offer | null): string {
  const ref = tierRef(offer).toLowerCase();
  return STYLED_TIERS.has(ref) ? `tier-badge--${ref}` : 'tier-badge--other';
}
