import { describe, expect, it } from 'vitest';
import type { CatalogPlugin, CatalogView, PluginDescription } from './catalog';
import { catalogPlugin, makeSyntheticPlugins } from './catalog-fixtures.testkit';
import { describePlugin } from './catalog-list';
import { createCatalogIndex, foldText, naturalCompare, queryCatalog, type QueryContext } from './catalog-query';
import { availability, type Availability, type AvailabilityKind } from './entitlements';

const plugin = catalogPlugin;

function desc(lang: string, short: string, long = ''): PluginDescription {
  return { lang, short, long };
}

const NONE: QueryContext = {
  availability: () => ({ kind: 'included', tier: null, latest: null, text: '' }),
  installed: new Set(),
  updates: new Set(),
};

function view(over: Partial<CatalogView> = {}): CatalogView {
  return { text: '', tags: [], filters: [], sort: 'relevance', ...over };
}

function keys(plugins: CatalogPlugin[], lang: string, v: Partial<CatalogView>, ctx: QueryContext = NONE) {
  return queryCatalog(createCatalogIndex(plugins, lang), view(v), ctx).map((p) => p.key);
}

describe('text search', () => {
  const network = plugin('netinv', {
    name: 'Network Inventory',
    descriptions: [
      desc('en', 'Track switches and routers'),
      desc('fr', 'Gestion des équipements réseau', 'Inventaire des **baies**'),
    ],
  });
  const frOnly = plugin('frenchonly', { name: 'Parc', descriptions: [desc('fr_FR', 'Gestion des équipements')] });
  const other = plugin('other', { name: 'Other', descriptions: [desc('en', 'Something else')] });
  const all = [network, frOnly, other];

  it('finds a word of the French description, without its accents, in French', () => {
    expect(keys(all, 'fr_FR', { text: 'equipements' })).toEqual(['netinv', 'frenchonly']); // same rank: by name
    expect(keys(all, 'fr_FR', { text: 'ÉQUIPEMENTS réseau' })).toEqual(['netinv']);
    expect(keys(all, 'fr_FR', { text: 'baies' })).toEqual(['netinv']);
  });

  it('searches English and the UI language only, plus the fallback of plugins that have neither', () => {
    // netinv has English: its French text is not shown in German, so not searched either.
    expect(keys(all, 'de_DE', { text: 'equipements' })).toEqual(['frenchonly']);
    expect(keys(all, 'de_DE', { text: 'routers' })).toEqual(['netinv']);
  });

  it('requires every word (AND), in any field', () => {
    expect(keys(all, 'en_GB', { text: 'network routers' })).toEqual(['netinv']);
    expect(keys(all, 'en_GB', { text: 'network else' })).toEqual([]);
    expect(keys(all, 'en_GB', { text: '  other\t ELSE ' })).toEqual(['other']);
  });

  it('matches authors and tags, accent-insensitively', () => {
    const p = [
      plugin('a', { authors: ['Frédéric Mohier'] }),
      plugin('b', { tags: ['asset-management'] }),
      plugin('c', { name: 'Œuvre' }),
    ];
    expect(keys(p, 'en', { text: 'frederic' })).toEqual(['a']);
    expect(keys(p, 'en', { text: 'asset' })).toEqual(['b']);
    expect(keys(p, 'en', { text: 'oeuvre' })).toEqual(['c']);
  });

  it('folds case and accents', () => {
    expect(foldText('Équipements RÉSEAU Straße')).toBe('equipements reseau strasse');
  });
});

describe('describe', () => {
  const p = plugin('p', {
    descriptions: [desc('es', 'Hola'), desc('en', 'Hello'), desc('fr', 'Bonjour')],
  });

  it('prefers the UI language, then English, then the first', () => {
    expect(describePlugin(p, 'fr_FR')).toBe('Bonjour');
    expect(describePlugin(p, 'de_DE')).toBe('Hello');
    const esOnly = plugin('e', { descriptions: [desc('es', ''), desc('it', 'Ciao')] });
    expect(describePlugin(esOnly, 'de_DE')).toBe('Ciao');
    expect(describePlugin(plugin('x'), 'en')).toBe('');
  });
});

