import type {
  CatalogList,
  CatalogListItem,
  CatalogPlugin,
  CatalogSearchText,
  CatalogSnapshot,
  CatalogStatus,
  CatalogTag,
  PluginDescription,
} from '../../shared/catalog';
import { listItem, searchText } from '../../shared/catalog-list';
import { countTags, firstByPopularity } from '../../shared/catalog-query';
import { AppError } from '../../shared/errors';
import { acceptLanguage } from '../../shared/glpi-version';
import type { NetworkFailure, Offer } from '../../shared/model';
import type { CatalogCache, CatalogDoc } from './catalog-cache';
import type { EventHub } from './event-hub';
import { NetworkProblem, type GlpiNetworkClient } from './glpi-network-client';
import type { KeyService } from './key-service';
import { archiveUrl, type CatalogEntry, type CatalogFetch, type MarketplaceClient } from './marketplace-client';
import type { Clock, Logger } from './ports';
import type { ProfileSettingsService } from './profile-settings';

export const OFFLINE_RETRY_MS = 5 * 60_000;
/** What a read of the cache needs: the list's light copy, or everything. */
type LoadDepth = 'light' | 'full';
/** The most `catalog.list { first }` gives: a first screen on a tall window, and then some. */
const OPENING_ROWS = 100;
export const HOUR_MS = 3_600_000;

export interface CatalogServiceDeps {
  market: MarketplaceClient;
  network: GlpiNetworkClient;
  keys: KeyService;
  settings: ProfileSettingsService;
  cache: CatalogCache;
  clock: Clock;
  logger: Logger;
  events: EventHub;
  /** Background refresh period; default: the profile's checkIntervalHours (never under an hour). */
  refreshMs?: number;
  /** 0..1, spreads scheduled refreshes of many machines (default Math.random). */
  random?: () => number;
  /** False while the machine is offline: scheduled refreshes wait (default: always online). */
  online?: () => boolean;
  /** GLPI Network as an instance of another GLPI version sees it (the planner's target version). */
  clientFor?: (glpiVersion: string) => { market: MarketplaceClient; network: GlpiNetworkClient };
}

/** The catalogue for a GLPI version other than the profile's, as the core keeps it. */
export interface VersionCatalogue {
  doc: CatalogDoc;
  /** The User-Agent that version sends (archive downloads for it send the same). */
  userAgent: string;
}

/**
 * The catalogue for the profile's key and GLPI version: served from the cache at once, refreshed
 * in the background when older than the period, on demand, and when the key or the version
 * changes. A failed refresh keeps the list shown and says why; a truncated one never replaces a
 * complete one.
 */
export class CatalogService {
  private doc: CatalogDoc | null = null;
  private docId: string | null = null;
  private loading: { id: string; depth: LoadDepth; promise: Promise<void> } | null = null;
  private failure: NetworkFailure | null = null;
  private running: Promise<CatalogSnapshot> | null = null;
  private cancelTimer: (() => void) | null = null;
  private nextRefreshAt: Date | null = null;
  private shown: { doc: CatalogDoc; lang: string; plugins: CatalogPlugin[] } | null = null;
  private listed: {
    doc: CatalogDoc;
    lang: string;
    items: CatalogListItem[];
    opening: CatalogListItem[];
    /** How many plugins of the whole list carry each tag (as the renderer's list counts them). */
    tagCounts: Record<string, number>;
  } | null = null;
  constructor(private readonly d: CatalogServiceDeps) {}

  private get refreshMs(): number {
    return this.d.refreshMs ?? Math.max(1, this.d.settings.get().checkIntervalHours) * HOUR_MS;
  }

  /** The catalogue now (from memory or disk); starts a background refresh when stale. */
  async get(options: { background?: boolean } = {}): Promise<CatalogSnapshot> {
    await this.current(options.background ?? true);
    return this.snapshot();
  }

