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
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  /** What the admin should do about it, in plain words. */
  fix?: string;
  details?: unknown;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { fix?: string; details?: unknown } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fix = options.fix;
    this.details = options.details;
  }

  toShape(): ErrorShape {
    const shape: ErrorShape = { code: this.code, message: this.message };
    if (this.fix !== undefined) shape.fix = this.fix;
    if (this.details !== undefined) shape.details = this.details;
    return shape;
  }

  static fromShape(shape: ErrorShape): AppError {
    return new AppError(shape.code, shape.message, { fix: shape.fix, details: shape.details });
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
