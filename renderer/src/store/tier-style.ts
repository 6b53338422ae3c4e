import type { Offer } from '../../../shared/model';

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
