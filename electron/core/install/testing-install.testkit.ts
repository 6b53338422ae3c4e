/** Test helpers of the installer: a fake GLPI tree, in-test plugin archives, a tree hash. */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildTar, gzip } from '../archive/fixtures.testkit.js';
import type { DownloadRequest, DownloadResult } from '../download.js';
import { nodeFileSystem } from '../../adapters/node-file-system.js';
import { nodeHostInfo } from '../../adapters/node-host.js';
import { systemClock } from '../ports.js';
import type { InstallDeps, InstanceTarget } from './pipeline.js';
import { backupRoots } from './places.js';

export function setupPhp(key: string, version: string): string {
  const c = `PLUGIN_${key.toUpperCase()}_VERSION`;
  return `<?php\ndefine('${c}', '${version}');\nfunction plugin_version_${key}() {\n  return ['name' => '${key}', 'version' => ${c}];\n}\n`;
}

/** A plugin folder on disk. */
export async function writePlugin(
  dir: string,
  key: string,
  version: string,
  extra: Record<string, string> = {},
): Promise<void> {
  await fsp.mkdir(join(dir, 'inc'), { recursive: true });
  await fsp.writeFile(join(dir, 'setup.php'), setupPhp(key, version));
  await fsp.writeFile(join(dir, 'inc', 'main.php'), `<?php // ${key} ${version}\n`);
  for (const [name, text] of Object.entries(extra)) await fsp.writeFile(join(dir, name), text);
}

/** A .tar.gz holding `<key>/setup.php` declaring `version` (or `declared`). */
export function pluginArchive(key: string, version: string, declared = version): Buffer {
  return gzip(
    buildTar([
      { path: `${key}/`, type: 'Directory' },
      { path: `${key}/setup.php`, data: setupPhp(key, declared) },
      { path: `${key}/inc/`, type: 'Directory' },
      { path: `${key}/inc/main.php`, data: `<?php // ${key} ${version} new\n` },
    ]),
  );
}

export interface FakeGlpi {
  root: string;
  marketplaceDir: string;
  pluginsDir: string;
  dataDir: string;
  /** GLPI_VAR_DIR: `<root>/glpi/files`. */
  varDir: string;
  /** Where backups are looked for (places.ts backupRoots). */
  backupRoots: string[];
  instance: InstanceTarget;
  cleanup(): Promise<void>;
}

export async function fakeGlpi(): Promise<FakeGlpi> {
  const root = await fsp.mkdtemp(join(tmpdir(), 'marketdesk-install-'));
  const marketplaceDir = join(root, 'glpi', 'marketplace');
  const pluginsDir = join(root, 'glpi', 'plugins');
  const dataDir = join(root, 'data');
  const varDir = join(root, 'glpi', 'files');
  await fsp.mkdir(marketplaceDir, { recursive: true });
  await fsp.mkdir(varDir, { recursive: true });
  await fsp.mkdir(pluginsDir, { recursive: true });
  await fsp.mkdir(dataDir, { recursive: true });
  await writePlugin(join(marketplaceDir, 'other'), 'other', '2.0.0');
  return {
    root,
    marketplaceDir,
    pluginsDir,
    dataDir,
    varDir,
    backupRoots: backupRoots({ marketplaceDir, varDir }),
    instance: { marketplaceDir, marketplaceWritable: true, pluginsDirs: [marketplaceDir, pluginsDir], varDir },
    cleanup: () => fsp.rm(root, { recursive: true, force: true }),
  };
}

/**
 * The installer's ports for `g` on the local disk, downloading with `download`, made quick for tests
 * (1 byte of free space is enough, no rename retries); `extra` replaces any of them.
 */
export function localInstallDeps(
  g: FakeGlpi,
  download: InstallDeps['download'],
  extra: Partial<InstallDeps> = {},
): InstallDeps {
  return {
    fs: nodeFileSystem,
    host: nodeHostInfo(),
    clock: systemClock,
    download,
    dataDir: g.dataDir,
    minFreeBytes: 1,
    swap: { renameRetryDelaysMs: [] },
    ...extra,
  };
}

/** A download function that "downloads" `archive` by writing it to `dest`. */
export function localDownload(archives: Record<string, Buffer>): (req: DownloadRequest) => Promise<DownloadResult> {
  return async (req) => {
    if (req.signal?.aborted) {
      const { DownloadError } = await import('../download.js');
      throw new DownloadError('cancelled', 'cancelled', 'retry');
    }
    const data = archives[req.url];
    if (!data) throw new Error(`no archive for ${req.url}`);
    await fsp.writeFile(req.dest, data);
    return {
      file: req.dest,
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      contentType: 'application/gzip',
      finalUrl: req.url,
      format: 'gzip',
    };
  };
}

/**
 * sha256 over every entry's relative path, type, permission bits and content (symlinks: their
 * target), in sorted order. `ignore` skips top-level names (e.g. `.marketdesk`).
 */
export async function treeHash(dir: string, ignore: string[] = []): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    const names = (await fsp.readdir(d)).sort();
    for (const name of names) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (d === dir && ignore.includes(name)) continue;
      const st = await fsp.lstat(p);
      const mode = (st.mode & 0o777).toString(8);
      if (st.isDirectory()) {
        hash.update(`D ${rel} ${mode}\n`);
        await walk(p);
      } else if (st.isSymbolicLink()) {
        hash.update(`L ${rel} ${await fsp.readlink(p)}\n`);
      } else {
        hash
          .update(`F ${rel} ${mode} `)
          .update(await fsp.readFile(p))
          .update('\n');
      }
    }
  };
  await walk(dir);
  return hash.digest('hex');
}

/**
 * Names in `<marketplace>/.marketdesk` (and in `area`, `<GLPI_VAR_DIR>/_marketdesk`, when given)
 * other than `backups`: staging, journal, lock and probe leftovers.
 */
export async function workAreaLeftovers(marketplaceDir: string, area?: string): Promise<string[]> {
  const names: string[] = [];
  for (const dir of [join(marketplaceDir, '.marketdesk'), ...(area ? [area] : [])]) {
    try {
      names.push(...(await fsp.readdir(dir)).filter((n) => n !== 'backups'));
    } catch {
      // no such folder: nothing left there
    }
  }
  return names.sort();
}
