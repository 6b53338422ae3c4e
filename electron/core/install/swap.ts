/**
 * The swap: puts a validated folder in place of `<marketplace>/<key>` with two renames on one file
 * system, the old folder going to the backups (never deleted — GLPI deletes it before extracting,
 * docs/glpi-network-api.md §6.2; we must never). A journal written before each rename lets
 * {@link recover} finish or undo an operation interrupted by a crash
 * (docs/reliability-checklist.md INS-2, INS-3).
 *
 * Recovery decision per phase (see journal.ts for the phases):
 * - `prepared`, `old-moved`: ROLL BACK. The new folder is not in place, the user got no success:
 *   if the old folder already went to the backup, it is renamed back.
 * - `new-moved`: looks at the disk. If `<key>` exists and the staged folder is gone, the second
 *   rename happened: ROLL FORWARD (the new version is live and GLPI may already have read it;
 *   moving it again would be one more risky swap), the old one stays in the backups. Otherwise
 *   ROLL BACK as above. If neither old nor new is in place but the staged folder exists, the staged
 *   (validated) folder is put in place rather than leaving the plugin missing.
 * - `done`: ROLL FORWARD (only clean-up was left).
 * - a removal (no staged folder) is committed by its single rename: forward when it happened.
 * Every path is idempotent: a crash during recovery is recovered by the next run.
 *
 * The caller must hold the instance lock (lock.ts) for both swapIn and recover.
 */
import { join } from 'node:path';
import { fixForErrno, InstallError } from './errors.js';
import { errnoOf, exists } from './install-fs.js';
import type { FileSystem } from '../ports.js';
import {
  newId,
  readJournal,
  removeJournal,
  workDir,
  workLeftovers,
  writeJournal,
  type Journal,
  type JournalPhase,
  type SwapOperation,
} from './journal.js';

/** Where a test can stop the swap (a real SIGKILL in the child test, or a {@link SimulatedCrash}). */
export const SWAP_POINTS = [
  'journal-written',
  'before-old-rename',
  'after-old-rename',
  'before-new-rename',
  'after-new-rename',
  'done-recorded',
] as const;
export type SwapPoint = (typeof SWAP_POINTS)[number];

/**
 * Thrown by a test's `pause` hook to simulate a crash: swapIn rethrows it untouched, skipping
 * every roll-back and clean-up, so the disk is left exactly as a SIGKILL at that point would.
 */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
  constructor(readonly point: SwapPoint) {
    super(`simulated crash at ${point}`);
  }
}

export interface SwapOptions {
  fs: FileSystem;
  marketplaceDir: string;
  key: string;
  operation: SwapOperation;
  /** The folder to put in place (`…/staging-<id>/<key>` or a backup); null to remove the plugin. */
  stagedFolder: string | null;
  /** A staging folder to delete when the swap ends, whatever the outcome. */
  stagingRoot?: string | null;
  /** `<backups root>/<key>` on marketplace/'s file system (places.ts `swapBackupsRoot`). */
  backupsDir: string;
  /** Version of the current folder (backup name and messages); null when unknown or none. */
  label: string | null;
  /** Version being put in place, for the journal and messages. */
  to?: string | null;
  now?: () => Date;
  pause?: (point: SwapPoint) => void | Promise<void>;
  /**
   * Delays between retries of a rename failing with a transient error (EBUSY; also EPERM/EACCES
   * on Windows, where antivirus and indexers hold files briefly). Default [50, 150, 400].
   */
  renameRetryDelaysMs?: readonly number[];
  platform?: NodeJS.Platform;
}

export interface SwapResult {
  target: string;
  /** Where the previous folder went; null when there was none. */
  backup: string | null;
}

const DEFAULT_RETRY_MS = [50, 150, 400] as const;

/** `20250102T030405678Z`. */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

export function safeLabel(label: string | null): string {
  const clean = (label ?? 'unknown').replace(/[^A-Za-z0-9._+]/g, '_').slice(0, 60);
  return clean === '' || clean.startsWith('.') ? `v${clean}` : clean;
}

async function uniqueBackupPath(fs: FileSystem, backupsDir: string, label: string | null, now: Date): Promise<string> {
  const base = `${safeLabel(label)}-${backupStamp(now)}`;
  for (let i = 1; ; i += 1) {
    const candidate = join(backupsDir, i === 1 ? base : `${base}-${i}`);
    if (!(await exists(fs, candidate))) return candidate;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function renameRetrying(
  fs: FileSystem,
  from: string,
  to: string,
  delays: readonly number[],
  platform: NodeJS.Platform,
): Promise<void> {
  const transient = platform === 'win32' ? ['EBUSY', 'EPERM', 'EACCES'] : ['EBUSY'];
  for (let attempt = 0; ; attempt += 1) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const delay = delays[attempt];
      if (delay === undefined || !transient.includes(errnoOf(err) ?? '')) throw err;
      await sleep(delay);
    }
  }
}

