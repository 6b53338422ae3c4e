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
