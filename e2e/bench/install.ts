import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { collectBuffers } from '../../electron/adapters/buffer-collector';
import { nativeBunzip2, nativeBzip2Path } from '../../electron/adapters/native-bunzip2';
import { UndiciHttpClient } from '../../electron/adapters/undici-http-client';
import { downloadArchive } from '../../electron/core/download';
import { detectInstance } from '../../electron/core/glpi-instance';
import { nodeFileSystem } from '../../electron/adapters/node-file-system';
import { nodeHostInfo } from '../../electron/adapters/node-host';
import { installPlugin } from '../../electron/core/install/pipeline';
import { systemClock } from '../../electron/core/ports';
import { fakeGlpi } from '../../electron/core/testing-glpi.testkit';
import type { Line } from './stats';

const UA = 'GLPI/10.0.18 (installation-mode:TARBALL; marketdesk/bench)';
/**
 * The unpacked sizes each format's archive body is scaled to: 20 MB (about what the padding used
 * to be) and ten times that, to see whether the install's memory grows with the archive.
 */
const SIZES = [20_000_000, 200_000_000] as const;
/**
 * Each format gets one real release's shape (REAL_SHAPES), scaled until it unpacks to the size:
 * the mix of many small compressible sources and a few incompressible pictures, not one big blob.
 */
const SHAPE_OF = { 'tar.bz2': 'formcreator', 'tar.gz': 'datainjection', zip: 'fields' } as const;
const FORMATS = ['tar.gz', 'tar.bz2', 'zip'] as const;
/**
 * At most this many files in an archive: well under the extraction's 20,000 entries, and more than
 * real releases hold (fields scaled to 200 MB would otherwise have 45,000).
 */
const MAX_FILES = 15_000;
const MiB = 1_048_576;
const MB = 1_000_000;
/** Targets: per format, the install within 1.2x of curl + tar/unzip, and flat memory. */
const MAX_RATIO = 1.2;
const MAX_RSS_GROWTH_MB = 20;

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
  /** CPU time of installPlugin, ms: every thread, and the child processes it waited for (bzip2). */
  cpuMs: number;
}

/** One run of curl + tar/unzip: its time, and the CPU time of its processes, ms. */
interface BaselineRun {
  ms: number;
  cpuMs: number;
}

