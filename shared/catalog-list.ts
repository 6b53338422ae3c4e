/**
 * The catalogue as the list sees it (shared/catalog.ts `CatalogListItem`): the core projects each
 * plugin for `catalog.list` and `catalog.searchText`, and the CLI searches full records the same way.
 */
import type { CatalogList, CatalogListItem, CatalogPlugin, CatalogStatus, PluginDescription } from './catalog';
import { acceptLanguage } from './glpi-version';

function sameLang(descLang: string, lang: string): boolean {
  return acceptLanguage(descLang) === lang;
}

/** The short description to show: UI language, then English, then the first non-empty one. */
export function describePlugin(plugin: Pick<CatalogPlugin, 'descriptions'>, lang: string): string {
  const ui = acceptLanguage(lang);
  const ds = plugin.descriptions;
  return (
    ds.find((d) => d.short && sameLang(d.lang, ui))?.short ??
    ds.find((d) => d.short && sameLang(d.lang, 'en'))?.short ??
    ds.find((d) => d.short)?.short ??
    ''
  );
}

/** The descriptions search reads: UI language and English; when a plugin has neither, the one shown. */
export function searchedDescriptions(plugin: Pick<CatalogPlugin, 'descriptions'>, lang: string): PluginDescription[] {
  const ui = acceptLanguage(lang);
  const chosen = plugin.descriptions.filter((d) => sameLang(d.lang, ui) || sameLang(d.lang, 'en'));
  if (chosen.length > 0) return chosen;
  const fallback = plugin.descriptions.find((d) => d.short) ?? plugin.descriptions[0];
  return fallback ? [fallback] : [];
}

/** The text of the searched descriptions, short and long, as written (search folds it). */
export function searchText(plugin: Pick<CatalogPlugin, 'descriptions'>, lang: string): string {
  return searchedDescriptions(plugin, lang)
    .map((d) => `${d.short}\n${d.long}`)
    .join('\n');
}

/** The status part of a list answer: what `catalog.changed` carries. */
export function listStatus(list: CatalogList): CatalogStatus {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { plugins, offers, tags, language, ...status } = list;
  return status;
}

/** One plugin as `catalog.list` sends it, its summary in `lang`. */
export function listItem(plugin: CatalogPlugin, lang: string): CatalogListItem {
  return {
    key: plugin.key,
    name: plugin.name,
    logoUrl: plugin.logoUrl,
    summary: describePlugin(plugin, lang),
    authors: plugin.authors,
    note: plugin.note,
    downloads: plugin.downloads,
    dateAdded: plugin.dateAdded,
    dateUpdated: plugin.dateUpdated,
    requiredOffers: plugin.requiredOffers,
    versions: plugin.versions,
    tags: plugin.tags,
  };
}
