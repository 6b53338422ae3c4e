import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../adapters/node-file-system.js';
import { nodeHostInfo } from '../../adapters/node-host.js';
import { systemClock } from '../ports.js';
import { migrateBackups } from './backup-move.js';
import { listBackups } from './backups.js';
import { faultyFs, type FaultRule } from './install-fs.js';
import { installPlugin, recoverInstance, restorePlugin, type InstallDeps } from './pipeline.js';
import { legacyBackupsRootOf, resolvePlaces } from './places.js';
import {
  fakeGlpi,
  localDownload,
  localInstallDeps,
  pluginArchive,
  treeHash,
  workAreaLeftovers,
  writePlugin,
  type FakeGlpi,
} from './testing-install.testkit.js';

let g: FakeGlpi;
beforeEach(async () => {
  g = await fakeGlpi();
  await writePlugin(join(g.marketplaceDir, 'fields'), 'fields', '1.21.0', { 'secret.php': '<?php echo 1;' });
});
afterEach(() => g.cleanup());

const URL_OF = (v: string): string => `https://example.test/fields-${v}.tar.gz`;
/** A file system on which no folder renames from marketplace/ into GLPI's data folder (another disk). */
const acrossDisks: FaultRule = { op: 'rename', path: /\.marketdesk\/probe-/, errno: 'EXDEV', times: Infinity };
const otherDisk = () => faultyFs(nodeFileSystem, acrossDisks);
const area = (): string => join(g.varDir, '_marketdesk');
const vault = (): string => join(area(), 'backups');
const legacy = (): string => legacyBackupsRootOf(g.marketplaceDir);
const deps = (extra: Partial<InstallDeps> = {}): InstallDeps =>
  localInstallDeps(g, localDownload({ [URL_OF('1.21.10')]: pluginArchive('fields', '1.21.10') }), extra);
const update = (extra: Partial<InstallDeps> = {}) =>
  installPlugin(deps(extra), {
    instance: g.instance,
    key: 'fields',
    version: '1.21.10',
    source: { url: URL_OF('1.21.10'), servicesOrigin: 'https://s.test', headers: {}, key: 'k', uid: 'u' },
    allowed: true,
  });

describe('resolvePlaces', () => {
  it("keeps backups and staging in GLPI's data folder when a rename reaches it (same file system)", async () => {
    const p = await resolvePlaces(nodeFileSystem, g.instance);
    expect(p).toMatchObject({
      backupsRoot: vault(),
      swapBackupsRoot: vault(),
      stagingDir: area(),
      transfer: 'rename',
      outOfWebReach: true,
      note: null,
    });
    expect(await workAreaLeftovers(g.marketplaceDir, area())).toEqual([]); // the probe is gone
  });

  it('copies when the rename fails (another file system, or any SFTP failure) and says so', async () => {
    const p = await resolvePlaces(otherDisk(), g.instance);
    expect(p).toMatchObject({ backupsRoot: vault(), swapBackupsRoot: legacy(), transfer: 'copy' });
    expect(p.stagingDir).toBe(join(g.marketplaceDir, '.marketdesk'));
    expect(p.note).toMatch(/another file system .* copied, verified and deleted/);
  });

  it('falls back to marketplace/.marketdesk/backups, saying why and the fix, when GLPI_VAR_DIR is unknown or unusable', async () => {
    const unknown = await resolvePlaces(nodeFileSystem, { ...g.instance, varDir: null });
    expect(unknown).toMatchObject({ backupsRoot: legacy(), outOfWebReach: false });
    expect(unknown.note).toMatch(/cannot be known without running PHP.*Define GLPI_VAR_DIR/);
    await fsp.writeFile(join(g.root, 'not-a-folder'), '');
    const file = await resolvePlaces(nodeFileSystem, { ...g.instance, varDir: join(g.root, 'not-a-folder') });
    expect(file).toMatchObject({ backupsRoot: legacy(), outOfWebReach: false });
    expect(file.note).toMatch(/cannot be kept in .*\(E[A-Z]+\).*Give the account running Marketdesk write access/);
  });
});

describe('an update keeps the replaced plugin out of marketplace/', () => {
  it.each([
    ['same file system (rename)', () => nodeFileSystem],
    ['another file system (copy + verify + delete)', otherDisk],
  ])('%s; a restore brings it back', async (_name, fs) => {
    const old = await treeHash(join(g.marketplaceDir, 'fields'));
    const r = await update({ fs: fs() });
    expect(r.backup).toMatch(new RegExp(`^${vault()}/fields/1\\.21\\.0-\\d{8}T\\d{9}Z$`));
    expect(await treeHash(r.backup!)).toBe(old);
    expect(r.backupPlace).toMatchObject({ root: vault(), outOfWebReach: true });
    await expect(fsp.stat(legacy())).rejects.toThrow(); // nothing left inside the GLPI tree
    expect(await workAreaLeftovers(g.marketplaceDir, area())).toEqual([]);

    const [b] = await listBackups(nodeFileSystem, g.backupRoots, 'fields');
    const restored = await restorePlugin(deps({ fs: fs() }), { instance: g.instance, key: 'fields', backupId: b!.id });
    expect(restored).toMatchObject({ from: '1.21.10', to: '1.21.0' });
    expect(await treeHash(join(g.marketplaceDir, 'fields'))).toBe(old);
    expect((await listBackups(nodeFileSystem, g.backupRoots, 'fields')).map((x) => [x.version, x.path])).toEqual([
      ['1.21.10', restored.backup],
    ]);
    expect(restored.backup!.startsWith(vault())).toBe(true);
    await expect(fsp.stat(legacy())).rejects.toThrow();
    expect(await workAreaLeftovers(g.marketplaceDir, area())).toEqual([]);
  });
});