/** One format at one size: the baseline and the install, run in turns. */
interface Rounds {
  base: BaselineRun[];
  mine: InstallRun[];
  archiveBytes: number;
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

const worst = (samples: number[]): number => Math.max(...samples);

/** For a .tar.bz2: the program that decodes it (the baseline's tar runs bzip2). */
const decodedBy = (format: string): string =>
  format === 'tar.bz2' ? `, decoded by ${nativeBzip2Path()?.split('/').pop() ?? 'the JavaScript decoder'}` : '';

/**
 * Installing a plugin shaped like a real release, unpacking to 20 MB and to 200 MB, from the
 * stand-in (download to swap), per format, against `curl -s URL | tar -x…` (or curl + unzip) into a
 * temporary folder, in turns in the same run (`runs` rounds, `BENCH_INSTALL_RUNS` overrides): the
 * median and the worst of each side, the ratio of each round, and the peak RSS. Each install runs
 * in a fresh process that does nothing else (see {@link runWorker}), so the memory measured is the
 * install's, not this process's (which has loaded every benchmark, playwright-core included).
 */
export async function benchInstall(runs = Number(process.env.BENCH_INSTALL_RUNS ?? 5)): Promise<boolean> {
  // Only here, not at the top: the install workers load this module and need none of them (and
  // bench.js, where the modules every benchmark shares end up, statically loads playwright-core).
  const [{ DEMO_KEYS }, { median, report }, { REAL_SHAPES }, { firstMatch }] = await Promise.all([
    import('../standin/accounts'),
    import('./stats'),
    import('../standin/source-tree'),
    import('./child-output'),
  ]);
  // This module is a chunk (dist/node/chunks/): the stand-in sits next to bench.js, the script run.
  const script = join(dirname(process.argv[1] ?? ''), 'standin.js');
  const child = spawn(process.execPath, [script, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await firstMatch(child, /(http:\/\/127\.0\.0\.1:\d+)/);
  const key = DEMO_KEYS.advanced;
  const lines: Line[] = [];
  try {
    const res = await fetch(`${url}/api/marketplace/plugins`, {
      headers: { 'X-Registration-Key': key, 'User-Agent': UA, 'X-Range': '0-199' },
    });
    const plugins = (await res.json()) as CatalogueRecord[];
    // BENCH_INSTALL_FORMATS=zip,tar.gz: only those (while working on one).
    const only = process.env.BENCH_INSTALL_FORMATS?.split(',');
    for (const format of FORMATS.filter((f) => !only || only.includes(f))) {
      const fits = (p: CatalogueRecord): boolean =>
        p.required_offers === null && (p.versions.at(-1)?.download_url.endsWith(`.${format}`) ?? false);
      // A normal plugin when there is one; a demo plugin only as a last resort.
      const plugin = plugins.find((p) => fits(p) && !isDemoPlugin(p)) ?? plugins.find(fits);
      const version = plugin?.versions.at(-1);
      if (!plugin || !version) throw new Error(`no ${format} plugin in the demo catalogue`);
      const real = REAL_SHAPES[SHAPE_OF[format]]!;
      const job: InstallJob = {
        servicesOrigin: url,
        archiveUrl: version.download_url,
        registrationKey: key,
        plugin: plugin.key,
        version: version.num,
      };
      const bySize: Rounds[] = [];
      for (const size of SIZES) {
        const scale = size / (real.textBytes + real.binaryBytes);
        // Sizes scale fully; the number of files at most up to MAX_FILES (bigger files instead).
        const files = Math.min(scale, MAX_FILES / (real.textFiles + real.binaryFiles));
        const shape = {
          textFiles: Math.round(real.textFiles * files),
          textBytes: Math.round(real.textBytes * scale),
          binaryFiles: Math.round(real.binaryFiles * files),
          binaryBytes: Math.round(real.binaryBytes * scale),
        };
        const set = await fetch(`${url}/__standin/archive-source`, {
          method: 'POST',
          body: JSON.stringify({ key: plugin.key, shape }),
        });
        if (!set.ok) throw new Error(`the stand-in refused the shape ${JSON.stringify(shape)}: ${await set.text()}`);
        const rounds = await measure(job, format, runs);
        bySize.push(rounds);
        const label = `${format} ${size / MB} MB`;
        const base = rounds.base.map((b) => b.ms);
        const ratios = rounds.mine.map((r, i) => r.ms / base[i]!);
        const ms = rounds.mine.map((r) => r.ms);
        const peaks = rounds.mine.map((r) => r.peakRss / MiB);
        lines.push(
          {
            name: `${label}: baseline curl | ${format === 'zip' ? 'unzip' : 'tar'}`,
            value: `median ${median(base).toFixed(0)} ms, worst ${worst(base).toFixed(0)} ms (archive ${(rounds.archiveBytes / MB).toFixed(1)} MB)`,
          },
          {
            name: `${label}: marketdesk install (${plugin.key} ${version.num}, shaped as ${SHAPE_OF[format]}${decodedBy(format)})`,
            value: `median ${median(ms).toFixed(0)} ms, worst ${worst(ms).toFixed(0)} ms; ratio per round median ${median(ratios).toFixed(2)}x, worst ${worst(ratios).toFixed(2)}x`,
            target: `<= ${MAX_RATIO}x (median)`,
            ok: median(ratios) <= MAX_RATIO,
          },
          { name: `${label}: steps of the last run (ms)`, value: rounds.mine.at(-1)?.steps ?? '' },
          {
            // What a busy machine does not change much: the work each side does.
            name: `${label}: CPU time (all threads and child processes)`,
            value: `install median ${median(rounds.mine.map((r) => r.cpuMs)).toFixed(0)} ms, baseline median ${median(rounds.base.map((b) => b.cpuMs)).toFixed(0)} ms`,
          },
          {
            name: `${label}: peak RSS of the install process`,
            value: `median ${median(peaks).toFixed(0)} MB, worst ${worst(peaks).toFixed(0)} MB (${(median(rounds.mine.map((r) => r.rssBefore)) / MiB).toFixed(0)} MB before installing)`,
          },
        );
      }
      const [small, large] = bySize.map((r) => r.mine.map((m) => m.peakRss / MiB)) as [number[], number[]];
      const growth = median(large) - median(small);
      lines.push({
        name: `${format}: peak RSS, ${SIZES[1] / MB} MB against ${SIZES[0] / MB} MB`,
        value: `${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB (medians), worst ${(worst(large) - worst(small)).toFixed(0)} MB`,
        target: `<= ${MAX_RSS_GROWTH_MB} MB`,
        ok: growth <= MAX_RSS_GROWTH_MB,
      });
    }
  } finally {
    child.kill();
  }
  return report(
    `Install of plugins unpacking to ${SIZES.map((s) => s / MB).join(' and ')} MB (real release shapes scaled up) from the stand-in, download to swap (${runs} rounds; both sides write to ${tmpdir()}, ${fileSystemOf(tmpdir())})`,
    lines,
  );
}

/**
 * The kind of file system at `dir`: on a disk both sides also wait for it, and its state moves
 * every figure (on this project's VM, curl | tar took 140 ms or 360 ms on /tmp within an hour);
 * on tmpfs (`TMPDIR=...`) only the work itself is timed.
 */
function fileSystemOf(dir: string): string {
  const kinds: Record<number, string> = {
    0xef53: 'ext2/3/4',
    0x01021994: 'tmpfs',
    0x58465342: 'xfs',
    0x9123683e: 'btrfs',
  };
  const type = statfsSync(dir).type;
  return kinds[type] ?? `file system type 0x${type.toString(16)}`;
}

/** `runs` rounds of the baseline then the install, the stand-in's archive built beforehand. */
async function measure(job: InstallJob, format: (typeof FORMATS)[number], runs: number): Promise<Rounds> {
  const { archiveUrl, registrationKey: key } = job;
  // Warm the stand-in's archive cache so neither side pays for building it; note its size.
  const warm = spawnSync('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{size_download}',
    '-H',
    `X-Registration-Key: ${key}`,
    archiveUrl,
  ]);
  const archiveBytes = Number(warm.stdout.toString());
  const baseline = (): BaselineRun => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-curl-'));
    const cmd =
      format === 'zip'
        ? `curl -s -H 'X-Registration-Key: ${key}' -o ${dir}/a.zip '${archiveUrl}' && unzip -q ${dir}/a.zip -d ${dir}/x`
        : `curl -s -H 'X-Registration-Key: ${key}' '${archiveUrl}' | tar -x${format === 'tar.gz' ? 'z' : 'j'}f - -C ${dir}`;
    const start = performance.now();
    // `times`: the CPU time of the shell's children (curl, tar and its gzip/bzip2, unzip).
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${cmd} && times`]);
    const ms = performance.now() - start;
    rmSync(dir, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`baseline failed: ${r.stderr.toString()}`);
    return { ms, cpuMs: childrenCpuMs(r.stdout.toString()) };
  };
  const rounds: Rounds = { base: [], mine: [], archiveBytes };
  for (let i = 0; i < runs; i++) {
    rounds.base.push(baseline());
    rounds.mine.push(await runWorker(job));
  }
  return rounds;
}

/** The children's user + system time from bash's `times` (its last line: `0m0.151s 0m0.102s`). */
function childrenCpuMs(times: string): number {
  const m = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(times);
  if (!m) throw new Error(`unexpected output of times: ${times}`);
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

/** CPU time of this process's reaped children so far, ms (Linux: /proc/self/stat cutime + cstime). */
function reapedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5), in clock ticks (100 per second).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/**
 * Imports this very module (its own chunk of the bundle, see bench-main.ts) and runs {@link installWorker}.
 * Not `bench.js install-worker`: bench.js statically imports the browser benchmark, hence
 * playwright-core, which alone takes ~80 MB of RSS before anything runs.
 */
const WORKER_BOOT =
  'const [url, job] = process.argv.slice(1); process.exitCode = await (await import(url)).installWorker(job);';

/**
 * Runs one install in a fresh Node process that loads only the install's modules.
 * `BENCH_INSTALL_NODE_FLAGS` adds Node flags to it, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 */
async function runWorker(job: InstallJob): Promise<InstallRun> {
  const flags = process.env.BENCH_INSTALL_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const worker = spawn(
    process.execPath,
    [...flags, '--input-type=module', '-e', WORKER_BOOT, import.meta.url, JSON.stringify(job)],
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
    const cpu = process.cpuUsage();
    const childrenCpu = reapedChildrenCpuMs();
    const start = performance.now();
    const done = await installPlugin(
      {
        fs: nodeFileSystem,
        host: nodeHostInfo(),
        clock: systemClock,
        dataDir,
        // As the shells wire it (node-core.ts, main.ts).
        bzip2: nativeBunzip2,
        collectBuffers,
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
    const used = process.cpuUsage(cpu);
    // maxRSS is in KiB: the peak over this process's whole life, start-up included.
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const run: InstallRun = {
      ms,
      steps: done.steps.map((s) => `${s.name} ${s.ms}`).join(', '),
      rssBefore,
      peakRss,
      cpuMs: (used.user + used.system) / 1000 + reapedChildrenCpuMs() - childrenCpu,
    };
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return 0;
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
