/**
 * The references (shared/messages) an install failure carries when it becomes INSTALL_FAILED, so
 * the UI can say it in its language: archive refusals, download failures, file-system errnos,
 * cancellation, version checks, a changed archive checksum (pins.ts) and the pre-flight guard's blocking findings. Other failures carry none and are shown as the core wrote them.
 */
import { ArchiveError } from '../archive/archive-error';
import { DownloadError } from '../download';
import { ref, type MessageRef } from '../../../shared/messages/ref';
import type { InstallError } from './errors';
import { GuardError } from './guard';
import { ChecksumChanged } from './pins';

export interface ErrorRefs {
  ref?: MessageRef;
  fixRef?: MessageRef;
}

const ERRNO = /^E[A-Z]+$/;

export function installErrorRefs(err: InstallError, plugin: string): ErrorRefs {
  const cause = err.cause;
  if (cause instanceof ArchiveError && err.code === cause.code)
    return {
      ref: ref('install.archive', { code: cause.code, entry: cause.entry ?? '' }),
      fixRef: ref('install.fix.unsafeArchive'),
    };
  if (cause instanceof DownloadError) return downloadErrorRefs(cause, plugin);
  if (cause instanceof GuardError) return { ref: cause.finding.refs.message, fixRef: cause.finding.refs.fix };
  if (cause instanceof ChecksumChanged) {
    const { version, pinned, received } = cause;
    return {
      ref: ref('install.checksum-changed', { plugin, version, pinned, received }),
      fixRef: ref('install.fix.checksumChanged', { plugin, version, received }),
    };
  }
  if (err.code === 'cancelled') return { ref: ref('install.cancelled'), fixRef: ref('install.fix.again') };
  if (err.code === 'version-unreadable')
    return { ref: ref('install.version-unreadable', { plugin }), fixRef: ref('install.fix.versionUnreadable') };
  if (err.code === 'version-mismatch')
    return { ref: ref('install.version-mismatch', { plugin }), fixRef: ref('install.fix.versionMismatch') };
  if (ERRNO.test(err.code) && err.where !== undefined)
    return {
      ref: ref('install.io', { errno: err.code }),
      fixRef: ref('install.fix.errno', { errno: err.code, where: err.where }),
    };
  return {};
}

export function downloadErrorRefs(err: DownloadError, plugin: string): ErrorRefs {
  if (err.code === 'cancelled') return { ref: ref('install.cancelled'), fixRef: ref('install.fix.again') };
  return {
    ref: ref('install.download', {
      code: err.code,
      plugin,
      status: err.status === undefined ? '' : String(err.status),
    }),
    fixRef: ref('install.fix.download', { code: err.code, offers: (err.requiredOffers ?? []).join(', ') }),
  };
}
