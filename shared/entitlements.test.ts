import { describe, expect, it } from 'vitest';
import type { CatalogPlugin, PluginVersion } from './catalog';
import { OFFER_TIERS, catalogPlugin } from './catalog-fixtures.testkit';
import {
  availability,
  entitlementCsv,
  entitlementMap,
  keptVersions,
  latestVersion,
  tierOf,
  type AvailabilityContext,
  type AvailabilityKind,
} from './entitlements';
import type { KeyState, SubscriptionInfo } from './model';

const GLPI = '10.0.18';

function v(num: string, compatibility: string[] = ['~10.0.0'], stability = 'stable'): PluginVersion {
  return { num, compatibility, stability };
}

function plugin(key: string, requiredOffers: string[] | null, versions: PluginVersion[] = [v('1.0.0')]): CatalogPlugin {
  return catalogPlugin(key, { requiredOffers, versions, dateUpdated: '2024-01-01' });
}

const PLUGINS = {
  free: plugin('free', null),
  basicPlus: plugin('basicplus', ['basic', 'standard', 'advanced']),
  standardPlus: plugin('standardplus', ['standard', 'advanced']),
  advancedOnly: plugin('advancedonly', ['advanced']),
  unknownOffer: plugin('unknownoffer', ['enterprise']),
  emptyList: plugin('emptylist', []),
  incompatible: plugin('incompatible', null, [v('2.0.0', ['~11.0.0'])]),
  prereleaseOnly: plugin('prereleaseonly', null, [v('2.0.0-beta1', ['~10.0.0'], 'beta')]),
} satisfies Record<string, CatalogPlugin>;
type Kind = keyof typeof PLUGINS;

function sub(offer: string, running = true): SubscriptionInfo {
  return { title: offer, offer, running, begins: null, ends: null };
}

function ctx(keyState: KeyState, subscription: SubscriptionInfo | null, extra: Partial<AvailabilityContext> = {}) {
  return { keyState, subscription, offers: OFFER_TIERS, glpiVersion: GLPI, includePrereleases: false, ...extra };
}

const CONTEXTS: Record<string, AvailabilityContext> = {
  registered: ctx('valid', sub('registered')),
  basic: ctx('valid', sub('basic')),
  standard: ctx('valid', sub('standard')),
  advanced: ctx('valid', sub('advanced')),
  terminated: ctx('terminated', sub('advanced', false)),
  'no key': ctx('none', null),
};

// Rows: subscription; columns: plugin kinds in PLUGINS order. With a running subscription, the last two
// kinds are refused for this GLPI version whatever the tier.
const YES: [AvailabilityKind, string] = ['included', 'Included in your subscription'];
const needs = (tier: string): [AvailabilityKind, string] => ['needs-tier', `Needs ${tier}`];
const WRONG_GLPI: [AvailabilityKind, string][] = [
  ['incompatible', 'Not available for GLPI 10.0.18'],
  ['incompatible', 'Only pre-releases for GLPI 10.0.18 (pre-releases are hidden)'],
];
const EXPECTED: Record<string, [AvailabilityKind, string][]> = {
  registered: [YES, needs('Basic'), needs('Standard'), needs('Advanced'), needs('enterprise'), YES, ...WRONG_GLPI],
  basic: [YES, YES, needs('Standard'), needs('Advanced'), needs('enterprise'), YES, ...WRONG_GLPI],
  standard: [YES, YES, YES, needs('Advanced'), needs('enterprise'), YES, ...WRONG_GLPI],
  advanced: [YES, YES, YES, YES, needs('enterprise'), YES, ...WRONG_GLPI],
  terminated: Array.from({ length: 8 }, () => ['not-running', 'Your subscription is not running']),
  'no key': Array.from({ length: 8 }, () => ['no-key', 'No valid registration key']),
};

const kinds = Object.keys(PLUGINS) as Kind[];
const matrix = Object.entries(EXPECTED).flatMap(([context, row]) =>
  kinds.map((kind, i) => [context, kind, ...(row[i] ?? ['?', '?'])] as const),
);

