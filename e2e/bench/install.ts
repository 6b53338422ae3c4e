import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UndiciHttpClient } from '../../electron/adapters/undici-http-client';
import { downloadArchive } from '../../electron/core/download';
import { detectInstance } from '../../electron/core/glpi-instance';
import { nodeInstallFs } from '../../electron/core/install/install-fs';
import { installPlugin } from '../../electron/core/install/pipeline';
import { systemClock } from '../../electron/core/ports';
import { fakeGlpi } from '../../electron/core/testing-glpi';
import { DEMO_KEYS } from '../standin/accounts';
import { median, report, timeAsync } from './stats';

const UA = 'GLPI/10.0.18 (installation-mode:TARBALL; marketdesk/bench)';
const PAD = 20 * 1024 * 1024;

/**
 * Installing a 20 MB plugin archive from the stand-in (download to swap), per format, against
 * `curl -s URL | tar -x…` (or curl + unzip) into a temporary folder, in the same run; with the
 * peak memory of this process while installing.
 */
export async function benchInstall(runs = 3): Promise<boolean> {
  const script = fileURLToPath(new URL('./standin.js', import.meta.url));
  const child = spawn(process.execPath, [script, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
  });
  const key = DEMO_KEYS.advanced;
  const lines = [];
  let ok = true;
  try {
    const res = await fetch(`${url}/api/marketplace/plugins`, {
      headers: { 'X-Registration-Key': key, 'User-Agent': UA, 'X-Range': '0-199' },
    });
    const plugins = (await res.json()) as {
      key: string;
      required_offers: string[] | null;
      versions: { num: string; download_url: string }[];
    }[];
    for (const format of ['tar.gz', 'tar.bz2', 'zip'] as const) {
      const plugin = plugins.find(
        (p) => p.required_offers === null && p.versions.at(-1)?.download_url.endsWith(`.${format}`),
      );
      const version = plugin?.versions.at(-1);
      if (!plugin || !version) throw new Error(`no ${format} plugin in the demo catalogue`);
      await fetch(`${url}/__standin/archive-padding`, {
        method: 'POST',
        body: JSON.stringify({ key: plugin.key, bytes: PAD }),
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
      const http = new UndiciHttpClient();
      let peak = 0;
      const ours = async () => {
        const root = fakeGlpi();
        const dataDir = mkdtempSync(join(tmpdir(), 'bench-data-'));
        const info = await detectInstance(root);
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
        try {
          await installPlugin(
            {
              fs: nodeInstallFs,
              clock: systemClock,
              dataDir,
              download: (request) => downloadArchive({ http, clock: systemClock }, request),
            },
            {
              instance: info,
              key: plugin.key,
              version: version.num,
              source: { url: archiveUrl, servicesOrigin: url, headers: { 'User-Agent': UA }, key, uid: 'B'.repeat(40) },
              allowed: true,
            },
          );
        } finally {
          clearInterval(sampler);
          rmSync(root, { recursive: true, force: true });
          rmSync(dataDir, { recursive: true, force: true });
        }
      };
      const base: number[] = [];
      const mine: number[] = [];
      for (let i = 0; i < runs; i++) {
        base.push(await timeAsync(() => Promise.resolve(baseline())));
        mine.push(await timeAsync(ours));
      }
      const ratio = median(mine) / median(base);
      const mb = peak / 1_048_576;
      ok &&= ratio <= 1.5 && mb < 150;
      lines.push(
        {
          name: `${format}: baseline curl | ${format === 'zip' ? 'unzip' : 'tar'}`,
          value: `${median(base).toFixed(0)} ms`,
        },
        {
          name: `${format}: marketdesk install (${plugin.key})`,
          value: `${median(mine).toFixed(0)} ms, ratio ${ratio.toFixed(2)}x`,
          target: '<= 1.5x',
          ok: ratio <= 1.5,
        },
        {
          name: `${format}: peak RSS of this process while installing`,
          value: `${mb.toFixed(0)} MB`,
          target: '< 150 MB',
          ok: mb < 150,
        },
      );
    }
  } finally {
    child.kill();
  }
  report(`Install of a 20 MB archive from the stand-in, download to swap (median of ${runs})`, lines);
  return ok;
}
