import { z } from 'zod';
import type { CatalogPlugin, CatalogTag, PluginVersion, SkippedRecord } from '../../shared/catalog';
import { acceptLanguage } from '../../shared/glpi-version';
import { versionCompare } from '../../shared/php-version';
import { NetworkProblem, type Answer, type GlpiNetworkClient } from './glpi-network-client';

export const PAGE_SIZE = 200; // GLPI's Plugins::COL_PAGE
/** Pages in flight at once after a full first page: enough to hide latency, few enough to be polite. */
export const DEFAULT_CONCURRENCY = 8;
const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/** A plugin as the core keeps it: the renderer's view plus where each version's archive is. */
export interface CatalogEntry {
  plugin: CatalogPlugin;
  /** num → archive URL. Never sent to the renderer. */
  downloads: Record<string, string>;
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

interface RawVersion {
  num: string;
  download_url: string | null;
  stability: string | null;
  compatibility: string | null;
}

/** A record as read: the fields Marketdesk uses, typed, with defaults for the optional ones. */
interface PluginRecord {
  key: string;
  name: string;
  versions: RawVersion[];
  logo_url: string | null;
  descriptions: { lang: string; short_description: string; long_description: string }[];
  authors: string[];
  license: string;
  note: number;
  homepage_url: string | null;
  issues_url: string | null;
  readme_url: string | null;
  changelog_url: string | null;
  download_count: number;
  date_added: string;
  date_updated: string;
  required_offers: string[] | null;
  screenshots: string[];
  tags: string[];
}

class RecordError extends Error {}

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optionalUrl = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() && v.length <= 2048 ? v.trim() : null;
const num = (v: unknown, max: number): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= max ? n : 0;
};
const stringsOrKeyed = (v: unknown, field: string): string[] =>
  Array.isArray(v)
    ? v.flatMap((item) =>
        typeof item === 'string' ? [item] : isObject(item) && typeof item[field] === 'string' ? [item[field]] : [],
      )
    : [];

/**
 * Tag keys of a record. Where tags carry a language (upstream: one row per language, each with
 * its own slug), keep the UI language's, else English's, so one tag is not listed twice.
 */
function tagsIn(value: unknown, lang: string): string[] {
  if (!Array.isArray(value)) return [];
  const items: unknown[] = value;
  const langOf = (t: unknown) => (isObject(t) && typeof t.lang === 'string' ? acceptLanguage(t.lang) : null);
  const pick = (wanted: string): unknown[] => items.filter((t) => langOf(t) === wanted);
  const chosen = items.some((t) => langOf(t) !== null) ? (pick(lang).length > 0 ? pick(lang) : pick('en')) : items;
  return [...new Set(stringsOrKeyed(chosen.length > 0 ? chosen : items, 'key'))];
}

function need(condition: boolean, path: string, message: string): asserts condition {
  if (!condition) throw new RecordError(`${path}: ${message}`);
}

/**
 * Checks one record by hand (a schema library costs several times more on 10,000 records): the
 * fields GLPI relies on must be right or the record is skipped; the others fall back to defaults.
 */