  /** Loads the catalogue for the current key and version; starts a background refresh when stale. */
  private async current(background: boolean, depth: LoadDepth = 'full'): Promise<void> {
    if (this.blocked()) return;
    await this.load(depth);
    if (background && !this.running && this.isStale())
      void this.refresh().catch((err: unknown) => this.logFailure(err));
  }

  // --- The list and the details (catalog.list, catalog.searchText, catalog.details) ---

  /**
   * What the renderer's list needs (`CatalogListItem`, about a third of the full records), at once
   * from memory or the cache like `get`, or after fetching it with `refresh`; with `first`, only
   * that many, most downloaded first (the first screen, before the rest). The items and that order
   * are built once per catalogue and language.
   */
  async list(options: { refresh?: boolean; background?: boolean; first?: number } = {}): Promise<CatalogList> {
    if (options.refresh) await this.refresh();
    else await this.current(options.background ?? true, 'light');
    const status = this.status();
    const doc = status.blocked ? null : this.doc;
    const language = this.language();
    let items: CatalogListItem[] = [];
    let tagCounts: Record<string, number> = {};
    if (doc) {
      if (this.listed?.doc !== doc || this.listed.lang !== language) {
        const all = doc.entries.map(({ plugin }) => listItem(plugin, language));
        const opening = firstByPopularity(all, OPENING_ROWS);
        this.listed = { doc, lang: language, items: all, opening, tagCounts: Object.fromEntries(countTags(all)) };
      }
      const { items: all, opening } = this.listed;
      items = options.first === undefined ? all : opening.slice(0, options.first);
      tagCounts = this.listed.tagCounts;
    }
    const list = { ...status, language, offers: doc?.offers ?? [], tags: doc?.tags ?? [], plugins: items };
    return options.first === undefined ? list : { ...list, tagCounts };
  }

  /** The descriptions the list searches, per plugin key, for the list `list` gives now. */
  async searchText(): Promise<CatalogSearchText> {
    await this.current(false);
    const doc = this.blocked() ? null : this.doc;
    const language = this.language();
    const texts: Record<string, string> = {};
    for (const { plugin } of doc?.entries ?? []) texts[plugin.key] = searchText(plugin, language);
    return { fetchedAt: doc?.fetchedAt ?? null, language, texts };
  }

  /** Everything about one plugin, for its details; null when the catalogue has no such key. */
  async details(key: string): Promise<CatalogPlugin | null> {
    await this.current(false);
    const plugin = this.blocked() ? undefined : this.entry(key)?.plugin;
    return plugin ? this.withDescriptions(plugin, this.language()) : null;
  }

  private language(): string {
    return acceptLanguage(this.d.settings.get().language);
  }

  /** The plugin with its descriptions in `lang` and English only (the fallback GLPI uses). */
  private withDescriptions(plugin: CatalogPlugin, lang: string): CatalogPlugin {
    const wanted = (d: PluginDescription) => {
      const code = acceptLanguage(d.lang);
      return code === lang || code === 'en';
    };
    if (plugin.descriptions.every(wanted)) return plugin;
    const kept = plugin.descriptions.filter(wanted);
    return { ...plugin, descriptions: kept.length > 0 ? kept : plugin.descriptions.slice(0, 1) };
  }

  /** Fetches the catalogue now. Concurrent calls share one fetch. */
  refresh(): Promise<CatalogSnapshot> {
    this.running ??= this.fetch().finally(() => {
      this.running = null;
      this.schedule();
      this.changed();
    });
    return this.running;
  }

  /** The archive URL of a plugin version, for installs. Never leaves the core. */
  downloadUrl(key: string, version: string): string | null {
    const entry = this.entry(key);
    return entry ? archiveUrl(entry, version) : null;
  }

  /** A plugin's record and archive URLs, once `get` read the full document (a light copy has neither). */
  entry(key: string): CatalogEntry | undefined {
    if (this.doc?.light) return undefined;
    return this.doc?.entries.find((e) => e.plugin.key === key);
  }

