import { pathToFileURL } from 'node:url';
import { benchBrowser } from './browser';
import { benchCatalogSearch } from './catalog-search';
import { benchCatalogSync } from './catalog-sync';

/**
 * `node dist/node/bench.js [search] [sync] [browser] [install] [ssh-install] [fleet]`: the benchmarks
 * (all by default; name some to run only those).
 * `install-worker <json>` runs one install of the install benchmark (which starts its workers
 * without this file, see install.ts; this entry keeps the same code reachable and in the bundle).
 */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'install-worker') return (await import('./install')).installWorker(argv[1]);
  const only = new Set(argv);
  const want = (name: string) => only.size === 0 || only.has(name);
  const results: boolean[] = [];
  if (want('search')) results.push(benchCatalogSearch());
  if (want('sync')) results.push(await benchCatalogSync(10_000, Number(process.env.BENCH_LATENCY_MS ?? 25)));
  if (want('browser')) results.push(await benchBrowser());
  // Loaded on demand: it must stay a chunk of its own, which its install workers load without this
  // file (whose static imports bring playwright-core, ~80 MB of RSS, into any process loading it).
  if (want('install')) results.push(await (await import('./install')).benchInstall());
  if (want('ssh-install')) results.push(await (await import('./ssh-install')).benchSshInstall());
  if (want('fleet')) results.push(await (await import('./fleet')).benchFleet());
  return results.every(Boolean) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
