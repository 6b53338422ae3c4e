/**
 * The marketplace family of the GLPI Network services API (docs/glpi-network-api.md §2.4-2.10), under
 * `/api/marketplace/` and its legacy alias `/api/glpi-plugins/`, plus the archives the catalogue
 * points at (`/downloads/<key>/<key>-<num>.<format>`), built on the fly and cached in memory.
 *
 * Decisions where the doc leaves the real service unknown (§10) are listed in README.md; in short:
 * missing/unknown key → 401 JSON on every marketplace endpoint; no X-Range → the first 200 items;
 * a start past the end → 200 `[]`; tags/top → the 10 most used tags; the download counter → 302
 * (200 JSON when Accept is exactly application/json); premium archives → 403 JSON.
 */
import type { Account, AccountBook } from './accounts';
import { ARCHIVE_FORMATS, type ApiPlugin, type ApiTag, type ApiTopTag, type ApiVersion } from './catalog-types';
import type { ArchiveFormat, StandinPlugin, StandinVersion } from './catalog-types';
import { tagDefinition, tagSlug } from './catalog-data';
import { compatibilityMatches, glpiVersionFromUserAgent, type GlpiVersion } from './compat';
import { buildArchive, CONTENT_TYPES, MissingToolError } from './archive-writers';
import { ARCHIVE_FAULTS, LIST_FAULTS, type Fault } from './faults';
import { pluginFiles } from './plugin-files';
import type { SourceShape } from './source-tree';
import { json, JSON_TYPE, type Reply, type Route, type RouteContext } from './router';

/** GLPI's `Plugins::COL_PAGE`: the page GLPI asks for, and what the stand-in serves without X-Range. */
export const COL_PAGE = 200;
/** Upstream's `tags/top` limit. */
export const TOP_TAGS = 10;
/** `?size=` and setArchivePadding cap (bytes). */
export const MAX_PADDING = 256 * 1024 * 1024;
/** At most this many files of each kind in an archive body set by setArchiveSource. */
export const MAX_SOURCE_FILES = 20_000;

/** Throws a RangeError unless `shape` is a usable {@link SourceShape}. */
function checkShape(shape: SourceShape): void {
  const counts = [shape.textFiles, shape.binaryFiles];
  const sizes = [shape.textBytes, shape.binaryBytes];
  const whole = (n: unknown, max: number): boolean => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= max;
  if (!counts.every((n) => whole(n, MAX_SOURCE_FILES)) || !sizes.every((n) => whole(n, MAX_PADDING)))
    throw new RangeError(
      `a source shape is {textFiles, textBytes, binaryFiles, binaryBytes}: files 0-${MAX_SOURCE_FILES}, bytes 0-${MAX_PADDING}`,
    );
}
/** Archive cache cap (bytes); the oldest archives are dropped first. */
const CACHE_BYTES = 768 * 1024 * 1024;

const BASE = String.raw`^/api/(?:marketplace|glpi-plugins)/`;
const PLUGINS_PATH = new RegExp(`${BASE}plugins$`);
const TAG_PLUGINS_PATH = new RegExp(`${BASE}tags/(?<tag>[^/]+)/plugin$`);
const ARCHIVE_PATH = /^\/downloads\/(?<key>[^/]+)\/(?<file>[^/]+)$/;

export interface DownloadHit {
  key: string;
  /** As requested (GLPI sends the version read from the extracted setup.php). */
  version: string;
  at: number;
}

/** A version for addVersion: format and date default to the plugin's latest format and today. */
export type NewVersion = Omit<StandinVersion, 'format' | 'date'> & Partial<Pick<StandinVersion, 'format' | 'date'>>;

type Range = { start: number; end: number };

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** X-Range `a-b` (inclusive); absent or not `digits-digits`: upstream's default page; end < start: invalid. */
export function parseRange(header: string | undefined): Range | 'invalid' {
  const m = /^\s*(\d{1,9})-(\d{1,9})\s*$/.exec(header ?? '');
  if (!m) return { start: 0, end: COL_PAGE - 1 };
  const start = Number(m[1]);
  const end = Number(m[2]);
  return end < start ? 'invalid' : { start, end };
}

