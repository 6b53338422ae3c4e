/** Why an extraction was refused. Every code is a hard failure of the whole extraction. */
export type ArchiveErrorCode =
  | 'unknown-format'
  | 'invalid-key'
  | 'invalid-name'
  | 'path-traversal'
  | 'absolute-path'
  | 'drive-path'
  | 'backslash'
  | 'link'
  | 'special-file'
  | 'duplicate-entry'
  | 'unsupported-entry'
  | 'too-many-entries'
  | 'too-deep'
  | 'file-too-large'
  | 'too-large'
  | 'bomb'
  | 'corrupt'
  | 'truncated'
  | 'empty'
  | 'two-top-folders'
  | 'wrong-top-folder'
  | 'no-setup-php'
  | 'aborted'
  | 'io';

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  readonly code: ArchiveErrorCode;
  /** The archive entry concerned, when there is one. */
  readonly entry: string | undefined;

  constructor(code: ArchiveErrorCode, message: string, options: { entry?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.entry = options.entry;
  }
}

export function isArchiveError(value: unknown): value is ArchiveError {
  return value instanceof ArchiveError;
}
