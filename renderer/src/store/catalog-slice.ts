import {
  DEFAULT_CATALOG_VIEW,
  FILTERS,
  opensInPopularOrder,
  type CatalogFilter,
  type CatalogList,
  type CatalogListItem,
  type CatalogPlugin,
  type CatalogSearchText,
  type CatalogSort,
  type CatalogStatus,
  type CatalogTag,
  type CatalogView,
} from '../../../shared/catalog';
import { listStatus } from '../../../shared/catalog-list';
import { countTags, createListIndex, queryCatalog, type CatalogIndex } from '../../../shared/catalog-query';
import { availability, type Availability } from '../../../shared/entitlements';
import type { ErrorShape } from '../../../shared/errors';
import { acceptLanguage } from '../../../shared/glpi-version';
import type { KeyState, Offer, ProfileSettings, SubscriptionInfo } from '../../../shared/model';
import { toErrorShape } from '../api/transport';
import type { AppState } from './app-store';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import { MAX_SEARCH_LENGTH, MAX_TAGS, sanitizeView } from '../../../shared/saved-view';
import type { SliceContext, SliceDefinition } from './slice';
import type { StartReads } from './start-reads';

export type { Availability, AvailabilityKind } from '../../../shared/entitlements';
export type { CatalogIndex } from '../../../shared/catalog-query';

/** How long the view waits for the admin to stop typing before it is saved. */
export const VIEW_SAVE_DELAY_MS = 400;

const NO_PLUGINS: CatalogListItem[] = [];
const NO_KEYS: ReadonlySet<string> = new Set<string>();
const NO_DETAILS: ReadonlyMap<string, PluginDetailsState> = new Map();

/** One plugin's full record (`catalog.details`), read when it is opened; null: no longer listed. */
export type PluginDetailsState =
  { status: 'loading' } | { status: 'ready'; plugin: CatalogPlugin | null } | { status: 'error'; error: ErrorShape };

export interface CatalogSlice {
  /** Everything about the list but the plugins (what `catalog.changed` carries). */
  status: CatalogStatus | null;
  /** What the list needs of each plugin (`catalog.list`); the rest is in `details` once opened. */
  plugins: CatalogListItem[];
  /**
   * The first screen of the list (most downloaded first) while the whole list is on its way:
   * the result when the view opens in that order; nothing else reads it.
   */
  preview: CatalogListItem[];
  /** `results` are the first screen only (`status.pluginCount` says how many plugins there are). */
  previewing: boolean;
  /**
   * The tag counts the first screen came with (the whole list's, counted by the core), until the
   * whole list is there: the tag row shows at once as it will stay, and moves nothing later.
   */
  previewTagCounts: ReadonlyMap<string, number>;
  /** Search reads the descriptions too (their text arrived after the list and is indexed). */
  searchesDescriptions: boolean;
  offers: Offer[];
  tags: CatalogTag[];
  /** Reading the catalogue the first time (`catalog.list`). */
  load: AsyncState;
  /** A Refresh asked from this window is running (the core may also report `status.refreshing`). */
  refreshing: boolean;
  /** The last Refresh or background read that failed inside Marketdesk (GLPI Network failures are in `status.failure`). */
  actionError: ErrorShape | null;
  /** A view or pre-release setting that could not be saved. */
  settingError: ErrorShape | null;
  versionPending: boolean;
  versionError: ErrorShape | null;

