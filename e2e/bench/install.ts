import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UndiciHttpClient } from '../../electron/adapters/undici-http-client';
import { downloadArchive } from '../../electron/core/download';
import { detectInstance } from '../../electron/core/glpi-instance';
import { nodeFileSystem } from '../../electron/adapters/node-file-system';
import { nodeHostInfo } from '../../electron/adapters/node-host';
import { installPlugin } from '../../electron/core/install/pipeline';
import { systemClock } from '../../electron/core/ports';
import { fakeGlpi } from '../../electron/core/testing-glpi.testkit';
import { firstMatch } from './child-output';

const UA = 'GLPI/10.0.18 (installation-mode:TARBALL; marketdesk/bench)';
/** The unpacked size each format's archive body is scaled to (about what the padding used to be). */
const TARGET_BYTES = 20_000_000;
/**
 * Each format gets one real release's shape (REAL_SHAPES), scaled until it unpacks to about 20 MB:
 * the mix of many small compressible sources and a few incompressible pictures, not one big blob.
 */
const SHAPE_OF = { 'tar.bz2': 'formcreator', 'tar.gz': 'datainjection', zip: 'fields' } as const;
const MiB = 1_048_576;

/** What the parent asks one install worker to do. */
interface InstallJob {
  servicesOrigin: string;
  archiveUrl: string;
  registrationKey: string;
  plugin: string;
  version: string;
}

/** What an install worker reports on its stdout (one JSON line). */
interface InstallRun {
  /** Time of installPlugin alone (Node start-up and module loading excluded). */
  ms: number;
  steps: string;
  /** This process's RSS just before installPlugin, and its peak over its whole life, bytes. */
  rssBefore: number;
  peakRss: number;
}

interface CatalogueRecord {
  key: string;
  required_offers: string[] | null;
  authors?: { name?: string }[];
  homepage_url?: string;
  versions: { num: string; download_url: string }[];
}

/** The stand-in's demo plugins (hostile markup, long names...) belong to "Marketdesk tests". */
const isDemoPlugin = (p: CatalogueRecord): boolean =>
  (p.homepage_url ?? '').includes('/marketdesk-test/') || (p.authors ?? []).some((a) => a.name === 'Marketdesk tests');

/**
 * Installing a plugin that unpacks to 20 MB, shaped like a real release, from the stand-in (download
 * to swap), per format, against
 * `curl -s URL | tar -x…` (or curl + unzip) into a temporary folder, in the same run. Each install
 * runs in a fresh process that does nothing else (see {@link runWorker}), so the memory measured is
 * the install's, not this process's (which has loaded every benchmark, playwright-core included).
 */