describe('availability', () => {
  it.each(matrix)('%s subscription, %s plugin → %s "%s"', (context, kind, expectedKind, text) => {
    const a = availability(PLUGINS[kind], CONTEXTS[context] as AvailabilityContext);
    expect(a.kind).toBe(expectedKind);
    expect(a.text).toBe(text);
  });

  it('shows prerelease-only plugins when prereleases are on', () => {
    const a = availability(PLUGINS.prereleaseOnly, ctx('valid', sub('basic'), { includePrereleases: true }));
    expect(a).toMatchObject({ kind: 'included', latest: { num: '2.0.0-beta1' } });
  });

  it('names the lowest granting tier and the version GLPI would install', () => {
    const a = availability(PLUGINS.standardPlus, CONTEXTS.basic as AvailabilityContext);
    expect(a.tier).toEqual({ reference: 'standard', title: 'Standard' });
    expect(a.latest).toEqual(v('1.0.0'));
  });

  it('counts an unreachable key with the subscription of its last answer', () => {
    expect(availability(PLUGINS.free, ctx('unreachable', sub('basic'))).kind).toBe('included');
    expect(availability(PLUGINS.advancedOnly, ctx('unreachable', sub('basic'))).kind).toBe('needs-tier');
    expect(availability(PLUGINS.free, ctx('unreachable', sub('basic', false))).kind).toBe('not-running');
    expect(availability(PLUGINS.free, ctx('unreachable', null)).kind).toBe('no-key');
  });

  it('refuses invalid keys and valid keys without a subscription', () => {
    expect(availability(PLUGINS.free, ctx('invalid', null)).kind).toBe('no-key');
    expect(availability(PLUGINS.free, ctx('invalid', sub('advanced'))).kind).toBe('no-key');
    expect(availability(PLUGINS.free, ctx('valid', null)).kind).toBe('not-running');
    expect(availability(PLUGINS.free, ctx('valid', sub('advanced', false))).kind).toBe('not-running');
  });

  it('checks the subscription before the GLPI version', () => {
    expect(availability(PLUGINS.incompatible, CONTEXTS.terminated as AvailabilityContext).kind).toBe('not-running');
  });

  it('says which GLPI version in its normalised form', () => {
    const a = availability(PLUGINS.incompatible, ctx('valid', sub('basic'), { glpiVersion: '10.0.18-rc1' }));
    expect(a.text).toBe('Not available for GLPI 10.0.18');
  });
});

describe('tierOf', () => {
  it.each([
    [null, null],
    [[], null],
    [['basic', 'standard', 'advanced'], 'basic'],
    [['advanced', 'standard'], 'standard'],
    [['advanced'], 'advanced'],
  ])('requiredOffers %j → %s', (required, expected) => {
    expect(tierOf({ requiredOffers: required }, OFFER_TIERS)?.reference ?? null).toBe(expected);
  });

  it('falls back to the first unknown reference so the UI can still name it', () => {
    expect(tierOf({ requiredOffers: ['enterprise', 'gold'] }, OFFER_TIERS)).toEqual({
      reference: 'enterprise',
      title: 'enterprise',
    });
    expect(tierOf({ requiredOffers: ['standard'] }, [])).toEqual({ reference: 'standard', title: 'standard' });
  });

  it('uses the /offers order, not the requiredOffers order', () => {
    expect(tierOf({ requiredOffers: ['enterprise', 'advanced'] }, OFFER_TIERS)?.title).toBe('Advanced');
  });
});

describe('keptVersions and latestVersion', () => {
  const p = plugin('multi', null, [
    v('1.10.0'),
    v('1.2.0'),
    v('1.9.0', ['9.5']),
    v('2.0.0-beta', ['~10.0.0'], 'beta'),
    v('1.0.0', []),
    v('3.0.0', ['~11.0.0']),
    v('1.10.0-pl1', ['garbage', '10.0']),
  ]);

  it('keeps stable, compatible versions in PHP order', () => {
    expect(keptVersions(p, GLPI, false).map((x) => x.num)).toEqual(['1.0.0', '1.2.0', '1.10.0', '1.10.0-pl1']);
    expect(latestVersion(p, GLPI, false)?.num).toBe('1.10.0-pl1');
  });

  it('keeps prereleases when asked', () => {
    expect(keptVersions(p, GLPI, true).map((x) => x.num)).toContain('2.0.0-beta');
    expect(latestVersion(p, GLPI, true)?.num).toBe('2.0.0-beta');
  });

  it('follows the GLPI version', () => {
    expect(latestVersion(p, '9.5.13', false)?.num).toBe('1.9.0');
    expect(latestVersion(p, '11.0.1', false)?.num).toBe('3.0.0');
    expect(latestVersion(plugin('none', null, []), GLPI, true)).toBeNull();
  });
});