  /**
   * The catalogue for any GLPI version (the upgrade planner's target), without changing the
   * profile's target version: from the cache when fresh, else fetched as an instance of that version
   * asks (its User-Agent), and cached per version like the profile's own.
   */
  async forVersion(glpiVersion: string): Promise<VersionCatalogue> {
    const blocked = this.blocked();
    if (blocked)
      throw new AppError('INVALID_INPUT', 'No valid registration key: GLPI Network gives no catalogue without one.', {
        fix: 'marketdesk key set',
      });
    const clients = this.d.clientFor?.(glpiVersion) ?? { market: this.d.market, network: this.d.network };
    const fingerprint = this.d.keys.fingerprint();
    const key = await this.d.keys.secret();
    if (!fingerprint || !key)
      throw new AppError('INVALID_INPUT', 'No registration key is stored.', { fix: 'marketdesk key set' });
    const cached = await this.d.cache.read(fingerprint, glpiVersion);
    const fresh = cached && this.d.clock.now().getTime() - Date.parse(cached.fetchedAt) < this.refreshMs;
    if (cached && fresh && cached.complete) return { doc: cached, userAgent: clients.network.userAgent() };
    const uid = this.d.settings.uid();
    try {
      const [offers, plugins] = await Promise.all([this.offers(), clients.market.plugins(key, uid)]);
      const doc = this.fetchedDoc(fingerprint, glpiVersion, { offers, tags: [], plugins });
      await this.d.cache.write(doc);
      return { doc: !doc.complete && cached?.complete ? cached : doc, userAgent: clients.network.userAgent() };
    } catch (err) {
      if (!(err instanceof NetworkProblem)) throw err;
      // Offline: an older list for that version is better than none (the plan says when it was fetched).
      if (cached) return { doc: cached, userAgent: clients.network.userAgent() };
      throw new AppError(
        'INVALID_INPUT',
        `The catalogue for GLPI ${glpiVersion} could not be fetched: ${err.message}`,
        {
          fix: err.fix,
        },
      );
    }
  }

  /**
   * Refreshes hourly, and whenever the key or the target GLPI version changes. `listed` resolves
   * once the list is read from the cache (refreshed in the background if stale), its items and
   * first screen built: the first window asks for them at once. `stop` ends the schedules.
   */
  start(): { stop: () => void; listed: Promise<void> } {
    this.schedule();
    const listed = this.blocked()
      ? Promise.resolve()
      : this.list().then(
          () => undefined,
          (err: unknown) => this.logFailure(err),
        );
    const onChange = () => {
      if (this.id() !== this.docId) void this.list().then(() => this.changed());
    };
    const offs = [this.d.events.on('key.changed', onChange), this.d.events.on('settings.changed', onChange)];
    const stop = () => {
      offs.forEach((off) => off());
      this.cancelTimer?.();
    };
    return { stop, listed };
  }

  status(): CatalogStatus {
    const blocked = this.blocked();
    const doc = blocked ? null : this.doc;
    return {
      profile: this.d.settings.profile,
      glpiVersion: this.d.settings.get().glpiVersion,
      fetchedAt: doc?.fetchedAt ?? null,
      complete: doc?.complete ?? true,
      refreshing: this.running !== null,
      failure: blocked ? null : this.failure,
      blocked,
      skipped: doc?.skipped ?? [],
      pluginCount: doc?.entries.length ?? 0,
      nextRefreshAt: this.nextRefreshAt?.toISOString() ?? null,
    };
  }

  private snapshot(): CatalogSnapshot {
    const status = this.status();
    const doc = status.blocked ? null : this.doc;
    return {
      ...status,
      offers: doc?.offers ?? [],
      tags: doc?.tags ?? [],
      plugins: doc ? this.plugins(doc) : [],
    };
  }

