/**
 * The marketplace catalogue as the renderer, the CLI and the core see it: GLPI Network's plugin
 * records, validated and reshaped. Download URLs stay in the main process (the renderer asks to
 * install `key@version`; the core looks the URL up in its own catalogue).
 */
import type { NetworkFailure, Offer } from './model';

export interface PluginDescription {
  lang: string;
  short: string;
  /** Markdown (or the limited HTML some authors write); rendered without raw HTML. */
  long: string;
}

export interface PluginVersion {
  num: string;
  /**
   * GLPI's compatibility strings for this version (`~10.0.3`, `10.0`, …). GLPI Network keeps one
   * row per compatibility, so the same `num` may arrive several times: merged here.
   */
  compatibility: string[];
  /**
   * `stable` when GLPI Network sends none; otherwise exactly as sent (GLPI keeps only the exact
   * value "stable" when pre-releases are off, and so do we).
   */
  stability: string;
}

export interface CatalogPlugin {
  key: string;
  name: string;
  logoUrl: string | null;
  descriptions: PluginDescription[];
  authors: string[];
  license: string;
  homepageUrl: string | null;
  issuesUrl: string | null;
  readmeUrl: string | null;
  changelogUrl: string | null;
  /** Average rating, 0-5 (0: no rating). */
  note: number;
  downloads: number;
  /** YYYY-MM-DD. */
  dateAdded: string;
  dateUpdated: string;
  /** Offer references that grant the plugin; null: free with any valid registration. */
  requiredOffers: string[] | null;
  /** As GLPI Network sent them for the target GLPI version, sorted oldest first. */
  versions: PluginVersion[];
  /** Tag keys. */
  tags: string[];
  screenshots: string[];
}

export interface CatalogTag {
  key: string;
  /** Label in the UI language when GLPI Network gave one. */
  tag: string;
  count: number;
}

/** A record GLPI Network sent that could not be used (the rest of the list still is). */
export interface SkippedRecord {
  index: number;
  key: string | null;
  reason: string;
}

/** Everything about the catalogue except the plugins themselves (events carry only this). */
export interface CatalogStatus {
  profile: string;
  glpiVersion: string;
  /** When the list shown was fetched; null when none was ever fetched. */
  fetchedAt: string | null;
  /** False when a page failed: the list is truncated (and never replaces a complete cache). */
  complete: boolean;
  refreshing: boolean;
  /** The last refresh failed; the list shown is older. */
  failure: NetworkFailure | null;
  /** Why there is no catalogue at all (no valid key: GLPI sends no request either). */
  blocked: 'no-key' | 'invalid-key' | null;
  skipped: SkippedRecord[];
  pluginCount: number;
  nextRefreshAt: string | null;
}

export interface CatalogSnapshot extends CatalogStatus {
  offers: Offer[];
  tags: CatalogTag[];
  plugins: CatalogPlugin[];
}

// --- The list and the details (catalog.list, catalog.searchText, catalog.details) ---

/**
 * What the catalogue list needs of one plugin, and nothing more: its row (logo, name, key, short
 * description, authors, rating, downloads), search and sorting (with the descriptions' text from
 * `catalog.searchText`), tags, the tier badge (`requiredOffers`) and compatibility (every version's
 * number, compatibility and stability: availability depends on the target GLPI version and the
 * pre-release setting, both changed without a new list). Long descriptions, links, licence and
 * screenshots come with `catalog.details` when a plugin is opened.
 */
export type CatalogListItem = Pick<
  CatalogPlugin,
  | 'key'
  | 'name'
  | 'logoUrl'
  | 'authors'
  | 'note'
  | 'downloads'
  | 'dateAdded'
  | 'dateUpdated'
  | 'requiredOffers'
  | 'versions'
  | 'tags'
> & {
  /** The short description in the list's language, else English, else the first one with text. */
  summary: string;
};

export interface CatalogList extends CatalogStatus {
  /** The UI language the summaries are in, as GLPI sends it (`fr` for `fr_FR`). */
  language: string;
  offers: Offer[];
  tags: CatalogTag[];
  plugins: CatalogListItem[];
  /**
   * With `catalog.list {first}` only: how many plugins of the whole list carry each tag, so that
   * the first screen's tag row is already the whole list's.
   */
  tagCounts?: Record<string, number>;
}

/**
 * The descriptions the list's search reads (UI language and English, short and long, as written),
 * per plugin key: sent apart from the list so that the first rows do not wait for them.
 */
export interface CatalogSearchText {
  /** The list these texts belong to (`CatalogStatus.fetchedAt`) and their language. */
  fetchedAt: string | null;
  language: string;
  texts: Record<string, string>;
}

export const SORTS = ['relevance', 'name-asc', 'name-desc', 'popular', 'updated', 'recent', 'rating'] as const;
export type CatalogSort = (typeof SORTS)[number];

export const FILTERS = ['installed', 'updates', 'available', 'premium', 'incompatible'] as const;
export type CatalogFilter = (typeof FILTERS)[number];

/** What the admin is looking at in the catalogue; kept across restarts. */
export interface CatalogView {
  text: string;
  tags: string[];
  filters: CatalogFilter[];
  sort: CatalogSort;
}

export const DEFAULT_CATALOG_VIEW: CatalogView = { text: '', tags: [], filters: [], sort: 'relevance' };

/** Whether `view` lists the plugins in that opening order, unfiltered (what catalog-query's `firstByPopularity` gives). */
export function opensInPopularOrder(view: CatalogView): boolean {
  return (
    view.text.trim() === '' &&
    view.tags.length === 0 &&
    view.filters.length === 0 &&
    (view.sort === 'relevance' || view.sort === 'popular')
  );
}
