import { z } from 'zod';
import type { CatalogPlugin, CatalogTag, PluginDescription, PluginVersion, SkippedRecord } from '../../shared/catalog';
import { acceptLanguage } from '../../shared/glpi-version';
import { versionCompare } from '../../shared/php-version';
import { NetworkProblem, type Answer, type GlpiNetworkClient } from './glpi-network-client';
import { fetchPagedList } from './paged-list';

export const PAGE_SIZE = 200; // GLPI's Plugins::COL_PAGE
/**
 * Most pages of a list in flight at once, whatever the adaptive window measures, and most tag
 * lists read at once: polite to GLPI Network, and as fast as more (docs/development.md, "Paging").
 */
export const DEFAULT_CONCURRENCY = 8;
/** Pages in flight when the window opens, after a full first page. */
const INITIAL_IN_FLIGHT = 4;
const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/** A plugin as the core keeps it: the renderer's view plus where each version's archive is. */
export interface CatalogEntry {
  plugin: CatalogPlugin;
  /** num → archive URL. Never sent to the renderer. */
  downloads: Record<string, string>;
}

/** Where `version`'s archive is, or null: own entries only (the cache's copy is a plain object). */
export function archiveUrl(entry: CatalogEntry, version: string): string | null {
  return Object.hasOwn(entry.downloads, version) ? (entry.downloads[version] ?? null) : null;
}

export interface CatalogFetch {
  entries: CatalogEntry[];
  skipped: SkippedRecord[];
  /** False when a page failed after its attempts: the list is truncated. */
  complete: boolean;
  /** The failure that truncated the list. */
  failure: NetworkProblem | null;
  failedPage: number | null;
  requests: number;
}

type Raw = Record<string, unknown>;

class RecordError extends Error {}

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optionalUrl = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() && v.length <= 2048 ? v.trim() : null;
const num = (v: unknown, max: number): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= max ? n : 0;
};

/** The strings of a list whose items are strings, or objects carrying one in `field`. */
function stringsOrKeyed(v: unknown, field: string): string[] {
  const found: string[] = [];
  if (!Array.isArray(v)) return found;
  for (const item of v as unknown[]) {
    if (typeof item === 'string') found.push(item);
    else if (isObject(item) && typeof item[field] === 'string') found.push(item[field]);
  }
  return found;
}

/** The UI language, and the language of a tag as `acceptLanguage` reads it (remembered: 10,000 records repeat a few codes). */
interface TagLanguages {
  ui: string;
  of: (tag: unknown) => string | null;
}

function tagLanguages(ui: string): TagLanguages {
  const seen = new Map<string, string>();
  return {
    ui,
    of: (tag) => {
      if (!isObject(tag) || typeof tag.lang !== 'string') return null;
      let code = seen.get(tag.lang);
      if (code === undefined) {
        code = acceptLanguage(tag.lang);
        if (seen.size < 64) seen.set(tag.lang, code);
      }
      return code;
    },
  };
}

/**
 * Tag keys of a record. Where tags carry a language (upstream: one row per language, each with
 * its own slug), keep the UI language's, else English's, so one tag is not listed twice.
 */
function tagsIn(value: unknown, languages: TagLanguages): string[] {
  if (!Array.isArray(value)) return [];
  const items: unknown[] = value;
  let kept: string | null = null; // null: no tag says its language, all are kept
  for (const tag of items) {
    const code = languages.of(tag);
    if (code === languages.ui) {
      kept = code;
      break;
    }
    if (code !== null) kept = 'en';
  }
  const inKept = (tag: unknown) => kept === null || languages.of(tag) === kept;
  const all = !items.some(inKept); // no tag in the UI language nor in English: all are kept
  const keys = new Set<string>();
  for (const tag of items) {
    if (!all && !inKept(tag)) continue;
    if (typeof tag === 'string') keys.add(tag);
    else if (isObject(tag) && typeof tag.key === 'string') keys.add(tag.key);
  }
  return [...keys];
}

function descriptionsIn(value: unknown): PluginDescription[] {
  const found: PluginDescription[] = [];
  if (!Array.isArray(value)) return found;
  for (const d of value as unknown[])
    if (isObject(d) && typeof d.lang === 'string')
      found.push({ lang: d.lang, short: str(d.short_description), long: str(d.long_description) });
  return found;
}

/** Refuses the record (the message names the field). Only called on failure, so no path is built otherwise. */
function refuse(path: string, message: string): never {
  throw new RecordError(`${path}: ${message}`);
}

const KEY = /^[a-z0-9]+$/i;
const textUpTo = (v: unknown, max: number): v is string | null =>
  v === null || (typeof v === 'string' && v.length <= max);

/**
 * Checks one record by hand and makes it an entry in the same pass (a schema library costs
 * several times more on 10,000 records, and so did copying each record twice): the fields GLPI
 * relies on must be right or the record is skipped; the others fall back to defaults. GLPI Network
 * sends one version row per compatibility: rows of the same num are merged, then sorted as PHP's
 * version_compare sorts them.
 */
