import { DEFAULT_CATALOG_VIEW } from '../../../shared/catalog';
import { createApi } from '../api/transport';
import { createCoreHarness, NOW, STANDARD, type CoreHarnessOptions } from '../test/core-harness';
import { FakeCatalog, PLUGINS, type FakeCatalogOptions } from '../test/fake-catalog';
import { createInMemoryTransport } from '../test/in-memory-transport';
import { GOOD_KEY } from '../test/render-catalog';
import { createAppStore } from './app-store';
import { VIEW_SAVE_DELAY_MS } from './catalog-slice';
import { sanitizeView } from '../../../shared/saved-view';

async function setup(options: { harness?: CoreHarnessOptions; catalog?: FakeCatalogOptions } = {}) {
  const harness = await createCoreHarness(
    options.harness ?? { stored: { key: GOOD_KEY }, registrations: { [GOOD_KEY]: STANDARD } },
  );
  const catalog = new FakeCatalog(harness, options.catalog);
  const transport = createInMemoryTransport(harness.core.handlers, harness.core.events);
  const store = createAppStore(createApi(transport), { now: () => NOW });
  return { ...harness, catalog, transport, store };
}

/** Starts catalog.hydrate() with a key stored, and holds its first catalog.list answer until `release()`. */
async function hydrateHeld() {
  const context = await setup();
  const { store, core } = context;
  await store.getState().key.hydrate();
  let release!: () => void;
  const original = core.handlers['catalog.list'];
  core.handlers['catalog.list'] = async (req) => {
    const answer = await original(req);
    if (!release) await new Promise<void>((r) => (release = r));
    return answer;
  };
  const done = store.getState().catalog.hydrate();
  await vi.waitFor(() => expect(release).toBeDefined());
  return { ...context, done, release };
}

function viewSaves(calls: { channel: string; payload: unknown }[]) {
  return calls.filter((c) => c.channel === 'settings.update' && 'catalogView' in (c.payload as object));
}

const keys = (plugins: { key: string }[]) => plugins.map((p) => p.key);

