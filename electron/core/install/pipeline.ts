/**
 * Install / update / restore / remove of one plugin in a GLPI instance's marketplace/ folder:
 * lock → places (places.ts: backups out of the web's reach) → recover → move older backups there →
 * preflight (with the pre-flight guard's look at the plugin folders) → download (a .tar.gz /
 * .tar.bz2 is unpacked into the staging folder meanwhile) → checksums and pins → extract (staging on
 * marketplace/'s file system; extract-step.ts) → validate (the version, and php -l when php can be
 * run) → swap → settle and prune backups. Any failure leaves marketplace/ as it was (staging
 * removed) and throws an InstallError with a step, a code, a plain message and a fix.
 *
 * Order of the first steps: the lock is taken BEFORE recover(), because recovering while
 * another process is in the middle of its swap would undo that swap. A crashed process's lock is
 * stale (dead pid), so the next operation takes it over and then recovers.
 */
import { join, resolve } from 'node:path';
import { versionCompare } from '../../../shared/php-version.js';
import type { ExtractOptions, ExtractResult } from '../archive/extract.js';
import { DownloadError, type DownloadRequest, type DownloadResult, type DownloadTap } from '../download.js';
import { cachedArchivePath, downloadsDir, rememberDownload, reuseCached } from './archive-cache.js';
import type { InstanceInfo } from '../glpi-instance.js';
import type { BufferCollector, Bzip2Spawner, Clock, FileSystem, HostInfo, Logger } from '../ports.js';
import { migrateBackups, type MigrationReport } from './backup-move.js';
import {
  DEFAULT_KEEP_BACKUPS,
  folderVersion,
  pruneBackups,
  removeToBackups,
  restoreBackup,
  settleBackup,
  setupVersion,
} from './backups.js';
import { cancelled, fsFailure, InstallError, type InstallStep } from './errors.js';
import { GuardError, inspectPluginFolders, lintStaged, type PhpLint, type PluginFolderFinding } from './guard.js';
import { errnoOf, exists } from './install-fs.js';
import { ExtractStep } from './extract-step.js';
import { PinStore, type PinCheck } from './pins.js';
import { acquireLock, describeTakeover, type LockOptions } from './lock.js';
import { resolvePlaces, type PlaceInput, type WorkPlaces } from './places.js';
import { recover, swapIn, type RecoveryReport, type SwapPoint } from './swap.js';

export type InstanceTarget = Pick<InstanceInfo, 'marketplaceDir' | 'marketplaceWritable' | 'pluginsDirs' | 'varDir'>;

/** Where this operation kept the backups, for the report (places.ts). */
export interface BackupPlace {
  root: string;
  /** `rename`: atomic; `copy`: another file system, copied, verified, then deleted. */
  transfer: WorkPlaces['transfer'];
  outOfWebReach: boolean;
  note: string | null;
}

export interface InstallDeps {
  /** The instance's files (marketplace/, its staging and backups): local, or a server's over SSH. */
  fs: FileSystem;
  /** This computer's files, where the archive is downloaded and verified; default `fs`. */
  localFs?: FileSystem;
  /** The system's bzip2 decoder; absent, .tar.bz2 archives are decoded in JavaScript. */
  bzip2?: Bzip2Spawner;
  /** Runs the install while its short-lived buffers are freed as they pile up (memory flat whatever the archive's size). */
  collectBuffers?: BufferCollector;
  clock: Clock;
  logger?: Logger;
  /** `downloadArchive` bound to its http/clock deps; tests pass a local copy. */
  download: (request: DownloadRequest) => Promise<DownloadResult>;
  /**
   * Default extractArchive (tests inject faults through it); when set, archives are unpacked from
   * their file only, never while they download.
   */
  extract?: (file: string, stagingDir: string, options: ExtractOptions) => Promise<ExtractResult>;
  /** App data folder; archives go to `<dataDir>/downloads/`. */
  dataDir: string;
  keepBackups?: number;
  /** Free space floor in bytes required on marketplace/'s file system; default 64 MiB. */
  minFreeBytes?: number;
  /** This machine: the install lock names its process and host, and tells whether a holder still runs. */
  host: Pick<HostInfo, 'pid' | 'hostname' | 'isAlive'>;
  /** Test overrides of the lock's view of the host. */
  lock?: Partial<Pick<LockOptions, 'pid' | 'host' | 'isAlive' | 'maxAgeMs'>>;
  /** php where the instance is, for `php -l` on the staged setup.php and hook.php; absent, not checked. */
  php?: PhpLint;
  /** Test hooks of the swap; default retry delays of the swap otherwise. */
  swap?: { pause?: (point: SwapPoint) => void | Promise<void>; renameRetryDelaysMs?: readonly number[] };
}