  /** What the admin is looking at; saved with the profile settings. */
  view: CatalogView;
  includePrereleases: boolean;
  /** The UI language descriptions are searched and shown in (settings.language). */
  language: string;
  /** The GLPI version availability is computed for: the one the list was fetched for. */
  glpiVersion: string;
  /** Built once per plugin list, then again when the descriptions' text arrives (`catalog.searchText`). */
  index: CatalogIndex<CatalogListItem> | null;
  /** Memoised per plugin for the current key, offers, GLPI version and pre-release setting. */
  availabilityOf: (plugin: CatalogListItem) => Availability;
  /** The plugins the view selects, in its order. */
  results: CatalogListItem[];
  /** How many plugins of the list carry each tag. */
  tagCounts: ReadonlyMap<string, number>;
  byKey: ReadonlyMap<string, CatalogListItem>;
  /** Full records of the plugins opened since the list was read, by key. */
  details: ReadonlyMap<string, PluginDetailsState>;
  /** Installed plugins and those with an update: empty until installing exists. */
  installed: ReadonlySet<string>;
  updates: ReadonlySet<string>;
  /** The plugin whose details are shown, if any. */
  openKey: string | null;

  /**
   * Reads the list (or takes over the reads the entry started: the first screen is shown until the
   * whole list arrives), and the settings when nobody reads them.
   */
  hydrate: (started?: Pick<StartReads, 'firstRows' | 'list'>) => Promise<void>;
  /** Fetches the list from GLPI Network now. */
  refresh: () => Promise<void>;
  setText: (text: string) => void;
  toggleTag: (tag: string) => void;
  clearTags: () => void;
  toggleFilter: (filter: CatalogFilter) => void;
  setSort: (sort: CatalogSort) => void;
  /** Clears the search text, tags and filters (keeps the sort). */
  clearQuery: () => void;
  setIncludePrereleases: (include: boolean) => Promise<void>;
  /** Resolves true when the core accepted the version. */
  setGlpiVersion: (version: string) => Promise<boolean>;
  clearVersionError: () => void;
  /** Shows a plugin's details (and reads them). */
  open: (key: string) => void;
  close: () => void;
  /** Reads a plugin's full record unless it is read or being read for the current list. */
  loadDetails: (key: string) => Promise<void>;
  /** Saves a pending view change now instead of after the delay. */
  flushView: () => Promise<void>;
  /** Applies a status pushed by the core (`catalog.changed`). */
  receiveStatus: (status: CatalogStatus) => void;
  /** Settings were read or pushed: adopts the saved view once, then changes made elsewhere. */
  receiveSettings: (settings: ProfileSettings) => void;
  /** Recomputes availability and the result after the key status changed. */
  rederive: () => void;
}

export function sameView(a: CatalogView, b: CatalogView): boolean {
  return (
    a.text === b.text &&
    a.sort === b.sort &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => b.tags[i] === tag) &&
    a.filters.length === b.filters.length &&
    a.filters.every((filter, i) => b.filters[i] === filter)
  );
}

/** What changes the list of a status: any of these means `catalog.list` has something new. */
function listIdentity(status: CatalogStatus | null): string {
  if (!status) return '';
  return JSON.stringify([
    status.profile,
    status.glpiVersion,
    status.fetchedAt,
    status.blocked,
    status.pluginCount,
    status.complete,
  ]);
}

interface AvailabilityInputs {
  plugins: CatalogListItem[];
  offers: Offer[];
  keyState: KeyState;
  subscription: string;
  glpiVersion: string;
  includePrereleases: boolean;
}

function sameInputs(a: AvailabilityInputs, b: AvailabilityInputs): boolean {
  return (
    a.plugins === b.plugins &&
    a.offers === b.offers &&
    a.keyState === b.keyState &&
    a.subscription === b.subscription &&
    a.glpiVersion === b.glpiVersion &&
    a.includePrereleases === b.includePrereleases
  );
}

function subscriptionIdentity(subscription: SubscriptionInfo | null): string {
  return subscription ? JSON.stringify([subscription.offer, subscription.running, subscription.title]) : '';
}

const NO_COUNTS: ReadonlyMap<string, number> = new Map();

