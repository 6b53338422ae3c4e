import { request } from 'undici';
import { UndiciHttpClient } from '../../electron/adapters/undici-http-client';
import { GlpiNetworkClient } from '../../electron/core/glpi-network-client';
import { MarketplaceClient, PAGE_SIZE } from '../../electron/core/marketplace-client';
import { systemClock, type Logger } from '../../electron/core/ports';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_KEYS } from '../standin/accounts';
import { firstMatch } from './child-output';
import { median, report, timeAsync } from './stats';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const UA = 'GLPI/10.0.18 (installation-mode:TARBALL; marketdesk/bench)';
const UID = 'B'.repeat(40);

/**
 * Catalogue sync of 10,000 plugins with 25 ms added per request: Marketdesk's client against
 * GLPI's own loop (one page after another until an empty page), on the same stand-in, same run.
 */
export async function benchCatalogSync(plugins = 10_000, latencyMs = 25, runs = 5): Promise<boolean> {
  // GLPI Network is another machine: the stand-in runs in its own process, so its work does not
  // share this process's event loop with the client being measured.
  const standin = await startStandinProcess(plugins);
  await fetch(`${standin.url}/__standin/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([{ fault: { mode: 'latency', ms: latencyMs }, path: '/api/marketplace/plugins' }]),
  });
  const key = DEMO_KEYS.advanced;
  try {
    // GLPI's Plugins::getAllPlugins loop, as the baseline.
    const glpiLoop = async (): Promise<unknown[]> => {
      const all: unknown[] = [];
      for (let page = 0; ; page++) {
        const res = await request(`${standin.url}/api/marketplace/plugins`, {
          headers: {
            Accept: 'application/json',
            'User-Agent': UA,
            'X-Registration-Key': key,
            'X-Glpi-Network-Uid': UID,
            'X-Range': `${page * PAGE_SIZE}-${page * PAGE_SIZE + PAGE_SIZE - 1}`,
          },
        });
        const items = (await res.body.json()) as unknown[];
        if (items.length === 0) return all;
        all.push(...items);
      }
    };
    const network = new GlpiNetworkClient(new UndiciHttpClient(), systemClock, silent, () => ({
      servicesUrl: standin.url,
      glpiVersion: '10.0.18',
      installMode: 'TARBALL',
      appVersion: 'bench',
      uid: UID,
      language: 'en_US',
    }));
    const ours = new MarketplaceClient(network, { language: () => 'en_US' });

    let baselineKeys: string[] = [];
    let oursKeys: string[] = [];
    let oursRequests = 0;
    const base: number[] = [];
    const mine: number[] = [];
    for (let i = 0; i < runs; i++) {
      base.push(
        await timeAsync(async () => (baselineKeys = (await glpiLoop()).map((r) => (r as { key: string }).key))),
      );
      mine.push(
        await timeAsync(async () => {
          const result = await ours.plugins(key, UID);
          if (!result.complete || result.skipped.length > 0) throw new Error('the benchmark fetch was not complete');
          oursKeys = result.entries.map((e) => e.plugin.key);
          oursRequests = result.requests;
        }),
      );
    }
    const identical = baselineKeys.length === plugins && baselineKeys.join() === oursKeys.join();
    const ratio = median(base) / median(mine);
    return report(`Catalogue sync: ${plugins} plugins, ${latencyMs} ms added per request (median of ${runs})`, [
      {
        name: "baseline: GLPI's sequential paging loop",
        value: `${median(base).toFixed(0)} ms, ${Math.ceil(plugins / PAGE_SIZE) + 1} requests`,
      },
      {
        name: 'marketdesk MarketplaceClient.plugins',
        value: `${median(mine).toFixed(0)} ms, ${oursRequests} requests (records validated one by one)`,
      },
      { name: 'speed-up', value: `${ratio.toFixed(2)}x`, target: '>= 3x', ok: ratio >= 3 },
      { name: 'same list, same order', value: identical ? 'yes' : 'NO', ok: identical },
    ]);
  } finally {
    standin.stop();
  }
}

async function startStandinProcess(plugins: number): Promise<{ url: string; stop: () => void }> {
  const script = fileURLToPath(new URL('./standin.js', import.meta.url));
  const child = spawn(process.execPath, [script, '--quiet', '--synthetic', String(plugins)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await firstMatch(child, /(http:\/\/127\.0\.0\.1:\d+)/);
  return { url, stop: () => child.kill() };
}
