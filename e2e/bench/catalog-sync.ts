import { request } from 'undici';
import { UndiciHttpClient } from '../../electron/adapters/undici-http-client';
import { GlpiNetworkClient } from '../../electron/core/glpi-network-client';
import { MarketplaceClient, PAGE_SIZE } from '../../electron/core/marketplace-client';
import { systemClock, type Logger } from '../../electron/core/ports';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_KEYS } from '../standin/accounts';
import { firstMatch } from './child-output';
import { startCpuBurners } from './cpu-burners';
import { median, report, timeAsync, worst, type Line } from './stats';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const UA = 'GLPI/10.0.18 (installation-mode:TARBALL; marketdesk/bench)';
const UID = 'B'.repeat(40);

/**
 * Catalogue sync of 10,000 plugins with 25 ms added per request: Marketdesk's client against
 * GLPI's own loop (one page after another until an empty page), on the same stand-in, same run,
 * `runs` times each (interleaved, each going first in turn), on a quiet machine and then on a busy
 * one (a CPU burner per core for both). Prints the median and the worst run of each, and their
 * ratios; the target is 3x for both ratios when the machine is busy.
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
    const glpiLoop = async (): Promise<string[]> => {
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
        if (items.length === 0) return all.map((r) => (r as { key: string }).key);
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
    let oursRequests = 0;
    const marketdesk = async (): Promise<string[]> => {
      const result = await ours.plugins(key, UID);
      if (!result.complete || result.skipped.length > 0) throw new Error('the benchmark fetch was not complete');
      oursRequests = result.requests;
      return result.entries.map((e) => e.plugin.key);
    };

    await glpiLoop(); // warms the stand-in's serialised pages and both connection pools
    const lines: Line[] = [];
    let identical = true;
    for (const busy of [false, true]) {
      const burners = busy ? await startCpuBurners() : null;
      const base: number[] = [];
      const mine: number[] = [];
      const baseCpu: number[] = [];
      const mineCpu: number[] = [];
      try {
        for (let i = 0; i < runs; i++) {
          let baselineKeys: string[] = [];
          let oursKeys: string[] = [];
          const runBaseline = () => measure(base, baseCpu, async () => (baselineKeys = await glpiLoop()));
          const runOurs = () => measure(mine, mineCpu, async () => (oursKeys = await marketdesk()));
          if (i % 2 === 0) await runBaseline().then(runOurs);
          else await runOurs().then(runBaseline);
          identical &&= baselineKeys.length === plugins && baselineKeys.join() === oursKeys.join();
        }
      } finally {
        burners?.stop();
      }
      const when = burners ? `busy (${burners.count} CPU burners)` : 'quiet';
      const medianRatio = median(base) / median(mine);
      const worstRatio = worst(base) / worst(mine);
      lines.push(
        {
          name: `${when}: baseline, GLPI's sequential loop`,
          value: `median ${ms(median(base))}, worst ${ms(worst(base))}, ${Math.ceil(plugins / PAGE_SIZE) + 1} requests`,
        },
        {
          name: `${when}: marketdesk MarketplaceClient.plugins`,
          value: `median ${ms(median(mine))}, worst ${ms(worst(mine))}, ${oursRequests} requests`,
        },
        {
          // Where the machine is busy, a sync bound by this process's CPU slows down most.
          name: `${when}: CPU time of a sync (this process)`,
          value: `baseline median ${ms(median(baseCpu))}, marketdesk median ${ms(median(mineCpu))}`,
        },
        {
          name: `${when}: speed-up, ratio of medians`,
          value: `${medianRatio.toFixed(2)}x`,
          ...(busy ? { target: '>= 3x', ok: medianRatio >= 3 } : {}),
        },
        {
          name: `${when}: speed-up, ratio of worsts`,
          value: `${worstRatio.toFixed(2)}x`,
          ...(busy ? { target: '>= 3x', ok: worstRatio >= 3 } : {}),
        },
      );
    }
    lines.push({ name: 'same list, same order', value: identical ? 'yes' : 'NO', ok: identical });
    return report(
      `Catalogue sync: ${plugins} plugins, ${latencyMs} ms added per request (median and worst of ${runs} runs)`,
      lines,
    );
  } finally {
    standin.stop();
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

/** Runs `fn` once, adding its wall time to `walls` and the CPU time this process spent to `cpus`. */
async function measure(walls: number[], cpus: number[], fn: () => Promise<unknown>): Promise<void> {
  const before = process.cpuUsage();
  walls.push(await timeAsync(fn));
  const used = process.cpuUsage(before);
  cpus.push((used.user + used.system) / 1000);
}

async function startStandinProcess(plugins: number): Promise<{ url: string; stop: () => void }> {
  const script = fileURLToPath(new URL('./standin.js', import.meta.url));
  const child = spawn(process.execPath, [script, '--quiet', '--synthetic', String(plugins)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await firstMatch(child, /(http:\/\/127\.0\.0\.1:\d+)/);
  return { url, stop: () => child.kill() };
}
