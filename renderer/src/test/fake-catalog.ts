import type { CatalogList, CatalogPlugin, CatalogSnapshot, CatalogStatus, CatalogTag } from '../../../shared/catalog';
import { OFFER_TIERS, catalogPlugin, makeSyntheticPlugins } from '../../../shared/catalog-fixtures.testkit';
import { listItem, searchText } from '../../../shared/catalog-list';
import { countTags, firstByPopularity } from '../../../shared/catalog-query';
import { acceptLanguage } from '../../../shared/glpi-version';
import type { Offer } from '../../../shared/model';
import type { CoreHarness } from './core-harness';

/**
 * Stand-in for the core's catalogue service (catalog.list, with `refresh` too; catalog.searchText;
 * catalog.details; catalog.changed), built from full records like the core's,
 * installed into the real core's handler map, so requests still go through the real dispatch
 * (validation, envelopes) and events through the real EventHub. The real CatalogService would ask
 * GLPI Network's marketplace endpoints, which the renderer harness does not fake yet: its
 * `catalog.changed` events are silenced so only this stand-in speaks.
 */

export const TAGS: CatalogTag[] = [
  { key: 'forms', tag: 'Forms', count: 2 },
  { key: 'inventory', tag: 'Inventory', count: 2 },
  { key: 'helpdesk', tag: 'Helpdesk', count: 2 },
  { key: 'reports', tag: 'Reports', count: 1 },
];

export function makePlugin(key: string, overrides: Partial<CatalogPlugin> = {}): CatalogPlugin {
  return catalogPlugin(key, {
    descriptions: [{ lang: 'en', short: `The ${key} plugin`, long: `About **${key}**.` }],
    authors: ["Teclib'"],
    license: 'GPL-3.0-or-later',
    dateUpdated: '2024-01-01',
    ...overrides,
  });
}

export const HOSTILE_MARKDOWN = [
  'Hello <img src=x onerror=alert(1)> there.',
  '',
  '<script>alert(1)</script>',
  '',
  '[click me](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '',
  '![pixel](javascript:alert(1)) ![insecure](http://example.com/a.png) ![ok](https://example.com/b.png)',
  '',
  '<a href="javascript:alert(1)">html link</a> <iframe src="https://evil.test"></iframe>',
  '',
  '[safe](https://example.com/docs) and [mail](mailto:dev@example.com)',
].join('\n');

/**
 * Eight plugins covering every availability for a running Standard subscription on GLPI 10.0.18,
 * a French-only word ("imprimantes"), pre-releases, hostile Markdown and hostile links.
 */
