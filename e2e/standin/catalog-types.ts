/**
 * The stand-in's own record of a marketplace plugin, and the raw JSON shapes it serves
 * (docs/glpi-network-api.md §2.4, Appendix A). The stored record keeps each version once with all
 * its compatibility strings;
 * the served JSON has one version object per (num, compatibility) pair, like upstream's
 * `plugin_version` rows.
 */

export type ArchiveFormat = 'tar.bz2' | 'tar.gz' | 'zip';
export const ARCHIVE_FORMATS: readonly ArchiveFormat[] = ['tar.bz2', 'tar.gz', 'zip'];

export interface StandinVersion {
  num: string;
  /** One or more compatibility strings (`~10.0.0`, `10.0`, `10.0.3`, …); one served row per entry. */
  compatibility: string[];
  /** Absent: the served object has no `stability` key (GLPI then treats the version as stable). */
  stability?: string;
  /** The archive format the stand-in serves for this version. */
  format: ArchiveFormat;
  /** Release day, YYYY-MM-DD: the mtime of the archive's entries. Not served. */
  date: string;
  /** Overrides the served `download_url` (e.g. a foreign host); absent: this stand-in's /downloads/ URL. */
  download_url?: string;
}

export interface StandinAuthor {
  id: number;
  name: string;
}

export interface StandinDescription {
  /** GLPI's description codes: `en`, `fr`, `es`, `de`, `pt_BR`, … */
  lang: string;
  /** Plain text. */
  short_description: string;
  /** Markdown or the limited HTML some authors write. */
  long_description: string;
}

export interface StandinPlugin {
  id: number;
  /** Should match /^[a-z0-9]+$/ (the demo and synthetic catalogues always do). */
  key: string;
  name: string;
  logo_url: string | null;
  /** Where the plugin's XML lives (upstream field; GLPI ignores it). */
  xml_url: string;
  homepage_url: string;
  /** Plugin-level releases page (upstream `download`), not an archive. */
  download_url: string;
  issues_url: string;
  readme_url: string;
  changelog_url: string | null;
  license: string;
  /** YYYY-MM-DD. */
  date_added: string;
  date_updated: string;
  download_count: number;
  /** Average rating 0-5 (0: no rating). */
  note: number;
  authors: StandinAuthor[];
  descriptions: StandinDescription[];
  /** Tag ids from TAG_VOCABULARY; served as tag rows in English and French. */
  tags: string[];
  /** Screenshot URLs. */
  screenshots: string[];
  /** Offer references that grant the plugin (a membership list, docs/glpi-network-api.md §4.2); null: none. */
  required_offers: string[] | null;
  versions: StandinVersion[];
}

// --- served shapes ---

export interface ApiVersion {
  num: string;
  compatibility: string;
  download_url: string;
  stability?: string;
}

export interface ApiTag {
  key: string;
  tag: string;
  lang: string;
}

/** The plugin fields served as the stand-in holds them. */
type ServedAsIs =
  | 'id'
  | 'name'
  | 'key'
  | 'logo_url'
  | 'xml_url'
  | 'homepage_url'
  | 'download_url'
  | 'issues_url'
  | 'readme_url'
  | 'changelog_url'
  | 'license'
  | 'date_added'
  | 'date_updated'
  | 'download_count'
  | 'note'
  | 'authors'
  | 'descriptions'
  | 'required_offers';

export interface ApiPlugin extends Pick<StandinPlugin, ServedAsIs> {
  xml_state: 'passing';
  /** The English short description (upstream's `descWithLang`); `descriptions` has them all. */
  short_description: string;
  versions: ApiVersion[];
  /** As on upstream's plugin card (GLPI ignores them): both languages. */
  tags: ApiTag[];
  screenshots: { url: string }[];
}

export interface ApiTopTag extends ApiTag {
  plugin_count: number;
}