describe('relevance', () => {
  // Popularity is the reverse of relevance, so only the ranking can explain the order.
  const ranked = [
    plugin('fields', { name: 'Additional data', downloads: 1 }),
    plugin('fieldsextra', { name: 'Extra', downloads: 2 }),
    plugin('cfx', { name: 'Fields manager', downloads: 3 }),
    plugin('dfx', { name: 'Custom fields', downloads: 4 }),
    plugin('efx', { name: 'Oilfields', downloads: 5 }),
    plugin('ffx', { name: 'Tagger', tags: ['fields'], downloads: 6 }),
    plugin('gfx', { name: 'Writer', authors: ['Fields Inc'], downloads: 7 }),
    plugin('hfx', { name: 'Describer', descriptions: [desc('en', 'Adds fields')], downloads: 8 }),
  ];

  it('ranks exact key > key prefix > name prefix > name word > name substring > tags/authors > descriptions', () => {
    expect(keys(ranked, 'en', { text: 'fields' })).toEqual([
      'fields',
      'fieldsextra',
      'cfx',
      'dfx',
      'efx',
      'gfx', // tag/author tie: more downloads first
      'ffx',
      'hfx',
    ]);
  });

  it('prefers a name word to a key substring', () => {
    const p = [
      plugin('myobject', { name: 'Thing', downloads: 10 }),
      plugin('genericobject', { name: 'Generic object', downloads: 1 }),
    ];
    expect(keys(p, 'en', { text: 'object' })).toEqual(['genericobject', 'myobject']);
  });

  it('adds up the words', () => {
    const p = [
      plugin('one', { name: 'Ticket tools', downloads: 100 }),
      plugin('two', { name: 'Ticket escalation', descriptions: [desc('en', 'tools')], downloads: 1 }),
    ];
    expect(keys(p, 'en', { text: 'ticket tools' })).toEqual(['one', 'two']);
  });

  it('breaks ties by downloads, then natural name, then catalogue order', () => {
    const p = [
      plugin('z1', { name: 'Report 10', downloads: 5 }),
      plugin('z2', { name: 'Report 2', downloads: 5 }),
      plugin('z3', { name: 'Report 3', downloads: 9 }),
      plugin('z4', { name: 'report 2', downloads: 5 }),
    ];
    expect(keys(p, 'en', { text: 'report' })).toEqual(['z3', 'z2', 'z4', 'z1']);
  });
});

describe('tags and filters', () => {
  const p = [
    plugin('a', { tags: ['inventory', 'reports'], downloads: 4 }),
    plugin('b', { tags: ['inventory'], requiredOffers: ['standard'], downloads: 3 }),
    plugin('c', { tags: ['reports'], requiredOffers: [], downloads: 2 }),
    plugin('d', { tags: [], downloads: 1 }),
  ];
  const kinds: Record<string, AvailabilityKind> = { a: 'included', b: 'needs-tier', c: 'incompatible', d: 'included' };
  const ctx: QueryContext = {
    availability: (x) => ({ kind: kinds[x.key] ?? 'no-key', tier: null, latest: null, text: '' }),
    installed: new Set(['a', 'c']),
    updates: new Set(['c']),
  };

  it('keeps plugins that have every selected tag', () => {
    expect(keys(p, 'en', { tags: ['inventory'] })).toEqual(['a', 'b']);
    expect(keys(p, 'en', { tags: ['inventory', 'reports'] })).toEqual(['a']);
    expect(keys(p, 'en', { tags: ['nope'] })).toEqual([]);
  });

  it.each([
    ['installed', ['a', 'c']],
    ['updates', ['c']],
    ['available', ['a', 'd']],
    ['premium', ['b']],
    ['incompatible', ['c']],
  ] as const)('filter %s', (filter, expected) => {
    expect(keys(p, 'en', { filters: [filter] }, ctx)).toEqual(expected);
  });

  it('combines filters, tags and text (AND)', () => {
    expect(keys(p, 'en', { filters: ['installed', 'available'] }, ctx)).toEqual(['a']);
    expect(keys(p, 'en', { filters: ['installed'], tags: ['reports'], text: 'c' }, ctx)).toEqual(['c']);
    expect(keys(p, 'en', { filters: ['available', 'incompatible'] }, ctx)).toEqual([]);
  });

  it('asks again when given a new availability function', () => {
    const index = createCatalogIndex(p, 'en');
    const v = view({ filters: ['available'] });
    expect(queryCatalog(index, v, ctx).map((x) => x.key)).toEqual(['a', 'd']);
    const none: QueryContext = { ...ctx, availability: () => ({ kind: 'no-key', tier: null, latest: null, text: '' }) };
    expect(queryCatalog(index, v, none)).toEqual([]);
  });

  it('works with the real availability', () => {
    const real: QueryContext = {
      ...ctx,
      availability: (x): Availability =>
        availability(x, {
          keyState: 'valid',
          subscription: { title: 'Basic', offer: 'basic', running: true, begins: null, ends: null },
          offers: [],
          glpiVersion: '10.0.18',
          includePrereleases: false,
        }),
    };
    expect(keys(p, 'en', { filters: ['available'] }, real)).toEqual(['a', 'c', 'd']);
  });
});