export const PLUGINS: CatalogPlugin[] = [
  makePlugin('formcreator', {
    name: 'Form Creator',
    descriptions: [
      { lang: 'en', short: 'Build forms for requesters', long: '# Form Creator\n\nBuild **forms**.' },
      { lang: 'fr', short: 'Créez des formulaires pour les demandeurs', long: 'Créez des **formulaires**.' },
    ],
    authors: ["Teclib'", 'Infotel'],
    note: 4.5,
    downloads: 50_000,
    dateAdded: '2015-03-01',
    dateUpdated: '2025-05-01',
    tags: ['forms', 'helpdesk'],
    homepageUrl: 'https://github.com/pluginsGLPI/formcreator',
    issuesUrl: 'https://github.com/pluginsGLPI/formcreator/issues',
    readmeUrl: 'https://github.com/pluginsGLPI/formcreator#readme',
    changelogUrl: 'https://github.com/pluginsGLPI/formcreator/blob/main/CHANGELOG.md',
    logoUrl: 'https://raw.githubusercontent.com/pluginsGLPI/formcreator/logo.png',
    screenshots: ['https://example.com/shot1.png', 'http://example.com/insecure.png'],
    versions: [
      { num: '2.12.0', compatibility: ['~9.5.0'], stability: 'stable' },
      { num: '2.13.0', compatibility: ['~10.0.0'], stability: 'stable' },
      { num: '2.14.0-beta1', compatibility: ['~10.0.0'], stability: 'beta' },
      { num: '2.14.0-rc1', compatibility: ['~10.0.0'], stability: 'rc' },
    ],
  }),
  makePlugin('fields', {
    name: 'Additional Fields',
    descriptions: [{ lang: 'en', short: 'Add fields to any object', long: 'Add **fields**.' }],
    note: 4.8,
    downloads: 80_000,
    dateAdded: '2014-01-10',
    dateUpdated: '2025-01-15',
    tags: ['forms'],
    versions: [{ num: '1.21.0', compatibility: ['~10.0.0'], stability: 'stable' }],
  }),
  makePlugin('printercounters', {
    name: 'Printer Counters',
    descriptions: [
      { lang: 'en', short: 'Count the pages printed', long: 'Counts pages.' },
      { lang: 'fr', short: 'Relevé des compteurs des imprimantes', long: 'Relève les compteurs des imprimantes.' },
    ],
    authors: ['Infotel'],
    note: 3,
    downloads: 12_000,
    dateAdded: '2016-06-01',
    dateUpdated: '2023-02-01',
    requiredOffers: ['basic', 'standard', 'advanced'],
    tags: ['inventory'],
  }),
  makePlugin('escalade', {
    name: 'Escalade',
    descriptions: [{ lang: 'en', short: 'Escalate tickets between groups', long: 'Escalation.' }],
    note: 4,
    downloads: 30_000,
    dateAdded: '2013-01-01',
    dateUpdated: '2024-11-01',
    requiredOffers: ['standard', 'advanced'],
    tags: ['helpdesk'],
  }),
  makePlugin('advancedreports', {
    name: 'Advanced Reports',
    descriptions: [{ lang: 'en', short: 'Reports for managers', long: 'Reports.' }],
    note: 2.5,
    downloads: 5_000,
    dateAdded: '2024-09-01',
    dateUpdated: '2025-04-01',
    requiredOffers: ['advanced'],
    tags: ['reports'],
  }),
  makePlugin('barcode', {
    name: 'Legacy Barcode',
    descriptions: [{ lang: 'en', short: 'Print barcodes', long: 'Barcodes.' }],
    downloads: 9_000,
    dateAdded: '2012-01-01',
    dateUpdated: '2019-01-01',
    tags: ['inventory'],
    versions: [{ num: '2.4.0', compatibility: ['9.5'], stability: 'stable' }],
  }),
  makePlugin('hostile', {
    name: 'Hostile Plugin',
    descriptions: [
      { lang: 'en', short: 'Tries to <b>run</b> code &amp; <img src=x onerror=alert(1)>more', long: HOSTILE_MARKDOWN },
    ],
    downloads: 10,
    homepageUrl: 'javascript:alert(1)',
    issuesUrl: 'https://example.com/issues',
    readmeUrl: 'file:///etc/passwd',
    logoUrl: 'http://example.com/logo.png',
  }),
  makePlugin('datainjection', {
    name: 'Data Injection',
    descriptions: [{ lang: 'en', short: 'Import CSV files', long: 'Imports.' }],
    note: 4.2,
    downloads: 40_000,
    dateAdded: '2011-01-01',
    dateUpdated: '2025-06-01',
    versions: [
      { num: '2.13.4', compatibility: ['~10.0.0'], stability: 'stable' },
      { num: '2.13.5', compatibility: ['~10.0.3'], stability: 'stable' },
    ],
  }),
];

/**
 * makeSyntheticPlugins with unique keys: it gives "Supplier Import" #10 and "Supplier Import 10"
 * the same key `supplierimport10` (about 8% of 10,000), and the core serves unique keys.
 */
export function syntheticPlugins(n: number, seed: number): CatalogPlugin[] {
  const seen = new Set<string>();
  return makeSyntheticPlugins(n, seed).map((p, i) => {
    const key = seen.has(p.key) ? `${p.key}x${i}` : p.key;
    seen.add(key);
    return key === p.key ? p : { ...p, key };
  });
}

export interface FakeCatalogOptions {
  plugins?: CatalogPlugin[];
  offers?: Offer[];
  tags?: CatalogTag[];
  status?: Partial<CatalogStatus>;
}

