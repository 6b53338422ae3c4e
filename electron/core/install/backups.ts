/**
 * Backups of replaced or removed plugin folders: `<marketplace>/.marketdesk/backups/<key>/<label>-<stamp>`.
 * Listing, pruning to the last N, restoring one (a swap whose staged folder is the backup: the
 * current folder becomes a backup in turn) and removing a plugin (moved to the backups, never deleted).
 * restoreBackup/removeToBackups expect the caller to hold the lock (pipeline.ts does).
 */
import { join } from 'node:path';
import { parseSetupPhp } from '../setup-php.js';
import { InstallError, fsFailure } from './errors.js';
import { errnoOf, exists } from './install-fs.js';
import { listNames, type FileSystem } from '../ports.js';
import { workDir } from './journal.js';
import { swapIn, type SwapOptions, type SwapResult } from './swap.js';

export const DEFAULT_KEEP_BACKUPS = 3;
const BACKUP_NAME = /^(.+)-(\d{8}T\d{9}Z)(?:-(\d+))?$/;

export interface BackupEntry {
  /** The folder name, used as the backup id. */
  id: string;
  path: string;
  /** Version read from the backup's setup.php (null when unreadable). */
  version: string | null;
  /** When the backup was made (from its name). */
  createdAt: string;
}

export const backupsRoot = (marketplaceDir: string): string => join(workDir(marketplaceDir), 'backups');
export const backupsDirFor = (marketplaceDir: string, key: string): string => join(backupsRoot(marketplaceDir), key);

function stampToIso(stamp: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : stamp;
}

/** Current version of a plugin folder (its setup.php), null when missing or unreadable. */
export async function folderVersion(fs: FileSystem, folder: string, key: string): Promise<string | null> {
  try {
    return parseSetupPhp(await fs.readText(join(folder, 'setup.php')), key).version;
  } catch {
    return null;
  }
}

/** The backups of `key`, newest first. */
export async function listBackups(fs: FileSystem, marketplaceDir: string, key: string): Promise<BackupEntry[]> {
  const dir = backupsDirFor(marketplaceDir, key);
  let names: string[];
  try {
    names = await listNames(fs, dir);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return [];
    throw err;
  }
  const found: { entry: BackupEntry; order: [string, number] }[] = [];
  for (const name of names) {
    const m = BACKUP_NAME.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    if (!(await fs.lstat(path)).isDirectory()) continue;
    found.push({
      entry: { id: name, path, version: await folderVersion(fs, path, key), createdAt: stampToIso(m[2]!) },
      order: [m[2]!, Number(m[3] ?? '1')],
    });
  }
  found.sort((a, b) => (a.order[0] === b.order[0] ? b.order[1] - a.order[1] : a.order[0] < b.order[0] ? 1 : -1));
  return found.map((f) => f.entry);
}

/** Deletes all but the newest `keep` backups of `key` (keep ≥ 1); returns the ids deleted. */
export async function pruneBackups(
  fs: FileSystem,
  marketplaceDir: string,
  key: string,
  keep = DEFAULT_KEEP_BACKUPS,
): Promise<string[]> {
  const n = Math.max(1, Math.floor(keep));
  const all = await listBackups(fs, marketplaceDir, key);
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

/** Puts backup `backupId` back in place; the current folder (if any) becomes a backup. */
export async function restoreBackup(
  options: { fs: FileSystem; marketplaceDir: string; key: string; backupId: string } & SwapExtras,
): Promise<RestoreResult> {
  const { fs, marketplaceDir, key, backupId } = options;
  const entry = (
    await listBackups(fs, marketplaceDir, key).catch((err: unknown) => {
      throw fsFailure('backup', err, 'list the backups', backupsDirFor(marketplaceDir, key));
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
  const result = await swapIn({
    ...options,
    operation: 'restore',
    stagedFolder: entry.path,
    backupsDir: backupsDirFor(marketplaceDir, key),
    label: from,
    to: entry.version,
  });
  return { ...result, from, to: entry.version };
}

export const REMOVE_NOTE =
  "GLPI keeps the plugin's tables and settings until the plugin is uninstalled in GLPI (Setup > Plugins); uninstall it there first if you want them gone.";

/** Moves `<marketplace>/<key>` to the backups (never deletes it). */
export async function removeToBackups(
  options: { fs: FileSystem; marketplaceDir: string; key: string } & SwapExtras,
): Promise<{ backup: string; from: string | null; message: string }> {
  const { fs, marketplaceDir, key } = options;
  const target = join(marketplaceDir, key);
  const from = await folderVersion(fs, target, key);
  const result = await swapIn({
    ...options,
    operation: 'remove',
    stagedFolder: null,
    backupsDir: backupsDirFor(marketplaceDir, key),
    label: from,
  });
  const backup = result.backup ?? '';
  return {
    backup,
    from,
    message: `${key}${from ? ` ${from}` : ''} was moved to ${backup}. ${REMOVE_NOTE}`,
  };
}