function readRecord(raw: unknown, lang: string): PluginRecord {
  need(isObject(raw), 'record', 'not an object');
  need(
    typeof raw.key === 'string' && /^[a-z0-9]+$/i.test(raw.key),
    'key',
    'missing, or not letters and digits only (GLPI refuses other keys)',
  );
  need(typeof raw.name === 'string' && raw.name.length > 0 && raw.name.length <= 200, 'name', 'missing or not a text');
  need(Array.isArray(raw.versions), 'versions', 'not a list');
  const versions = raw.versions.map((v: unknown, i): RawVersion => {
    need(isObject(v), `versions.${i}`, 'not an object');
    const n = typeof v.num === 'string' ? v.num.trim() : '';
    need(n.length > 0 && n.length <= 50, `versions.${i}.num`, 'missing or too long');
    need(
      v.download_url == null || (typeof v.download_url === 'string' && v.download_url.length <= 2048),
      `versions.${i}.download_url`,
      'not a URL',
    );
    need(
      v.stability == null || (typeof v.stability === 'string' && v.stability.length <= 20),
      `versions.${i}.stability`,
      'not a text',
    );
    need(
      v.compatibility == null || (typeof v.compatibility === 'string' && v.compatibility.length <= 50),
      `versions.${i}.compatibility`,
      'not a text',
    );
    return {
      num: n,
      download_url: v.download_url ?? null,
      stability: v.stability ?? null,
      compatibility: v.compatibility ?? null,
    };
  });
  // A wrong offer list must not turn a premium plugin into a free one: refuse the record.
  const offers = raw.required_offers;
  need(
    offers == null || (Array.isArray(offers) && offers.every((o) => typeof o === 'string')),
    'required_offers',
    'not a list of offer references',
  );
  return {
    key: raw.key,
    name: raw.name,
    versions,
    logo_url: optionalUrl(raw.logo_url),
    descriptions: Array.isArray(raw.descriptions)
      ? raw.descriptions.flatMap((d) =>
          isObject(d) && typeof d.lang === 'string'
            ? [{ lang: d.lang, short_description: str(d.short_description), long_description: str(d.long_description) }]
            : [],
        )
      : [],
    authors: stringsOrKeyed(raw.authors, 'name'),
    license: str(raw.license),
    note: num(raw.note, 5),
    homepage_url: optionalUrl(raw.homepage_url),
    issues_url: optionalUrl(raw.issues_url),
    readme_url: optionalUrl(raw.readme_url),
    changelog_url: optionalUrl(raw.changelog_url),
    download_count: Math.floor(num(raw.download_count, Number.MAX_SAFE_INTEGER)),
    date_added: str(raw.date_added),
    date_updated: str(raw.date_updated),
    required_offers: Array.isArray(offers) && offers.length > 0 ? offers : null,
    screenshots: stringsOrKeyed(raw.screenshots, 'url'),
    tags: tagsIn(raw.tags, lang),
  };
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
    const lang = acceptLanguage(this.options.language());
    const pages = await this.pagedArray('plugins', key, uid);
    const entries: CatalogEntry[] = [];
    const skipped: SkippedRecord[] = [];
    const seen = new Set<string>();
    pages.items.forEach((raw, index) => {
      const rawKey = isObject(raw) && typeof raw.key === 'string' ? raw.key : null;
      let record: PluginRecord;
      try {
        record = readRecord(raw, lang);
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        skipped.push({ index, key: rawKey, reason: err.message });
        return;
      }
      if (seen.has(record.key.toLowerCase())) {
        skipped.push({ index, key: rawKey, reason: 'duplicate key (the first record was kept)' });
        return;
      }
      seen.add(record.key.toLowerCase());
      entries.push(toEntry(record));
    });
    return {
      entries,
      skipped,
      complete: pages.complete,
      failure: pages.failure,
      failedPage: pages.failedPage,
      requests: pages.requests,
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
      const pages = await this.pagedArray(`tags/${encodeURIComponent(tag.key)}/plugin`, key, uid);
      if (!pages.complete) complete = false;
      for (const item of pages.items) {
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
   * client's retry policy gives, counting a non-array answer as a failed attempt) with the
   * pages after the first requested `concurrency` at a time. The result is the same list GLPI
   * would build: pages in order up to the first empty one, truncated at the first failed one.
   */
  private async pagedArray(path: string, key: string, uid: string) {
    let requests = 0;
    const fetchPage = async (page: number): Promise<unknown[]> => {
      const start = page * PAGE_SIZE;
      requests++;
      const answer = await this.network.request(
        `/api/marketplace/${path}`,
        { ...this.headers(key, uid), 'X-Range': `${start}-${start + PAGE_SIZE - 1}` },
        { accept: isArrayAnswer, maxBodyBytes: MAX_PAGE_BYTES },
      );
      const items = arrayBody(answer);
      if (items) return items;
      throw Object.assign(this.network.unusable(answer, `page ${page + 1} of the plugin list`), { answer });
    };

    const pages = new Map<number, unknown[]>();
    const errors = new Map<number, unknown>();
    const first = await fetchPage(0);
    pages.set(0, first);

    // Pages are issued in order; issuing stops at the first empty page or the first error.
    let next = 1;
    let stopAt = first.length === 0 ? 1 : Infinity;
    const worker = async () => {
      while (next < stopAt) {
        const page = next++;
        try {
          const items = await fetchPage(page);
          pages.set(page, items);
          if (items.length === 0) stopAt = Math.min(stopAt, page + 1);
        } catch (err) {
          errors.set(page, err);
          stopAt = Math.min(stopAt, page + 1);
        }
      }
    };
    // A short first page means a small catalogue: finish GLPI's way, one request at a time.
    const width = first.length >= PAGE_SIZE ? (this.options.concurrency ?? DEFAULT_CONCURRENCY) : 1;
    await Promise.all(Array.from({ length: width }, worker));

    const items: unknown[] = [];
    for (let page = 0; ; page++) {
      const got = pages.get(page);
      if (got) {
        if (got.length === 0) return { items, complete: true, failedPage: null, failure: null, requests };
        items.push(...got);
        continue;
      }
      const err = errors.get(page);
      const answer = (err as { answer?: Answer } | undefined)?.answer;
      // Upstream answers 400 "Start at unexisting index" past the end: after a short page that
      // is the end of the list, not a failure (GLPI would flag it truncated and never cache it).
      const previous = pages.get(page - 1);
      if (answer?.status === 400 && previous && previous.length < PAGE_SIZE)
        return { items, complete: true, failedPage: null, failure: null, requests };
      const failure = err instanceof NetworkProblem ? err : null;
      return { items, complete: false, failedPage: page, failure, requests };
    }
  }
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

function toEntry(r: PluginRecord): CatalogEntry {
  // GLPI Network sends one version row per compatibility: merge rows of the same num.
  const byNum = new Map<string, PluginVersion>();
  const downloads: Record<string, string> = {};
  for (const v of r.versions) {
    const existing = byNum.get(v.num);
    const compat = v.compatibility ? [v.compatibility] : [];
    if (existing) existing.compatibility.push(...compat.filter((c) => !existing.compatibility.includes(c)));
    else byNum.set(v.num, { num: v.num, compatibility: compat, stability: v.stability || 'stable' });
    if (v.download_url && !downloads[v.num]) downloads[v.num] = v.download_url;
  }
  const versions = [...byNum.values()].sort((a, b) => versionCompare(a.num, b.num));
  return {
    plugin: {
      key: r.key,
      name: r.name,
      logoUrl: r.logo_url,
      descriptions: r.descriptions.map((d) => ({ lang: d.lang, short: d.short_description, long: d.long_description })),
      authors: r.authors,
      license: r.license,
      homepageUrl: r.homepage_url,
      issuesUrl: r.issues_url,
      readmeUrl: r.readme_url,
      changelogUrl: r.changelog_url,
      note: r.note,
      downloads: r.download_count,
      dateAdded: r.date_added,
      dateUpdated: r.date_updated,
      requiredOffers: r.required_offers,
      versions,
      tags: r.tags,
      screenshots: r.screenshots,
    },
    downloads,
  };
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