describe('catalog slice', () => {
  afterEach(() => vi.useRealTimers());

  it('hydrates the catalogue and the settings, and derives the result', async () => {
    const { store, transport } = await setup();
    await store.getState().key.hydrate();
    const done = store.getState().catalog.hydrate();
    expect(store.getState().catalog.load.status).toBe('loading');
    await done;
    const c = store.getState().catalog;
    expect(c.load.status).toBe('ready');
    expect(c.plugins).toHaveLength(PLUGINS.length);
    expect(c.offers.map((o) => o.reference)).toEqual(['registered', 'basic', 'standard', 'advanced']);
    expect(c.status).toMatchObject({ glpiVersion: '10.0.18', complete: true, pluginCount: 8 });
    expect(c.status).not.toHaveProperty('plugins');
    expect(c.results).toHaveLength(8);
    expect(c.glpiVersion).toBe('10.0.18');
    expect(c.availabilityOf(c.byKey.get('advancedreports')!).kind).toBe('needs-tier');
    expect(c.tagCounts.get('inventory')).toBe(2);
    expect(transport.calls.filter((x) => x.channel === 'catalog.list')).toHaveLength(1);
  });

  it('reads the settings itself when nobody did', async () => {
    const { store, core } = await setup();
    core.settings.update({ catalogView: { text: 'escal', tags: [], filters: [], sort: 'name-asc' } });
    await store.getState().catalog.hydrate();
    expect(store.getState().ui.settings?.glpiVersion).toBe('10.0.18');
    expect(store.getState().catalog.view.text).toBe('escal');
    expect(keys(store.getState().catalog.results)).toEqual(['escalade']);
  });

  it('keeps the load error when catalog.list fails', async () => {
    const { store, core } = await setup();
    core.handlers['catalog.list'] = () => Promise.reject(new Error('boom'));
    await store.getState().catalog.hydrate();
    expect(store.getState().catalog.load).toMatchObject({ status: 'error', error: { code: 'INTERNAL' } });
  });

  it('builds the index once per list, and queries on every change', async () => {
    const { store, core } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    const index = store.getState().catalog.index;
    expect(index).not.toBeNull();
    store.getState().catalog.setText('e');
    store.getState().catalog.setText('es');
    store.getState().catalog.setText('esca');
    store.getState().catalog.toggleFilter('premium');
    store.getState().catalog.setSort('name-desc');
    expect(store.getState().catalog.index).toBe(index);
    expect(keys(store.getState().catalog.results)).toEqual(['escalade']);
    core.settings.update({ language: 'en_GB' });
    expect(store.getState().catalog.index).toBe(index);
  });

  it('reads the list again in another UI language (its summaries, search text and details are in it)', async () => {
    const { store, core, catalog } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    await store.getState().catalog.loadDetails('printercounters');
    const index = store.getState().catalog.index;
    const summary = () => store.getState().catalog.byKey.get('printercounters')?.summary;
    expect(summary()).toBe('Count the pages printed');
    core.settings.update({ language: 'fr_FR' });
    await vi.waitFor(() => expect(summary()).toBe('Relevé des compteurs des imprimantes'));
    expect(store.getState().catalog.index).not.toBe(index);
    expect(store.getState().catalog.details.size).toBe(0);
    expect(catalog.calls).toEqual(['catalog.list', 'catalog.list']);
  });

  it('paints the list before the descriptions are searchable, then searches them once they arrive', async () => {
    const { store, core, catalog } = await setup();
    await store.getState().key.hydrate();
    let release!: () => void;
    const original = core.handlers['catalog.searchText'];
    core.handlers['catalog.searchText'] = async (req) => {
      await new Promise<void>((r) => (release = r));
      return original(req);
    };
    await store.getState().catalog.hydrate();
    expect(store.getState().catalog.results).toHaveLength(8);
    // "Escalation" is only in escalade's long description.
    store.getState().catalog.setText('escalation');
    expect(keys(store.getState().catalog.results)).toEqual([]);
    await vi.waitFor(() => expect(release).toBeDefined());
    release();
    await vi.waitFor(() => expect(keys(store.getState().catalog.results)).toEqual(['escalade']));
    expect(catalog.searchTextReads).toBe(1);
  });

  it('shows the first screen the entry read until the whole list arrives, when the view opens in its order', async () => {
    const { store, core } = await setup();
    await store.getState().key.hydrate();
    let release!: () => void;
    const list = new Promise<void>((resolve) => (release = resolve)).then(() => core.handlers['catalog.list']({}));
    const done = store.getState().catalog.hydrate({ firstRows: core.handlers['catalog.list']({ first: 3 }), list });
    await vi.waitFor(() => expect(store.getState().catalog.previewing).toBe(true));
    let c = store.getState().catalog;
    expect(keys(c.results)).toEqual(['fields', 'formcreator', 'datainjection']); // most downloaded first
    expect(c.plugins).toEqual([]); // nothing else reads the first screen
    expect(c.status?.pluginCount).toBe(8);
    expect(c.byKey.get('fields')?.name).toBe('Additional Fields');
    expect(c.load.status).toBe('loading');
    // The tag row is the whole list's already: its tags, and its counts over all 8 plugins.
    const early = { tags: c.tags, counts: [...c.tagCounts] };
    expect(early.counts.length).toBeGreaterThan(0);
    // A search is not the first screen's order: nothing until the whole list.
    store.getState().catalog.setText('escal');
    expect(store.getState().catalog.previewing).toBe(false);
    expect(store.getState().catalog.results).toEqual([]);
    store.getState().catalog.setText('');
    expect(store.getState().catalog.previewing).toBe(true);

    release();
    await done;
    c = store.getState().catalog;
    expect(c.previewing).toBe(false);
    expect({ tags: c.tags, counts: [...c.tagCounts] }).toEqual(early);
    expect(c.preview).toEqual([]);
    expect(c.results).toHaveLength(8);
    expect(c.load.status).toBe('ready');
  });

  it('drops the first screen when the whole list cannot be read, so the error shows', async () => {
    const { store, core } = await setup();
    await store.getState().key.hydrate();
    const firstRows = core.handlers['catalog.list']({ first: 3 });
    await store
      .getState()
      .catalog.hydrate({ firstRows, list: firstRows.then(() => Promise.reject(new Error('boom'))) });
    const c = store.getState().catalog;
    expect(c.load).toMatchObject({ status: 'error', error: { code: 'INTERNAL' } });
    expect(c.previewing).toBe(false);
    expect(c.results).toEqual([]);
  });

  it('keeps the list items to what the list needs, and reads the full record when a plugin is opened', async () => {
    const { store, catalog } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    const item = store.getState().catalog.byKey.get('formcreator')!;
    for (const heavy of ['descriptions', 'screenshots', 'homepageUrl', 'changelogUrl', 'license'])
      expect(item).not.toHaveProperty(heavy);
    expect(item).toMatchObject({ summary: 'Build forms for requesters', tags: ['forms', 'helpdesk'] });
    expect(item.versions).toHaveLength(4);
    expect(catalog.detailsAsked).toEqual([]);

    store.getState().catalog.open('formcreator');
    expect(store.getState().catalog.details.get('formcreator')).toEqual({ status: 'loading' });
    await vi.waitFor(() => expect(store.getState().catalog.details.get('formcreator')?.status).toBe('ready'));
    const details = store.getState().catalog.details.get('formcreator');
    expect(details?.status === 'ready' && details.plugin?.screenshots).toEqual([
      'https://example.com/shot1.png',
      'http://example.com/insecure.png',
    ]);
    // Kept: opening it again asks nothing.
    store.getState().catalog.close();
    store.getState().catalog.open('formcreator');
    expect(catalog.detailsAsked).toEqual(['formcreator']);
  });

  it('drops the details read for an older list, and keeps a failed read retryable', async () => {
    const { store, core, catalog } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    const original = core.handlers['catalog.details'];
    core.handlers['catalog.details'] = () => Promise.reject(new Error('boom'));
    await store.getState().catalog.loadDetails('fields');
    expect(store.getState().catalog.details.get('fields')).toMatchObject({
      status: 'error',
      error: { code: 'INTERNAL' },
    });
    core.handlers['catalog.details'] = original;
    await store.getState().catalog.loadDetails('fields');
    expect(store.getState().catalog.details.get('fields')?.status).toBe('ready');
    catalog.set({ fetchedAt: '2025-06-15T12:30:00Z' });
    await vi.waitFor(() => expect(store.getState().catalog.details.size).toBe(0));
  });

  it('saves the view once, 400 ms after the last change', async () => {
    const { store, transport, core } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const c = () => store.getState().catalog;
    c().setText('f');
    vi.advanceTimersByTime(VIEW_SAVE_DELAY_MS - 100);
    c().setText('fo');
    c().toggleTag('forms');
    vi.advanceTimersByTime(VIEW_SAVE_DELAY_MS - 1);
    expect(viewSaves(transport.calls)).toHaveLength(0);
    vi.advanceTimersByTime(1);
    await vi.waitFor(() => expect(viewSaves(transport.calls)).toHaveLength(1));
    expect(viewSaves(transport.calls)[0]?.payload).toEqual({
      catalogView: { text: 'fo', tags: ['forms'], filters: [], sort: 'relevance' },
    });
    expect(core.settings.get().catalogView.text).toBe('fo');
    // Nothing new: nothing sent.
    c().setText('fo');
    vi.advanceTimersByTime(VIEW_SAVE_DELAY_MS);
    expect(viewSaves(transport.calls)).toHaveLength(1);
  });

  it('does not let its own echo or a remote change overwrite what is being typed', async () => {
    const { store, core } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    store.getState().catalog.setText('esc');
    core.settings.update({ catalogView: { ...DEFAULT_CATALOG_VIEW, text: 'other window' } });
    expect(store.getState().catalog.view.text).toBe('esc');
    vi.advanceTimersByTime(VIEW_SAVE_DELAY_MS);
    await vi.waitFor(() => expect(core.settings.get().catalogView.text).toBe('esc'));
    expect(store.getState().catalog.view.text).toBe('esc');
    // With nothing pending, a change made elsewhere is followed.
    core.settings.update({ catalogView: { ...DEFAULT_CATALOG_VIEW, text: 'form', sort: 'rating' } });
    expect(store.getState().catalog.view).toMatchObject({ text: 'form', sort: 'rating' });
  });

  it('persists the pre-release setting and reverts it when the core refuses', async () => {
    const { store, core, transport } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    await store.getState().catalog.setIncludePrereleases(true);
    expect(core.settings.get().includePrereleases).toBe(true);
    expect(store.getState().catalog.includePrereleases).toBe(true);
    expect(transport.calls.at(-1)).toEqual({ channel: 'settings.update', payload: { includePrereleases: true } });
    core.handlers['settings.update'] = () => Promise.reject(new Error('disk full'));
    await store.getState().catalog.setIncludePrereleases(false);
    expect(store.getState().catalog.includePrereleases).toBe(true);
    expect(store.getState().catalog.settingError?.code).toBe('INTERNAL');
  });

  it('re-reads the list only when catalog.changed says it changed', async () => {
    const { store, catalog } = await setup();
    await store.getState().key.hydrate();
    catalog.set({ refreshing: true });
    expect(catalog.calls).toEqual([]); // not loaded yet: the status is enough
    expect(store.getState().catalog.status?.refreshing).toBe(true);
    await store.getState().catalog.hydrate();
    const reads = catalog.calls.length;
    catalog.set({ refreshing: false });
    expect(catalog.calls.length).toBe(reads);
    catalog.set({ fetchedAt: '2025-06-15T12:30:00Z', plugins: PLUGINS.slice(0, 2) });
    await vi.waitFor(() => expect(store.getState().catalog.plugins).toHaveLength(2));
    expect(catalog.calls.length).toBe(reads + 1);
    expect(store.getState().catalog.results).toHaveLength(2);
  });

  it('does not let a read answer overwrite a newer event', async () => {
    const { store, catalog, done, release } = await hydrateHeld();
    catalog.set({ refreshing: true });
    release();
    await done;
    expect(store.getState().catalog.status?.refreshing).toBe(true);
    expect(store.getState().catalog.plugins).toHaveLength(8);
    expect(catalog.calls).toEqual(['catalog.list']);
  });

  it('reads again when an event during a read announced a newer list', async () => {
    const { store, catalog, done, release } = await hydrateHeld();
    catalog.set({ fetchedAt: '2025-06-15T12:10:00Z', plugins: PLUGINS.slice(0, 1) });
    release();
    await done;
    await vi.waitFor(() => expect(store.getState().catalog.plugins).toHaveLength(1));
    expect(catalog.calls).toEqual(['catalog.list', 'catalog.list']);
    expect(store.getState().catalog.status?.fetchedAt).toBe('2025-06-15T12:10:00Z');
  });

  it('recomputes availability when the key changes', async () => {
    const { store, core, network } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    const fields = store.getState().catalog.byKey.get('fields')!;
    expect(store.getState().catalog.availabilityOf(fields).kind).toBe('included');
    store.getState().catalog.toggleFilter('available');
    expect(store.getState().catalog.results).toHaveLength(6);
    network.registrations.delete(GOOD_KEY);
    await core.keys.sync();
    expect(store.getState().key.status?.state).toBe('invalid');
    expect(store.getState().catalog.availabilityOf(fields).kind).toBe('no-key');
    expect(store.getState().catalog.results).toHaveLength(0);
  });

  it('changes the GLPI version, or keeps the core refusal', async () => {
    const { store } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    await expect(store.getState().catalog.setGlpiVersion('not a version')).resolves.toBe(false);
    expect(store.getState().catalog.versionError?.code).toBe('INVALID_INPUT');
    await expect(store.getState().catalog.setGlpiVersion(' 11.0.1 ')).resolves.toBe(true);
    expect(store.getState().ui.settings?.glpiVersion).toBe('11.0.1');
    expect(store.getState().catalog.versionError).toBeNull();
    await vi.waitFor(() => expect(store.getState().catalog.glpiVersion).toBe('11.0.1'));
  });

  it('keeps a failed refresh apart from the list', async () => {
    const { store, core } = await setup();
    await store.getState().key.hydrate();
    await store.getState().catalog.hydrate();
    const read = core.handlers['catalog.list'];
    core.handlers['catalog.list'] = (req) => (req.refresh ? Promise.reject(new Error('boom')) : read(req));
    await store.getState().catalog.refresh();
    expect(store.getState().catalog.actionError?.code).toBe('INTERNAL');
    expect(store.getState().catalog.refreshing).toBe(false);
    expect(store.getState().catalog.plugins).toHaveLength(8);
  });
});

describe('sanitizeView', () => {
  it('drops what this version does not know', () => {
    expect(
      sanitizeView({
        text: 'x'.repeat(300),
        tags: ['a', 'a', 'b'],
        filters: ['premium', 'bogus' as 'premium'],
        sort: 'sideways' as 'rating',
      }),
    ).toEqual({ text: 'x'.repeat(200), tags: ['a', 'b'], filters: ['premium'], sort: 'relevance' });
    expect(sanitizeView(null)).toEqual(DEFAULT_CATALOG_VIEW);
  });
});
