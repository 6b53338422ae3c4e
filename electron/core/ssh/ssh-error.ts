/**
 * Why an SSH instance could not be reached or used, named the way the admin can act on it. The SSH
 * adapters throw it; the core turns it into the contract's SSH_FAILED error.
 */
import { AppError } from '../../../shared/errors';
import type { SshFailure, SshFailureCode } from '../../../shared/instances';
import type { HostKeyVerdict } from './known-hosts';

export class SshError extends Error {
  override readonly name = 'SshError';
  constructor(
    readonly code: SshFailureCode,
    message: string,
    readonly fix: string,
    /** For host-key failures: the verdict, with the fingerprints to compare. */
    readonly hostKey?: HostKeyVerdict,
  ) {
    super(message);
  }
}

/** The contract's error for an SSH failure, with what the renderer needs to offer the next step. */
export function sshAppError(err: SshError, instance?: string): AppError {
  const v = err.hostKey;
  const details: SshFailure = {
    code: err.code,
    ...(v && v.kind !== 'trusted'
      ? { hostKey: { type: v.type, fingerprint: v.fingerprint, expected: v.kind === 'changed' ? v.expected : [] } }
      : {}),
  };
  return new AppError('SSH_FAILED', instance ? `${instance}: ${err.message}` : err.message, { fix: err.fix, details });
}