export interface InstallRequest {
  instance: InstanceTarget;
  key: string;
  /** The catalogue version: the archive's setup.php must declare exactly this. */
  version: string;
  /** Download parameters except `dest`, `signal`, `onProgress` and `tap` (set here). */
  source: Omit<DownloadRequest, 'dest' | 'signal' | 'onProgress' | 'tap'>;
  /** Archive size from the catalogue when known (free-space check before the download). */
  archiveBytes?: number | null;
  /** Entitlement, decided by the caller. */
  allowed: true | { reason: string };
  /**
   * The SHA-256 the admin confirmed for an archive whose bytes differ from the pinned ones
   * (pins.ts); only that exact archive is then installed and pinned instead.
   */
  acceptNewChecksum?: string;
  /** The SHA-256 a manifest or bundle carries for this version: other bytes are refused. */
  expectedSha256?: string;
  /** Where the archive came from, for its first pin (`bundle:<file>`); default the URL without its query. */
  pinSource?: string;
  signal?: AbortSignal;
  onProgress?: (step: InstallStep, fraction: number) => void;
}

export interface StepTiming {
  name: string;
  ms: number;
}

export interface InstallReport {
  key: string;
  from: string | null;
  to: string;
  sha256: string;
  /** Where the previous folder went; null for a new install. */
  backup: string | null;
  steps: StepTiming[];
  /** What recover() found and did before this operation (null when nothing). */
  recovery: string | null;
  /** Set when a stale lock was taken over. */
  lockTakeover: string | null;
  prunedBackups: string[];
  backupPlace: BackupPlace;
  /** What the pre-flight guard found that does not block this install (docs/development.md "Pre-flight guard"). */
  warnings: PluginFolderFinding[];
  /** Set when the archive's bytes differed from the pinned ones and the admin confirmed the new checksum. */
  checksumChange?: { from: string; to: string };
}

const VCS = ['.git', '.hg', '.svn'];
const KEY = /^[a-z0-9]+$/i;
const MiB = 1024 * 1024;

function checkKey(step: InstallStep, key: string): void {
  if (!KEY.test(key))
    throw new InstallError(
      step,
      'invalid-key',
      `${JSON.stringify(key)} is not a valid plugin key.`,
      'Use the technical name of the plugin (letters and digits only).',
    );
}

function placeOf(places: WorkPlaces): BackupPlace {
  const { backupsRoot: root, transfer, outOfWebReach, note } = places;
  return { root, transfer, outOfWebReach, note };
}

/** Where backups and staging go, then the interrupted operation repaired, then older backups moved. */
async function settleInstance(
  deps: Pick<InstallDeps, 'fs' | 'logger'>,
  instance: PlaceInput,
): Promise<{ places: WorkPlaces; recovery: RecoveryReport; migration: MigrationReport }> {
  const { fs } = deps;
  const mp = instance.marketplaceDir;
  const places = await resolvePlaces(fs, instance).catch((err: unknown) => {
    throw fsFailure('lock', err, 'prepare the work folder', mp);
  });
  if (places.note) deps.logger?.warn(places.note);
  const recovery = await recover({ fs, marketplaceDir: mp, workDirs: places.workDirs }).catch((err: unknown) => {
    throw fsFailure('lock', err, 'recover the interrupted operation', mp);
  });
  const migration =
    recovery.action === 'needs-attention'
      ? { moved: [], failed: [] }
      : await migrateBackups(fs, places).catch((err: unknown) => ({
          moved: [],
          failed: [`${places.legacyBackupsRoot}: ${errnoOf(err) ?? String(err)}`],
        }));
  if (migration.moved.length > 0)
    deps.logger?.info(`Moved ${migration.moved.length} backup(s) out of the web's reach, to ${places.backupsRoot}.`);
  for (const failure of migration.failed)
    deps.logger?.warn(`A backup could not be moved out of the web's reach (it stays listed): ${failure}`);
  return { places, recovery, migration };
}