function createCatalogSlice(ctx: SliceContext<CatalogSlice>): CatalogSlice {
  // Derivation memo: rebuilt only when its own inputs change.
  let indexFor: { plugins: CatalogListItem[]; index: CatalogIndex<CatalogListItem>; full: boolean } | null = null;
  let availabilityFor: { inputs: AvailabilityInputs; fn: (p: CatalogListItem) => Availability } | null = null;
  let installedFor: {
    view: AppState['installed']['view'];
    plugins: CatalogListItem[];
    installed: ReadonlySet<string>;
    updates: ReadonlySet<string>;
  } | null = null;
  let countsFor: {
    plugins: CatalogListItem[];
    preview: CatalogListItem[];
    previewCounts: ReadonlyMap<string, number>;
    counts: ReadonlyMap<string, number>;
    byKey: ReadonlyMap<string, CatalogListItem>;
  } | null = null;

  // The list shown was read for this catalogue and language; the index over its descriptions' text
  // (catalog.searchText) is built for that same list, then replaces the first one.
  let listFetchedAt: string | null = null;
  let listLanguage: string | null = null;
  let fullIndex: { plugins: CatalogListItem[]; index: CatalogIndex<CatalogListItem>; full: true } | null = null;
  let textSeq = 0;
  // Details read for an older list are dropped.
  let detailsGen = 0;

  // Reads: the latest request wins; an event newer than a read keeps its status.
  let readSeq = 0;
  let readsInFlight = 0;
  let eventSeq = 0;
  let refreshInFlight = false;

  // View persistence.
  let viewHydrated = false;
  let remoteView: CatalogView | null = null;
  let lastSentView: CatalogView | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let remotePrereleases: boolean | null = null;
  let prereleaseSavesInFlight = 0;

  function availabilityInputs(s: CatalogSlice, app: AppState, glpiVersion: string): AvailabilityInputs {
    return {
      plugins: s.plugins,
      offers: s.offers,
      keyState: app.key.status?.state ?? 'none',
      subscription: subscriptionIdentity(app.key.status?.subscription ?? null),
      glpiVersion,
      includePrereleases: s.includePrereleases,
    };
  }

  /**
   * Applies `partial` and everything derived from it in one store update: the index (per plugin
   * list and language), the availability memo, the tag counts and the query result.
   */
  function update(partial: Partial<CatalogSlice> = {}): void {
    const s: CatalogSlice = { ...ctx.slice(), ...partial };
    const app = ctx.get();
    const language = app.ui.settings?.language ?? s.language;
    const glpiVersion = s.status?.glpiVersion ?? app.ui.settings?.glpiVersion ?? s.glpiVersion;

    // Until the index over the descriptions is built, search reads keys, names, tags, authors and
    // summaries (its text index is built by the first text query: short texts, quick).
    if (fullIndex?.plugins === s.plugins) {
      indexFor = fullIndex;
      fullIndex = null;
    } else if (!indexFor || indexFor.plugins !== s.plugins) {
      indexFor = { plugins: s.plugins, index: createListIndex(s.plugins, (p) => p.summary), full: false };
    }
    if (
      !countsFor ||
      countsFor.plugins !== s.plugins ||
      countsFor.preview !== s.preview ||
      countsFor.previewCounts !== s.previewTagCounts
    ) {
      // A row of the first screen may be opened before the whole list is there.
      const known = s.plugins.length > 0 ? s.plugins : s.preview;
      countsFor = {
        plugins: s.plugins,
        preview: s.preview,
        previewCounts: s.previewTagCounts,
        counts: s.plugins.length > 0 ? countTags(s.plugins) : s.previewTagCounts,
        byKey: new Map(known.map((p) => [p.key, p])),
      };
    }
    const inputs = availabilityInputs(s, app, glpiVersion);
    if (!availabilityFor || !sameInputs(availabilityFor.inputs, inputs)) {
      const subscription = app.key.status?.subscription ?? null;
      const context = {
        keyState: inputs.keyState,
        subscription,
        offers: inputs.offers,
        glpiVersion,
        includePrereleases: inputs.includePrereleases,
      };
      const memo = new WeakMap<CatalogListItem, Availability>();
      availabilityFor = {
        inputs,
        fn: (plugin) => {
          let known = memo.get(plugin);
          if (!known) {
            known = availability(plugin, context);
            memo.set(plugin, known);
          }
          return known;
        },
      };
    }
    const index = indexFor.index;
    const availabilityOf = availabilityFor.fn;
    // The "Installed" and "Updates" filters: the catalogue keys of the active instance's loaded copies.
    const installedView = app.installed.view;
    if (!installedFor || installedFor.view !== installedView || installedFor.plugins !== s.plugins) {
      const loaded = new Map<string, boolean>();
      for (const p of installedView?.instance ? installedView.plugins : []) {
        if (p.shadowedBy === null && !p.invalidKey) loaded.set(p.key.toLowerCase(), p.update !== null);
      }
      const installed = new Set<string>();
      const updates = new Set<string>();
      for (const p of s.plugins) {
        const hasUpdate = loaded.get(p.key.toLowerCase());
        if (hasUpdate === undefined) continue;
        installed.add(p.key);
        if (hasUpdate) updates.add(p.key);
      }
      installedFor = { view: installedView, plugins: s.plugins, installed, updates };
    }
    const { installed, updates } = installedFor;
    // Before the whole list, the first screen is the result of a view that opens in its order.
    const previewing = s.plugins.length === 0 && s.preview.length > 0 && opensInPopularOrder(s.view);
    const results = previewing
      ? s.preview
      : queryCatalog(index, s.view, {
          availability: availabilityOf,
          installed,
          updates,
        });
    ctx.patch({
      ...partial,
      language,
      glpiVersion,
      index,
      installed,
      updates,
      availabilityOf,
      tagCounts: countsFor.counts,
      byKey: countsFor.byKey,
      results,
      previewing,
      searchesDescriptions: indexFor.full,
    });
  }

  function setView(view: CatalogView): void {
    update({ view });
    scheduleSave();
  }

  function scheduleSave(): void {
    if (saveTimer !== null) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void flushView(), VIEW_SAVE_DELAY_MS);
  }

  async function flushView(): Promise<void> {
    if (saveTimer !== null) {
      clearTimeout(saveTimer);
      saveTimer = null;
    }
    const view = ctx.slice().view;
    if (lastSentView && sameView(view, lastSentView)) return;
    lastSentView = view;
    try {
      await ctx.api.invoke('settings.update', { catalogView: view });
      if (ctx.slice().settingError) ctx.patch({ settingError: null });
    } catch (err) {
      lastSentView = null;
      ctx.patch({ settingError: toErrorShape(err) });
    }
  }

  /**
   * An edit not sent yet: incoming views are older than it. (Once sent, the core orders the
   * writes and the events follow that order, so the last event is the truth.)
   */
  function viewSavePending(): boolean {
    return saveTimer !== null;
  }

  function receiveSettings(settings: ProfileSettings): void {
    const s = ctx.slice();
    const partial: Partial<CatalogSlice> = {};
    const incomingView = sanitizeView(settings.catalogView);
    if (!viewHydrated) {
      viewHydrated = true;
      remoteView = incomingView;
      remotePrereleases = settings.includePrereleases;
      // The admin may have typed before the settings arrived: that wins.
      if (!viewSavePending()) {
        lastSentView = incomingView;
        if (!sameView(incomingView, s.view)) partial.view = incomingView;
      }
      if (prereleaseSavesInFlight === 0 && settings.includePrereleases !== s.includePrereleases) {
        partial.includePrereleases = settings.includePrereleases;
      }
    } else {
      if (!remoteView || !sameView(incomingView, remoteView)) {
        remoteView = incomingView;
        if (!viewSavePending() && !sameView(incomingView, s.view)) {
          lastSentView = incomingView;
          partial.view = incomingView;
        }
      }
      if (settings.includePrereleases !== remotePrereleases) {
        remotePrereleases = settings.includePrereleases;
        if (prereleaseSavesInFlight === 0 && settings.includePrereleases !== s.includePrereleases) {
          partial.includePrereleases = settings.includePrereleases;
        }
      }
    }
    const languageChanged = settings.language !== s.language;
    const versionChanged = !s.status && settings.glpiVersion !== s.glpiVersion;
    if (Object.keys(partial).length > 0 || languageChanged || versionChanged) update(partial);
    // Summaries, search text and details are in the list's language: another one needs another list.
    const listInOtherLanguage = listLanguage !== null && listLanguage !== acceptLanguage(settings.language);
    if (listInOtherLanguage && ctx.slice().load.status === 'ready' && readsInFlight === 0) void reread();
  }

  /** Applies a read's answer unless a newer read started; says whether it did. */
  function applyList(list: CatalogList, seq: number, eventsAtStart: number): boolean {
    if (seq !== readSeq) return false;
    const { plugins, offers, tags, language, ...status } = list;
    // An event that arrived meanwhile is newer than the status this answer carries…
    const current = ctx.slice().status;
    const keepStatus = eventSeq !== eventsAtStart && current !== null;
    listFetchedAt = status.fetchedAt;
    listLanguage = language;
    detailsGen++;
    update({
      plugins,
      preview: NO_PLUGINS,
      previewTagCounts: NO_COUNTS,
      offers,
      tags,
      status: keepStatus ? current : status,
      details: NO_DETAILS,
    });
    if (plugins.length > 0) void readSearchText();
    // …and if it announced another list than this one, read that list.
    if (keepStatus && listIdentity(current) !== listIdentity(status) && !refreshInFlight) void reread();
    return true;
  }

  /**
   * Shows the first screen the entry asked for, unless the whole list (or a newer read) is there
   * already, with the tags and the whole list's counts of them that came with it.
   */
  function applyPreview(first: CatalogList, seq: number): void {
    if (seq !== readSeq || ctx.slice().plugins.length > 0) return;
    update({
      preview: first.plugins,
      offers: first.offers,
      tags: first.tags,
      previewTagCounts: new Map(Object.entries(first.tagCounts ?? {})),
      status: ctx.slice().status ?? listStatus(first),
    });
  }

  /**
   * Reads the descriptions' text for the list just applied, after it (the first rows do not wait
   * for it), and builds the index over it when the page is idle; that index then replaces the first
   * one, so no keystroke waits for it. Until then, and if the read fails, search reads keys,
   * names, tags, authors and summaries; a newer list reads its own.
   */
  async function readSearchText(): Promise<void> {
    const seq = ++textSeq;
    let answer: CatalogSearchText;
    try {
      answer = await ctx.api.invoke('catalog.searchText', {});
    } catch {
      return;
    }
    if (seq !== textSeq || answer.fetchedAt !== listFetchedAt || answer.language !== listLanguage) return;
    const texts = new Map(Object.entries(answer.texts));
    const plugins = ctx.slice().plugins;
    whenIdle(() => {
      if (seq !== textSeq || ctx.slice().plugins !== plugins) return;
      const index = createListIndex(plugins, (p) => texts.get(p.key) ?? p.summary);
      index.prepare();
      fullIndex = { plugins, index, full: true };
      update();
    });
  }

  function setDetails(key: string, state: PluginDetailsState): void {
    const details = new Map(ctx.slice().details);
    details.set(key, state);
    ctx.patch({ details });
  }

  async function read<T>(run: () => Promise<T>): Promise<T> {
    readsInFlight++;
    try {
      return await run();
    } finally {
      readsInFlight--;
    }
  }

  /** Re-reads the list after the core said it changed; the old one stays shown meanwhile. */
  async function reread(): Promise<void> {
    const seq = ++readSeq;
    const events = eventSeq;
    try {
      const list = await read(() => ctx.api.invoke('catalog.list', {}));
      if (applyList(list, seq, events)) ctx.patch({ load: READY });
    } catch (err) {
      if (seq !== readSeq) return;
      if (ctx.slice().load.status === 'ready') ctx.patch({ actionError: toErrorShape(err) });
      else ctx.patch({ load: failed(toErrorShape(err)) });
    }
  }

  const emptyAvailability = (plugin: CatalogListItem): Availability =>
    availability(plugin, {
      keyState: 'none',
      subscription: null,
      offers: [],
      glpiVersion: '',
      includePrereleases: false,
    });

  return {
    status: null,
    plugins: NO_PLUGINS,
    preview: NO_PLUGINS,
    previewing: false,
    previewTagCounts: NO_COUNTS,
    searchesDescriptions: false,
    offers: [],
    tags: [],
    load: IDLE,
    refreshing: false,
    actionError: null,
    settingError: null,
    versionPending: false,
    versionError: null,
    view: DEFAULT_CATALOG_VIEW,
    includePrereleases: false,
    language: 'en',
    glpiVersion: '',
    index: null,
    availabilityOf: emptyAvailability,
    results: NO_PLUGINS,
    tagCounts: new Map(),
    byKey: new Map(),
    details: NO_DETAILS,
    installed: NO_KEYS,
    updates: NO_KEYS,
    openKey: null,

    async hydrate(started) {
      const seq = ++readSeq;
      const events = eventSeq;
      ctx.patch({ load: LOADING, actionError: null });
      started?.firstRows.then(
        (first) => applyPreview(first, seq),
        () => undefined, // the whole list's read says what failed
      );
      // The key's hydrate reads the settings too: only read them when nobody is.
      const needSettings = ctx.get().ui.settings === null && ctx.get().key.load.status !== 'loading';
      const [list, settings] = await Promise.allSettled([
        read(() => started?.list ?? ctx.api.invoke('catalog.list', {})),
        needSettings ? ctx.api.invoke('settings.get', {}) : Promise.resolve(null),
      ]);
      if (settings.status === 'fulfilled' && settings.value && ctx.get().ui.settings === null) {
        ctx.get().ui.receiveSettings(settings.value);
      }
      if (list.status === 'fulfilled') {
        if (applyList(list.value, seq, events)) ctx.patch({ load: READY });
      } else if (seq === readSeq) {
        // The first screen alone would pass for the list: the error and its Retry show instead.
        update({ preview: NO_PLUGINS, load: failed(toErrorShape(list.reason)) });
      }
    },

    async refresh() {
      if (refreshInFlight) return;
      refreshInFlight = true;
      const seq = ++readSeq;
      const events = eventSeq;
      ctx.patch({ refreshing: true, actionError: null });
      try {
        const list = await read(() => ctx.api.invoke('catalog.list', { refresh: true }));
        if (applyList(list, seq, events)) ctx.patch({ load: READY });
      } catch (err) {
        ctx.patch({ actionError: toErrorShape(err) });
      } finally {
        refreshInFlight = false;
        ctx.patch({ refreshing: false });
      }
    },

    setText(text) {
      const view = ctx.slice().view;
      const next = text.slice(0, MAX_SEARCH_LENGTH);
      if (next !== view.text) setView({ ...view, text: next });
    },

    toggleTag(tag) {
      const view = ctx.slice().view;
      const tags = view.tags.includes(tag) ? view.tags.filter((t) => t !== tag) : [...view.tags, tag];
      setView({ ...view, tags: tags.slice(0, MAX_TAGS) });
    },

    clearTags() {
      const view = ctx.slice().view;
      if (view.tags.length > 0) setView({ ...view, tags: [] });
    },

    toggleFilter(filter) {
      const view = ctx.slice().view;
      const filters = view.filters.includes(filter)
        ? view.filters.filter((f) => f !== filter)
        : FILTERS.filter((f) => f === filter || view.filters.includes(f));
      setView({ ...view, filters });
    },

    setSort(sort) {
      const view = ctx.slice().view;
      if (sort !== view.sort) setView({ ...view, sort });
    },

    clearQuery() {
      const view = ctx.slice().view;
      setView({ ...DEFAULT_CATALOG_VIEW, sort: view.sort });
    },

    async setIncludePrereleases(include) {
      const before = ctx.slice().includePrereleases;
      if (include === before) return;
      prereleaseSavesInFlight++;
      update({ includePrereleases: include, settingError: null });
      try {
        await ctx.api.invoke('settings.update', { includePrereleases: include });
      } catch (err) {
        if (ctx.slice().includePrereleases === include) update({ includePrereleases: before });
        ctx.patch({ settingError: toErrorShape(err) });
      } finally {
        prereleaseSavesInFlight--;
      }
    },

    async setGlpiVersion(version) {
      if (ctx.slice().versionPending) return false;
      ctx.patch({ versionPending: true, versionError: null });
      try {
        const settings = await ctx.api.invoke('settings.update', { glpiVersion: version.trim() });
        ctx.get().ui.receiveSettings(settings);
        ctx.patch({ versionPending: false });
        return true;
      } catch (err) {
        ctx.patch({ versionPending: false, versionError: toErrorShape(err) });
        return false;
      }
    },

    clearVersionError() {
      if (ctx.slice().versionError) ctx.patch({ versionError: null });
    },

    open(key) {
      ctx.patch({ openKey: key });
      void ctx.slice().loadDetails(key);
    },

    close() {
      if (ctx.slice().openKey !== null) ctx.patch({ openKey: null });
    },

    async loadDetails(key) {
      const known = ctx.slice().details.get(key);
      if (known && known.status !== 'error') return;
      const gen = detailsGen;
      setDetails(key, { status: 'loading' });
      try {
        const plugin = await ctx.api.invoke('catalog.details', { key });
        if (gen === detailsGen) setDetails(key, { status: 'ready', plugin });
      } catch (err) {
        if (gen === detailsGen) setDetails(key, { status: 'error', error: toErrorShape(err) });
      }
    },

    flushView,

    receiveStatus(status) {
      eventSeq++;
      const before = ctx.slice().status;
      if (before?.glpiVersion !== status.glpiVersion) update({ status });
      else ctx.patch({ status });
      // Nobody asked for the list yet: the status alone is enough. A read in flight checks the
      // status when it lands (applySnapshot).
      if (ctx.slice().load.status === 'idle' || readsInFlight > 0) return;
      if (listIdentity(before) !== listIdentity(status)) void reread();
    },

    receiveSettings,

    rederive() {
      update();
    },
  };
}