  /**
   * The plugins as the renderer gets them: descriptions in the UI language and English only (the
   * fallback GLPI uses), which halves what 10,000 plugins weigh when GLPI Network sends several.
   */
  private plugins(doc: CatalogDoc): CatalogPlugin[] {
    const lang = this.language();
    if (this.shown?.doc === doc && this.shown.lang === lang) return this.shown.plugins;
    const plugins = doc.entries.map(({ plugin }) => this.withDescriptions(plugin, lang));
    this.shown = { doc, lang, plugins };
    return plugins;
  }

  private async fetch(): Promise<CatalogSnapshot> {
    if (this.blocked()) return this.snapshot();
    await this.load();
    const fingerprint = this.d.keys.fingerprint();
    const key = await this.d.keys.secret();
    if (!key || !fingerprint) return this.snapshot();
    const glpiVersion = this.d.settings.get().glpiVersion;
    const uid = this.d.settings.uid();
    this.changed();
    try {
      const [offers, plugins] = await Promise.all([this.offers(), this.d.market.plugins(key, uid)]);
      const tags = await this.tags(key, uid);
      for (const entry of plugins.entries) {
        const fromTags = tags.byPlugin.get(entry.plugin.key) ?? [];
        entry.plugin.tags = [...new Set([...entry.plugin.tags, ...fromTags])];
      }
      const doc = this.fetchedDoc(fingerprint, glpiVersion, { offers, tags: tags.list, plugins });
      if (plugins.skipped.length > 0)
        this.d.logger.warn('GLPI Network sent plugin records that could not be read', {
          skipped: plugins.skipped.slice(0, 20),
        });
      if (this.id() !== `${fingerprint}/${glpiVersion}`) return this.snapshot(); // the key or version changed meanwhile
      if (plugins.complete || !this.doc?.complete) {
        this.doc = doc;
        this.docId = this.id();
        await this.d.cache.write(doc);
      }
      this.failure = plugins.complete ? null : this.truncation(plugins.failedPage ?? 0, plugins.failure);
      this.d.logger.info('Catalogue refreshed', {
        plugins: plugins.entries.length,
        complete: plugins.complete,
        requests: plugins.requests,
      });
    } catch (err) {
      if (!(err instanceof NetworkProblem)) throw err;
      this.failure = {
        cause: err.kind,
        message: err.message,
        fix: err.fix,
        at: this.d.clock.now().toISOString(),
        ...(err.status ? { status: err.status } : {}),
      };
      this.d.logger.warn('Catalogue refresh failed', { cause: err.kind, detail: err.message });
    }
    return this.snapshot();
  }

  private truncation(page: number, problem: NetworkProblem | null): NetworkFailure {
    const kept = this.doc?.complete ? ` The last complete list, from ${this.doc.fetchedAt}, is still shown.` : '';
    return {
      cause: problem?.kind ?? 'http',
      message: `The plugin list is incomplete: page ${page + 1} failed${problem ? ` (${problem.message})` : ''}.${kept}`,
      fix: problem?.fix ?? 'Refresh again in a few minutes.',
      at: this.d.clock.now().toISOString(),
      ...(problem?.status ? { status: problem.status } : {}),
    };
  }

  private async offers(): Promise<Offer[]> {
    try {
      return await this.d.network.offers();
    } catch (err) {
      // Without offers the tier titles are unknown, not the catalogue: keep the last ones.
      this.logFailure(err);
      return this.doc?.offers ?? [];
    }
  }

  private async tags(key: string, uid: string): Promise<{ list: CatalogTag[]; byPlugin: Map<string, string[]> }> {
    try {
      const tags = await this.d.market.tags(key, uid);
      return { list: tags.tags, byPlugin: tags.byPlugin };
    } catch (err) {
      this.logFailure(err);
      return { list: this.doc?.tags ?? [], byPlugin: new Map() };
    }
  }