function describeOp(j: Pick<Journal, 'operation' | 'key' | 'from' | 'to'>): string {
  const from = j.from ?? 'unknown version';
  switch (j.operation) {
    case 'install':
      return `installation of ${j.key} ${j.to ?? ''}`.trimEnd();
    case 'update':
      return `update of ${j.key} (${from} → ${j.to ?? 'unknown version'})`;
    case 'restore':
      return `restore of ${j.key} (${from} → ${j.to ?? 'unknown version'})`;
    case 'remove':
      return `removal of ${j.key} ${j.from ?? ''}`.trimEnd();
  }
}

/**
 * Swaps `stagedFolder` in as `<marketplace>/<key>` (or moves the plugin to the backups when
 * `stagedFolder` is null). On any failure before the commit the previous state is restored and an
 * InstallError (step `swap`) is thrown; if even that restore fails, the journal is kept so that
 * the next {@link recover} finishes it, and the error says so.
 */
export async function swapIn(options: SwapOptions): Promise<SwapResult> {
  const { fs, marketplaceDir, key, stagedFolder, backupsDir } = options;
  const now = options.now ?? (() => new Date());
  const pause = options.pause ?? (() => undefined);
  const delays = options.renameRetryDelaysMs ?? DEFAULT_RETRY_MS;
  const platform = options.platform ?? process.platform;
  const target = join(marketplaceDir, key);
  const stagingRoot = options.stagingRoot ?? null;
  let journal: Journal | null = null;
  let backup: string | null = null;
  let committed = false;

  const record = async (phase: JournalPhase): Promise<void> => {
    if (!journal) return;
    journal = { ...journal, phase, updatedAt: now().toISOString() };
    await writeJournal(fs, marketplaceDir, journal);
  };

  try {
    const prepared = await prepareSwap(options, target, now());
    backup = prepared.backup;
    journal = prepared.journal;
    await writeJournal(fs, marketplaceDir, journal);
    await pause('journal-written');

    if (backup !== null) {
      await record('old-moved');
      await pause('before-old-rename');
      await renameRetrying(fs, target, backup, delays, platform);
      if (stagedFolder === null) committed = true;
      await fs.syncDir(marketplaceDir);
      await fs.syncDir(backupsDir);
      await pause('after-old-rename');
    }
    if (stagedFolder !== null) {
      await record('new-moved');
      await pause('before-new-rename');
      await renameRetrying(fs, stagedFolder, target, delays, platform);
      committed = true;
      await fs.syncDir(marketplaceDir);
      await pause('after-new-rename');
    }
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err;
    if (committed) {
      // Only a folder fsync or a test hook failed after the commit: the swap did happen.
    } else {
      await rollBack(fs, marketplaceDir, target, backup, stagingRoot, journal !== null, err);
      throw swapError(err, key, marketplaceDir);
    }
  }

  // Committed. Failing to record `done` or to clean up is harmless: recover() rolls forward.
  try {
    await record('done');
    await pause('done-recorded');
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err;
  }
  if (stagingRoot !== null) await fs.rm(stagingRoot).catch(() => undefined);
  await removeJournal(fs, marketplaceDir).catch(() => undefined);
  return { target, backup };
}

/** Checks what the swap needs, picks the backup's name and writes nothing but the folders. */
async function prepareSwap(
  options: SwapOptions,
  target: string,
  at: Date,
): Promise<{ backup: string | null; journal: Journal }> {
  const { fs, marketplaceDir, key, stagedFolder, backupsDir } = options;
  await fs.mkdir(workDir(marketplaceDir));
  const hasOld = await exists(fs, target);
  if (!hasOld && stagedFolder === null)
    throw new InstallError(
      'swap',
      'not-installed',
      `${key} is not in marketplace/: there is nothing to remove.`,
      'Refresh the instance: the plugin may have been removed already.',
    );
  if (stagedFolder !== null && !(await fs.lstat(stagedFolder)).isDirectory())
    throw new InstallError(
      'swap',
      'staged-missing',
      `The folder to put in place (${stagedFolder}) is not a folder.`,
      'Try the operation again.',
    );
  let backup: string | null = null;
  if (hasOld) {
    await fs.mkdir(backupsDir);
    backup = await uniqueBackupPath(fs, backupsDir, options.label, at);
  }
  const stamp = at.toISOString();
  return {
    backup,
    journal: {
      format: 1,
      id: newId(),
      operation: options.operation,
      key,
      target,
      staged: stagedFolder,
      stagingRoot: options.stagingRoot ?? null,
      backup,
      from: hasOld ? options.label : null,
      to: stagedFolder === null ? null : (options.to ?? null),
      phase: 'prepared',
      startedAt: stamp,
      updatedAt: stamp,
    },
  };
}

async function rollBack(
  fs: FileSystem,
  marketplaceDir: string,
  target: string,
  backup: string | null,
  stagingRoot: string | null,
  journalWritten: boolean,
  cause: unknown,
): Promise<void> {
  try {
    if (backup !== null && !(await exists(fs, target)) && (await exists(fs, backup))) {
      await fs.rename(backup, target);
      await fs.syncDir(marketplaceDir);
    }
  } catch (err) {
    const errno = errnoOf(err);
    throw new InstallError(
      'swap',
      'rollback-failed',
      `Switching the plugin failed (${errnoOf(cause) ?? String(cause)}) and putting the previous folder back failed too (${errno ?? String(err)}). The previous version is safe in ${backup}; Marketdesk will put it back the next time it opens this instance.`,
      fixForErrno(errno, 'the marketplace folder'),
      { cause: err },
    );
  }
  if (stagingRoot !== null) await fs.rm(stagingRoot).catch(() => undefined);
  if (journalWritten) await removeJournal(fs, marketplaceDir).catch(() => undefined);
}

