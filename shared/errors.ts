import type { MessageRef } from './messages/ref';

/** Error codes that cross the contract. The renderer and the CLI branch on these, never on text. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN',
  'KEY_MALFORMED',
  'KEY_INVALID',
  'KEY_UNVERIFIED',
  'KEYCHAIN_UNAVAILABLE',
  /** An install, update, restore or remove failed; details: { step, code }. */
  'INSTALL_FAILED',
  /**
   * An SSH instance could not be reached or used; details: SshFailure (shared/instances), whose
   * `hostKey` carries the fingerprint to confirm when the host is unknown.
   */
  'SSH_FAILED',
  /**
   * An offline bundle could not be made, read or imported; details: BundleFailure (shared/bundle),
   * whose `code` says why (corrupt, tampered, version, sha256-mismatch, not-writable, disk-full...).
   */
  'BUNDLE_FAILED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  /** What the admin should do about it, in plain words. */
  fix?: string;
  details?: unknown;
  /** `message` and `fix` as catalogue references (shared/messages), for the shells to show in their language. */
  ref?: MessageRef;
  fixRef?: MessageRef;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  readonly details: unknown;
  readonly ref: MessageRef | undefined;
  readonly fixRef: MessageRef | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fix?: string; details?: unknown; ref?: MessageRef; fixRef?: MessageRef } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fix = options.fix;
    this.details = options.details;
    this.ref = options.ref;
    this.fixRef = options.fixRef;
  }

  toShape(): ErrorShape {
    const shape: ErrorShape = { code: this.code, message: this.message };
    if (this.fix !== undefined) shape.fix = this.fix;
    if (this.details !== undefined) shape.details = this.details;
    if (this.ref !== undefined) shape.ref = this.ref;
    if (this.fixRef !== undefined) shape.fixRef = this.fixRef;
    return shape;
  }

  static fromShape(shape: ErrorShape): AppError {
    const { code, message, ...options } = shape;
    return new AppError(code, message, options);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
