/**
 * Demo accounts and the offer catalogue of the GLPI Network stand-in.
 *
 * The demo keys are deterministic so that docs, screenshots and e2e specs can quote them; the
 * subscription periods are not (they are computed from the server's clock at answer time) so that
 * a valid demo key stays valid and "ends in 165 days" whatever day the demo runs.
 */
import { createHash } from 'node:crypto';

/** What the stand-in knows about one registration key. */
export interface Account {
  owner: string;
  /** `offer_reference` of the subscription (one of OFFERS). */
  offer: string;
  /** `subscription.title`, e.g. "GLPI Network Standard". */
  title: string;
  /** `subscription.is_running`: false for a terminated subscription. */
  running: boolean;
  /** YYYY-MM-DD. */
  begins: string;
  ends: string;
}

export type DemoTier = 'free' | 'basic' | 'standard' | 'advanced' | 'terminated' | 'invalid';
export const DEMO_TIERS: readonly DemoTier[] = ['free', 'basic', 'standard', 'advanced', 'terminated', 'invalid'];

export type Lang = 'en' | 'fr';

/** GLPI only sends the language code ("fr", not "fr_FR"); a browser-style "fr-FR,fr;q=0.9" is French too. */
export function langOf(acceptLanguage: string | undefined): Lang {
  return acceptLanguage?.trim().toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

interface OfferDefinition {
  reference: string;
  titles: Record<Lang, string>;
}

/**
 * Lowest tier first: GLPI shows the first offer of this list found in a plugin's `required_offers`
 * as "You need at least the %s subscription level" (docs/glpi-network-api.md §2.2, §4.3).
 */
export const OFFERS: readonly OfferDefinition[] = [
  { reference: 'registered', titles: { en: 'Registered', fr: 'Enregistré' } },
  { reference: 'basic', titles: { en: 'Basic', fr: 'Basique' } },
  { reference: 'standard', titles: { en: 'Standard', fr: 'Standard' } },
  { reference: 'advanced', titles: { en: 'Advanced', fr: 'Avancé' } },
];

/** The body of `GET /api/registration/offers`. */
export function offersFor(lang: Lang): { offer_reference: string; title: string }[] {
  return OFFERS.map((offer) => ({ offer_reference: offer.reference, title: offer.titles[lang] }));
}

interface DemoProfile {
  customerReference: string;
  owner: string;
  offer: string;
  title: string;
  /** Days from today; negative is in the past. */
  beginsIn: number;
  endsIn: number;
  running: boolean;
}

const PROFILES: Record<DemoTier, DemoProfile> = {
  free: profile('GLPI-NET-DEMO-00101', 'Demo Free Org', 'registered', 'GLPI Network Registered'),
  basic: profile('GLPI-NET-DEMO-00202', 'ACME Basic Corp', 'basic', 'GLPI Network Basic'),
  standard: profile('GLPI-NET-DEMO-00303', 'Globex Standard', 'standard', 'GLPI Network Standard'),
  advanced: profile('GLPI-NET-DEMO-00404', 'Initech Advanced', 'advanced', 'GLPI Network Advanced'),
  // A terminated subscription is still a *valid* key (is_valid true, is_running false): GLPI shows
  // "terminated" rather than "invalid" and its API calls keep working (docs/glpi-network-api.md §3.5).
  terminated: {
    ...profile('GLPI-NET-DEMO-00505', 'Umbrella (terminated)', 'standard', 'GLPI Network Standard'),
    beginsIn: -375,
    endsIn: -10,
    running: false,
  },
  // Well-formed like the others, but never registered with the stand-in.
  invalid: profile('GLPI-NET-DEMO-00606', 'Initrode (unregistered)', 'basic', 'GLPI Network Basic'),
};

function profile(customerReference: string, owner: string, offer: string, title: string): DemoProfile {
  return { customerReference, owner, offer, title, beginsIn: -200, endsIn: 165, running: true };
}

/**
 * Builds a key shaped like the real ones (docs/glpi-network-api.md §3.2): base64 of a JSON object whose `signature`
 * is base64 too. The "signature" is a hash of the other fields: fixed for a given key, different
 * between keys.
 *
 * Its length (30, 33 or 36 bytes: base64 without padding) is chosen so that the JSON length is a
 * multiple of 3. Otherwise the key would end in the padded encoding of `"}` ("In0=") like every
 * other key, and the masked forms (first 4…last 4) the app shows could not tell the demo keys apart.
 */
function demoKey(p: DemoProfile): string {
  const fields = { customer_reference: p.customerReference, owner_name: p.owner, subscription_title: p.title };
  const digest = createHash('sha512')
    .update(`marketdesk-standin:${JSON.stringify(fields)}`)
    .digest();
  const bare = JSON.stringify({ ...fields, signature: '' }).length;
  const bytes = [30, 33, 36].find((n) => (bare + (n / 3) * 4) % 3 === 0) ?? 33;
  const signature = digest.subarray(0, bytes).toString('base64');
  return Buffer.from(JSON.stringify({ ...fields, signature }), 'utf8').toString('base64');
}

export const DEMO_KEYS: Record<DemoTier, string> = Object.fromEntries(
  DEMO_TIERS.map((tier) => [tier, demoKey(PROFILES[tier])]),
) as Record<DemoTier, string>;

/** YYYY-MM-DD of `now` shifted by `days`, in UTC so that the answer does not depend on the host's zone. */
export function isoDay(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The demo accounts as of `now` (the invalid key is deliberately absent). */
export function demoAccounts(now: Date): Map<string, Account> {
  const accounts = new Map<string, Account>();
  for (const tier of DEMO_TIERS) {
    if (tier === 'invalid') continue;
    const p = PROFILES[tier];
    accounts.set(DEMO_KEYS[tier], {
      owner: p.owner,
      offer: p.offer,
      title: p.title,
      running: p.running,
      begins: isoDay(now, p.beginsIn),
      ends: isoDay(now, p.endsIn),
    });
  }
  return accounts;
}

/**
 * The stand-in's key → account table: the demo accounts (recomputed at each lookup, see the file
 * comment) overlaid with what tests or the control API set.
 */
export class AccountBook {
  // null is an explicit "unknown key", which also hides a demo account.
  readonly #overrides = new Map<string, Account | null>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  lookup(key: string): Account | null {
    if (this.#overrides.has(key)) return this.#overrides.get(key) ?? null;
    return demoAccounts(this.now()).get(key) ?? null;
  }

  set(key: string, account: Account | null): void {
    this.#overrides.set(key, account === null ? null : { ...account });
  }
}
