import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildArchive } from '../../../e2e/standin/archive-writers';
import { demoCatalogue } from '../../../e2e/standin/catalog-data';
import { pluginFiles, type ArchiveEntry } from '../../../e2e/standin/plugin-files';
import { ArchiveError } from '../archive/extract.js';
import { buildTar, gzip } from '../archive/fixtures.testkit.js';
import { listBackups } from './backups.js';
import { InstallError } from './errors.js';
import { nodeFileSystem } from '../../adapters/node-file-system.js';
import { nodeHostInfo } from '../../adapters/node-host.js';
import { nodeProcessRunner } from '../../adapters/process-runner.js';
import type { FileSystem } from '../ports.js';
import { faultyFs, errnoError } from './install-fs.js';
import { acquireLock, lockPath } from './lock.js';
import { installPlugin, removePlugin, restorePlugin, type InstallDeps, type InstallRequest } from './pipeline.js';
import {
  fakeGlpi,
  localDownload,
  localInstallDeps,
  pluginArchive,
  setupPhp,
  treeHash,
  workAreaLeftovers,
  writePlugin,
  type FakeGlpi,
} from './testing-install.testkit.js';

let g: FakeGlpi;
const URL_OF = (v: string): string => `https://example.test/fields-${v}.tar.gz`;
const archives: Record<string, Buffer> = {
  [URL_OF('1.21.0')]: pluginArchive('fields', '1.21.0'),
  [URL_OF('1.21.10')]: pluginArchive('fields', '1.21.10'),
  [URL_OF('1.22.0')]: pluginArchive('fields', '1.22.0'),
  [URL_OF('1.23.0')]: pluginArchive('fields', '1.23.0'),
  [URL_OF('9.9.9')]: pluginArchive('fields', '9.9.9', '1.0.0'),
};
beforeEach(async () => {
  g = await fakeGlpi();
});
afterEach(() => g.cleanup());

const deps = (extra: Partial<InstallDeps> = {}): InstallDeps => localInstallDeps(g, localDownload(archives), extra);
const req = (version: string, extra: Partial<InstallRequest> = {}): InstallRequest => ({
  instance: g.instance,
  key: 'fields',
  version,
  source: {
    url: URL_OF(version),
    servicesOrigin: 'https://services.glpi-network.com',
    headers: {},
    key: 'k',
    uid: 'u',
  },
  allowed: true,
  ...extra,
});
const versionAt = async (dir: string): Promise<string> =>
  (await fsp.readFile(join(dir, 'setup.php'), 'utf8')).match(/'(\d[^']*)'/)![1]!;
const fieldsDir = (): string => join(g.marketplaceDir, 'fields');

