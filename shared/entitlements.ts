/**
 * Offer gating (docs/glpi-network-api.md §4), version availability (§5) and the tier entitlement map.
 * One "availability" line per plugin says why it can or cannot be installed, in the order an admin
 * would have to fix things: the key, the subscription, the GLPI version, then the tier.
 */
import type { CatalogPlugin, PluginVersion } from './catalog';
import { fitsAny } from './compatibility';
import { normalizeGlpiVersion } from './glpi-version';
import type { KeyState, Offer, SubscriptionInfo } from './model';
import { tierOf } from './offer-tier';
import { versionCompare } from './php-version';

export { tierOf } from './offer-tier';

export type AvailabilityKind = 'included' | 'needs-tier' | 'incompatible' | 'not-running' | 'no-key';

export interface Availability {
  kind: AvailabilityKind;
  /** The lowest tier that grants the plugin (see `tierOf`), whatever the kind. */
  tier: Offer | null;
  /** The version GLPI would install: the highest kept one. */
  latest: PluginVersion | null;
  text: string;
}

export interface AvailabilityContext {
  keyState: KeyState;
  subscription: SubscriptionInfo | null;
  /** `/offers`, lowest tier first. */
  offers: Offer[];
  glpiVersion: string;
  includePrereleases: boolean;
}

/**
 * GLPI 10.0.8+ reads `required_offers: []` like `null` (§4.2: `empty()`), so neither is a
 * requirement.
 */
export function isGated(plugin: Pick<CatalogPlugin, 'requiredOffers'>): boolean {
  return plugin.requiredOffers !== null && plugin.requiredOffers.length > 0;
}

/**
 * The versions GLPI would offer: stable ones (or all, with prereleases on, §5.3) that suit the GLPI
 * version, ascending by PHP `version_compare` (§5.4).
 */
export function keptVersions(
  plugin: Pick<CatalogPlugin, 'versions'>,
  glpiVersion: string,
  includePrereleases: boolean,
): PluginVersion[] {
  return plugin.versions
    .filter((v) => (includePrereleases || v.stability === 'stable') && fitsAny(v.compatibility, glpiVersion))
    .sort((a, b) => versionCompare(a.num, b.num));
}

/** The highest kept version, or null when none is kept. */
export function latestVersion(
  plugin: Pick<CatalogPlugin, 'versions'>,
  glpiVersion: string,
  includePrereleases: boolean,
): PluginVersion | null {
  let best: PluginVersion | null = null;
  for (const v of plugin.versions) {
    if (!includePrereleases && v.stability !== 'stable') continue;
    if (!fitsAny(v.compatibility, glpiVersion)) continue;
    // `>= 0`: like the last element after GLPI's ascending sort, the later of two equal versions.
    if (best === null || versionCompare(v.num, best.num) >= 0) best = v;
  }
  return best;
}

/**
 * Why the plugin can or cannot be installed with this registration, and what GLPI would install.
 *
 * - `no-key`: no registration GLPI Network accepted. A `terminated` key is a valid key (its
 *   subscription ended), and an `unreachable` key counts with the subscription of its last answer:
 *   both go on to the subscription check, so the admin reads the real reason.
 * - `not-running`: no subscription, or it is not running (§4.2 step 2 needs `is_running`).
 * - `incompatible`: no version kept for this GLPI version (§5.3) — the text says when only
 *   prereleases would suit.
 * - `included`: free plugin, or the subscription's offer is listed in `requiredOffers` (§4.2).
 * - `needs-tier`: otherwise, naming the lowest tier that grants it.
 */
