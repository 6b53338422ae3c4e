import {
  DEFAULT_CATALOG_VIEW,
  FILTERS,
  SORTS,
  type CatalogFilter,
  type CatalogSort,
  type CatalogView,
} from './catalog';

/**
 * The catalogue view kept in the profile's settings, read back. Apart from the catalogue's slice so
 * that the first screen before the app (early-rows.ts: the browser shell and the entry) applies the
 * same rule without loading the app's code.
 */

/** settings.update refuses longer search text (shared/ipc/schemas.ts). */
export const MAX_SEARCH_LENGTH = 200;
export const MAX_TAGS = 50;

/** A stored view from an older or newer version may carry values this one does not know. */
export function sanitizeView(view: Partial<CatalogView> | null | undefined): CatalogView {
  if (!view) return DEFAULT_CATALOG_VIEW;
  const filters = Array.isArray(view.filters)
    ? view.filters.filter((f): f is CatalogFilter => (FILTERS as readonly string[]).includes(f))
    : [];
  const tags = Array.isArray(view.tags) ? view.tags.filter((tag) => typeof tag === 'string').slice(0, MAX_TAGS) : [];
  return {
    text: typeof view.text === 'string' ? view.text.slice(0, MAX_SEARCH_LENGTH) : '',
    tags: [...new Set(tags)],
    filters: [...new Set(filters)],
    sort: (SORTS as readonly string[]).includes(view.sort ?? '') ? (view.sort as CatalogSort) : 'relevance',
  };
}
