import { pathToFileURL } from 'node:url';
import { benchBrowser } from './browser';
import { benchCatalogSearch } from './catalog-search';
import { benchCatalogSync } from './catalog-sync';
import { benchInstall } from './install';

/** `node dist/node/bench.js [search] [sync] [browser] [install]`: the in-process benchmarks (all by default). */
export async function main(argv: string[]): Promise<number> {
  const only = new Set(argv);
  const want = (name: string) => only.size === 0 || only.has(name);
  const results: boolean[] = [];
  if (want('search')) results.push(benchCatalogSearch());
  if (want('sync')) results.push(await benchCatalogSync(10_000, Number(process.env.BENCH_LATENCY_MS ?? 25)));
  if (want('browser')) results.push(await benchBrowser());
  if (want('install')) results.push(await benchInstall());
  return results.every(Boolean) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
