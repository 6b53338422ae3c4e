/**
 * Backups of replaced or removed plugin folders: `<backups root>/<key>/<label>-<stamp>`, the root
 * being `<GLPI_VAR_DIR>/_marketdesk/backups` out of the web's reach (places.ts), and, until they
 * are moved (backup-move.ts), `marketplace/.marketdesk/backups` for older ones. Listing (both
 * roots), pruning to the last N, restoring one (a swap whose staged folder is the backup, or a
 * verified copy of it when it sits on another file system: the current folder becomes a backup in
 * turn) and removing a plugin (moved to the backups, never deleted).
 * restoreBackup/removeToBackups expect the caller to hold the lock (pipeline.ts does).
 */
import { dirname, join } from 'node:path';
import { parseSetupPhp } from '../setup-php.js';
import { BACKUP_NAME, copyIntoStaging, moveBackup } from './backup-move.js';
import { InstallError, fsFailure } from './errors.js';
import { errnoOf, exists } from './install-fs.js';
import { listNames, type FileSystem } from '../ports.js';
import type { WorkPlaces } from './places.js';
import { swapIn, type SwapOptions, type SwapResult } from './swap.js';

export const DEFAULT_KEEP_BACKUPS = 3;

export interface BackupEntry {
  /** The folder name, used as the backup id. */
  id: string;
  path: string;
  /** Version read from the backup's setup.php (null when unreadable). */
  version: string | null;
  /** When the backup was made (from its name). */
  createdAt: string;
}

function stampToIso(stamp: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : stamp;
}

/** Current version of a plugin folder (its setup.php), null when missing or unreadable. */
export async function folderVersion(fs: FileSystem, folder: string, key: string): Promise<string | null> {
  const text = await fs.readText(join(folder, 'setup.php')).catch(() => null);
  return text === null ? null : setupVersion(text, key);
}

/** The version a setup.php declares, null when it declares none that can be read. */
export function setupVersion(text: string, key: string): string | null {
  try {
    return parseSetupPhp(text, key).version;
  } catch {
    return null;
  }
}

async function namesIn(fs: FileSystem, dir: string): Promise<string[]> {
  try {
    return await listNames(fs, dir);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return [];
    throw err;
  }
}

/** The keys that have backups under any of `roots` (places.ts backupRoots). */
export async function backupKeys(fs: FileSystem, roots: readonly string[]): Promise<string[]> {
  const keys = new Set<string>();
  for (const root of new Set(roots)) for (const key of await namesIn(fs, root)) keys.add(key);
  return [...keys].sort();
}

/**
 * The backups of `key` under `roots` (places.ts backupRoots: the safe root first), newest first.
 * A backup in two roots (a move cut short by a crash) is listed once, from the first root.
 */
export async function listBackups(fs: FileSystem, roots: readonly string[], key: string): Promise<BackupEntry[]> {
  const found: { entry: BackupEntry; order: [string, number] }[] = [];
  const seen = new Set<string>();
  for (const root of new Set(roots)) {
    const dir = join(root, key);
    for (const name of await namesIn(fs, dir)) {
      const m = BACKUP_NAME.exec(name);
      if (!m || seen.has(name)) continue;
      const path = join(dir, name);
      if (!(await fs.lstat(path)).isDirectory()) continue;
      seen.add(name);
      found.push({
        entry: { id: name, path, version: await folderVersion(fs, path, key), createdAt: stampToIso(m[2]!) },
        order: [m[2]!, Number(m[3] ?? '1')],
      });
    }
  }
  found.sort((a, b) => (a.order[0] === b.order[0] ? b.order[1] - a.order[1] : a.order[0] < b.order[0] ? 1 : -1));
  return found.map((f) => f.entry);
}

/** Deletes all but the newest `keep` backups of `key` (keep ≥ 1); returns the ids deleted. */
export async function pruneBackups(
  fs: FileSystem,
  roots: readonly string[],
  key: string,
  keep = DEFAULT_KEEP_BACKUPS,
): Promise<string[]> {
  const n = Math.max(1, Math.floor(keep));
  const all = await listBackups(fs, roots, key);
  const dropped: string[] = [];
  for (const b of all.slice(n)) {
    await fs.rm(b.path);
    dropped.push(b.id);
  }
  return dropped;
}