export function availability(
  plugin: Pick<CatalogPlugin, 'versions' | 'requiredOffers'>,
  ctx: AvailabilityContext,
): Availability {
  const tier = tierOf(plugin, ctx.offers);
  const latest = latestVersion(plugin, ctx.glpiVersion, ctx.includePrereleases);
  const keyAccepted =
    ctx.keyState === 'valid' ||
    ctx.keyState === 'terminated' ||
    (ctx.keyState === 'unreachable' && ctx.subscription !== null);
  if (!keyAccepted) return { kind: 'no-key', tier, latest, text: 'No valid registration key' };
  const sub = ctx.subscription;
  if (sub === null || !sub.running || ctx.keyState === 'terminated')
    return { kind: 'not-running', tier, latest, text: 'Your subscription is not running' };
  if (latest === null) {
    const glpi = normalizeGlpiVersion(ctx.glpiVersion);
    const onlyPrereleases = !ctx.includePrereleases && latestVersion(plugin, ctx.glpiVersion, true) !== null;
    const text = onlyPrereleases
      ? `Only pre-releases for GLPI ${glpi} (pre-releases are hidden)`
      : `Not available for GLPI ${glpi}`;
    return { kind: 'incompatible', tier, latest, text };
  }
  if (!isGated(plugin) || plugin.requiredOffers?.includes(sub.offer))
    return { kind: 'included', tier, latest, text: 'Included in your subscription' };
  return { kind: 'needs-tier', tier, latest, text: `Needs ${tier?.title ?? 'a higher offer'}` };
}

// ---------------------------------------------------------------------------------------------
// Entitlement map

export interface TierEntitlement {
  offer: Offer;
  /** Keys of the plugins this tier unlocks, in catalogue order. */
  plugins: string[];
  count: number;
  /** The subscription's own tier. */
  current: boolean;
}

export interface EntitlementMap {
  tiers: TierEntitlement[];
  /** The offer after the current one in `/offers` order (the first one without a subscription). */
  nextTier: Offer | null;
  /** Keys the next tier unlocks that the current one does not. */
  nextTierAdds: string[];
}

/** Does a subscription to `reference` unlock the plugin (given a running subscription)? */
export function unlockedBy(plugin: Pick<CatalogPlugin, 'requiredOffers'>, reference: string): boolean {
  return !isGated(plugin) || (plugin.requiredOffers?.includes(reference) ?? false);
}

/**
 * Plugins × tiers. A tier unlocks a plugin that is free (any valid registration) or lists the tier
 * in `requiredOffers`. With `currentOffer` null (no subscription), the next tier is the lowest one
 * and it "adds" everything it unlocks; with an offer `/offers` does not list, there is no next tier.
 */
export function entitlementMap(
  plugins: readonly Pick<CatalogPlugin, 'key' | 'requiredOffers'>[],
  offers: readonly Offer[],
  currentOffer: string | null,
): EntitlementMap {
  const tiers = offers.map((offer) => {
    const keys = plugins.filter((p) => unlockedBy(p, offer.reference)).map((p) => p.key);
    return { offer, plugins: keys, count: keys.length, current: offer.reference === currentOffer };
  });
  const currentIndex = currentOffer === null ? -1 : offers.findIndex((o) => o.reference === currentOffer);
  if (currentOffer !== null && currentIndex === -1) return { tiers, nextTier: null, nextTierAdds: [] };
  const next = tiers[currentIndex + 1];
  if (!next) return { tiers, nextTier: null, nextTierAdds: [] };
  const have = new Set(tiers[currentIndex]?.plugins ?? []);
  return { tiers, nextTier: next.offer, nextTierAdds: next.plugins.filter((k) => !have.has(k)) };
}

/**
 * The map as RFC 4180 CSV (CRLF line ends): `key,name,<one column per offer title>,required_offers`
 * with `yes`/`no` cells and the raw references separated by spaces. Cells that a spreadsheet would
 * run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) get a leading `'`: names and offer
 * titles come from GLPI Network and plugin authors.
 */
export function entitlementCsv(
  plugins: readonly Pick<CatalogPlugin, 'key' | 'name' | 'requiredOffers'>[],
  offers: readonly Offer[],
): string {
  const rows: string[][] = [['key', 'name', ...offers.map((o) => o.title), 'required_offers']];
  for (const p of plugins) {
    rows.push([
      p.key,
      p.name,
      ...offers.map((o) => (unlockedBy(p, o.reference) ? 'yes' : 'no')),
      (p.requiredOffers ?? []).join(' '),
    ]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