/** Shared head of every operation: lock, places, recovery, and the report of them. */
async function beginOperation(
  deps: InstallDeps,
  instance: PlaceInput,
  operation: string,
): Promise<{ release: () => Promise<void>; recovery: RecoveryReport; takeover: string | null; places: WorkPlaces }> {
  const marketplaceDir = instance.marketplaceDir;
  const lock = await acquireLock({ ...lockDefaults(deps), marketplaceDir, operation, ...deps.lock });
  try {
    const { places, recovery } = await settleInstance(deps, instance);
    if (recovery.action === 'needs-attention')
      throw new InstallError(
        'lock',
        'needs-attention',
        recovery.message ?? 'An interrupted operation needs attention.',
        `Check marketplace/ and the backups (${places.backupsRoot}, ${places.legacyBackupsRoot}) by hand.`,
      );
    if (recovery.message) deps.logger?.warn(recovery.message);
    const takeover = lock.tookOver ? describeTakeover(lock.tookOver) : null;
    if (takeover) deps.logger?.warn(takeover);
    return { release: () => lock.release().catch(() => undefined), recovery, takeover, places };
  } catch (err) {
    await lock.release().catch(() => undefined);
    throw err;
  }
}

/** Preflight (docs/reliability-checklist.md INS-5): writable, no VCS folder, not shadowed, entitled, free space. */
export async function preflight(
  fs: FileSystem,
  instance: InstanceTarget,
  key: string,
  allowed: InstallRequest['allowed'],
  requiredBytes: number,
): Promise<void> {
  const mp = instance.marketplaceDir;
  if (allowed !== true)
    throw new InstallError(
      'preflight',
      'not-entitled',
      `This plugin cannot be installed with your subscription: ${allowed.reason}`,
      'Check your GLPI Network subscription, or pick another version.',
    );
  if (!instance.marketplaceWritable)
    throw new InstallError(
      'preflight',
      'not-writable',
      `The marketplace folder ${mp} is not writable.`,
      `Give the account running Marketdesk write access to ${mp} (the web server's account usually owns it), then try again.`,
    );
  const target = join(mp, key);
  for (const vcs of VCS)
    if (await exists(fs, join(target, vcs)).catch(() => false))
      throw new InstallError(
        'preflight',
        'vcs',
        `${target} contains a ${vcs} folder: it looks like a working copy under development, which Marketdesk will not overwrite.`,
        `Update it with your version control tool, or move it away from marketplace/ first.`,
      );
  const dirs = instance.pluginsDirs.map((d) => resolve(d));
  const mpIndex = dirs.indexOf(resolve(mp));
  for (const [i, dir] of dirs.entries()) {
    if (mpIndex !== -1 && i >= mpIndex) break;
    if (dir === resolve(mp)) continue;
    if (await exists(fs, join(dir, key)).catch(() => false))
      throw new InstallError(
        'preflight',
        'shadowed',
        `GLPI loads ${key} from ${join(dir, key)}, which comes before marketplace/; a copy in marketplace/ would be ignored.`,
        `Update or remove ${join(dir, key)} instead (GLPI uses the first plugins folder that holds the plugin).`,
      );
  }
  await checkFreeSpace(fs, mp, requiredBytes);
}

/** Enough room on marketplace/'s volume for the archive, its unpacked copy and the backup. */
async function checkFreeSpace(fs: FileSystem, mp: string, requiredBytes: number): Promise<void> {
  let free: number;
  try {
    const volume = await fs.statfs(mp);
    free = volume.bavail * volume.bsize;
  } catch {
    return; // statfs unsupported: the disk errors will still be reported at the failing step
  }
  if (free < requiredBytes)
    throw new InstallError(
      'preflight',
      'ENOSPC',
      `Not enough free space for marketplace/: ${Math.floor(free / MiB)} MB free, about ${Math.ceil(requiredBytes / MiB)} MB needed (the archive, its unpacked copy and the backup).`,
      `Free some space on the disk holding ${mp}, then try again.`,
    );
}