type SwapExtras = Pick<SwapOptions, 'now' | 'pause' | 'renameRetryDelaysMs' | 'platform'>;

export interface RestoreResult extends SwapResult {
  from: string | null;
  to: string | null;
}

/**
 * Puts backup `backupId` back in place; the current folder (if any) becomes a backup. A backup on
 * another file system than marketplace/ is first copied (verified) into a staging folder, swapped
 * in from there, and deleted once the swap is committed (a crash in between leaves it as one more
 * backup, never fewer).
 */
export async function restoreBackup(
  options: { fs: FileSystem; places: WorkPlaces; key: string; backupId: string } & SwapExtras,
): Promise<RestoreResult> {
  const { fs, places, key, backupId } = options;
  const marketplaceDir = places.marketplaceDir;
  const roots = [places.backupsRoot, places.legacyBackupsRoot];
  const entry = (
    await listBackups(fs, roots, key).catch((err: unknown) => {
      throw fsFailure('backup', err, 'list the backups', join(places.backupsRoot, key));
    })
  ).find((b) => b.id === backupId);
  if (!entry)
    throw new InstallError(
      'backup',
      'no-such-backup',
      `There is no backup "${backupId}" of ${key}.`,
      'Refresh the list of backups and pick one of them.',
    );
  const target = join(marketplaceDir, key);
  const from = (await exists(fs, target)) ? await folderVersion(fs, target, key) : null;
  const copied = places.transfer === 'copy' && dirname(dirname(entry.path)) !== places.legacyBackupsRoot;
  const staging = copied ? await copyIntoStaging(fs, places, entry.path, key) : null;
  const result = await swapIn({
    ...options,
    marketplaceDir,
    operation: 'restore',
    stagedFolder: staging?.folder ?? entry.path,
    stagingRoot: staging?.root ?? null,
    backupsDir: join(places.swapBackupsRoot, key),
    label: from,
    to: entry.version,
  });
  if (copied) await fs.rm(entry.path).catch(() => undefined);
  return { ...result, backup: await settleBackup(fs, places, result.backup, key), from, to: entry.version };
}

/**
 * After a committed swap: moves the replaced folder from the swap's holding place to the safe one
 * when they differ (copy mode). A failure leaves it where the swap put it, still listed, and moved
 * at the next start; the operation itself succeeded.
 */
export async function settleBackup(
  fs: FileSystem,
  places: WorkPlaces,
  backup: string | null,
  key: string,
): Promise<string | null> {
  if (backup === null || places.swapBackupsRoot === places.backupsRoot) return backup;
  try {
    return await moveBackup(fs, places, backup, key);
  } catch {
    return backup;
  }
}

export const REMOVE_NOTE =
  "GLPI keeps the plugin's tables and settings until the plugin is uninstalled in GLPI (Setup > Plugins); uninstall it there first if you want them gone.";

/** Moves `<marketplace>/<key>` to the backups (never deletes it). */
export async function removeToBackups(
  options: { fs: FileSystem; places: WorkPlaces; key: string } & SwapExtras,
): Promise<{ backup: string; from: string | null; message: string }> {
  const { fs, places, key } = options;
  const marketplaceDir = places.marketplaceDir;
  const target = join(marketplaceDir, key);
  const from = await folderVersion(fs, target, key);
  const result = await swapIn({
    ...options,
    marketplaceDir,
    operation: 'remove',
    stagedFolder: null,
    backupsDir: join(places.swapBackupsRoot, key),
    label: from,
  });
  const backup = (await settleBackup(fs, places, result.backup, key)) ?? '';
  return {
    backup,
    from,
    message: `${key}${from ? ` ${from}` : ''} was moved to ${backup}. ${REMOVE_NOTE}`,
  };
}