export const catalogSlice: SliceDefinition<CatalogSlice> = {
  create: createCatalogSlice,

  connect(ctx) {
    const offEvent = ctx.api.on('catalog.changed', (status) => ctx.slice().receiveStatus(status));
    const keyIdentity = (state: AppState) =>
      JSON.stringify([state.key.status?.state ?? null, state.key.status?.subscription ?? null]);
    let lastKey = keyIdentity(ctx.get());
    // Settings and the key status live in other slices; whatever updated them (hydrate, events).
    const offStore = ctx.subscribe((state, previous) => {
      if (state.ui.settings && state.ui.settings !== previous.ui.settings)
        ctx.slice().receiveSettings(state.ui.settings);
      if (state.key.status !== previous.key.status) {
        const key = keyIdentity(state);
        if (key !== lastKey) {
          lastKey = key;
          ctx.slice().rederive();
        }
      }
      // What the active instance has installed (and which have updates) drives two filters.
      if (state.installed.view !== previous.installed.view) ctx.slice().rederive();
    });
    const settings = ctx.get().ui.settings;
    if (settings) ctx.slice().receiveSettings(settings);
    // A view typed just before the window closes is still saved.
    const onHide = () => void ctx.slice().flushView();
    window.addEventListener('pagehide', onHide);
    return () => {
      offEvent();
      offStore();
      window.removeEventListener('pagehide', onHide);
    };
  },
};

/** Runs `fn` when the page is idle (soon after the next paint where idle callbacks are missing). */
function whenIdle(fn: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 1_000 });
  else setTimeout(fn, 50);
}
