/**
 * The BUNDLE_FAILED errors (shared/bundle.ts BundleFailure), each with its message and fix from
 * the catalogue (shared/messages `bundle.*`), so the shells can say them in their language.
 */
import { dirname } from 'node:path';
import { BUNDLE_FORMAT, type BundleEntry, type BundleFailure } from '../../../shared/bundle';
import { AppError } from '../../../shared/errors';
import { english, ref, type MessageRef } from '../../../shared/messages/ref';
import type { DownloadError } from '../download';
import { downloadErrorRefs } from '../install/error-refs';
import { errnoOf } from '../install/install-fs';
import type { ChecksumChanged } from '../install/pins';

function failed(details: BundleFailure, message: MessageRef, fix: MessageRef): AppError {
  return new AppError('BUNDLE_FAILED', english(message), { fix: english(fix), details, ref: message, fixRef: fix });
}

export function notFound(file: string): AppError {
  return failed({ code: 'not-found', file }, ref('bundle.not-found', { file }), ref('bundle.fix.not-found'));
}

/** A bundle that cannot be read: missing, or refused by the file system. */
export function readFailure(file: string, err: unknown): AppError {
  const errno = errnoOf(err) ?? 'EIO';
  if (errno === 'ENOENT' || errno === 'ENOTDIR') return notFound(file);
  return failed(
    { code: 'unreadable', file },
    ref('bundle.unreadable', { file, errno }),
    ref('bundle.fix.unreadable', { file }),
  );
}

/** Not a bundle, or a damaged one; `reason` says what was found (English, quoted in every language). */
export function corrupt(file: string, reason: string): AppError {
  return failed({ code: 'corrupt', file }, ref('bundle.corrupt', { file, reason }), ref('bundle.fix.remake'));
}

export function truncated(file: string, bytes: number): AppError {
  return failed(
    { code: 'truncated', file },
    ref('bundle.truncated', { file, bytes: String(bytes) }),
    ref('bundle.fix.copyAgain'),
  );
}

export function tampered(file: string, entry: BundleEntry, actual: string): AppError {
  const { key, version, sha256: expected } = entry;
  return failed(
    { code: 'tampered', file, key, version, expected, actual },
    ref('bundle.tampered', { file, plugin: key, version, expected, actual }),
    ref('bundle.fix.remake'),
  );
}

export function newerFormat(file: string, format: number): AppError {
  return failed(
    { code: 'version', file, format },
    ref('bundle.version', { file, format: String(format), supported: String(BUNDLE_FORMAT) }),
    ref('bundle.fix.version'),
  );
}

export function sha256Mismatch(file: string, expected: string, actual: string): AppError {
  return failed(
    { code: 'sha256-mismatch', file, expected, actual },
    ref('bundle.sha256-mismatch', { file, expected, actual }),
    ref('bundle.fix.sha256'),
  );
}

/** A file that could not be written: a full disk, else a place that cannot be written to. */
export function writeFailure(file: string, err: unknown): AppError {
  const errno = errnoOf(err) ?? 'EIO';
  if (errno === 'ENOSPC' || errno === 'EDQUOT')
    return failed(
      { code: 'disk-full', file },
      ref('bundle.disk-full', { file }),
      ref('bundle.fix.disk-full', { file }),
    );
  return failed(
    { code: 'not-writable', file },
    ref('bundle.not-writable', { file, errno }),
    ref('bundle.fix.not-writable', { folder: dirname(file) }),
  );
}

export function unresolved(problems: string[]): AppError {
  const list = problems.map((p) => `  ${p}`).join('\n');
  return failed(
    { code: 'unresolved', problems },
    ref('bundle.unresolved', { problems: list }),
    ref('bundle.fix.unresolved'),
  );
}

/**
 * Stopped by the admin: `making` a bundle into `file` (nothing is left under its name; archives
 * already downloaded stay, verified, in the download cache) or reading one (nothing was changed by
 * the step that was stopped).
 */
export function cancelled(file: string, making: boolean): AppError {
  return failed(
    { code: 'cancelled', file },
    ref(making ? 'bundle.cancelled-create' : 'bundle.cancelled-read', { file }),
    ref('bundle.fix.cancelled'),
  );
}

export function downloadFailed(err: DownloadError, key: string, version: string): AppError {
  const refs = downloadErrorRefs(err, key);
  return new AppError('BUNDLE_FAILED', `${key} ${version}: ${err.message}`, {
    fix: err.fix,
    details: { code: 'download', key, version } satisfies BundleFailure,
    ...refs,
  });
}

export function checksumMismatch(key: string, version: string, expected: string, actual: string): AppError {
  return failed(
    { code: 'checksum-mismatch', key, version, expected, actual },
    ref('bundle.checksum-mismatch', { plugin: key, version, expected, actual }),
    ref('bundle.fix.checksumMismatch'),
  );
}

/** A pinned version that came with other bytes; `command` is what to run again with the confirmation. */
export function checksumChanged(cause: ChecksumChanged, message: string, command: string): AppError {
  const { key, version, pinned, received } = cause;
  const fix = checksumChangedFix(cause, command);
  return new AppError('BUNDLE_FAILED', message, {
    fix: english(fix),
    details: { code: 'checksum-changed', key, version, expected: pinned, actual: received } satisfies BundleFailure,
    ref: ref('install.checksum-changed', { plugin: key, version, pinned, received }),
    fixRef: fix,
  });
}

export function checksumChangedFix(cause: ChecksumChanged, command: string): MessageRef {
  return ref('bundle.fix.checksumChanged', {
    plugin: cause.key,
    version: cause.version,
    received: cause.received,
    command,
  });
}