function swapError(err: unknown, key: string, marketplaceDir: string): InstallError {
  if (err instanceof InstallError) return err;
  const errno = errnoOf(err);
  return new InstallError(
    'swap',
    errno ?? 'io',
    `Could not switch the ${key} folder in ${marketplaceDir} (${errno ?? (err instanceof Error ? err.message : String(err))}); the previous state was restored.`,
    fixForErrno(errno, marketplaceDir),
    { cause: err },
  );
}

export interface RecoveryReport {
  /** `none`: no journal; `cleaned`: leftovers only; otherwise what was done to the interrupted operation. */
  action: 'none' | 'cleaned' | 'rolled-back' | 'rolled-forward' | 'needs-attention';
  /** Plain words for the user; null when there was nothing to say. */
  message: string | null;
  journal: Journal | null;
  /** Work-area leftovers removed (staging folders, journal temp files). */
  removed: string[];
}

/**
 * Puts the instance back in a consistent state after an interrupted operation (see the header for
 * the decision per phase). Run it at start and before every operation, holding the lock.
 */
export async function recover(options: {
  fs: FileSystem;
  marketplaceDir: string;
  /** Where staging folders may be left (places.ts `workDirs`); default `marketplace/.marketdesk`. */
  workDirs?: readonly string[];
}): Promise<RecoveryReport> {
  const { fs, marketplaceDir } = options;
  const read = await readJournal(fs, marketplaceDir);
  let action: RecoveryReport['action'] = 'none';
  let message: string | null = null;
  let journal: Journal | null = null;

  if (read !== null && 'corrupt' in read) {
    // Cannot happen with temp + rename; never guess with user folders: keep it for a human.
    return {
      action: 'needs-attention',
      message: `The record of an interrupted operation (${join(workDir(marketplaceDir), 'journal.json')}) is unreadable (${read.corrupt}). Check marketplace/ and Marketdesk's backups (in GLPI's data folder, _marketdesk/backups, or in marketplace/.marketdesk/backups) by hand, then delete that file.`,
      journal: null,
      removed: [],
    };
  }
  if (read !== null) {
    const j = read.journal;
    journal = j;
    const what = describeOp(j);
    const hasTarget = await exists(fs, j.target);
    const hasBackup = j.backup !== null && (await exists(fs, j.backup));
    const hasStaged = j.staged !== null && (await exists(fs, j.staged));

    const moveBack = async (): Promise<void> => {
      if (!hasTarget && hasBackup && j.backup !== null) {
        await fs.rename(j.backup, j.target);
        await fs.syncDir(marketplaceDir);
      }
    };
    let forward: boolean;
    if (j.phase === 'done') forward = true;
    else if (j.staged === null) forward = j.phase === 'old-moved' && !hasTarget && hasBackup;
    else if (j.phase === 'new-moved') forward = hasTarget && !hasStaged;
    else forward = false;

    if (forward) {
      action = 'rolled-forward';
      message =
        j.staged === null
          ? `An interrupted ${what} was completed: the folder is in the backups (${j.backup}). GLPI keeps the plugin's tables until it is uninstalled in GLPI.`
          : `An interrupted ${what} was completed: ${j.to ?? 'the new version'} is in place${j.backup ? `; ${j.from ?? 'the previous version'} is kept as a backup` : ''}.`;
    } else if (!hasTarget && !hasBackup && hasStaged && j.staged !== null && j.from !== null) {
      // The old folder vanished (not by us): better the validated new one than nothing.
      await fs.rename(j.staged, j.target);
      await fs.syncDir(marketplaceDir);
      action = 'rolled-forward';
      message = `An interrupted ${what} was completed because the previous folder could not be found: ${j.to ?? 'the new version'} is in place.`;
    } else {
      await moveBack();
      action = 'rolled-back';
      const restored = hasTarget || hasBackup;
      message =
        j.from !== null && restored
          ? `An interrupted ${what} was rolled back to ${j.from}.`
          : j.from !== null
            ? `An interrupted ${what} was rolled back, but the previous folder of ${j.key} could not be found (neither in marketplace/ nor in ${j.backup}).`
            : `An interrupted ${what} was rolled back: ${j.key} is not installed.`;
      if (j.from !== null && !restored) action = 'needs-attention';
    }
    if (j.stagingRoot !== null) await fs.rm(j.stagingRoot);
  }

  const removed = await workLeftovers(fs, options.workDirs ?? [workDir(marketplaceDir)]);
  for (const path of removed) await fs.rm(path);
  if (journal !== null) await removeJournal(fs, marketplaceDir);
  if (action === 'none' && removed.length > 0) action = 'cleaned';
  return { action, message, journal, removed };
}