describe('sorts', () => {
  const p = [
    plugin('p10', { name: 'Plugin 10', downloads: 50, dateUpdated: '2024-03-01', dateAdded: '2019-01-01', note: 3 }),
    plugin('p2', { name: 'Plugin 2', downloads: 10, dateUpdated: '2025-01-01', dateAdded: '2018-01-01', note: 4.5 }),
    plugin('alpha', { name: 'alpha', downloads: 30, dateUpdated: '2023-01-01', dateAdded: '2024-06-01', note: 0 }),
    plugin('beta', { name: 'Beta', downloads: 40, dateUpdated: '2022-01-01', dateAdded: '2021-01-01', note: 4.5 }),
    plugin('elan', { name: 'Élan', downloads: 20, dateUpdated: '2021-01-01', dateAdded: '2020-01-01', note: 1 }),
  ];

  it.each([
    ['name-asc', ['alpha', 'beta', 'elan', 'p2', 'p10']],
    ['name-desc', ['p10', 'p2', 'elan', 'beta', 'alpha']],
    ['popular', ['p10', 'beta', 'alpha', 'elan', 'p2']],
    ['updated', ['p2', 'p10', 'alpha', 'beta', 'elan']],
    ['recent', ['alpha', 'beta', 'elan', 'p10', 'p2']],
    ['rating', ['beta', 'p2', 'p10', 'elan', 'alpha']], // 4.5 tie: more downloads first
    ['relevance', ['p10', 'beta', 'alpha', 'elan', 'p2']], // no text: most popular
  ] as const)('%s', (sort, expected) => {
    expect(keys(p, 'en', { sort })).toEqual(expected);
  });

  it('sorts the matches of a text query too', () => {
    expect(keys(p, 'en', { sort: 'name-asc', text: 'plugin' })).toEqual(['p2', 'p10']);
    expect(keys(p, 'en', { sort: 'rating', text: 'a' })).toEqual(['beta', 'elan', 'alpha']);
  });

  it('returns everything by popularity for an empty query', () => {
    const many = makeSyntheticPlugins(300, 7);
    const result = queryCatalog(createCatalogIndex(many, 'en'), view(), NONE);
    expect(result).toHaveLength(300);
    for (let i = 1; i < result.length; i++)
      expect((result[i - 1] as CatalogPlugin).downloads).toBeGreaterThanOrEqual((result[i] as CatalogPlugin).downloads);
  });

  it('keeps catalogue order between equals', () => {
    const same = ['c', 'a', 'b'].map((k) => plugin(k, { name: 'Same', dateUpdated: '2020-01-01' }));
    expect(keys(same, 'en', { sort: 'name-asc' })).toEqual(['a', 'b', 'c']); // the key breaks name ties…
    expect(keys(same, 'en', { sort: 'updated' })).toEqual(['c', 'a', 'b']); // …elsewhere, input order
    expect(keys(same, 'en', { sort: 'popular' })).toEqual(['c', 'a', 'b']);
    expect(keys(same, 'en', { sort: 'recent' })).toEqual(['c', 'a', 'b']);
  });
});

describe('naturalCompare', () => {
  it.each([
    ['Plugin 2', 'Plugin 10', -1],
    ['plugin 10', 'Plugin 2', 1],
    ['abc', 'ABD', -1],
    ['Élan', 'elan', 0],
    ['x01', 'x1', 0],
    ['v1.10', 'v1.9', 1],
    ['a', 'a1', -1],
  ] as const)('%j vs %j', (a, b, expected) => {
    expect(Math.sign(naturalCompare(a, b))).toBe(expected);
  });
});