describe('entitlementMap', () => {
  const all = Object.values(PLUGINS);
  const free = ['free', 'emptylist', 'incompatible', 'prereleaseonly'];

  it('lists what each tier unlocks', () => {
    const map = entitlementMap(all, OFFER_TIERS, 'basic');
    expect(map.tiers.map((t) => [t.offer.reference, t.count, t.current])).toEqual([
      ['registered', 4, false],
      ['basic', 5, true],
      ['standard', 6, false],
      ['advanced', 7, false],
    ]);
    expect(map.tiers[0]?.plugins).toEqual(free);
    expect(map.tiers[3]?.plugins).not.toContain('unknownoffer');
  });

  it('says what the next tier adds', () => {
    expect(entitlementMap(all, OFFER_TIERS, 'basic')).toMatchObject({
      nextTier: { reference: 'standard' },
      nextTierAdds: ['standardplus'],
    });
    expect(entitlementMap(all, OFFER_TIERS, 'standard')).toMatchObject({
      nextTier: { reference: 'advanced' },
      nextTierAdds: ['advancedonly'],
    });
    expect(entitlementMap(all, OFFER_TIERS, 'registered').nextTierAdds).toEqual(['basicplus']);
  });

  it('has no next tier at the top or for an unknown offer', () => {
    expect(entitlementMap(all, OFFER_TIERS, 'advanced')).toMatchObject({ nextTier: null, nextTierAdds: [] });
    const unknown = entitlementMap(all, OFFER_TIERS, 'enterprise');
    expect(unknown).toMatchObject({ nextTier: null, nextTierAdds: [] });
    expect(unknown.tiers.some((t) => t.current)).toBe(false);
  });

  it('offers the lowest tier to someone without a subscription', () => {
    expect(entitlementMap(all, OFFER_TIERS, null)).toMatchObject({
      nextTier: { reference: 'registered' },
      nextTierAdds: free,
    });
  });
});

describe('entitlementCsv', () => {
  it('writes a header, one column per offer and yes/no cells', () => {
    const csv = entitlementCsv([PLUGINS.free, PLUGINS.standardPlus, PLUGINS.unknownOffer], OFFER_TIERS);
    expect(csv.split('\r\n')).toEqual([
      'key,name,Registered,Basic,Standard,Advanced,required_offers',
      'free,free,yes,yes,yes,yes,',
      'standardplus,standardplus,no,no,yes,yes,standard advanced',
      'unknownoffer,unknownoffer,no,no,no,no,enterprise',
      '',
    ]);
  });

  it('quotes commas, quotes and line breaks', () => {
    const p = { ...PLUGINS.free, name: 'Forms, "new" edition\nline 2' };
    const csv = entitlementCsv([p], [{ reference: 'basic', title: 'Basic, yearly' }]);
    expect(csv).toBe('key,name,"Basic, yearly",required_offers\r\nfree,"Forms, ""new"" edition\nline 2",yes,\r\n');
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+1', "'+1+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['safe = name', 'safe = name'],
  ])('neutralises formula injection in %j', (name, cell) => {
    const csv = entitlementCsv([{ ...PLUGINS.free, name }], []);
    expect(csv).toBe(`key,name,required_offers\r\nfree,${cell},\r\n`);
  });

  it('neutralises offer titles too', () => {
    expect(entitlementCsv([], [{ reference: 'x', title: '=1+2' }])).toBe("key,name,'=1+2,required_offers\r\n");
  });
});