/** 1-based page number of a range (its size being end - start + 1). */
export function pageOf(range: Range): number {
  return Math.floor(range.start / (range.end - range.start + 1)) + 1;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkVersion(v: unknown, where: string): void {
  const fail = (why: string): never => {
    throw new TypeError(`${where}: ${why}`);
  };
  if (typeof v !== 'object' || v === null) fail('expected a version object');
  const version = v as Record<string, unknown>;
  if (typeof version.num !== 'string' || version.num.trim() === '' || version.num.includes('/'))
    fail('num must be a non-empty string without "/"');
  if (
    !Array.isArray(version.compatibility) ||
    version.compatibility.length === 0 ||
    !version.compatibility.every((c) => typeof c === 'string')
  )
    fail('compatibility must be a non-empty array of strings');
  if (version.stability !== undefined && typeof version.stability !== 'string') fail('stability must be a string');
  if (!ARCHIVE_FORMATS.includes(version.format as ArchiveFormat))
    fail(`format must be one of ${ARCHIVE_FORMATS.join(', ')}`);
  if (typeof version.date !== 'string' || !DATE.test(version.date)) fail('date must be YYYY-MM-DD');
  if (version.download_url !== undefined && typeof version.download_url !== 'string')
    fail('download_url must be a string');
}

/**
 * Guards the stand-in's own invariants (unique keys usable in a URL path, well-formed versions);
 * the other fields are served as given, so a test can put odd values in them on purpose.
 */
export function checkCatalogue(plugins: unknown): asserts plugins is StandinPlugin[] {
  if (!Array.isArray(plugins)) throw new TypeError('catalogue: expected an array of plugins');
  const keys = new Set<string>();
  plugins.forEach((p: unknown, i) => {
    if (typeof p !== 'object' || p === null) throw new TypeError(`catalogue[${i}]: expected a plugin object`);
    const plugin = p as Record<string, unknown>;
    const key = plugin.key;
    if (typeof key !== 'string' || key === '' || /[/\s]/.test(key))
      throw new TypeError(`catalogue[${i}]: key must be a non-empty string without "/" or spaces`);
    if (keys.has(key)) throw new TypeError(`catalogue[${i}]: duplicate key ${key}`);
    keys.add(key);
    if (!Array.isArray(plugin.versions)) throw new TypeError(`catalogue[${i}] ${key}: versions must be an array`);
    (plugin.versions as unknown[]).forEach((v, j) => checkVersion(v, `catalogue[${i}] ${key} versions[${j}]`));
    if (!Array.isArray(plugin.tags) || !Array.isArray(plugin.descriptions) || !Array.isArray(plugin.authors))
      throw new TypeError(`catalogue[${i}] ${key}: tags, descriptions and authors must be arrays`);
  });
}

/** `1.2.3` → `1.2.4`, `2.0.0-beta1` → `2.0.0-beta2`: a plausible "file says another version". */
function bumped(num: string): string {
  const m = /^(.*?)(\d+)(\D*)$/.exec(num);
  return m ? `${m[1]}${Number(m[2]) + 1}${m[3]}` : `${num}.1`;
}

interface TagRow {
  tag: string;
  lang: 'en' | 'fr';
  plugins: Set<string>;
}

export class Marketplace {
  /** Counter hits, in arrival order. */
  readonly downloads: DownloadHit[] = [];
  #plugins: StandinPlugin[] = [];
  #byKey = new Map<string, StandinPlugin>();
  #tags: Map<string, TagRow[]> | null = null;
  readonly #padding = new Map<string, number>();
  readonly #sources = new Map<string, SourceShape | null>();
  /** Republications in place, by `key@version`. */
  readonly #editions = new Map<string, number>();
  readonly #cache = new Map<string, { promise: Promise<Buffer>; size: number }>();

  constructor(
    private readonly accounts: AccountBook,
    private readonly origin: () => string,
    catalogue: StandinPlugin[],
  ) {
    this.setCatalogue(catalogue);
  }

  // --- state ---

  setCatalogue(plugins: StandinPlugin[]): void {
    checkCatalogue(plugins);
    this.#plugins = structuredClone(plugins);
    this.#reindex();
  }

  catalogue(): StandinPlugin[] {
    return structuredClone(this.#plugins);
  }

  plugin(key: string): StandinPlugin | undefined {
    const p = this.#byKey.get(key);
    return p && structuredClone(p);
  }

  /** Changes one plugin in place; the result is checked like setCatalogue (and rolled back if bad). */
  updatePlugin(key: string, change: (plugin: StandinPlugin) => void): void {
    const index = this.#plugins.findIndex((p) => p.key === key);
    const current = this.#plugins[index];
    if (!current) throw new RangeError(`No plugin ${key} in the catalogue`);
    const next = structuredClone(current);
    change(next);
    const plugins = [...this.#plugins];
    plugins[index] = next;
    checkCatalogue(plugins);
    this.#plugins = plugins;
    this.#reindex();
  }

  /** A new release: appended to the versions, `date_updated` moved to its date if later. */
  addVersion(key: string, version: NewVersion): void {
    this.updatePlugin(key, (p) => {
      const full: StandinVersion = {
        ...structuredClone(version),
        format: version.format ?? p.versions.at(-1)?.format ?? 'tar.gz',
        date: version.date ?? new Date().toISOString().slice(0, 10),
      };
      if (p.versions.some((v) => v.num === full.num)) throw new RangeError(`${key} already has version ${full.num}`);
      p.versions.push(full);
      if (full.date > p.date_updated) p.date_updated = full.date;
    });
  }

  setArchivePadding(key: string, bytes: number): void {
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_PADDING)
      throw new RangeError(`padding must be an integer 0-${MAX_PADDING}`);
    if (bytes === 0) this.#padding.delete(key);
    else this.#padding.set(key, bytes);
  }

  /**
   * The author republishes `version` of `key` in place: the same version, other bytes (README.md
   * gains a line). Each call is a new edition. Throws RangeError for an unknown key or version.
   */
  republish(key: string, version: string): number {
    if (!this.#byKey.get(key)?.versions.some((v) => v.num === version))
      throw new RangeError(`No version ${version} of ${key} in the catalogue`);
    const edition = (this.#editions.get(`${key}@${version}`) ?? 0) + 1;
    this.#editions.set(`${key}@${version}`, edition);
    return edition;
  }

  /**
   * The body of every archive of a plugin (source-tree.ts): `shape`, `null` for none, `undefined`
   * for the default (the key's real shape where REAL_SHAPES has one).
   */
  setArchiveSource(key: string, shape: SourceShape | null | undefined): void {
    if (shape === undefined) {
      this.#sources.delete(key);
      return;
    }
    if (shape !== null) checkShape(shape);
    this.#sources.set(key, shape);
  }

  /** The URL the catalogue gives for a version's archive on this stand-in. */
  archiveUrl(plugin: Pick<StandinPlugin, 'key'>, version: Pick<StandinVersion, 'num' | 'format'>): string {
    const file = `${plugin.key}-${version.num}.${version.format}`;
    return `${this.origin()}/downloads/${encodeURIComponent(plugin.key)}/${encodeURIComponent(file)}`;
  }

  #reindex(): void {
    this.#byKey = new Map(this.#plugins.map((p) => [p.key, p]));
    this.#tags = null;
    this.#cache.clear();
  }

  // --- tags ---

  /** tag key → rows (one per language using that key). */
  #tagIndex(): Map<string, TagRow[]> {
    if (this.#tags) return this.#tags;
    const index = new Map<string, TagRow[]>();
    for (const p of this.#plugins) {
      for (const row of tagRows(p.tags)) {
        const rows = index.get(row.key) ?? [];
        let entry = rows.find((r) => r.lang === row.lang);
        if (!entry) {
          entry = { tag: row.tag, lang: row.lang as 'en' | 'fr', plugins: new Set() };
          rows.push(entry);
          index.set(row.key, rows);
        }
        entry.plugins.add(p.key);
      }
    }
    this.#tags = index;
    return index;
  }

  topTags(lang: 'en' | 'fr'): ApiTopTag[] {
    const rows = (l: 'en' | 'fr'): ApiTopTag[] =>
      [...this.#tagIndex()].flatMap(([key, entries]) =>
        entries.filter((e) => e.lang === l).map((e) => ({ key, tag: e.tag, lang: l, plugin_count: e.plugins.size })),
      );
    // Upstream falls back to English when the language has no tag.
    const list = rows(lang).length > 0 ? rows(lang) : rows('en');
    list.sort((a, b) => b.plugin_count - a.plugin_count || a.key.localeCompare(b.key));
    return list.slice(0, TOP_TAGS);
  }

  // --- lists ---

  /** The records a paged path lists (all languages of a tag key), or null when the path is not a list. */
  listFor(pathname: string): StandinPlugin[] | null {
    if (PLUGINS_PATH.test(pathname)) return this.#plugins;
    const m = TAG_PLUGINS_PATH.exec(pathname);
    if (!m?.groups?.tag) return null;
    const tag = decode(m.groups.tag);
    const rows = tag === null ? undefined : this.#tagIndex().get(tag);
    if (!rows) return [];
    const keys = new Set(rows.flatMap((r) => [...r.plugins]));
    return this.#plugins.filter((p) => keys.has(p.key));
  }

  /**
   * Serialised records per plugin object and GLPI version: a 10,000-plugin benchmark must measure
   * the client, not the stand-in re-encoding the same records. Plugins are swapped, never edited
   * in place (but the download counter, which drops its entry), so object identity is the key.
   */
  readonly #serialised = new WeakMap<StandinPlugin, Map<string, string>>();

  #serialise(p: StandinPlugin, glpi: GlpiVersion | null): string {
    let byVersion = this.#serialised.get(p);
    if (!byVersion) this.#serialised.set(p, (byVersion = new Map<string, string>()));
    const id = glpi === null ? '*' : JSON.stringify(glpi);
    let text = byVersion.get(id);
    if (text === undefined) byVersion.set(id, (text = JSON.stringify(this.toApi(p, glpi))));
    return text;
  }

  toApi(p: StandinPlugin, glpi: GlpiVersion | null): ApiPlugin {
    const versions: ApiVersion[] = p.versions.flatMap((v) =>
      v.compatibility
        .filter((c) => glpi === null || compatibilityMatches(c, glpi))
        .map((compatibility) => {
          const row: ApiVersion = { num: v.num, compatibility, download_url: v.download_url ?? this.archiveUrl(p, v) };
          if (v.stability !== undefined) row.stability = v.stability;
          return row;
        }),
    );
    // Upstream's ORDER BY compatibility DESC, num DESC: plain string order, not version order.
    versions.sort((a, b) => cmpDesc(a.compatibility, b.compatibility) || cmpDesc(a.num, b.num));
    const en = p.descriptions.find((d) => d.lang === 'en') ?? p.descriptions[0];
    return {
      id: p.id,
      name: p.name,
      key: p.key,
      logo_url: p.logo_url,
      xml_url: p.xml_url,
      homepage_url: p.homepage_url,
      download_url: p.download_url,
      issues_url: p.issues_url,
      readme_url: p.readme_url,
      changelog_url: p.changelog_url,
      license: p.license,
      date_added: p.date_added,
      date_updated: p.date_updated,
      download_count: p.download_count,
      xml_state: 'passing',
      note: p.note,
      short_description: en?.short_description ?? '',
      authors: p.authors,
      descriptions: p.descriptions,
      versions,
      tags: tagRows(p.tags),
      screenshots: p.screenshots.map((url) => ({ url })),
      required_offers: p.required_offers,
    };
  }

  #page(ctx: RouteContext, list: readonly StandinPlugin[]): Reply {
    const range = parseRange(ctx.header('x-range'));
    if (range === 'invalid') return json(400, { error: 'Invalid X-Range: the end is before the start' });
    const total = list.length;
    const acceptRange = { 'Accept-Range': `model ${total}` };
    if (total === 0) return json(200, [], { ...acceptRange, 'Content-Range': '0-0/0' });
    if (range.start >= total) {
      if (ctx.fault?.mode === 'past-end-400') return json(400, { error: 'Start at unexisting index' }, acceptRange);
      return json(200, [], acceptRange);
    }
    const end = Math.min(range.end, total - 1);
    const glpi = glpiVersionFromUserAgent(ctx.header('user-agent'));
    const status = range.start === 0 && end === total - 1 ? 200 : 206;
    const headers = { ...acceptRange, 'Content-Range': `${range.start}-${end}/${total}` };
    const slice = list.slice(range.start, end + 1);
    if (ctx.fault?.mode !== 'malformed-records' && ctx.fault?.mode !== 'non-array') {
      const body = `[${slice.map((p) => this.#serialise(p, glpi)).join(',')}]`;
      return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body };
    }
    let items: unknown[] = slice.map((p) => this.toApi(p, glpi));
    if (ctx.fault?.mode === 'malformed-records') items = items.map((item, i) => breakRecord(item, range.start + i));
    const body: unknown =
      ctx.fault?.mode === 'non-array'
        ? Object.fromEntries(items.map((item, i) => [String(range.start + i), item]))
        : items;
    return json(status, body, headers);
  }

  // --- access ---

  /** Marketplace endpoints: any key GLPI Network knows (a terminated one too, docs/glpi-network-api.md §3.5). */
  #authorize(ctx: RouteContext): Account | Reply {
    const key = ctx.header('x-registration-key')?.trim();
    if (!key) return json(401, { error: 'Registration key missing: send it in the X-Registration-Key header.' });
    const account = this.accounts.lookup(key);
    return account ?? json(401, { error: 'The registration key is invalid.' });
  }

  // --- faults ---

  /** Whether a list/archive fault acts on this request (others always do). */
  faultApplies(fault: Fault, pathname: string, header: (name: string) => string | undefined): boolean {
    if (ARCHIVE_FAULTS.includes(fault.mode)) return ARCHIVE_PATH.test(pathname);
    if (!LIST_FAULTS.includes(fault.mode)) return true;
    const list = this.listFor(pathname);
    if (!list) return false;
    const range = parseRange(header('x-range'));
    if (fault.mode === 'page-fail') return range !== 'invalid' && pageOf(range) === fault.page;
    if (fault.mode === 'past-end-400') return range !== 'invalid' && list.length > 0 && range.start >= list.length;
    return true;
  }

  // --- archives ---

  async #archive(ctx: RouteContext): Promise<Reply> {
    const key = decode(ctx.params.key ?? '');
    const file = decode(ctx.params.file ?? '');
    const plugin = key === null ? undefined : this.#byKey.get(key);
    const format = ARCHIVE_FORMATS.find((f) => file?.endsWith(`.${f}`));
    const num = plugin && file && format ? file.slice(`${plugin.key}-`.length, -`.${format}`.length) : null;
    const version =
      plugin && format && file?.startsWith(`${plugin.key}-`)
        ? plugin.versions.find((v) => v.num === num && v.format === format)
        : undefined;
    if (!plugin || !version || !format) return json(404, { error: 'Not found' });

    const offers = plugin.required_offers;
    const key_ = ctx.header('x-registration-key')?.trim();
    const account = key_ ? this.accounts.lookup(key_) : null;
    if (offers && offers.length > 0) {
      // docs/glpi-network-api.md §10.8: the stand-in blocks premium archives here, not in the list.
      if (!account || !account.running || !offers.includes(account.offer)) {
        const why = !key_
          ? 'no registration key was sent'
          : !account
            ? 'the registration key is invalid'
            : !account.running
              ? 'the subscription is terminated'
              : `the "${account.offer}" offer does not include it`;
        return json(403, {
          error: `The "${plugin.name}" plugin requires one of these GLPI Network offers: ${offers.join(', ')} (${why}).`,
          required_offers: offers,
        });
      }
    } else {
      // GLPI: the API "will refuse to serve the archive if registration key is not set in headers".
      const denied = this.#authorize(ctx);
      if ('status' in denied) return denied;
    }

    const size = ctx.url.searchParams.get('size');
    let padding = this.#padding.get(plugin.key) ?? 0;
    if (size !== null) {
      if (!/^\d{1,10}$/.test(size) || Number(size) > MAX_PADDING)
        return json(400, { error: `size must be an integer number of bytes, at most ${MAX_PADDING}` });
      padding = Number(size);
    }
    const fault = ctx.fault?.mode;
    const top = fault === 'archive-wrong-top' ? `${plugin.key}-master` : plugin.key;
    const fileVersion = fault === 'archive-version-mismatch' ? bumped(version.num) : version.num;

    let bytes: Buffer;
    try {
      const source = this.#sources.get(plugin.key);
      const edition = this.#editions.get(`${plugin.key}@${version.num}`) ?? 0;
      bytes = await this.#build(plugin, version, { top, fileVersion, padding, source, edition });
    } catch (error) {
      if (error instanceof MissingToolError) return json(500, { error: error.message });
      throw error;
    }
    if (fault === 'archive-truncated') bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
    return {
      status: 200,
      headers: {
        'Content-Type': CONTENT_TYPES[format],
        'Content-Disposition': `attachment; filename="${encodeURIComponent(file ?? '')}"`,
        'Last-Modified': new Date(`${version.date}T12:00:00Z`).toUTCString(),
      },
      body: bytes,
    };
  }

  #build(
    plugin: StandinPlugin,
    version: StandinVersion,
    options: {
      top: string;
      fileVersion: string;
      padding: number;
      source: SourceShape | null | undefined;
      edition: number;
    },
  ): Promise<Buffer> {
    const id = JSON.stringify([
      plugin.key,
      version.num,
      version.format,
      options.top,
      options.fileVersion,
      options.padding,
      options.source,
      options.edition,
    ]);
    const cached = this.#cache.get(id);
    if (cached) {
      // Most recently used last.
      this.#cache.delete(id);
      this.#cache.set(id, cached);
      return cached.promise;
    }
    const { source, ...rest } = options;
    const files = pluginFiles(plugin, version, source === undefined ? rest : { ...rest, source });
    const entry = { promise: buildArchive(version.format, files), size: 0 };
    this.#cache.set(id, entry);
    entry.promise.then(
      (bytes) => {
        entry.size = bytes.length;
        let total = 0;
        for (const e of this.#cache.values()) total += e.size;
        for (const [k, e] of this.#cache) {
          if (total <= CACHE_BYTES || e === entry) break;
          total -= e.size;
          this.#cache.delete(k);
        }
      },
      () => {
        if (this.#cache.get(id) === entry) this.#cache.delete(id);
      },
    );
    return entry.promise;
  }

  // --- routes ---

  routes(): Route[] {
    const guarded =
      (handler: (ctx: RouteContext, account: Account) => Reply | Promise<Reply>) =>
      (ctx: RouteContext): Reply | Promise<Reply> => {
        const account = this.#authorize(ctx);
        return 'status' in account ? account : handler(ctx, account);
      };
    const top10 = (sort: (a: StandinPlugin, b: StandinPlugin) => number, pick: (p: StandinPlugin) => object) =>
      guarded(() => json(200, [...this.#plugins].sort(sort).slice(0, 10).map(pick)));
    return [
      { method: 'GET', path: PLUGINS_PATH, handle: guarded((ctx) => this.#page(ctx, this.#plugins)) },
      {
        method: 'GET',
        path: new RegExp(`${BASE}tags/top$`),
        handle: guarded((ctx) =>
          json(200, this.topTags(ctx.header('x-lang')?.trim().toLowerCase() === 'fr' ? 'fr' : 'en')),
        ),
      },
      {
        method: 'GET',
        path: TAG_PLUGINS_PATH,
        // An unknown tag is an empty list (docs/glpi-network-api.md Appendix B: a 404 would flag
        // GLPI's list as truncated).
        handle: guarded((ctx) => this.#page(ctx, this.listFor(ctx.url.pathname) ?? [])),
      },
      {
        method: 'GET',
        path: new RegExp(`${BASE}plugin/(?<key>[^/]+)/download/(?<version>[^/]+)$`),
        handle: guarded((ctx) => this.#counter(ctx)),
      },
      // GLPI 9.5's top-10 lists (docs/glpi-network-api.md §2.10): only `key` is read.
      {
        method: 'GET',
        path: new RegExp(`${BASE}plugin/popular$`),
        handle: top10(
          (a, b) => b.download_count - a.download_count || b.note - a.note,
          (p) => ({ id: p.id, name: p.name, key: p.key, download_count: p.download_count, note: p.note }),
        ),
      },
      {
        method: 'GET',
        path: new RegExp(`${BASE}plugin/trending$`),
        handle: top10(
          (a, b) => this.#recent(b.key) - this.#recent(a.key) || b.download_count - a.download_count,
          (p) => ({
            id: p.id,
            name: p.name,
            key: p.key,
            download_count: p.download_count,
            recent_downloads: this.#recent(p.key),
          }),
        ),
      },
      {
        method: 'GET',
        path: new RegExp(`${BASE}plugin/new$`),
        handle: top10(
          (a, b) => b.date_added.localeCompare(a.date_added),
          (p) => ({ id: p.id, name: p.name, date_added: p.date_added, key: p.key }),
        ),
      },
      {
        method: 'GET',
        path: new RegExp(`${BASE}plugin/updated$`),
        handle: top10(
          (a, b) => b.date_updated.localeCompare(a.date_updated),
          (p) => ({ id: p.id, key: p.key, name: p.name, date_updated: p.date_updated }),
        ),
      },
      { method: 'GET', path: ARCHIVE_PATH, handle: (ctx) => this.#archive(ctx) },
    ];
  }

  #recent(key: string): number {
    return this.downloads.filter((d) => d.key === key).length;
  }

  /**
   * docs/glpi-network-api.md §2.7: count, then redirect to the archive (302: a 301 could be cached and skip the
   * counter next time); 200 `{download_url}` when Accept is exactly application/json, like
   * upstream's `/plugin/{key}/download`. GLPI sends the version of the extracted setup.php, which may
   * not be a catalogue num: the download still counts, the answer is then a 404.
   */
  #counter(ctx: RouteContext): Reply {
    const key = decode(ctx.params.key ?? '');
    const num = decode(ctx.params.version ?? '');
    const plugin = key === null ? undefined : this.#byKey.get(key);
    if (!plugin || num === null) return json(404, { error: 'Plugin not found' });
    plugin.download_count += 1;
    this.#serialised.delete(plugin);
    this.downloads.push({ key: plugin.key, version: num, at: Date.now() });
    const version = plugin.versions.find((v) => v.num === num);
    if (!version) return json(404, { error: `Version ${num} of ${plugin.key} not found (the download was counted)` });
    const url = version.download_url ?? this.archiveUrl(plugin, version);
    if (ctx.header('accept')?.trim() === 'application/json') return json(200, { download_url: url });
    return { status: 302, headers: { Location: url, 'Content-Length': 0 }, body: '' };
  }
}

function cmpDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

/** Served tag rows of a plugin: English and French, keys slugged like upstream. */
export function tagRows(ids: readonly string[]): ApiTag[] {
  const rows: ApiTag[] = [];
  for (const id of ids) {
    const def = tagDefinition(id);
    if (!def) {
      rows.push({ key: tagSlug(id), tag: id, lang: 'en' });
      continue;
    }
    rows.push({ key: tagSlug(def.en), tag: def.en, lang: 'en' }, { key: tagSlug(def.fr), tag: def.fr, lang: 'fr' });
  }
  return rows;
}

/** The malformed-records fault: records at absolute indices 3, 13, 23, … broken four ways in turn. */
export function breakRecord(item: unknown, index: number): unknown {
  if (index % 10 !== 3) return item;
  const record = { ...(item as ApiPlugin) } as Record<string, unknown>;
  switch (Math.floor(index / 10) % 4) {
    case 0:
      delete record.key;
      break;
    case 1:
      record.key = `../${String(record.key)}`;
      break;
    case 2:
      record.versions = Object.fromEntries(((record.versions as unknown[]) ?? []).map((v, i) => [String(i), v]));
      break;
    default:
      record.name = record.id;
      break;
  }
  return record;
}