describe('typing, keystroke by keystroke', () => {
  it('gives the same results as a fresh index at every step, narrowing and widening', () => {
    const plugins = makeSyntheticPlugins(2000, 42);
    const live = createCatalogIndex(plugins, 'fr_FR');
    const steps = ['g', 'ge', 'ges', 'gest', 'gestion', 'gestion e', 'gestion eq', 'gestion', 'ges', 'inv', 'inv sync'];
    for (const text of steps) {
      for (const sort of ['relevance', 'name-asc'] as const) {
        const got = queryCatalog(live, view({ text, sort }), NONE).map((p) => p.key);
        const fresh = queryCatalog(createCatalogIndex(plugins, 'fr_FR'), view({ text, sort }), NONE).map((p) => p.key);
        expect(got).toEqual(fresh);
      }
    }
    expect(queryCatalog(live, view({ text: 'gestion equipements' }), NONE).length).toBeGreaterThan(0);
  });
});

describe('completeness', () => {
  it('finds exactly what a plain substring scan of the searched fields finds', () => {
    const plugins = makeSyntheticPlugins(1500, 9);
    const index = createCatalogIndex(plugins, 'fr_FR');
    const haystacks = plugins.map((p) =>
      foldText(
        [
          p.key,
          p.name,
          ...p.tags,
          ...p.authors,
          ...p.descriptions.filter((d) => d.lang === 'fr' || d.lang === 'en').flatMap((d) => [d.short, d.long]),
        ].join('\n'),
      ),
    );
    // Pieces of real texts (inside words, across punctuation), common letters, and misses.
    const words = haystacks.slice(0, 60).flatMap((h) => h.split(/\s+/).filter((w) => w.length > 2));
    const queries = ['e', 'a b', "l'inv", 'csv', '(cron)', 'xyz', 'ent e', "teclib'", 'équi réseaux'];
    for (let k = 0; k < 120; k++) {
      const w = words[(k * 7919) % words.length] as string;
      const cut = w.slice(k % 3, Math.max((k % 3) + 2, w.length - (k % 2)));
      const other = words[(k * 104729) % words.length] as string;
      queries.push(k % 4 === 0 ? `${cut} ${other.slice(1)}` : cut);
    }
    for (const text of queries) {
      const terms = foldText(text).split(/\s+/).filter(Boolean);
      const expected = plugins
        .filter((_, i) => terms.every((t) => (haystacks[i] as string).includes(t)))
        .map((p) => p.key);
      const got = queryCatalog(index, view({ text, sort: 'name-asc' }), NONE).map((p) => p.key);
      expect(new Set(got), text).toEqual(new Set(expected));
      expect(got).toHaveLength(expected.length);
    }
  });

  it('stays correct after an availability function throws', () => {
    const p = [plugin('xa', { downloads: 2 }), plugin('xb', { downloads: 1 })];
    const index = createCatalogIndex(p, 'en');
    const boom: QueryContext = {
      ...NONE,
      availability: (x) => {
        if (x.key === 'xb') throw new Error('boom');
        return { kind: 'included', tier: null, latest: null, text: '' };
      },
    };
    expect(() => queryCatalog(index, view({ text: 'x', filters: ['available'] }), boom)).toThrow('boom');
    expect(queryCatalog(index, view({ text: 'xb' }), NONE).map((x) => x.key)).toEqual(['xb']);
    expect(queryCatalog(index, view({ text: 'x', sort: 'name-desc' }), NONE).map((x) => x.key)).toEqual(['xb', 'xa']);
  });
});

describe('makeSyntheticPlugins', () => {
  it('is deterministic per seed, with unique plain keys', () => {
    const a = makeSyntheticPlugins(500, 3);
    expect(makeSyntheticPlugins(500, 3)).toEqual(a);
    expect(makeSyntheticPlugins(500, 4)).not.toEqual(a);
    expect(new Set(a.map((p) => p.key)).size).toBe(500);
    for (const p of a) expect(p.key).toMatch(/^[a-z0-9]+$/);
  });

  it('covers the kinds of plugins the app must handle', () => {
    const a = makeSyntheticPlugins(1000, 1);
    expect(a.some((p) => p.requiredOffers === null)).toBe(true);
    expect(a.some((p) => p.requiredOffers?.length === 0)).toBe(true);
    expect(a.some((p) => p.requiredOffers?.includes('enterprise'))).toBe(true);
    expect(a.some((p) => p.versions.some((v) => v.stability !== 'stable'))).toBe(true);
    expect(a.some((p) => p.descriptions.some((d) => d.lang === 'fr' && /é/.test(d.short)))).toBe(true);
    expect(a.some((p) => p.tags.length > 0)).toBe(true);
  });
});
