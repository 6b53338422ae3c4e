import { DEFAULT_CATALOG_VIEW, type CatalogView } from '../../shared/catalog';
import { OFFER_TIERS, makeSyntheticPlugins } from '../../shared/catalog-fixtures.testkit';
import { createCatalogIndex, queryCatalog } from '../../shared/catalog-query';
import { availability } from '../../shared/entitlements';
import { percentile, report, timeSync } from './stats';

/**
 * Search + filter + sort over 10,000 plugins, query by query as an admin types, against a plain
 * substring scan of pre-lowercased names (the least any search could do).
 */
export function benchCatalogSearch(n = 10_000): boolean {
  const plugins = makeSyntheticPlugins(n, 7);
  const ctx = {
    keyState: 'valid' as const,
    subscription: { title: 'GLPI Network Basic', offer: 'basic', running: true, begins: null, ends: null },
    offers: OFFER_TIERS,
    glpiVersion: '10.0.18',
    includePrereleases: false,
  };
  const index = createCatalogIndex(plugins, 'fr_FR');
  const query = {
    availability: (p: (typeof plugins)[number]) => availability(p, ctx),
    installed: new Set<string>(),
    updates: new Set<string>(),
  };
  const names = plugins.map((p) => p.name.toLowerCase());

  // What typing looks like: growing prefixes of a few words, with and without filters and sorts.
  const words = ['inventory', 'formulaire', 'ticket', 'export csv', 'teclib', 'gestion des', 'zzz'];
  const views: CatalogView[] = [];
  for (const word of words)
    for (let i = 1; i <= word.length; i++) views.push({ ...DEFAULT_CATALOG_VIEW, text: word.slice(0, i) });
  const variants: CatalogView[] = views.flatMap((v, i): CatalogView[] => [
    v,
    { ...v, sort: (['name-asc', 'popular', 'updated', 'rating'] as const)[i % 4] ?? 'relevance' },
    { ...v, filters: i % 2 ? (['premium'] as const).slice() : (['available'] as const).slice() },
  ]);

  for (let i = 0; i < 3; i++) for (const v of variants) queryCatalog(index, v, query); // warm up
  const ours = variants.map((v) => timeSync(() => queryCatalog(index, v, query)));
  const base = variants.map((v) => {
    const term = v.text.toLowerCase();
    return timeSync(() => names.filter((name) => name.includes(term)));
  });
  const p95 = percentile(ours, 95);
  const ratio = p95 / percentile(base, 95);
  return report(`Catalogue search + filter + sort: ${n} plugins, ${variants.length} queries`, [
    { name: 'baseline: substring scan of lower-cased names, p95', value: `${percentile(base, 95).toFixed(3)} ms` },
    {
      name: 'marketdesk queryCatalog, p95',
      value: `${p95.toFixed(3)} ms (median ${percentile(ours, 50).toFixed(3)} ms)`,
      target: '< 5 ms',
      ok: p95 < 5,
    },
    { name: 'ratio to the baseline (p95)', value: `${ratio.toFixed(2)}x`, target: '< 10x', ok: ratio < 10 },
  ]);
}
