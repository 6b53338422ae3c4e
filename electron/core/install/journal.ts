/**
 * The swap journal: `<marketplace>/.marketdesk/journal.json`, rewritten atomically (temp file,
 * fsync, rename, fsync of the folder) before every rename of the swap, so that a crash at any
 * point leaves enough on disk for {@link recover} (swap.ts) to put the instance back in order.
 * Its paths are absolute: the backup and the staged folder may sit in GLPI's data folder (places.ts).
 *
 * The work area (lock, journal; staging and backups when GLPI's data folder cannot take them) lives
 * *inside* `marketplace/` so that every rename stays on one file system (and is atomic); GLPI ignores
 * it because `.marketdesk/` has no `setup.php` at its top and our own inventory skips dot-folders.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { errnoOf } from './install-fs.js';
import { listNames, type FileSystem } from '../ports.js';

export const WORK_DIR = '.marketdesk';
export const JOURNAL_FILE = 'journal.json';
const JOURNAL_TMP_PREFIX = 'journal.json.tmp-';
export const STAGING_PREFIX = 'staging-';
/** A folder renamed once to learn whether two folders share a file system (places.ts). */
export const PROBE_PREFIX = 'probe-';

export type SwapOperation = 'install' | 'update' | 'restore' | 'remove';

/**
 * Phases, each recorded *before* the rename it announces (so the rename may or may not have
 * happened when the journal says so; recovery looks at the disk to know):
 * - `prepared`:  nothing moved yet.
 * - `old-moved`: the current `<marketplace>/<key>` is being moved to `backup`.
 * - `new-moved`: the old folder is in `backup` (or there was none); `staged` is being moved to
 *                `<marketplace>/<key>`. Once that rename is done, the operation is committed.
 * - `done`:      committed; only clean-up (staging, journal) remains.
 */
export type JournalPhase = 'prepared' | 'old-moved' | 'new-moved' | 'done';

export interface Journal {
  format: 1;
  id: string;
  operation: SwapOperation;
  key: string;
  /** `<marketplace>/<key>`. */
  target: string;
  /** The folder that becomes the plugin (staging, or a backup for a restore); null for a removal. */
  staged: string | null;
  /** A `staging-<id>` folder to delete once the operation ends either way; null when none. */
  stagingRoot: string | null;
  /** Where the current plugin folder goes; null when there is none (new install). */
  backup: string | null;
  /** Version of the folder being replaced (null when none or unreadable). */
  from: string | null;
  /** Version of the folder being put in place (null for a removal). */
  to: string | null;
  phase: JournalPhase;
  startedAt: string;
  updatedAt: string;
}

export const workDir = (marketplaceDir: string): string => join(marketplaceDir, WORK_DIR);
export const journalPath = (marketplaceDir: string): string => join(workDir(marketplaceDir), JOURNAL_FILE);

export function newId(): string {
  return randomBytes(6).toString('hex');
}

/** Atomically replaces the journal (temp + fsync + rename + folder fsync). */
export async function writeJournal(fs: FileSystem, marketplaceDir: string, journal: Journal): Promise<void> {
  const dir = workDir(marketplaceDir);
  const tmp = join(dir, `${JOURNAL_TMP_PREFIX}${newId()}`);
  try {
    await fs.writeFile(tmp, `${JSON.stringify(journal, null, 2)}\n`);
    await fs.rename(tmp, journalPath(marketplaceDir));
  } catch (err) {
    await fs.rm(tmp).catch(() => undefined);
    throw err;
  }
  await fs.syncDir(dir);
}

export type JournalRead = { journal: Journal } | { corrupt: string } | null;

/** The journal, null when there is none, or `{corrupt}` when it cannot be understood. */
export async function readJournal(fs: FileSystem, marketplaceDir: string): Promise<JournalRead> {
  let text: string;
  try {
    text = await fs.readText(journalPath(marketplaceDir));
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null;
    throw err;
  }
  try {
    const j = JSON.parse(text) as Partial<Journal> | null;
    const phases: JournalPhase[] = ['prepared', 'old-moved', 'new-moved', 'done'];
    const ops: SwapOperation[] = ['install', 'update', 'restore', 'remove'];
    const strOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
    if (
      j === null ||
      typeof j !== 'object' ||
      j.format !== 1 ||
      typeof j.key !== 'string' ||
      typeof j.target !== 'string' ||
      !phases.includes(j.phase as JournalPhase) ||
      !ops.includes(j.operation as SwapOperation) ||
      !strOrNull(j.staged) ||
      !strOrNull(j.stagingRoot) ||
      !strOrNull(j.backup) ||
      !strOrNull(j.from) ||
      !strOrNull(j.to)
    )
      return { corrupt: 'unexpected content' };
    return { journal: j as Journal };
  } catch (err) {
    return { corrupt: err instanceof Error ? err.message : String(err) };
  }
}

export async function removeJournal(fs: FileSystem, marketplaceDir: string): Promise<void> {
  await fs.rm(journalPath(marketplaceDir));
  await fs.syncDir(workDir(marketplaceDir));
}

const LEFTOVER_PREFIXES = [STAGING_PREFIX, JOURNAL_TMP_PREFIX, PROBE_PREFIX];

/**
 * Leftovers a crash can leave in the work folders (`marketplace/.marketdesk` and, when used,
 * `<GLPI_VAR_DIR>/_marketdesk`): staging folders, journal temp files, file-system probes.
 */
export async function workLeftovers(fs: FileSystem, workDirs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of new Set(workDirs)) {
    let names: string[];
    try {
      names = await listNames(fs, dir);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') continue;
      throw err;
    }
    for (const n of names.sort()) if (LEFTOVER_PREFIXES.some((p) => n.startsWith(p))) found.push(join(dir, n));
  }
  return found;
}