/** Each step timed and reported (0 then 1), refused once cancelled unless the swap has begun. */
function stepTimer(clock: Clock, request: Pick<InstallRequest, 'onProgress' | 'signal'>) {
  const steps: StepTiming[] = [];
  const progress = (step: InstallStep, fraction: number): void => {
    try {
      request.onProgress?.(step, Math.min(1, Math.max(0, fraction)));
    } catch {
      // a broken listener must not break the install
    }
  };
  const timed = async <T>(step: InstallStep, fn: () => Promise<T>): Promise<T> => {
    if (request.signal?.aborted && step !== 'swap' && step !== 'backup') throw cancelled(step);
    const start = clock.now().getTime();
    progress(step, 0);
    try {
      return await fn();
    } finally {
      steps.push({ name: step, ms: clock.now().getTime() - start });
      progress(step, 1);
    }
  };
  return { steps, progress, timed };
}

/** Installs (or updates, downgrades) one plugin: lock, preflight, download, unpack, checks, swap, backup. */
export function installPlugin(deps: InstallDeps, request: InstallRequest): Promise<InstallReport> {
  return deps.collectBuffers ? deps.collectBuffers(() => install(deps, request)) : install(deps, request);
}

async function install(deps: InstallDeps, request: InstallRequest): Promise<InstallReport> {
  const { fs, clock } = deps;
  const { instance, key, signal } = request;
  const mp = instance.marketplaceDir;
  const { steps, progress, timed } = stepTimer(clock, request);
  checkKey('preflight', key);
  const floor = deps.minFreeBytes ?? 64 * MiB;

  const { release, recovery, takeover, places } = await timed('lock', () =>
    beginOperation(deps, instance, `install of ${key} ${request.version}`),
  );
  const extraction = new ExtractStep({
    deps,
    request,
    stagingDir: places.stagingDir,
    roomFor: (bytes) => checkFreeSpace(fs, mp, Math.max(floor, 3 * bytes)),
    progress,
  });
  try {
    const warnings = await timed('preflight', async () => {
      const findings = await inspectPluginFolders(instance, fs, { installing: key });
      await preflight(fs, instance, key, request.allowed, Math.max(floor, 3 * (request.archiveBytes ?? 0)));
      throwIfBlocking('preflight', findings);
      return findings;
    });
    const target = join(mp, key);
    const hadFolder = await exists(fs, target);
    const from = hadFolder ? await folderVersion(fs, target, key) : null;

    // A .tar.gz / .tar.bz2 is unpacked into the staging folder as it downloads (extract-step.ts).
    const downloaded = await timed('download', () => download(deps, request, progress, extraction.tap));
    // Before anything unpacked is used: the bytes the manifest names, and those first installed.
    if (request.expectedSha256 && request.expectedSha256.toLowerCase() !== downloaded.sha256)
      throw new InstallError(
        'download',
        'checksum-mismatch',
        `The archive of ${key} ${request.version} has SHA-256 ${downloaded.sha256}, not ${request.expectedSha256.toLowerCase()} as the manifest says.`,
        `Check where the manifest's checksum came from: if the new archive is the right one, update the manifest's sha256 (or remove it) and apply again; if not, do not install it.`,
      );
    const pins = new PinStore(deps.localFs ?? deps.fs, deps.dataDir);
    const pinned = await pins.check(key, request.version, downloaded.sha256, request.acceptNewChecksum);
    // The real size is known now: check the space again (archive, unpacked copy, backup).
    await timed('preflight', () => preflight(fs, instance, key, true, Math.max(floor, 3 * downloaded.bytes)));

    const staged = await timed('extract', () => extraction.run(downloaded));

    await timed('validate', async () => {
      await validate(fs, staged, key, request.version, signal);
      if (!deps.php) return;
      const linted = await lintStaged(fs, staged, key, deps.php);
      throwIfBlocking('validate', linted);
      warnings.push(...linted);
      if (signal?.aborted) throw cancelled('validate');
    });

    // From here on, not cancellable.
    const swapped = await timed('swap', () =>
      swapIn({
        fs,
        marketplaceDir: mp,
        key,
        operation: hadFolder ? 'update' : 'install',
        stagedFolder: staged,
        stagingRoot: extraction.stagingRoot,
        backupsDir: join(places.swapBackupsRoot, key),
        label: from,
        to: request.version,
        now: () => clock.now(),
        ...deps.swap,
      }),
    );
    extraction.swapped(); // the staging folder went with the swap
    const [backup, prunedBackups] = await timed('backup', async () => {
      const settled = await settleBackup(fs, places, swapped.backup, key);
      return [settled, await prune(deps, places, key)] as const;
    });
    await pin(deps, pins, pinned, request, downloaded);
    return {
      key,
      from,
      to: request.version,
      sha256: downloaded.sha256,
      backup,
      steps,
      recovery: recovery.message,
      lockTakeover: takeover,
      prunedBackups,
      backupPlace: placeOf(places),
      warnings,
      ...(pinned.kind === 'accepted' ? { checksumChange: { from: pinned.pin.sha256, to: downloaded.sha256 } } : {}),
    };
  } finally {
    await extraction.discard();
    await release();
  }
}