export class FakeCatalog {
  snapshot: CatalogSnapshot;
  /** Whole-list reads: `catalog.list`, or `catalog.refresh` for `catalog.list { refresh: true }`. */
  readonly calls: ('catalog.list' | 'catalog.refresh')[] = [];
  /** The keys `catalog.details` was asked for, in order. */
  readonly detailsAsked: string[] = [];
  searchTextReads = 0;
  /** What the next refresh changes (default: a fresh `fetchedAt`). */
  nextRefresh: Partial<CatalogSnapshot> | null = null;
  private held: Promise<void> | null = null;
  private emitting = false;

  constructor(
    private readonly harness: CoreHarness,
    options: FakeCatalogOptions = {},
  ) {
    const plugins = options.plugins ?? PLUGINS;
    const now = harness.clock.now().getTime();
    this.snapshot = {
      profile: 'default',
      glpiVersion: harness.core.settings.get().glpiVersion,
      fetchedAt: new Date(now - 5 * 60_000).toISOString(),
      complete: true,
      refreshing: false,
      failure: null,
      blocked: null,
      skipped: [],
      pluginCount: plugins.length,
      nextRefreshAt: new Date(now + 55 * 60_000).toISOString(),
      offers: options.offers ?? OFFER_TIERS,
      tags: options.tags ?? TAGS,
      plugins,
      ...options.status,
    };
    const events = harness.core.events;
    const emit = events.emit.bind(events);
    events.emit = (event, payload) => {
      if (event !== 'catalog.changed' || this.emitting) emit(event, payload);
    };
    const handlers = harness.core.handlers;
    handlers['catalog.list'] = async ({ refresh, first }) => {
      if (refresh) await this.refresh();
      else if (first === undefined) this.calls.push('catalog.list');
      const list = this.list();
      if (first === undefined) return structuredClone(list);
      // As the core: the first screen comes with the whole list's tag counts.
      const tagCounts = Object.fromEntries(countTags(list.plugins));
      return structuredClone({ ...list, plugins: firstByPopularity(list.plugins, first), tagCounts });
    };
    handlers['catalog.searchText'] = () => {
      this.searchTextReads++;
      const language = this.language();
      const texts = Object.fromEntries(this.snapshot.plugins.map((p) => [p.key, searchText(p, language)]));
      return Promise.resolve({ fetchedAt: this.snapshot.fetchedAt, language, texts });
    };
    handlers['catalog.details'] = ({ key }) => {
      this.detailsAsked.push(key);
      return Promise.resolve(structuredClone(this.snapshot.plugins.find((p) => p.key === key) ?? null));
    };
    // Like the core: a new target GLPI version means the list for it.
    harness.core.events.on('settings.changed', (settings) => {
      if (settings.glpiVersion !== this.snapshot.glpiVersion) {
        this.set({ glpiVersion: settings.glpiVersion, fetchedAt: this.harness.clock.now().toISOString() });
      }
    });
  }

  /** The list as the core's CatalogService.list projects it, in the profile's language. */
  list(): CatalogList {
    const { plugins, offers, tags, ...status } = this.snapshot;
    const language = this.language();
    return { ...status, language, offers, tags, plugins: plugins.map((p) => listItem(p, language)) };
  }

  private language(): string {
    return acceptLanguage(this.harness.core.settings.get().language);
  }

  private async refresh(): Promise<void> {
    this.calls.push('catalog.refresh');
    this.set({ refreshing: true });
    const held = this.held;
    this.held = null;
    if (held) await held;
    const change = this.nextRefresh ?? {};
    this.nextRefresh = null;
    this.set({ fetchedAt: this.harness.clock.now().toISOString(), ...change, refreshing: false });
  }

  status(): CatalogStatus {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { plugins, offers, tags, ...status } = this.snapshot;
    return status;
  }

  /** Changes the catalogue and emits `catalog.changed`, as the core does. */
  set(change: Partial<CatalogSnapshot>, emit = true): void {
    this.snapshot = { ...this.snapshot, ...change };
    if (change.plugins) this.snapshot.pluginCount = change.plugins.length;
    if (!emit) return;
    this.emitting = true;
    try {
      this.harness.core.events.emit('catalog.changed', structuredClone(this.status()));
    } finally {
      this.emitting = false;
    }
  }

  /** The next refresh waits until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return release;
  }
}