describe('installPlugin / restorePlugin / removePlugin', () => {
  it('installs a new plugin, then updates it (old → backup), restores, removes, prunes to N', async () => {
    const steps: string[] = [];
    const r1 = await installPlugin(deps(), req('1.21.0', { onProgress: (s) => void steps.push(s) }));
    expect(r1).toMatchObject({ key: 'fields', from: null, to: '1.21.0', backup: null });
    expect(r1.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r1.steps.map((s) => s.name)).toEqual([
      'lock',
      'preflight',
      'download',
      'preflight',
      'extract',
      'validate',
      'swap',
      'backup',
    ]);
    expect(new Set(steps)).toEqual(new Set(['lock', 'preflight', 'download', 'extract', 'validate', 'swap', 'backup']));
    expect(await versionAt(fieldsDir())).toBe('1.21.0');

    const r2 = await installPlugin(deps(), req('1.21.10'));
    expect(r2.from).toBe('1.21.0');
    expect(await versionAt(fieldsDir())).toBe('1.21.10');
    expect(await versionAt(r2.backup!)).toBe('1.21.0');

    const [b] = await listBackups(nodeFileSystem, g.backupRoots, 'fields');
    const restored = await restorePlugin(deps(), { instance: g.instance, key: 'fields', backupId: b!.id });
    expect(restored).toMatchObject({ from: '1.21.10', to: '1.21.0' });
    expect(await versionAt(fieldsDir())).toBe('1.21.0');
    expect((await listBackups(nodeFileSystem, g.backupRoots, 'fields')).map((x) => x.version)).toEqual(['1.21.10']);

    const removed = await removePlugin(deps(), { instance: g.instance, key: 'fields' });
    expect(removed.message).toContain("GLPI keeps the plugin's tables");
    await expect(fsp.stat(fieldsDir())).rejects.toThrow();
    expect((await listBackups(nodeFileSystem, g.backupRoots, 'fields')).map((x) => x.version)).toEqual([
      '1.21.0',
      '1.21.10',
    ]);

    await installPlugin(deps({ keepBackups: 2 }), req('1.22.0'));
    await installPlugin(deps({ keepBackups: 2 }), req('1.23.0'));
    expect((await listBackups(nodeFileSystem, g.backupRoots, 'fields')).map((x) => x.version)).toEqual([
      '1.22.0',
      '1.21.0',
    ]);
    expect(await workAreaLeftovers(g.marketplaceDir, join(g.varDir, '_marketdesk'))).toEqual([]);
  });

  it("gets the file system's writer ready before the download (its thread starts while the lock and checks are awaited)", async () => {
    const events: string[] = [];
    const fs: FileSystem = { ...nodeFileSystem, prepareNewFiles: () => void events.push('prepare') };
    const download = localDownload(archives);
    await installPlugin(deps({ fs, download: (r) => (events.push('download'), download(r)) }), req('1.21.0'));
    expect(events).toEqual(['prepare', 'download']);
    expect(await versionAt(fieldsDir())).toBe('1.21.0');
  });

  it('runs the whole install, lock to backup, inside the buffer collector, and fails through it', async () => {
    const events: string[] = [];
    const collectBuffers: InstallDeps['collectBuffers'] = async (work) => {
      events.push('collecting');
      try {
        return await work();
      } finally {
        events.push('stopped');
      }
    };
    const download = localDownload(archives);
    const report = await installPlugin(
      deps({ collectBuffers, download: (r) => (events.push('download'), download(r)) }),
      req('1.21.0', {
        onProgress: (step, fraction) => void (step === 'lock' && fraction === 0 && events.push('lock')),
      }),
    );
    expect(report.to).toBe('1.21.0');
    expect(events).toEqual(['collecting', 'lock', 'download', 'stopped']);
    events.length = 0;
    const err = await installPlugin(deps({ collectBuffers }), req('0.0.1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InstallError);
    expect(events).toEqual(['collecting', 'stopped']);
  });
});

describe('every failure leaves marketplace/ byte-identical', () => {
  beforeEach(async () => {
    await writePlugin(fieldsDir(), 'fields', '1.21.0');
  });

  const fsFault = (rule: Parameters<typeof faultyFs>[1]): Partial<InstallDeps> => ({
    fs: faultyFs(nodeFileSystem, rule),
  });
  const enospcExtract: Partial<InstallDeps> = {
    extract: async (_file, staging) => {
      await fsp.mkdir(join(staging, 'fields'));
      await fsp.writeFile(join(staging, 'fields', 'half.php'), 'partial');
      throw new ArchiveError('io', 'write failed', { cause: errnoError('ENOSPC', 'write', staging) });
    },
  };
  /** An archive whose setup.php declares no version. */
  const noVersion: Partial<InstallDeps> = {
    extract: async (_file, staging) => {
      await fsp.mkdir(join(staging, 'fields'));
      await fsp.writeFile(join(staging, 'fields', 'setup.php'), '<?php // no version here');
      return { format: 'tar.gz', entries: 2, bytes: 24, topFolder: 'fields' };
    },
  };
  const cases: [string, Partial<InstallDeps>, Partial<InstallRequest>, string, string][] = [
    ['not entitled', {}, { allowed: { reason: 'needs a subscription' } }, 'preflight', 'not-entitled'],
    [
      'marketplace not writable',
      {},
      {
        instance: { ...({} as object), marketplaceDir: '', marketplaceWritable: false, pluginsDirs: [], varDir: null },
      },
      'preflight',
      'not-writable',
    ],
    ['no free space', { minFreeBytes: Number.MAX_SAFE_INTEGER }, {}, 'preflight', 'ENOSPC'],
    [
      'download fails',
      { download: () => Promise.reject(errnoError('ENOSPC', 'write', 'x')) },
      {},
      'download',
      'ENOSPC',
    ],
    ['ENOSPC during extract', enospcExtract, {}, 'extract', 'ENOSPC'],
    [
      'EACCES on mkdir of staging',
      fsFault({ op: 'mkdir', path: 'staging-', errno: 'EACCES' }),
      {},
      'extract',
      'EACCES',
    ],
    [
      'version mismatch',
      {},
      { version: '9.9.9', source: { url: URL_OF('9.9.9'), servicesOrigin: 'x', headers: {}, key: 'k', uid: 'u' } },
      'validate',
      'version-mismatch',
    ],
    ['a setup.php that declares no version', noVersion, {}, 'validate', 'version-unreadable'],
    [
      // Not "version unreadable": the archive is fine, the disk (or the SSH connection) is not.
      'EIO reading the unpacked setup.php',
      fsFault({ op: 'readText', path: /staging-[^/]*\/fields\/setup\.php$/, errno: 'EIO' }),
      {},
      'validate',
      'EIO',
    ],
    [
      'EBUSY on the first rename',
      fsFault({ op: 'rename', path: /marketplace\/fields$/, errno: 'EBUSY', times: Infinity }),
      {},
      'swap',
      'EBUSY',
    ],
    [
      'EPERM on the first rename',
      fsFault({ op: 'rename', path: /marketplace\/fields$/, errno: 'EPERM' }),
      {},
      'swap',
      'EPERM',
    ],
    ['EXDEV on the second rename', fsFault({ op: 'rename', path: 'staging-', errno: 'EXDEV' }), {}, 'swap', 'EXDEV'],
    [
      'failure between the two renames',
      fsFault({ op: 'writeFile', path: 'journal', errno: 'ENOSPC', nth: 3 }),
      {},
      'swap',
      'ENOSPC',
    ],
  ];
  it.each(cases)('%s', async (_name, extraDeps, extraReq, step, code) => {
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const request = req('1.21.10', extraReq);
    if (extraReq.instance) request.instance = { ...extraReq.instance, marketplaceDir: g.marketplaceDir };
    const err = (await installPlugin(deps(extraDeps), request).catch((e: unknown) => e)) as InstallError;
    expect(err).toBeInstanceOf(InstallError);
    expect([err.step, err.code]).toEqual([step, code]);
    expect(err.fix).not.toBe('');
    expect(await treeHash(g.marketplaceDir, ['.marketdesk'])).toBe(before);
    expect(await workAreaLeftovers(g.marketplaceDir, join(g.varDir, '_marketdesk'))).toEqual([]);
    expect(await versionAt(fieldsDir())).toBe('1.21.0');
  });

  it('refuses a VCS working copy and a plugin shadowed by a higher-priority folder', async () => {
    await fsp.mkdir(join(fieldsDir(), '.git'));
    await expect(installPlugin(deps(), req('1.21.10'))).rejects.toMatchObject({ step: 'preflight', code: 'vcs' });
    await fsp.rm(join(fieldsDir(), '.git'), { recursive: true });
    await writePlugin(join(g.pluginsDir, 'fields'), 'fields', '1.0.0');
    const shadowed = { ...g.instance, pluginsDirs: [g.pluginsDir, g.marketplaceDir] };
    await expect(installPlugin(deps(), req('1.21.10', { instance: shadowed }))).rejects.toMatchObject({
      step: 'preflight',
      code: 'shadowed',
    });
  });

  it('cancellation before the swap changes nothing', async () => {
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const ac = new AbortController();
    const err = await installPlugin(
      deps(),
      req('1.21.10', {
        signal: ac.signal,
        onProgress: (s) => {
          if (s === 'download') ac.abort();
        },
      }),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled' });
    expect(await treeHash(g.marketplaceDir, ['.marketdesk'])).toBe(before);
    expect(await workAreaLeftovers(g.marketplaceDir, join(g.varDir, '_marketdesk'))).toEqual([]);
  });
});

describe('lock', () => {
  it('two installs at once on one instance: one runs, the other gets busy naming it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = localDownload(archives);
    const first = installPlugin(
      deps({
        download: async (r) => {
          await gate;
          return slow(r);
        },
      }),
      req('1.21.10'),
    );
    await new Promise((r) => setTimeout(r, 50));
    const second = await installPlugin(deps(), req('1.21.0')).catch((e: unknown) => e);
    expect(second).toMatchObject({ step: 'lock', code: 'busy' });
    expect((second as Error).message).toContain('install of fields 1.21.10');
    release();
    await expect(first).resolves.toMatchObject({ to: '1.21.10' });
    await expect(fsp.stat(lockPath(g.marketplaceDir))).rejects.toThrow();
  });

  it('takes over a stale lock left by a dead process, and reports the takeover', async () => {
    const held = await acquireLock({
      fs: nodeFileSystem,
      marketplaceDir: g.marketplaceDir,
      operation: 'update of fields to 1.0',
      pid: 999_999_999,
      host: nodeHostInfo().hostname,
      isAlive: () => true,
    });
    expect(held.tookOver).toBeNull();
    const report = await installPlugin(deps({ lock: { isAlive: (pid) => pid !== 999_999_999 } }), req('1.21.0'));
    expect(report.lockTakeover).toContain('update of fields to 1.0 (process 999999999');
    expect(report.lockTakeover).toContain('stale');
  });

  it('cleans leftovers of a crash before an operation (staging folders)', async () => {
    const fs: FileSystem = nodeFileSystem;
    await fs.mkdir(join(g.marketplaceDir, '.marketdesk', 'staging-dead', 'fields'));
    await installPlugin(deps(), req('1.21.0'));
    expect(await workAreaLeftovers(g.marketplaceDir, join(g.varDir, '_marketdesk'))).toEqual([]);
  });
});

describe('real-shaped releases (issue 10): hundreds of files, as published', () => {
  const formcreator = demoCatalogue().find((p) => p.key === 'formcreator')!;
  const [older, newer] = formcreator.versions.slice(-2);
  const filesOf = async (dir: string): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    for (const d of await fsp.readdir(dir, { withFileTypes: true, recursive: true })) {
      if (!d.isFile()) continue;
      const full = join(d.parentPath, d.name);
      out.set(
        relative(dir, full),
        createHash('sha256')
          .update(await fsp.readFile(full))
          .digest('hex'),
      );
    }
    return out;
  };
  const expected = (entries: ArchiveEntry[]): Map<string, string> =>
    new Map(
      entries
        .filter((e) => e.type === 'file')
        .map((e) => [e.path.slice('formcreator/'.length), createHash('sha256').update(e.data).digest('hex')]),
    );

  it.each(['tar.bz2', 'tar.gz', 'zip'] as const)(
    '%s: formcreator installs whole, then updates with the old one kept as the backup',
    async (format) => {
      const url = (v: string): string => `https://example.test/formcreator-${v}.${format}`;
      const entries = { old: pluginFiles(formcreator, older!), new: pluginFiles(formcreator, newer!) };
      expect(entries.new.length).toBeGreaterThan(500);
      const download = localDownload({
        [url(older!.num)]: await buildArchive(format, entries.old),
        [url(newer!.num)]: await buildArchive(format, entries.new),
      });
      const request = (v: string): InstallRequest => ({
        ...req(v),
        key: 'formcreator',
        source: { ...req(v).source, url: url(v) },
      });
      const dir = join(g.marketplaceDir, 'formcreator');
      await installPlugin(deps({ download }), request(older!.num));
      expect(await filesOf(dir)).toEqual(expected(entries.old));
      const r = await installPlugin(deps({ download }), request(newer!.num));
      expect(r).toMatchObject({ from: older!.num, to: newer!.num });
      expect(await filesOf(dir)).toEqual(expected(entries.new));
      expect(await filesOf(r.backup!)).toEqual(expected(entries.old));
    },
    60_000,
  );
});

describe('pre-flight guard', () => {
  /** A fake `php -l`: a parse error when the file holds "BROKEN", as php prints it. */
  async function fakePhp(): Promise<string> {
    const php = join(g.root, 'fake-php');
    await fsp.writeFile(
      php,
      '#!/bin/sh\nfor f; do :; done\nif grep -q BROKEN "$f"; then echo "PHP Parse error:  syntax error, unexpected end of file in $f on line 7"; exit 255; fi\necho "No syntax errors detected in $f"\n',
      { mode: 0o755 },
    );
    return php;
  }
  const BROKEN_URL = 'https://example.test/fields-2.0.0.tar.gz';
  const brokenArchive = gzip(
    buildTar([
      { path: 'fields/', type: 'Directory' },
      { path: 'fields/setup.php', data: `${setupPhp('fields', '2.0.0')}\nBROKEN(\n` },
    ]),
  );

  it('refuses an archive whose setup.php php -l rejects, leaving marketplace/ unchanged', async () => {
    await writePlugin(fieldsDir(), 'fields', '1.21.0');
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const php = { runner: nodeProcessRunner, php: await fakePhp() };
    const err = await installPlugin(
      deps({ php, download: localDownload({ ...archives, [BROKEN_URL]: brokenArchive }) }),
      req('2.0.0', { source: { ...req('2.0.0').source, url: BROKEN_URL } }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InstallError);
    expect(err).toMatchObject({ step: 'validate', code: 'php-syntax' });
    expect((err as InstallError).message).toContain(
      'php -l finds an error in fields/setup.php: PHP Parse error: syntax error, unexpected end of file in fields/setup.php on line 7.',
    );
    expect(await treeHash(g.marketplaceDir, ['.marketdesk'])).toBe(before);
    expect(await versionAt(fieldsDir())).toBe('1.21.0');
    expect(await workAreaLeftovers(g.marketplaceDir)).toEqual([]);
  });

  it('installs when php -l passes, and reports what it found in the plugin folders as warnings', async () => {
    await writePlugin(join(g.pluginsDir, 'fields'), 'fields', '1.19.0');
    await fsp.writeFile(join(g.pluginsDir, 'tag.zip'), 'x');
    const steps: string[] = [];
    const r = await installPlugin(
      deps({ php: { runner: nodeProcessRunner, php: await fakePhp() } }),
      req('1.21.0', { onProgress: (s) => void steps.push(s) }),
    );
    expect(await versionAt(fieldsDir())).toBe('1.21.0');
    expect(steps).toContain('validate');
    expect(r.warnings.map((w) => [w.id, w.severity, w.path])).toEqual([
      ['archive', 'warns', join(g.pluginsDir, 'tag.zip')],
      ['duplicate', 'warns', join(g.pluginsDir, 'fields')],
    ]);
  });

  it('refuses, before any download, an install that would make PHP stop on "Cannot redeclare"', async () => {
    await writePlugin(join(g.pluginsDir, 'fields-main'), 'fields', '1.22.0');
    let downloads = 0;
    const err = await installPlugin(
      deps({ download: (r) => (downloads++, localDownload(archives)(r)) }),
      req('1.21.0'),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ step: 'preflight', code: 'branch-name' });
    expect((err as InstallError).fix).toBe(
      `Rename it after the plugin's key: mv ${join(g.pluginsDir, 'fields-main')} ${join(g.pluginsDir, 'fields')}`,
    );
    expect(downloads).toBe(0);
    expect(await fsp.readdir(g.marketplaceDir)).not.toContain('fields');
  });

  it('keeps refusing a working copy with the vcs code, as before the guard', async () => {
    await writePlugin(fieldsDir(), 'fields', '1.0.0');
    await fsp.mkdir(join(fieldsDir(), '.git'));
    await expect(installPlugin(deps(), req('1.21.0'))).rejects.toMatchObject({ step: 'preflight', code: 'vcs' });
  });
});
