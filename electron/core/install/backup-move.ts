/**
 * Moving backups into their safe place (places.ts) without ever losing one, whatever the crash:
 * - same file system: one rename (atomic);
 * - another file system: copy to `<dest>.partial`, fsync every file and folder, re-read and compare
 *   each file's sha256, rename `<dest>.partial` to `<dest>` (the commit: a final name only ever
 *   names a complete copy), then delete the source. A crash before the commit leaves the source
 *   whole (the partial copy is redone); after it, the next run finds both and deletes the source.
 * Also used at start (and at each SSH connection) to move the backups of older Marketdesk versions
 * out of `marketplace/.marketdesk/backups/`.
 */
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { InstallError } from './errors.js';
import { errnoOf, exists } from './install-fs.js';
import { newId, STAGING_PREFIX } from './journal.js';
import type { WorkPlaces } from './places.js';
import { listNames, type FileSystem } from '../ports.js';

export const BACKUP_NAME = /^(.+)-(\d{8}T\d{9}Z)(?:-(\d+))?$/;
const PARTIAL = '.partial';
const MAX_NAME_TRIES = 1000;

async function copyFileVerified(fs: FileSystem, from: string, to: string): Promise<void> {
  const mode = (await fs.lstat(from)).mode & 0o777;
  const written = createHash('sha256');
  const writer = await fs.openWriter(to, { exclusive: true, mode });
  try {
    for await (const chunk of fs.readStream(from)) {
      written.update(chunk);
      await writer.write([chunk]);
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  await writer.close();
  const read = createHash('sha256');
  for await (const chunk of fs.readStream(to)) read.update(chunk);
  if (read.digest('hex') !== written.digest('hex'))
    throw new InstallError(
      'backup',
      'copy-mismatch',
      `The copy of ${from} read back differently from the original; the original was kept.`,
      'Check the disk holding the backups (its free space and health), then restart Marketdesk to try again.',
    );
}

/** Copies a folder tree (files and folders only), fsynced and verified. */
async function copyTreeVerified(fs: FileSystem, from: string, to: string, source: string): Promise<void> {
  await fs.mkdir(to);
  for (const entry of await fs.readdir(from)) {
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.type === 'dir') await copyTreeVerified(fs, src, dst, source);
    else if (entry.type === 'file') await copyFileVerified(fs, src, dst);
    else
      throw new InstallError(
        'backup',
        'cannot-copy',
        `${src} is a ${entry.type === 'symlink' ? 'symbolic link' : 'special file'}, which cannot be copied to another file system; the backup stays in ${source}.`,
        `Move ${source} by hand, or put GLPI's data folder on the same file system as marketplace/.`,
      );
  }
  await fs.syncDir(to);
}

/** Same names, types and file sizes throughout (a final-named copy is complete by construction). */
async function sameTree(fs: FileSystem, a: string, b: string): Promise<boolean> {
  const [ea, eb] = [await fs.readdir(a), await fs.readdir(b)];
  if (ea.length !== eb.length) return false;
  const types = new Map(eb.map((e) => [e.name, e.type]));
  for (const e of ea) {
    if (types.get(e.name) !== e.type) return false;
    const [pa, pb] = [join(a, e.name), join(b, e.name)];
    if (e.type === 'dir' ? !(await sameTree(fs, pa, pb)) : (await fs.lstat(pa)).size !== (await fs.lstat(pb)).size)
      return false;
  }
  return true;
}

/** `<name>-2`, `<name>-3`… (the backup name pattern allows one numeric suffix). */
async function freeName(fs: FileSystem, dir: string, name: string): Promise<string> {
  const m = BACKUP_NAME.exec(name);
  const base = m ? `${m[1]}-${m[2]}` : name;
  for (let i = 2; i < MAX_NAME_TRIES; i += 1) {
    const candidate = join(dir, `${base}-${i}`);
    if (!(await exists(fs, candidate)) && !(await exists(fs, `${candidate}${PARTIAL}`))) return candidate;
  }
  throw new InstallError(
    'backup',
    'EEXIST',
    `No free name for ${name} in ${dir}.`,
    `Delete old backups from ${dir}, then try again.`,
  );
}

/** Deletes `dir` when it is empty (the per-key and root folders a move leaves behind). */
async function removeIfEmpty(fs: FileSystem, dir: string): Promise<void> {
  if ((await listNames(fs, dir).catch(() => ['?'])).length === 0) await fs.rm(dir);
}

/** Deletes the moved source, then its key folder and the old backups root once they are empty. */
async function dropSource(fs: FileSystem, places: WorkPlaces, from: string): Promise<void> {
  await fs.rm(from);
  await fs.syncDir(dirname(from));
  if (dirname(dirname(from)) !== places.legacyBackupsRoot) return;
  await removeIfEmpty(fs, dirname(from));
  await removeIfEmpty(fs, places.legacyBackupsRoot);
}

/** Moves one backup folder `from` into `<backupsRoot>/<key>/`; returns where it is now. */
export async function moveBackup(fs: FileSystem, places: WorkPlaces, from: string, key: string): Promise<string> {
  const dir = join(places.backupsRoot, key);
  if (dirname(from) === dir) return from;
  await fs.mkdir(dir);
  let dest = join(dir, basename(from));
  if (await exists(fs, dest)) {
    if (await sameTree(fs, from, dest)) {
      // A crash came between the commit of an earlier copy and the deletion of its source.
      await dropSource(fs, places, from);
      return dest;
    }
    dest = await freeName(fs, dir, basename(from));
  }
  if (places.transfer === 'rename') {
    await fs.rename(from, dest);
  } else {
    const partial = `${dest}${PARTIAL}`;
    await fs.rm(partial); // an earlier attempt cut short: its source is still whole
    try {
      await copyTreeVerified(fs, from, partial, from);
    } catch (err) {
      await fs.rm(partial).catch(() => undefined);
      throw err;
    }
    await fs.rename(partial, dest);
  }
  await fs.syncDir(dir);
  await dropSource(fs, places, from);
  return dest;
}

/** A verified copy of backup `from` as `<staging>/<key>`, ready to be swapped in (restore across file systems). */
export async function copyIntoStaging(
  fs: FileSystem,
  places: WorkPlaces,
  from: string,
  key: string,
): Promise<{ root: string; folder: string }> {
  const root = join(places.stagingDir, `${STAGING_PREFIX}${newId()}`);
  const folder = join(root, key);
  try {
    await copyTreeVerified(fs, from, folder, from);
  } catch (err) {
    await fs.rm(root).catch(() => undefined);
    throw err;
  }
  return { root, folder };
}

export interface MigrationReport {
  /** Backups moved (their new paths). */
  moved: string[];
  /** Backups that could not be moved, with why; they stay where they were and are still listed. */
  failed: string[];
}

/**
 * Moves every backup left in `marketplace/.marketdesk/backups/` (older versions, or a copy cut short)
 * to the safe place. Call it holding the instance lock. One failure does not stop the others.
 */
export async function migrateBackups(fs: FileSystem, places: WorkPlaces): Promise<MigrationReport> {
  const report: MigrationReport = { moved: [], failed: [] };
  const root = places.legacyBackupsRoot;
  if (places.backupsRoot === root) return report;
  let keys: string[];
  try {
    keys = await listNames(fs, root);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return report;
    throw err;
  }
  for (const key of keys.sort()) {
    const dir = join(root, key);
    if (!(await fs.lstat(dir)).isDirectory()) continue;
    for (const name of (await listNames(fs, dir)).sort()) {
      if (!BACKUP_NAME.test(name)) continue;
      try {
        report.moved.push(await moveBackup(fs, places, join(dir, name), key));
      } catch (err) {
        report.failed.push(`${join(dir, name)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return report;
}
