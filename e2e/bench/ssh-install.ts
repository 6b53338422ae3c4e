/**
 * Installing a ~20 MB .tar.bz2 plugin into a GLPI tree on a real sshd on 127.0.0.1, through
 * Marketdesk's pipeline (archive decoded here, files written over SFTP, fsynced, swapped in),
 * against what an admin would type: `scp archive host:dir && ssh host 'tar -xjf archive -C dir'`
 * with the OpenSSH client, in the same run. Both sides include their connections.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArchive } from '../standin/archive-writers';
import { releaseEntries, type SourceShape } from '../standin/source-tree';
import { nativeBunzip2 } from '../../electron/adapters/native-bunzip2';
import { nodeFileSystem } from '../../electron/adapters/node-file-system';
import { nodeHostInfo } from '../../electron/adapters/node-host';
import { nodeSshConnector } from '../../electron/adapters/ssh/ssh-connector';
import { sshdUnavailable, startSshd, type TestSshd } from '../../electron/adapters/ssh/testing-sshd.testkit';
import { detectInstance } from '../../electron/core/glpi-instance';
import { installPlugin } from '../../electron/core/install/pipeline';
import { systemClock } from '../../electron/core/ports';
import { knownKeysFor } from '../../electron/core/ssh/known-hosts';
import { glpiOnServer, setupPhp } from '../../electron/core/testing-glpi.testkit';
import { median, report, timeAsync } from './stats';

const KEY = 'bigplugin';
const VERSION = '1.0.0';
/**
 * formcreator's mix (hundreds of PHP/JS/CSS/.po files, some pictures and fonts) scaled up until
 * the .tar.bz2 is about 20 MB: ~61 MB unpacked in ~950 files.
 */
export const BIG_SHAPE: SourceShape = {
  textFiles: 800,
  textBytes: 45_000_000,
  binaryFiles: 150,
  binaryBytes: 16_000_000,
};

/** The OpenSSH client's options for the test server: its key, its host key and nothing else. */
export function opensshOptions(sshd: TestSshd, knownHosts: string): string[] {
  return [
    '-i',
    sshd.clientKey.path,
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-F',
    '/dev/null',
  ];
}

export async function benchSshInstall(runs = 5): Promise<boolean> {
  const why = sshdUnavailable();
  if (why) {
    console.log(`\nSSH install of a 20 MB .tar.bz2: skipped (${why})`);
    return true;
  }
  const local = mkdtempSync(join(tmpdir(), 'bench-ssh-install-'));
  const sshd = await startSshd();
  try {
    const archive = join(local, `${KEY}-${VERSION}.tar.bz2`);
    // With a setup.php whose version the install can read and check.
    const entries = releaseEntries(KEY, BIG_SHAPE).map((e) =>
      e.path === `${KEY}/setup.php` ? { ...e, data: Buffer.from(setupPhp(KEY, VERSION)) } : e,
    );
    const data = await buildArchive('tar.bz2', entries);
    writeFileSync(archive, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const unpacked = entries.reduce((n, e) => n + e.data.length, 0);
    const knownHosts = join(local, 'known_hosts');
    writeFileSync(knownHosts, `[${sshd.host}]:${sshd.port} ${sshd.hostKey.publicLine}\n`);
    const options = opensshOptions(sshd, knownHosts);
    const login = `${sshd.user}@${sshd.host}`;
    const connector = nodeSshConnector({});
    const knownKeys = knownKeysFor(
      `[${sshd.host}]:${sshd.port} ${sshd.hostKey.publicLine}`,
      sshd.host,
      sshd.port,
      'bench',
    );

    const baseline = (dir: string): void => {
      const scp = spawnSync('scp', ['-q', '-P', String(sshd.port), ...options, archive, `${login}:${dir}/`]);
      if (scp.status !== 0) throw new Error(`scp failed: ${scp.stderr.toString()}`);
      const ssh = spawnSync('ssh', [
        '-p',
        String(sshd.port),
        ...options,
        login,
        `mkdir ${dir}/x && tar -xjf ${dir}/${KEY}-${VERSION}.tar.bz2 -C ${dir}/x`,
      ]);
      if (ssh.status !== 0) throw new Error(`ssh tar failed: ${ssh.stderr.toString()}`);
    };
    let steps = '';
    const ours = async (root: string): Promise<void> => {
      const session = await connector({
        endpoint: { host: sshd.host, port: sshd.port, user: sshd.user },
        auth: { method: 'key', path: sshd.clientKey.path },
        knownKeys,
      });
      const dataDir = mkdtempSync(join(tmpdir(), 'bench-ssh-data-'));
      try {
        const info = await detectInstance(root, session.fs);
        const done = await installPlugin(
          {
            fs: session.fs,
            localFs: nodeFileSystem,
            bzip2: nativeBunzip2,
            host: nodeHostInfo(),
            clock: systemClock,
            dataDir,
            // The archive is here already: the download is not what is measured.
            download: () =>
              Promise.resolve({
                file: archive,
                bytes: data.length,
                sha256,
                contentType: 'application/x-bzip2',
                finalUrl: `https://example.invalid/${KEY}-${VERSION}.tar.bz2`,
                format: 'bzip2',
              }),
          },
          {
            instance: info,
            key: KEY,
            version: VERSION,
            source: {
              url: `https://example.invalid/${KEY}-${VERSION}.tar.bz2`,
              servicesOrigin: 'https://example.invalid',
              headers: {},
              key: 'bench',
              uid: 'B'.repeat(40),
            },
            allowed: true,
          },
        );
        steps = done.steps.map((s) => `${s.name} ${s.ms}`).join(', ');
      } finally {
        session.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    };

    const base: number[] = [];
    const mine: number[] = [];
    for (let i = 0; i < runs; i++) {
      const dir = glpiOnServer(sshd, `base${i}`);
      base.push(await timeAsync(() => Promise.resolve(baseline(dir))));
      rmSync(dir, { recursive: true, force: true });
      const root = glpiOnServer(sshd, `glpi${i}`);
      mine.push(await timeAsync(() => ours(root)));
      rmSync(root, { recursive: true, force: true });
    }
    const ratio = median(mine) / median(base);
    const MB = (n: number) => (n / 1e6).toFixed(1);
    return report(
      `SSH install of a ${MB(data.length)} MB .tar.bz2 (${entries.length} entries, ${MB(unpacked)} MB unpacked) into a GLPI tree on sshd at 127.0.0.1 (median of ${runs})`,
      [
        {
          name: 'baseline: scp archive && ssh tar -xjf',
          value: `${median(base).toFixed(0)} ms (runs: ${base.map((t) => t.toFixed(0)).join(', ')})`,
        },
        {
          name: 'marketdesk: connect + installPlugin over SFTP',
          value: `${median(mine).toFixed(0)} ms, ratio ${ratio.toFixed(2)}x (runs: ${mine.map((t) => t.toFixed(0)).join(', ')})`,
          target: '<= 1.3x',
          ok: ratio <= 1.3,
        },
        { name: 'steps of the last run (ms)', value: steps },
      ],
    );
  } finally {
    await sshd.close();
    rmSync(local, { recursive: true, force: true });
  }
}