export async function benchInstall(runs = 5): Promise<boolean> {
  // Only here, not at the top: the install workers load this module and need neither.
  const [{ DEMO_KEYS }, { median, report, timeAsync }, { REAL_SHAPES }] = await Promise.all([
    import('../standin/accounts'),
    import('./stats'),
    import('../standin/source-tree'),
  ]);
  // This module is a chunk (dist/node/chunks/): the stand-in sits next to bench.js, the script run.
  const script = join(dirname(process.argv[1] ?? ''), 'standin.js');
  const child = spawn(process.execPath, [script, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await firstMatch(child, /(http:\/\/127\.0\.0\.1:\d+)/);
  const key = DEMO_KEYS.advanced;
  const lines = [];
  let ok = true;
  try {
    const res = await fetch(`${url}/api/marketplace/plugins`, {
      headers: { 'X-Registration-Key': key, 'User-Agent': UA, 'X-Range': '0-199' },
    });
    const plugins = (await res.json()) as CatalogueRecord[];
    for (const format of ['tar.gz', 'tar.bz2', 'zip'] as const) {
      const fits = (p: CatalogueRecord): boolean =>
        p.required_offers === null && (p.versions.at(-1)?.download_url.endsWith(`.${format}`) ?? false);
      // A normal plugin when there is one; a demo plugin only as a last resort.
      const plugin = plugins.find((p) => fits(p) && !isDemoPlugin(p)) ?? plugins.find(fits);
      const version = plugin?.versions.at(-1);
      if (!plugin || !version) throw new Error(`no ${format} plugin in the demo catalogue`);
      const real = REAL_SHAPES[SHAPE_OF[format]]!;
      const scale = TARGET_BYTES / (real.textBytes + real.binaryBytes);
      const shape = {
        textFiles: Math.round(real.textFiles * scale),
        textBytes: Math.round(real.textBytes * scale),
        binaryFiles: Math.round(real.binaryFiles * scale),
        binaryBytes: Math.round(real.binaryBytes * scale),
      };
      await fetch(`${url}/__standin/archive-source`, {
        method: 'POST',
        body: JSON.stringify({ key: plugin.key, shape }),
      });
      const archiveUrl = version.download_url;
      const headers = ['-H', `X-Registration-Key: ${key}`];
      // Warm the stand-in's archive cache so neither side pays for building it.
      spawnSync('curl', ['-s', '-o', '/dev/null', ...headers, archiveUrl]);

      const baseline = () => {
        const dir = mkdtempSync(join(tmpdir(), 'bench-curl-'));
        const cmd =
          format === 'zip'
            ? `curl -s -H 'X-Registration-Key: ${key}' -o ${dir}/a.zip '${archiveUrl}' && unzip -q ${dir}/a.zip -d ${dir}/x`
            : `curl -s -H 'X-Registration-Key: ${key}' '${archiveUrl}' | tar -x${format === 'tar.gz' ? 'z' : 'j'}f - -C ${dir}`;
        const r = spawnSync('bash', ['-c', cmd]);
        rmSync(dir, { recursive: true, force: true });
        if (r.status !== 0) throw new Error(`baseline failed: ${r.stderr.toString()}`);
      };
      const job: InstallJob = {
        servicesOrigin: url,
        archiveUrl,
        registrationKey: key,
        plugin: plugin.key,
        version: version.num,
      };
      const base: number[] = [];
      const mine: InstallRun[] = [];
      for (let i = 0; i < runs; i++) {
        base.push(await timeAsync(() => Promise.resolve(baseline())));
        mine.push(await runWorker(job));
      }
      const ours = median(mine.map((r) => r.ms));
      const ratio = ours / median(base);
      const peak = Math.max(...mine.map((r) => r.peakRss)) / MiB;
      const before = median(mine.map((r) => r.rssBefore)) / MiB;
      ok &&= ratio <= 1.5 && peak < 150;
      lines.push(
        {
          name: `${format}: baseline curl | ${format === 'zip' ? 'unzip' : 'tar'}`,
          value: `${median(base).toFixed(0)} ms`,
        },
        {
          name: `${format}: marketdesk install (${plugin.key} ${version.num}, shaped as ${SHAPE_OF[format]})`,
          value: `${ours.toFixed(0)} ms, ratio ${ratio.toFixed(2)}x (runs: ${mine.map((r) => r.ms.toFixed(0)).join(', ')})`,
          target: '<= 1.5x',
          ok: ratio <= 1.5,
        },
        { name: `${format}: steps of the last run (ms)`, value: mine.at(-1)?.steps ?? '' },
        {
          name: `${format}: peak RSS of the install process`,
          value: `${peak.toFixed(0)} MB (${before.toFixed(0)} MB before installing)`,
          target: '< 150 MB',
          ok: peak < 150,
        },
      );
    }
  } finally {
    child.kill();
  }
  report(
    `Install of plugins unpacking to 20 MB (real release shapes scaled up) from the stand-in, download to swap (median of ${runs})`,
    lines,
  );
  return ok;
}

/**
 * Imports this very module (its own chunk of the bundle, see bench-main.ts) and runs {@link installWorker}.
 * Not `bench.js install-worker`: bench.js statically imports the browser benchmark, hence
 * playwright-core, which alone takes ~80 MB of RSS before anything runs.
 */
const WORKER_BOOT =
  'const [url, job] = process.argv.slice(1); process.exitCode = await (await import(url)).installWorker(job);';

/** Runs one install in a fresh Node process that loads only the install's modules. */
async function runWorker(job: InstallJob): Promise<InstallRun> {
  const worker = spawn(
    process.execPath,
    ['--input-type=module', '-e', WORKER_BOOT, import.meta.url, JSON.stringify(job)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  worker.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('close', resolve);
  });
  const line = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`install worker failed (exit ${code}): ${out.trim()}`);
  return JSON.parse(line) as InstallRun;
}

/** One install into a fresh fake GLPI, nothing else; prints an {@link InstallRun} as one JSON line. */
export async function installWorker(jobJson: string | undefined): Promise<number> {
  const job = JSON.parse(jobJson ?? '') as InstallJob;
  const root = fakeGlpi();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  try {
    const info = await detectInstance(root, nodeFileSystem);
    const http = new UndiciHttpClient();
    const rssBefore = process.memoryUsage().rss;
    const start = performance.now();
    const done = await installPlugin(
      {
        fs: nodeFileSystem,
        host: nodeHostInfo(),
        clock: systemClock,
        dataDir,
        download: (request) => downloadArchive({ http, clock: systemClock, fs: nodeFileSystem }, request),
      },
      {
        instance: info,
        key: job.plugin,
        version: job.version,
        source: {
          url: job.archiveUrl,
          servicesOrigin: job.servicesOrigin,
          headers: { 'User-Agent': UA },
          key: job.registrationKey,
          uid: 'B'.repeat(40),
        },
        allowed: true,
      },
    );
    const ms = performance.now() - start;
    // maxRSS is in KiB: the peak over this process's whole life, start-up included.
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const run: InstallRun = {
      ms,
      steps: done.steps.map((s) => `${s.name} ${s.ms}`).join(', '),
      rssBefore,
      peakRss,
    };
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return 0;
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