/**
 * Pins the installed archive's SHA-256 the first time its version is installed, or replaces the pin
 * the admin confirmed. The plugin is in place already: a failure here is logged, not thrown.
 */
async function pin(
  deps: InstallDeps,
  pins: PinStore,
  pinned: PinCheck,
  request: InstallRequest,
  downloaded: DownloadResult,
): Promise<void> {
  if (pinned.kind === 'same') return;
  const source = request.pinSource ?? request.source.url.split(/[?#]/)[0] ?? request.source.url;
  const entry = { key: request.key, version: request.version, sha256: downloaded.sha256, source, at: deps.clock.now() };
  await pins
    .record(entry, { replace: pinned.kind === 'accepted' })
    .catch((err: unknown) =>
      deps.logger?.error('Could not record the checksum pin', { key: request.key, error: String(err) }),
    );
}

/** The first blocking finding of the guard, as the step's InstallError (its code the finding's id). */
function throwIfBlocking(step: InstallStep, findings: readonly PluginFolderFinding[]): void {
  const blocking = findings.find((f) => f.severity === 'blocks');
  if (blocking)
    throw new InstallError(step, blocking.id, blocking.message, blocking.fix, { cause: new GuardError(blocking) });
}

/**
 * Downloads and verifies the archive into this computer's `<dataDir>/downloads/`, or reuses the
 * verified copy already there (downloaded ahead, or by an earlier install of the same version).
 */
async function download(
  deps: InstallDeps,
  request: InstallRequest,
  progress: (step: InstallStep, fraction: number) => void,
  tap: DownloadTap | undefined,
): Promise<DownloadResult> {
  const localFs = deps.localFs ?? deps.fs;
  const dir = downloadsDir(deps.dataDir);
  try {
    await localFs.mkdir(dir);
  } catch (err) {
    throw fsFailure('download', err, 'create the downloads folder', dir);
  }
  const dest = cachedArchivePath(deps.dataDir, request.key, request.version, request.source.url);
  const reused = await reuseCached(localFs, dest, request.key, request.version);
  if (reused) {
    deps.logger?.info('Reusing the verified archive in the download cache', { key: request.key, file: dest });
    progress('download', 1);
    return reused;
  }
  let result: DownloadResult;
  try {
    result = await deps.download({
      ...request.source,
      dest,
      signal: request.signal,
      onProgress: (received, total) => progress('download', total ? received / total : 0),
      ...(tap ? { tap } : {}),
    });
  } catch (err) {
    if (err instanceof DownloadError)
      throw new InstallError('download', err.code === 'cancelled' ? 'cancelled' : err.code, err.message, err.fix, {
        cause: err,
      });
    throw fsFailure('download', err, 'download the archive', dir);
  }
  // Best effort: without the record the archive is only downloaded again next time.
  await rememberDownload(localFs, request.key, request.version, result, deps.clock.now()).catch((err: unknown) =>
    deps.logger?.warn('Could not record the download in the cache', { file: dest, error: String(err) }),
  );
  return result;
}

/**
 * The staged folder's setup.php must declare exactly the catalogue's version. A setup.php that is
 * missing or declares no version is the archive's fault; one that cannot be read (a connection lost
 * to an SSH server, a disk error) is the file system's, and says so.
 */
async function validate(fs: FileSystem, staged: string, key: string, expected: string, signal?: AbortSignal) {
  const setup = join(staged, 'setup.php');
  const text = await fs.readText(setup).catch((err: unknown) => {
    if (errnoOf(err) === 'ENOENT') return null;
    throw fsFailure('validate', err, 'read the setup.php of the unpacked plugin', setup);
  });
  const version = text === null ? null : setupVersion(text, key);
  if (version === null)
    throw new InstallError(
      'validate',
      'version-unreadable',
      `The version of ${key} could not be read from its setup.php.`,
      'Report it to the plugin author; this archive cannot be checked.',
    );
  if (version !== expected && versionCompare(version, expected) !== 0)
    throw new InstallError(
      'validate',
      'version-mismatch',
      `The archive holds ${key} ${version}, not ${expected} as the catalogue says.`,
      'Sync the catalogue and try again; if it persists, report it to the plugin author.',
    );
  if (signal?.aborted) throw cancelled('validate');
}

async function prune(deps: InstallDeps, places: WorkPlaces, key: string): Promise<string[]> {
  try {
    const roots = [places.backupsRoot, places.legacyBackupsRoot];
    return await pruneBackups(deps.fs, roots, key, deps.keepBackups ?? DEFAULT_KEEP_BACKUPS);
  } catch (err) {
    // The operation itself succeeded; an old backup left behind is only disk space.
    deps.logger?.warn(`Could not prune old backups of ${key}: ${errnoOf(err) ?? String(err)}`);
    return [];
  }
}

export interface RestoreReport {
  key: string;
  from: string | null;
  to: string | null;
  backup: string | null;
  recovery: string | null;
  lockTakeover: string | null;
  backupPlace: BackupPlace;
}

/** Restores backup `backupId` of `key` (the current folder becomes a backup). */
export async function restorePlugin(
  deps: InstallDeps,
  request: { instance: InstanceTarget; key: string; backupId: string },
): Promise<RestoreReport> {
  const { instance, key } = request;
  checkKey('backup', key);
  const op = `restore of ${key} (${request.backupId})`;
  const { release, recovery, takeover, places } = await beginOperation(deps, instance, op);
  try {
    await preflight(deps.fs, instance, key, true, 0);
    const r = await restoreBackup({
      fs: deps.fs,
      places,
      key,
      backupId: request.backupId,
      now: () => deps.clock.now(),
      ...deps.swap,
    });
    await prune(deps, places, key);
    return {
      key,
      from: r.from,
      to: r.to,
      backup: r.backup,
      recovery: recovery.message,
      lockTakeover: takeover,
      backupPlace: placeOf(places),
    };
  } finally {
    await release();
  }
}

/** Moves `<marketplace>/<key>` to the backups; never deletes it. */
export async function removePlugin(
  deps: InstallDeps,
  request: { instance: InstanceTarget; key: string },
): Promise<{
  key: string;
  from: string | null;
  backup: string;
  message: string;
  recovery: string | null;
  lockTakeover: string | null;
  backupPlace: BackupPlace;
}> {
  const { instance, key } = request;
  checkKey('backup', key);
  const { release, recovery, takeover, places } = await beginOperation(deps, instance, `removal of ${key}`);
  try {
    await preflight(deps.fs, instance, key, true, 0);
    const r = await removeToBackups({
      fs: deps.fs,
      places,
      key,
      now: () => deps.clock.now(),
      ...deps.swap,
    });
    await prune(deps, places, key);
    return { key, ...r, recovery: recovery.message, lockTakeover: takeover, backupPlace: placeOf(places) };
  } finally {
    await release();
  }
}

/**
 * App start (and each new SSH connection): recover every interrupted operation and move older
 * backups out of the web's reach (skipped when another live process holds the lock).
 */
export async function recoverInstance(
  deps: Pick<InstallDeps, 'fs' | 'clock' | 'host' | 'lock' | 'logger'>,
  instance: PlaceInput,
): Promise<
  (RecoveryReport & { migration: MigrationReport; backupPlace: BackupPlace }) | { action: 'busy'; message: string }
> {
  const marketplaceDir = instance.marketplaceDir;
  let lock;
  try {
    lock = await acquireLock({ ...lockDefaults(deps), marketplaceDir, operation: 'recovery check', ...deps.lock });
  } catch (err) {
    if (err instanceof InstallError && err.code === 'busy') return { action: 'busy', message: err.message };
    throw err;
  }
  try {
    const { places, recovery, migration } = await settleInstance(deps, instance);
    return { ...recovery, migration, backupPlace: placeOf(places) };
  } finally {
    await lock.release().catch(() => undefined);
  }
}

function lockDefaults(deps: Pick<InstallDeps, 'fs' | 'clock' | 'host'>) {
  const { fs, clock, host } = deps;
  return {
    fs,
    now: () => clock.now(),
    pid: host.pid,
    host: host.hostname,
    isAlive: (pid: number) => host.isAlive(pid),
  };
}