function readEntry(raw: unknown, languages: TagLanguages): CatalogEntry {
  if (!isObject(raw)) refuse('record', 'not an object');
  const { key, name, versions: rows, required_offers: offers } = raw;
  if (typeof key !== 'string' || !KEY.test(key))
    refuse('key', 'missing, or not letters and digits only (GLPI refuses other keys)');
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) refuse('name', 'missing or not a text');
  if (!Array.isArray(rows)) refuse('versions', 'not a list');
  const versions: PluginVersion[] = [];
  // Keyed by version numbers: as a plain object each new key was a new hidden class, the record
  // checks' largest cost (this function's own time over a sync benchmark run: 361 ms, now 244); a
  // prototype-less object is a dictionary from the start, and no version (`constructor`) finds an
  // inherited member.
  const downloads = Object.create(null) as Record<string, string>;
  for (let i = 0; i < rows.length; i++) {
    const v: unknown = rows[i];
    if (!isObject(v)) refuse(`versions.${i}`, 'not an object');
    const n = typeof v.num === 'string' ? v.num.trim() : '';
    if (n.length === 0 || n.length > 50) refuse(`versions.${i}.num`, 'missing or too long');
    const url = v.download_url ?? null;
    if (!textUpTo(url, 2048)) refuse(`versions.${i}.download_url`, 'not a URL');
    const stability = v.stability ?? null;
    if (!textUpTo(stability, 20)) refuse(`versions.${i}.stability`, 'not a text');
    const compatibility = v.compatibility ?? null;
    if (!textUpTo(compatibility, 50)) refuse(`versions.${i}.compatibility`, 'not a text');
    const same = versions.find((version) => version.num === n);
    if (!same)
      versions.push({ num: n, compatibility: compatibility ? [compatibility] : [], stability: stability || 'stable' });
    else if (compatibility && !same.compatibility.includes(compatibility)) same.compatibility.push(compatibility);
    if (url && !downloads[n]) downloads[n] = url;
  }
  // A wrong offer list must not turn a premium plugin into a free one: refuse the record.
  if (offers != null && !(Array.isArray(offers) && offers.every((o) => typeof o === 'string')))
    refuse('required_offers', 'not a list of offer references');
  if (versions.length > 1) versions.sort((a, b) => versionCompare(a.num, b.num));
  return {
    plugin: {
      key,
      name,
      logoUrl: optionalUrl(raw.logo_url),
      descriptions: descriptionsIn(raw.descriptions),
      authors: stringsOrKeyed(raw.authors, 'name'),
      license: str(raw.license),
      homepageUrl: optionalUrl(raw.homepage_url),
      issuesUrl: optionalUrl(raw.issues_url),
      readmeUrl: optionalUrl(raw.readme_url),
      changelogUrl: optionalUrl(raw.changelog_url),
      note: num(raw.note, 5),
      downloads: Math.floor(num(raw.download_count, Number.MAX_SAFE_INTEGER)),
      dateAdded: str(raw.date_added),
      dateUpdated: str(raw.date_updated),
      requiredOffers: Array.isArray(offers) && offers.length > 0 ? offers : null,
      versions,
      tags: tagsIn(raw.tags, languages),
      screenshots: stringsOrKeyed(raw.screenshots, 'url'),
    },
    downloads,
  };
}

/** A record as kept, or why it was skipped (its index is given once the pages are in order). */
function readItem(raw: unknown, languages: TagLanguages): CatalogEntry | Omit<SkippedRecord, 'index'> {
  try {
    return readEntry(raw, languages);
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    return { key: isObject(raw) && typeof raw.key === 'string' ? raw.key : null, reason: err.message };
  }
}

const tagSchema = z.object({
  key: z.string().min(1).max(60),
  tag: z.string(),
  plugin_count: z.coerce.number().catch(0),
});

/**
 * The marketplace endpoints (`plugins`, `tags/top`, `tags/{tag}/plugin`) with GLPI's paging
 * protocol, but faster: once the first page is full, further pages are fetched a few at a time.
 */
export class MarketplaceClient {
  constructor(
    private readonly network: GlpiNetworkClient,
    private readonly options: { concurrency?: number; language: () => string } = { language: () => 'en' },
  ) {}

  /** Every plugin, every page until an empty one (or a failure, which truncates the list). */
  async plugins(key: string, uid: string): Promise<CatalogFetch> {
    const languages = tagLanguages(acceptLanguage(this.options.language()));
    // Each page is checked as it arrives; only the order-dependent part (indices, duplicates) waits.
    const list = await this.pagedArray('plugins', key, uid, (items) => items.map((raw) => readItem(raw, languages)));
    const entries: CatalogEntry[] = [];
    const skipped: SkippedRecord[] = [];
    const seen = new Set<string>();
    let index = 0;
    for (const page of list.pages) {
      for (const item of page) {
        if ('reason' in item) skipped.push({ index, ...item });
        else if (seen.has(item.plugin.key.toLowerCase()))
          skipped.push({ index, key: item.plugin.key, reason: 'duplicate key (the first record was kept)' });
        else {
          seen.add(item.plugin.key.toLowerCase());
          entries.push(item);
        }
        index++;
      }
    }
    return {
      entries,
      skipped,
      complete: list.complete,
      failure: list.failure,
      failedPage: list.failedPage,
      requests: list.requests,
    };
  }

