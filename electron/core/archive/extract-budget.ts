/** The accounting and the rules both the tar and the zip paths enforce, and the error mapping. */
import { ArchiveError } from './archive-error.js';
import { Bunzip2CorruptError, Bunzip2TruncatedError } from './bunzip2.js';
import { displayName, validateEntryName } from './entry-rules.js';

export interface ExtractCaps {
  /** Maximum number of entries (files + folders). Default 20,000. */
  maxEntries: number;
  /** Maximum path depth in segments, `key/a/b.php` = 3. Default 32. */
  maxDepth: number;
  /** Maximum size of one file, bytes. Default 100 MB. */
  maxFileBytes: number;
  /** Maximum total size of all files, bytes. Default 500 MB. */
  maxTotalBytes: number;
  /** Maximum decompressed/compressed ratio, measured while streaming. Default 200. */
  maxRatio: number;
  /** The ratio is not checked until this many bytes were decompressed. Default 1 MiB. */
  ratioFloorBytes: number;
}

export const DEFAULT_CAPS: Readonly<ExtractCaps> = Object.freeze({
  maxEntries: 20_000,
  maxDepth: 32,
  maxFileBytes: 100 * 1024 * 1024,
  maxTotalBytes: 500 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
});

export const MB = 1024 * 1024;

/** Shared accounting and rule enforcement for both the tar and the zip paths. */
export class Budget {
  entries = 0;
  /** Bytes of file content (declared by tar headers / counted for zip). */
  contentBytes = 0;
  /** Archive bytes consumed so far (the ratio's denominator). */
  compressed = 0;
  /** Bytes produced by the decompressor so far (the ratio's numerator). */
  decompressed = 0;
  failure: ArchiveError | undefined;
  private sawKey = false;

  constructor(
    readonly caps: ExtractCaps,
    readonly key: string,
    readonly readChunk: number,
    private readonly onProgress?: (bytes: number) => void,
  ) {}

  /** Records an error as the reason of failure (the first one wins) and returns it. */
  fail(err: ArchiveError): ArchiveError {
    this.failure ??= err;
    return this.failure;
  }

  addCompressed(n: number): void {
    this.compressed += n;
    this.onProgress?.(this.compressed);
  }

  /** Validates one entry's name, counts it, and enforces depth and top-folder rules. */
  noteEntry(name: string): string[] {
    const parts = validateEntryName(name);
    const shown = (): string => displayName(name);
    this.entries += 1;
    if (this.entries > this.caps.maxEntries) {
      throw new ArchiveError(
        'too-many-entries',
        `The archive has more than ${this.caps.maxEntries} entries (stopped at ${shown()}).`,
        { entry: name },
      );
    }
    if (parts.length > this.caps.maxDepth) {
      throw new ArchiveError(
        'too-deep',
        `The archive entry ${shown()} is nested ${parts.length} levels deep (limit ${this.caps.maxDepth}).`,
        { entry: name },
      );
    }
    const top = parts[0]!;
    if (top !== this.key) {
      if (this.sawKey) {
        throw new ArchiveError(
          'two-top-folders',
          `The archive has more than one top-level item: "${this.key}" and ${displayName(top)}. It must contain only the folder "${this.key}".`,
          { entry: name },
        );
      }
      throw new ArchiveError(
        'wrong-top-folder',
        `The archive's top-level item ${displayName(top)} is not the plugin folder "${this.key}" (names are case-sensitive).`,
        { entry: name },
      );
    }
    this.sawKey = true;
    return parts;
  }

  /** Checks a file's size against the per-file and total caps (before writing when it is declared). */
  checkFileSize(name: string, fileBytes: number, totalAfter: number): void {
    if (fileBytes > this.caps.maxFileBytes) {
      throw new ArchiveError(
        'file-too-large',
        `The archive entry ${displayName(name)} is larger than the ${fmtBytes(this.caps.maxFileBytes)} limit per file.`,
        { entry: name },
      );
    }
    if (totalAfter > this.caps.maxTotalBytes) {
      throw new ArchiveError(
        'too-large',
        `The archive unpacks to more than ${fmtBytes(this.caps.maxTotalBytes)} (stopped at ${displayName(name)}).`,
        { entry: name },
      );
    }
  }

  /** The bomb check: decompressed/compressed so far, once past the floor. */
  checkRatio(decompressed: number, compressed: number, entry?: string): void {
    if (decompressed < this.caps.ratioFloorBytes) return;
    const ratio = decompressed / Math.max(compressed, 1);
    if (ratio > this.caps.maxRatio) {
      const where = entry === undefined ? '' : ` (at ${displayName(entry)})`;
      throw new ArchiveError(
        'bomb',
        `The archive looks like a decompression bomb: it expands more than ${this.caps.maxRatio} times${where}.`,
        entry === undefined ? {} : { entry },
      );
    }
  }
}

export function fmtBytes(n: number): string {
  return n >= MB ? `${Math.round((n / MB) * 10) / 10} MB` : `${n} bytes`;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ArchiveError('aborted', 'The extraction was cancelled.');
}

export function toArchiveError(err: unknown, signal: AbortSignal | undefined): ArchiveError {
  if (err instanceof ArchiveError) return err;
  if (signal?.aborted || (err as { name?: string }).name === 'AbortError') {
    return new ArchiveError('aborted', 'The extraction was cancelled.', { cause: err });
  }
  if (err instanceof Bunzip2TruncatedError)
    return new ArchiveError('truncated', `The archive is truncated (${err.message}).`, { cause: err });
  if (err instanceof Bunzip2CorruptError)
    return new ArchiveError('corrupt', `The archive is damaged (${err.message}).`, { cause: err });
  const e = err as NodeJS.ErrnoException;
  const msg = e.message ?? String(err);
  if (e.code === 'Z_BUF_ERROR' || /unexpected end of file|unexpected EOF|premature/i.test(msg)) {
    return new ArchiveError('truncated', `The archive is truncated (${msg}).`, { cause: err });
  }
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return new ArchiveError('corrupt', `The archive is damaged (${msg}).`, { cause: err });
  }
  if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    return new ArchiveError('io', `Reading or writing the archive failed (${msg}).`, { cause: err });
  }
  return new ArchiveError('corrupt', `The archive is damaged (${msg}).`, { cause: err });
}
