/** The installer's one error type, and errno → plain-words mapping (docs/reliability-checklist.md INS-6). */
import { errnoOf } from './install-fs.js';

export const INSTALL_STEPS = ['lock', 'preflight', 'download', 'extract', 'validate', 'swap', 'backup'] as const;
export type InstallStep = (typeof INSTALL_STEPS)[number];

export class InstallError extends Error {
  override readonly name = 'InstallError';
  constructor(
    readonly step: InstallStep,
    /** Machine code: an errno (`ENOSPC`…), an archive/download code, or an installer code (`busy`, `vcs`…). */
    readonly code: string,
    message: string,
    /** What the user can do about it, in plain words. */
    readonly fix: string,
    options: { cause?: unknown; where?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.where = options.where;
  }

  /** The path a file-system failure concerns (what `fix` names), for the fix in other languages. */
  readonly where: string | undefined;
}

/** A step stopped by the caller's cancel, before anything changed. */
export function cancelled(step: InstallStep): InstallError {
  return new InstallError(
    step,
    'cancelled',
    'The operation was cancelled; nothing was changed.',
    'Start it again when you are ready.',
  );
}

export function isInstallError(value: unknown): value is InstallError {
  return value instanceof InstallError;
}

/** Whether `err` is an install that stopped because `signal` (the run it is part of) was aborted. */
export function stoppedBy(signal: AbortSignal, err: unknown): boolean {
  return signal.aborted && isInstallError(err) && err.code === 'cancelled';
}

/**
 * Plain-words fix for a file-system errno met while working on `where`. `install.fix.errno` in
 * shared/messages says the same (error-refs.test.ts holds them equal): this module stays free of
 * imports outside core/ as swap.test.ts runs it transpiled in a child process.
 */
export function fixForErrno(errno: string | null, where: string): string {
  switch (errno) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk holding ${where} is full (or your quota is reached). Free some space, then try again.`;
    case 'EACCES':
    case 'EPERM':
      return `Marketdesk is not allowed to change ${where}. Give the account running Marketdesk write access to it (the same access the web server has), or run Marketdesk as that account, then try again.`;
    case 'EBUSY':
      return `A file in ${where} is in use (often an antivirus scan, an open editor or terminal, or the web server on Windows). Close what uses it, wait a moment, then try again.`;
    case 'EXDEV':
      return `${where} spans two file systems (a mount point inside marketplace/?), so the plugin cannot be switched atomically. Make marketplace/ and marketplace/.marketdesk live on the same file system, then try again.`;
    case 'EROFS':
      return `${where} is on a read-only file system. Remount it read-write, then try again.`;
    default:
      return `Check that ${where} exists and is writable, then try again.`;
  }
}

/** Wraps any failure of a file-system step into an InstallError (InstallErrors pass through). */
export function fsFailure(step: InstallStep, err: unknown, doing: string, where: string): InstallError {
  if (err instanceof InstallError) return err;
  const errno = errnoOf(err);
  const detail = errno ?? (err instanceof Error ? err.message : String(err));
  return new InstallError(step, errno ?? 'io', `Could not ${doing} (${detail}).`, fixForErrno(errno, where), {
    cause: err,
    where,
  });
}
