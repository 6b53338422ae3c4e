import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';
import { DEMO_KEYS } from '../standin/accounts';
import { median, percentile, report, worst } from './stats';
import { firstMatch } from './child-output';

const here = fileURLToPath(new URL('.', import.meta.url)); // dist/node
const QUERIES = ['inventory', 'formulaire', 'ticket export', 'teclib', 'gestion'];

/**
 * The browser shell in Chromium with a warm cache of 10,000 plugins: time to the first rows,
 * keystroke-to-list latency and JS heap, each next to a baseline page measured in the same
 * browser: a static list of the same names with a plain substring filter (the least any UI does).
 *
 * The first rows are judged on the medians of {@link FIRST_ROWS_LOADS} loads of each page,
 * alternated in fresh tabs of the same browser after one of each not counted, as the other
 * benchmarks judge medians: a single load of the same page swung from 79 to 159 ms across the runs
 * of one session. The first load, in the browser just launched, is printed too.
 */
export async function benchBrowser(plugins = 10_000): Promise<boolean> {
  const home = mkdtempSync(join(tmpdir(), 'marketdesk-bench-ui-'));
  const children: ChildProcess[] = [];
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const standin = spawn(process.execPath, [join(here, 'standin.js'), '--quiet', '--synthetic', String(plugins)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(standin);
    const services = await firstMatch(standin, /(http:\/\/127\.0\.0\.1:\d+)/);
    const env = { ...process.env, MARKETDESK_HOME: home, GLPI_NETWORK_SERVICES: services };
    const cli = (args: string[], input?: string) => {
      const r = spawnSync(process.execPath, [join(here, 'cli.js'), ...args], { env, input, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`marketdesk ${args.join(' ')} failed: ${r.stderr}`);
    };
    cli(['key', 'set'], DEMO_KEYS.advanced);
    cli(['catalog', 'refresh']); // the warm cache

    const shell = spawn(process.execPath, [join(here, 'browser-shell.js')], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(shell);
    const url = await firstMatch(shell, /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/);

    // Marketdesk.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Painted: the entry's early copy (inert) or the app's rows, whichever shows first; interactive:
    // the app's rows.
    await watchFirst(page, {
      painted: '[data-testid="catalog-row-early"], [data-testid="catalog-row"]',
      interactive: '[data-testid="catalog-row"]',
    });
    await page.goto(`${url}#catalog`);
    await page.locator('[data-testid="catalog-row"]').first().waitFor({ state: 'visible', timeout: 30_000 });
    const shown = await firstShown(page);
    const firstRows = shown.painted?.at ?? NaN;
    const early = shown.painted?.testid === 'catalog-row-early';
    const interactive = shown.interactive?.at ?? NaN;
    await page
      .locator('[data-testid="catalog-count"]')
      .filter({ hasText: /10[ ,.]?000 plugins/ })
      .waitFor();
    // Keystrokes are measured on the whole list with its descriptions searchable (they arrive
    // after the first rows), not while it loads.
    await page.locator('[data-testid="catalog-list"][data-search="descriptions"]:not([aria-busy])').waitFor();
    // The list's reads: the first screen, then the whole list (catalog.list), then the descriptions.
    const calls = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => /\/api\/invoke\/catalog\.(list|searchText)$/.test(e.name))
        .map((e) => ({
          start: e.startTime,
          waiting: e.responseStart - e.requestStart,
          download: e.responseEnd - e.responseStart,
          bytes: e.transferSize,
        })),
    );
    const call = (c: (typeof calls)[number] | undefined) =>
      c
        ? `sent at ${c.start.toFixed(0)} ms, ${c.waiting.toFixed(0)} ms waiting, ${c.download.toFixed(0)} ms to receive ${(c.bytes / 1e6).toFixed(2)} MB`
        : 'not seen';
    const ours = await keystrokes(page, page.getByLabel('Search plugins'));
    const oursHeap = await heapMb(page);

    // The baseline page: the same names, no framework.
    const names = await page.evaluate(() => [...document.querySelectorAll('[data-testid="catalog-row"]')].length);
    const base = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // A page of its own (a data: address, no server), so that it counts from its navigation's start.
    await watchFirst(base, { painted: 'li' });
    await base.goto(`data:text/html,${encodeURIComponent(baselineHtml(plugins))}`);
    await base.locator('li').first().waitFor({ state: 'visible' });
    const baseFirst = (await firstShown(base)).painted?.at ?? NaN;
    const baseKeys = await keystrokes(base, base.locator('#q'));
    const baseHeap = await heapMb(base);
    const loads = await alternatedFirstRows(browser, `${url}#catalog`, baselineHtml(plugins));
    const [oursMedian, baseMedian] = [median(loads.ours), median(loads.base)];
    const spread = (samples: number[]) =>
      `median ${median(samples)} ms, worst ${worst(samples)} ms (${samples.length} loads, alternated)`;

    return report(
      `Browser shell in Chromium, warm cache of ${plugins} plugins (${names} rows rendered by the virtual list)`,
      [
        { name: 'baseline page: first rows', value: spread(loads.base) },
        { name: '  marketdesk: the first screen (catalog.list first)', value: call(calls[0]) },
        { name: '  marketdesk: the whole list (catalog.list)', value: call(calls[1]) },
        { name: '  marketdesk: the descriptions (catalog.searchText)', value: call(calls[2]) },
        {
          name: 'marketdesk: first rows painted after navigation',
          value: `${spread(loads.ours)}; ${(oursMedian / Math.max(1, baseMedian)).toFixed(1)}x the baseline`,
          target: '< 500 ms and < 2x the baseline (medians)',
          ok: oursMedian < 500 && oursMedian < 2 * baseMedian,
        },
        {
          name: '  first load in the browser just launched',
          value: `marketdesk ${firstRows} ms (${early ? 'the inert early rows' : 'the app'}), then the baseline ${baseFirst} ms`,
        },
        {
          name: "marketdesk: first interactive rows (the app's)",
          value: `${interactive} ms (${(interactive / Math.max(1, baseFirst)).toFixed(1)}x the baseline)`,
        },
        {
          name: 'baseline page: keystroke to list, p95',
          value: `${percentile(baseKeys, 95).toFixed(1)} ms (${baseKeys.length} keystrokes)`,
        },
        {
          name: 'marketdesk: keystroke to updated list, p95',
          value: `${percentile(ours, 95).toFixed(1)} ms (median ${percentile(ours, 50).toFixed(1)} ms, ${ours.length} keystrokes; ${(percentile(ours, 95) / Math.max(0.1, percentile(baseKeys, 95))).toFixed(1)}x the baseline)`,
          target: '< 50 ms',
          ok: percentile(ours, 95) < 50,
        },
        { name: 'baseline page: JS heap', value: `${baseHeap.toFixed(1)} MB` },
        {
          name: 'marketdesk: JS heap',
          value: `${oursHeap.toFixed(1)} MB (${(oursHeap / baseHeap).toFixed(1)}x the baseline)`,
          target: '< 150 MB',
          ok: oursHeap < 150,
        },
      ],
    );
  } finally {
    await browser.close();
    for (const c of children) c.kill();
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Loads of each page whose first rows are judged (after one of each not counted): with 5, the
 * baseline's median alone moved from 50 to 68 ms between runs of the same build (session 11).
 */
const FIRST_ROWS_LOADS = 9;

/**
 * When the first rows of each page were shown, in ms after its navigation started: Marketdesk's
 * (its early rows or the app's) and the baseline's, each loaded in a fresh tab, in turns.
 */
async function alternatedFirstRows(
  browser: Browser,
  oursUrl: string,
  baseHtml: string,
): Promise<{ ours: number[]; base: number[] }> {
  const load = async (target: string, painted: string): Promise<number> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await watchFirst(page, { painted });
      await page.goto(target);
      await page.waitForFunction(() => (window as unknown as { __shown: { painted?: unknown } }).__shown.painted);
      return (await firstShown(page)).painted?.at ?? NaN;
    } finally {
      await page.close();
    }
  };
  const ours = () => load(oursUrl, '[data-testid="catalog-row-early"], [data-testid="catalog-row"]');
  const base = () => load(`data:text/html,${encodeURIComponent(baseHtml)}`, 'li');
  await ours();
  await base();
  const samples = { ours: [] as number[], base: [] as number[] };
  for (let i = 0; i < FIRST_ROWS_LOADS; i++) {
    samples.ours.push(await ours());
    samples.base.push(await base());
  }
  return samples;
}

/**
 * Records in the page, for each name, when the first element matching its selector came to be
 * shown: the frame after its insertion (requestAnimationFrame), in ms after the navigation started.
 * Measured in the page because the app's code compiling on the main thread delays any observer
 * Playwright would run from outside by the time it takes.
 */
async function watchFirst(page: Page, selectors: Record<string, string>): Promise<void> {
  await page.addInitScript((wanted: Record<string, string>) => {
    const w = window as unknown as { __shown: Record<string, { at: number; testid: string | null }> };
    w.__shown = {};
    const pending = new Map(Object.entries(wanted));
    const observer = new MutationObserver(() => {
      for (const [name, selector] of pending) {
        const found = document.querySelector(selector);
        if (!found) continue;
        pending.delete(name);
        const testid = found.getAttribute('data-testid');
        requestAnimationFrame(() => (w.__shown[name] = { at: Math.round(performance.now()), testid }));
      }
      if (pending.size === 0) observer.disconnect();
    });
    observer.observe(document, { subtree: true, childList: true });
  }, selectors);
}

async function firstShown(page: Page): Promise<Record<string, { at: number; testid: string | null } | undefined>> {
  return page.evaluate(
    () => (window as unknown as { __shown: Record<string, { at: number; testid: string | null }> }).__shown,
  );
}

/** Types each query one key at a time; each sample is keydown → next frame after the list changed. */
async function keystrokes(page: Page, input: ReturnType<Page['locator']>): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __samples: number[]; __t0: number | null };
    w.__samples = [];
    w.__t0 = null;
    document.addEventListener('keydown', () => (w.__t0 = performance.now()), true);
    new MutationObserver(() => {
      const t0 = w.__t0;
      if (t0 === null) return;
      w.__t0 = null;
      requestAnimationFrame(() => w.__samples.push(performance.now() - t0));
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await input.click();
  for (const q of QUERIES) {
    for (const ch of q) {
      await page.keyboard.press(ch === ' ' ? 'Space' : ch);
      await page.waitForTimeout(30);
    }
    await input.fill('');
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(100);
  return page.evaluate(() => (window as unknown as { __samples: number[] }).__samples);
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1_048_576;
}

function baselineHtml(n: number): string {
  return `<!doctype html><input id="q" aria-label="q"><ul id="list"></ul><script>
const names = Array.from({ length: ${n} }, (_, i) => 'Plugin ' + i + ' inventory formulaire ticket export teclib gestion'.split(' ')[i % 6]);
const lower = names.map((s) => s.toLowerCase());
const list = document.getElementById('list');
function render(term) {
  const out = [];
  for (let i = 0; i < lower.length && out.length < 50; i++) if (lower[i].includes(term)) out.push('<li>' + names[i] + '</li>');
  list.innerHTML = out.join('');
}
render('');
document.getElementById('q').addEventListener('input', (e) => render(e.target.value.toLowerCase()));
</script>`;
}