  /**
   * Reads the cache for the current key and version, once, even when asked concurrently: its light
   * copy when the list is all that is needed (`light`), else the full document, which replaces a
   * light one.
   */
  private load(depth: LoadDepth = 'full'): Promise<void> {
    const id = this.id();
    if (id === this.docId && (depth === 'light' || !this.doc?.light)) return Promise.resolve();
    if (this.loading?.id === id && (depth === 'light' || this.loading.depth === 'full')) return this.loading.promise;
    const fingerprint = this.d.keys.fingerprint();
    const glpiVersion = this.d.settings.get().glpiVersion;
    const before = this.doc;
    const promise: Promise<void> = (async () => {
      const light = depth === 'light' && fingerprint ? await this.d.cache.readLight(fingerprint, glpiVersion) : null;
      const doc = light ?? (fingerprint ? await this.d.cache.read(fingerprint, glpiVersion) : null);
      if (this.id() !== id) return; // changed again meanwhile: the newer load wins
      // Set meanwhile: a light copy only fills a gap; a full document replaces a light one, not
      // the full one a fetch (or another read) just set.
      if (this.doc !== before && (light || !this.doc?.light)) return;
      const shown = id === this.docId ? this.doc : null;
      if (id !== this.docId) this.failure = null;
      this.doc = doc;
      this.docId = id;
      // A light copy older than its document (a crash between their writes): the list changed.
      if (shown?.light && doc && doc.fetchedAt !== shown.fetchedAt) this.changed();
    })().finally(() => {
      if (this.loading?.promise === promise) this.loading = null;
    });
    this.loading = { id, depth, promise };
    return promise;
  }

  private isStale(): boolean {
    if (!this.doc) return true;
    return this.d.clock.now().getTime() - Date.parse(this.doc.fetchedAt) >= this.refreshMs;
  }

  private schedule(): void {
    this.cancelTimer?.();
    const base = this.doc ? Date.parse(this.doc.fetchedAt) : this.d.clock.now().getTime();
    // Up to 10% later, so that the machines of a fleet started together do not ask together.
    const jitter = Math.floor((this.d.random ?? Math.random)() * 0.1 * this.refreshMs);
    const at = Math.max(this.d.clock.now().getTime(), base + this.refreshMs + jitter);
    this.nextRefreshAt = new Date(at);
    this.cancelTimer = this.d.clock.setTimeout(() => {
      if (this.d.online && !this.d.online()) {
        // Offline: wait, and look again in a few minutes rather than failing every hour.
        this.cancelTimer = this.d.clock.setTimeout(() => this.schedule(), OFFLINE_RETRY_MS);
        return;
      }
      if (!this.blocked()) void this.refresh().catch((err: unknown) => this.logFailure(err));
      else this.schedule();
    }, at - this.d.clock.now().getTime());
  }

  /** GLPI sends no marketplace request without a valid registration; neither do we. */
  private blocked(): CatalogStatus['blocked'] {
    const state = this.d.keys.status().state;
    if (state === 'none') return 'no-key';
    if (state === 'invalid') return 'invalid-key';
    return null;
  }

  /** The document of a catalogue just fetched for (key, GLPI version), as the cache keeps it. */
  private fetchedDoc(
    fingerprint: string,
    glpiVersion: string,
    sent: { offers: Offer[]; tags: CatalogTag[]; plugins: CatalogFetch },
  ): CatalogDoc {
    return {
      format: 1,
      fingerprint,
      glpiVersion,
      fetchedAt: this.d.clock.now().toISOString(),
      complete: sent.plugins.complete,
      offers: sent.offers,
      tags: sent.tags,
      entries: sent.plugins.entries,
      skipped: sent.plugins.skipped,
    };
  }

  private id(): string {
    return `${this.d.keys.fingerprint() ?? '-'}/${this.d.settings.get().glpiVersion}`;
  }

  private changed(): void {
    this.d.events.emit('catalog.changed', this.status());
  }

  private logFailure(err: unknown): void {
    this.d.logger.warn('Catalogue request failed', { error: err instanceof Error ? err.message : String(err) });
  }
}