describe('backups of older versions move at the next start, nothing lost', () => {
  /** Two backups where Marketdesk used to keep them. */
  async function oldBackups(): Promise<Record<string, string>> {
    const hashes: Record<string, string> = {};
    for (const [key, name, version] of [
      ['fields', '1.20.0-20250101T000000000Z', '1.20.0'],
      ['genericobject', '2.14.0-20250102T000000000Z-2', '2.14.0'],
    ] as const) {
      const dir = join(legacy(), key, name);
      await writePlugin(dir, key, version, { 'old.php': `<?php // ${version}` });
      hashes[`${key}/${name}`] = await treeHash(dir);
    }
    return hashes;
  }

  it.each([
    ['same file system', () => nodeFileSystem],
    ['another file system', otherDisk],
  ])('%s: recoverInstance moves them into the data folder', async (_name, fs) => {
    const hashes = await oldBackups();
    expect((await listBackups(nodeFileSystem, g.backupRoots, 'fields')).map((b) => b.version)).toEqual(['1.20.0']);
    const r = await recoverInstance({ fs: fs(), clock: systemClock, host: nodeHostInfo() }, g.instance);
    expect(r.action).toBe('none');
    if (r.action === 'busy') return;
    expect(r.migration).toEqual({
      moved: [
        join(vault(), 'fields', '1.20.0-20250101T000000000Z'),
        join(vault(), 'genericobject', '2.14.0-20250102T000000000Z-2'),
      ],
      failed: [],
    });
    for (const [rel, hash] of Object.entries(hashes)) expect(await treeHash(join(vault(), rel))).toBe(hash);
    await expect(fsp.stat(legacy())).rejects.toThrow();
    expect((await listBackups(nodeFileSystem, g.backupRoots, 'genericobject')).map((b) => b.path)).toEqual([
      join(vault(), 'genericobject', '2.14.0-20250102T000000000Z-2'),
    ]);
  });

  it('a copy cut short by a crash is redone; a copy committed before the crash only loses its source', async () => {
    const hashes = await oldBackups();
    const places = await resolvePlaces(otherDisk(), g.instance);
    // Crash 1: the fields copy was half written (no final name yet).
    await fsp.mkdir(join(vault(), 'fields', '1.20.0-20250101T000000000Z.partial', 'inc'), { recursive: true });
    // Crash 2: the genericobject copy was committed, its source not yet deleted.
    await fsp.cp(
      join(legacy(), 'genericobject', '2.14.0-20250102T000000000Z-2'),
      join(vault(), 'genericobject', '2.14.0-20250102T000000000Z-2'),
      { recursive: true },
    );
    // Meanwhile, each backup is listed once.
    expect((await listBackups(nodeFileSystem, g.backupRoots, 'fields')).map((b) => b.version)).toEqual(['1.20.0']);
    expect((await listBackups(nodeFileSystem, g.backupRoots, 'genericobject')).map((b) => b.path)).toEqual([
      join(vault(), 'genericobject', '2.14.0-20250102T000000000Z-2'),
    ]);

    const r = await migrateBackups(otherDisk(), places);
    expect(r.failed).toEqual([]);
    for (const [rel, hash] of Object.entries(hashes)) expect(await treeHash(join(vault(), rel))).toBe(hash);
    expect((await fsp.readdir(join(vault(), 'fields'))).sort()).toEqual(['1.20.0-20250101T000000000Z']);
    await expect(fsp.stat(legacy())).rejects.toThrow();
  });

  it('a failed copy keeps the source whole and listed, and reports it', async () => {
    const hashes = await oldBackups();
    const fs = faultyFs(nodeFileSystem, [
      acrossDisks,
      { op: 'openWriter', path: 'old.php', errno: 'ENOSPC', times: Infinity },
    ]);
    const places = await resolvePlaces(otherDisk(), g.instance);
    const r = await migrateBackups(fs, places);
    expect(r.moved).toEqual([]);
    expect(r.failed).toHaveLength(2);
    expect(r.failed[0]).toMatch(/ENOSPC/);
    for (const [rel, hash] of Object.entries(hashes)) expect(await treeHash(join(legacy(), rel))).toBe(hash);
    expect(await fsp.readdir(join(vault(), 'fields'))).toEqual([]); // no partial copy left
    expect((await listBackups(nodeFileSystem, g.backupRoots, 'fields')).map((b) => b.version)).toEqual(['1.20.0']);
  });
});