  /** `tags/top` in the UI language, then each tag's plugin keys. */
  async tags(
    key: string,
    uid: string,
  ): Promise<{ tags: CatalogTag[]; byPlugin: Map<string, string[]>; complete: boolean }> {
    const answer = await this.network.request(
      '/api/marketplace/tags/top',
      {
        ...this.headers(key, uid),
        'X-Lang': xLang(this.options.language()),
      },
      { accept: isArrayAnswer },
    );
    const body = arrayBody(answer);
    if (!body) throw this.network.unusable(answer, 'the tag list');
    const tags = body
      .map((t) => tagSchema.safeParse(t))
      .flatMap((r) => (r.success ? [{ key: r.data.key, tag: r.data.tag, count: r.data.plugin_count }] : []));
    const byPlugin = new Map<string, string[]>();
    let complete = true;
    await pool(tags, this.options.concurrency ?? DEFAULT_CONCURRENCY, async (tag) => {
      const list = await this.pagedArray(`tags/${encodeURIComponent(tag.key)}/plugin`, key, uid, (items) => items);
      if (!list.complete) complete = false;
      for (const item of list.pages.flat()) {
        const k = item && typeof item === 'object' && 'key' in item && typeof item.key === 'string' ? item.key : null;
        if (k) byPlugin.set(k, [...(byPlugin.get(k) ?? []), tag.key]);
      }
    });
    return { tags, byPlugin, complete };
  }

  private headers(key: string, uid: string): Record<string, string> {
    return { Accept: 'application/json', 'X-Registration-Key': key, 'X-Glpi-Network-Uid': uid };
  }

  /**
   * GLPI's loop (request 0-199, 200-399, … until an empty array; 3 attempts per page, which the
   * client's retry policy gives, counting a non-array answer as a failed attempt) with the pages
   * after the first one fetched several at a time (`fetchPagedList`): the same list GLPI would
   * build, pages in order up to the first empty one, truncated at the first failed one. `read`
   * turns each page into what the caller keeps, as the page arrives.
   */
  private async pagedArray<T>(path: string, key: string, uid: string, read: (items: unknown[]) => T) {
    const list = await fetchPagedList({
      pageSize: PAGE_SIZE,
      maxInFlight: this.options.concurrency ?? DEFAULT_CONCURRENCY,
      initialInFlight: INITIAL_IN_FLIGHT,
      now: () => performance.now(),
      read,
      fetch: async (page, { signal, onRetry }) => {
        const start = page * PAGE_SIZE;
        const answer = await this.network.request(
          `/api/marketplace/${path}`,
          { ...this.headers(key, uid), 'X-Range': `${start}-${start + PAGE_SIZE - 1}` },
          { accept: isArrayAnswer, maxBodyBytes: MAX_PAGE_BYTES, signal, onRetry },
        );
        const items = arrayBody(answer);
        if (items) return { items, total: announcedTotal(answer.headers['content-range']) };
        throw Object.assign(this.network.unusable(answer, `page ${page + 1} of the plugin list`), { answer });
      },
      // Upstream answers 400 "Start at unexisting index" past the end: after a short page that
      // is the end of the list, not a failure (GLPI would flag it truncated and never cache it).
      failureEndsList: (err, previous) =>
        (err as { answer?: Answer } | undefined)?.answer?.status === 400 && previous < PAGE_SIZE,
    });
    const failure = list.error instanceof NetworkProblem ? list.error : null;
    return { ...list, failure };
  }
}

/** The list's length from `Content-Range: 0-199/10000` (the plugin directory's form), else null. */
function announcedTotal(header: string | undefined): number | null {
  const total = header ? /\d+-\d+\/(\d+)\s*$/.exec(header)?.[1] : undefined;
  return total === undefined ? null : Number(total);
}

// Parsed once per answer, whether the retry policy or the page reader asks first.
const parsedBodies = new WeakMap<Answer, unknown[] | null>();

function arrayBody(answer: Answer): unknown[] | null {
  if (parsedBodies.has(answer)) return parsedBodies.get(answer) ?? null;
  let value: unknown = null;
  if (answer.status >= 200 && answer.status < 300 && /^\s*\[/.test(answer.body)) {
    try {
      value = JSON.parse(answer.body) as unknown;
    } catch {
      value = null;
    }
  }
  const result = Array.isArray(value) ? (value as unknown[]) : null;
  parsedBodies.set(answer, result);
  return result;
}

function isArrayAnswer(answer: Answer): boolean {
  return arrayBody(answer) !== null;
}

/** X-Lang as GLPI sends it: the jQuery locale code (fr, en-GB, pt-BR, zh-CN, es, de, …). */
export function xLang(language: string): string {
  const [lang = 'en', region] = language.split(/[_-]/);
  if (lang === 'en') return 'en-GB';
  if ((lang === 'pt' && region?.toUpperCase() === 'BR') || (lang === 'zh' && region))
    return `${lang}-${region?.toUpperCase()}`;
  return lang.toLowerCase();
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
