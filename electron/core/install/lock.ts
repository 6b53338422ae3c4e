/**
 * One operation per GLPI instance at a time (docs/reliability-checklist.md INS-4): `<marketplace>/.marketdesk/lock`,
 * created exclusively (`wx`), holding who runs what. A lock whose process is dead (same host) is
 * stale and taken over; the takeover is reported. Cross-host locks (a shared marketplace/ on a
 * network drive) cannot be checked and are only taken over once older than `maxAgeMs`.
 */
import { join } from 'node:path';
import { InstallError, fixForErrno } from './errors.js';
import { errnoOf } from './install-fs.js';
import type { FileSystem } from '../ports.js';
import { newId, workDir } from './journal.js';

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  operation: string;
  token: string;
}

export interface LockHandle {
  info: LockInfo;
  /** Set when a stale lock was taken over: what it was. */
  tookOver: LockInfo | null;
  release(): Promise<void>;
}

export interface LockOptions {
  fs: FileSystem;
  marketplaceDir: string;
  /** Plain words, e.g. "update of fields to 1.21.10"; shown to a second caller. */
  operation: string;
  /** This process and its host (HostInfo.pid, HostInfo.hostname). */
  pid: number;
  host: string;
  now?: () => Date;
  /** HostInfo.isAlive: whether a process of this host still runs. */
  isAlive: (pid: number) => boolean;
  /** A lock older than this is stale even if its pid looks alive (pid reuse, other host). Default 12 h. */
  maxAgeMs?: number;
}

export const lockPath = (marketplaceDir: string): string => join(workDir(marketplaceDir), 'lock');

function parseLock(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<LockInfo> | null;
    if (v && typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.startedAt === 'string')
      return {
        pid: v.pid,
        host: v.host,
        startedAt: v.startedAt,
        operation: typeof v.operation === 'string' ? v.operation : 'an operation',
        token: typeof v.token === 'string' ? v.token : '',
      };
  } catch {
    // fall through
  }
  return null;
}

export async function acquireLock(options: LockOptions): Promise<LockHandle> {
  const { fs, marketplaceDir } = options;
  const now = options.now ?? (() => new Date());
  const file = lockPath(marketplaceDir);
  const info: LockInfo = {
    pid: options.pid,
    host: options.host,
    startedAt: now().toISOString(),
    operation: options.operation,
    token: newId(),
  };
  const failure = (err: unknown): InstallError =>
    new InstallError(
      'lock',
      errnoOf(err) ?? 'io',
      `Could not create the lock file ${file} (${errnoOf(err) ?? String(err)}).`,
      fixForErrno(errnoOf(err), marketplaceDir),
      { cause: err },
    );

  try {
    await fs.mkdir(workDir(marketplaceDir));
  } catch (err) {
    throw failure(err);
  }
  let tookOver: LockInfo | null = null;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await fs.writeFile(file, JSON.stringify(info), { exclusive: true });
      return {
        info,
        tookOver,
        release: async () => {
          // Only remove our own lock (a takeover by someone else must not be undone by us).
          const current = await fs.readText(file).then(parseLock, () => null);
          if (current?.token === info.token) await fs.rm(file);
        },
      };
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw failure(err);
    }
    // Someone holds it: alive or stale?
    const held = await readHeld(fs, file).catch((err: unknown) => {
      throw failure(err);
    });
    if (held === null) continue; // released meanwhile
    const age = now().getTime() - (held.lock ? Date.parse(held.lock.startedAt) : held.mtimeMs);
    const stale =
      held.lock === null
        ? age > 60_000 // a writer killed between create and write leaves an empty file
        : (held.lock.host === info.host && !options.isAlive(held.lock.pid)) ||
          age > (options.maxAgeMs ?? 12 * 60 * 60 * 1000);
    if (!stale) throw busy(held.lock, info, file);
    if (!(await takeOver(fs, file, held.text, failure))) continue;
    tookOver = held.lock ?? {
      pid: 0,
      host: '?',
      startedAt: new Date(held.mtimeMs).toISOString(),
      operation: 'an unknown operation',
      token: '',
    };
  }
  throw new InstallError(
    'lock',
    'busy',
    'Another Marketdesk operation is starting on this GLPI instance.',
    'Wait a moment, then try again.',
  );
}

/** The lock file as it is now; null when it is gone. */
async function readHeld(
  fs: FileSystem,
  file: string,
): Promise<{ text: string; lock: LockInfo | null; mtimeMs: number } | null> {
  try {
    const text = await fs.readText(file);
    return { text, lock: parseLock(text), mtimeMs: (await fs.lstat(file)).mtimeMs };
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null;
    throw err;
  }
}

function busy(held: LockInfo | null, info: LockInfo, file: string): InstallError {
  const who = held
    ? `${held.operation} (started ${held.startedAt}${held.host === info.host ? `, process ${held.pid}` : ` on ${held.host}`})`
    : 'another operation';
  return new InstallError(
    'lock',
    'busy',
    `Another Marketdesk operation is running on this GLPI instance: ${who}.`,
    held && held.host !== info.host
      ? `Wait for it to finish. If ${held.host} is no longer running Marketdesk, delete ${file}.`
      : 'Wait for it to finish, then try again.',
  );
}

/**
 * Moves the stale file aside (only one taker can) and checks it is the one judged (`text`).
 * False when it was gone or another taker had already replaced it (put back): try again.
 */
async function takeOver(
  fs: FileSystem,
  file: string,
  text: string,
  failure: (err: unknown) => InstallError,
): Promise<boolean> {
  const aside = `${file}.stale-${newId()}`;
  try {
    await fs.rename(file, aside);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw failure(err);
  }
  const moved = await fs.readText(aside).catch(() => '');
  if (moved !== text) {
    // Another taker already replaced it with a live lock: put it back and report busy.
    await fs.rename(aside, file).catch(() => undefined);
    return false;
  }
  await fs.rm(aside).catch(() => undefined);
  return true;
}

/** Runs `fn` holding the lock; released in `finally`. */
export async function withLock<T>(options: LockOptions, fn: (lock: LockHandle) => Promise<T>): Promise<T> {
  const lock = await acquireLock(options);
  try {
    return await fn(lock);
  } finally {
    await lock.release().catch(() => undefined);
  }
}

export function describeTakeover(t: LockInfo): string {
  return `A lock left by ${t.operation} (process ${t.pid} on ${t.host}, started ${t.startedAt}) was stale and was taken over.`;
}
