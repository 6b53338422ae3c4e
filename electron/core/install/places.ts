/**
 * Where the installer keeps what no web server may serve: backups of replaced plugins and, when it
 * can, the staging folder that holds a whole plugin during an install (docs/reliability-checklist.md
 * INS-9).
 *
 * GLPI 10.0 installs often serve the GLPI root itself (the `public/` web root only came with 10.0.7),
 * so anything under `marketplace/` can be fetched by URL, and its PHP files run. GLPI's data folder
 * (GLPI_VAR_DIR, `files/` by default) is the one place GLPI's own documentation and requirement
 * checks demand to be out of the web's reach (its `.htaccess` denies everything; GLPI warns when
 * `files/_log/php-errors.log` can be fetched; and the 10.0.7+ router refuses `/files/`). So the
 * backups go to `<GLPI_VAR_DIR>/_marketdesk/backups/<key>/`, staging to `<GLPI_VAR_DIR>/_marketdesk/`.
 *
 * Atomicity: a probe rename from `marketplace/.marketdesk/` into that folder tells whether both share
 * a file system. The probe decides for SSH too: SFTP has no st_dev, and a cross-device rename over
 * SFTP fails with a generic error, so any failure means "copy". Then:
 * - `rename`: the swap renames the old folder straight into the backups (atomic, as before);
 * - `copy`: the swap renames it into `marketplace/.marketdesk/backups/` (atomic), and
 *   {@link moveBackup} (backup-move.ts) copies, fsyncs, verifies and only then deletes it; staging
 *   stays in `marketplace/.marketdesk/` (the final rename into `marketplace/` must stay atomic).
 * When GLPI_VAR_DIR cannot be known or written, the backups stay in `marketplace/.marketdesk/backups/`
 * and `note` says why and what to do.
 *
 * The lock and the journal stay in `marketplace/.marketdesk/` (they hold no code, and every version
 * of Marketdesk must find the same lock).
 */
import { join } from 'node:path';
import { errnoOf } from './install-fs.js';
import { newId, PROBE_PREFIX, workDir } from './journal.js';
import type { FileSystem } from '../ports.js';

/** The folder Marketdesk owns inside GLPI_VAR_DIR. */
export const AREA_NAME = '_marketdesk';

export interface PlaceInput {
  marketplaceDir: string;
  /** GLPI_VAR_DIR (InstanceInfo.varDir); null when unknown. */
  varDir: string | null;
}

export interface WorkPlaces {
  marketplaceDir: string;
  /** Where backups are kept: `<GLPI_VAR_DIR>/_marketdesk/backups`, or {@link legacyBackupsRoot} as a fallback. */
  backupsRoot: string;
  /** `marketplace/.marketdesk/backups`: older Marketdesk versions' backups (moved at the next start). */
  legacyBackupsRoot: string;
  /** Where the swap moves the replaced folder (same file system as marketplace/). */
  swapBackupsRoot: string;
  /** Parent of the staging folders (same file system as marketplace/). */
  stagingDir: string;
  /** Folders where a crash may leave staging folders or probes. */
  workDirs: string[];
  /** `rename`: backups are one atomic rename away from marketplace/; `copy`: copied, verified, then deleted. */
  transfer: 'rename' | 'copy';
  /** False when the backups stay inside the GLPI tree (fallback). */
  outOfWebReach: boolean;
  /** What the admin should know (fallback or copy), with the fix; null when all is as designed. */
  note: string | null;
}

export const legacyBackupsRootOf = (marketplaceDir: string): string => join(workDir(marketplaceDir), 'backups');
export const areaOf = (varDir: string): string => join(varDir, AREA_NAME);

/** Every folder where backups of this instance may be (the safe one first), without touching the disk. */
export function backupRoots(input: PlaceInput): string[] {
  const legacy = legacyBackupsRootOf(input.marketplaceDir);
  return input.varDir === null ? [legacy] : [join(areaOf(input.varDir), 'backups'), legacy];
}

function fallback(marketplaceDir: string, note: string): WorkPlaces {
  const legacy = legacyBackupsRootOf(marketplaceDir);
  return {
    marketplaceDir,
    backupsRoot: legacy,
    legacyBackupsRoot: legacy,
    swapBackupsRoot: legacy,
    stagingDir: workDir(marketplaceDir),
    workDirs: [workDir(marketplaceDir)],
    transfer: 'rename',
    outOfWebReach: false,
    note,
  };
}

/** True when a folder renames from `fromDir` into `toDir` (same file system); leaves nothing behind. */
async function renameWorks(fs: FileSystem, fromDir: string, toDir: string): Promise<boolean> {
  const name = `${PROBE_PREFIX}${newId()}`;
  const from = join(fromDir, name);
  const to = join(toDir, name);
  await fs.mkdir(from);
  try {
    await fs.rename(from, to);
    return true;
  } catch {
    return false;
  } finally {
    await fs.rm(from).catch(() => undefined);
    await fs.rm(to).catch(() => undefined);
  }
}

/** Decides where this operation keeps backups and staging (creates the folders; probes one rename). */
export async function resolvePlaces(fs: FileSystem, input: PlaceInput): Promise<WorkPlaces> {
  const mp = input.marketplaceDir;
  const legacy = legacyBackupsRootOf(mp);
  if (input.varDir === null)
    return fallback(
      mp,
      `GLPI's data folder (GLPI_VAR_DIR) cannot be known without running PHP, so backups stay in ${legacy}, inside the GLPI tree, where a web server serving the GLPI root can reach them. Define GLPI_VAR_DIR as a plain string in config/local_define.php so that Marketdesk keeps them in <GLPI_VAR_DIR>/${AREA_NAME}.`,
    );
  const area = areaOf(input.varDir);
  const backupsRoot = join(area, 'backups');
  try {
    // GLPI_VAR_DIR itself must exist: Marketdesk never creates GLPI's data folder.
    if (!(await fs.lstat(input.varDir)).isDirectory())
      throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await fs.mkdir(workDir(mp));
    await fs.mkdir(backupsRoot);
  } catch (err) {
    return fallback(
      mp,
      `Backups cannot be kept in ${backupsRoot} (${errnoOf(err) ?? String(err)}), so they stay in ${legacy}, inside the GLPI tree, where a web server serving the GLPI root can reach them. Give the account running Marketdesk write access to ${input.varDir} (GLPI's data folder).`,
    );
  }
  if (await renameWorks(fs, workDir(mp), area))
    return {
      marketplaceDir: mp,
      backupsRoot,
      legacyBackupsRoot: legacy,
      swapBackupsRoot: backupsRoot,
      stagingDir: area,
      workDirs: [workDir(mp), area],
      transfer: 'rename',
      outOfWebReach: true,
      note: null,
    };
  return {
    marketplaceDir: mp,
    backupsRoot,
    legacyBackupsRoot: legacy,
    swapBackupsRoot: legacy,
    stagingDir: workDir(mp),
    workDirs: [workDir(mp), area],
    transfer: 'copy',
    outOfWebReach: true,
    note: `Backups are kept in ${backupsRoot}, out of the web's reach, but on another file system than ${mp}: a replaced plugin is first moved to ${legacy} (one atomic rename), then copied, verified and deleted there, so it stays in reach of a web server serving the GLPI root for the time of that copy (or until the next start after a crash). Put GLPI's data folder on the same file system as marketplace/ to make it one rename.`,
  };
}
