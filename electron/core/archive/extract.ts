/**
 * Safe extraction of a GLPI plugin archive into an empty staging directory
 * (docs/reliability-checklist.md §3, ARC-1..5, ARC-7). GLPI itself extracts whatever the archive
 * holds straight into
 * `marketplace/` after deleting the old plugin (docs/glpi-network-api.md §6.2); Marketdesk instead
 * extracts into a staging directory, refuses the whole archive on the first violation and only
 * then lets the installer move the validated `<key>/` folder into place.
 *
 * Contract on failure: an {@link ArchiveError} is thrown, nothing more is written, all streams and
 * file handles are closed — but `stagingDir` may hold partial output. **The caller deletes
 * `stagingDir`** (it created it, and must never install from it after a failure).
 *
 * Everything is written through the `fs` port (the staging folder may be on a server reached over
 * SFTP); the archive is read through `archiveFs` (this machine), or, for the tar formats, taken as
 * its bytes arrive ({@link extractArchiveStream}). On success the staged tree is durable.
 */
import { posix } from 'node:path';
import type { Bzip2Spawner, FileSystem } from '../ports.js';
import { ArchiveError } from './archive-error.js';
import { detectFormat, FORMAT_SNIFF_BYTES, type ArchiveFormat } from './archive-format.js';
import { displayName } from './entry-rules.js';
import { Budget, DEFAULT_CAPS, MB, throwIfAborted, toArchiveError, type ExtractCaps } from './extract-budget.js';
import { StagingWriter } from './extract-staging.js';
import { extractTar, type Bzip2Decoder, type TarSource } from './extract-tar.js';
import { extractZip, type ArchiveReader } from './extract-zip.js';
import { ChunkPool } from './chunk-pool.js';
import { readChunks } from './read-chunks.js';

export { ArchiveError, type ArchiveErrorCode } from './archive-error.js';
export type { ArchiveFormat } from './archive-format.js';
export { DEFAULT_CAPS, type ExtractCaps } from './extract-budget.js';
export type { Bzip2Decoder } from './extract-tar.js';

export interface ExtractOptions {
  /** The plugin key: the archive must hold exactly one top folder with this exact name. */
  key: string;
  /** The file system the staging folder is on: every folder and file is created through it. */
  fs: FileSystem;
  /** The file system the archive is on (it was downloaded to this machine); default `fs`. */
  archiveFs?: ArchiveReader;
  caps?: Partial<ExtractCaps>;
  signal?: AbortSignal;
  /** Called with the number of archive (compressed) bytes consumed so far. */
  onProgress?: (bytes: number) => void;
  /**
   * The .tar.bz2 decoder. 'native' (the default): the system's bzip2 through `bzip2` (see
   * `electron/adapters/native-bunzip2.ts`), or the JavaScript decoder where there is none; 'js':
   * always the JavaScript decoder. Both enforce the same caps (tests run the hostile archives
   * through each).
   */
  bzip2Decoder?: Bzip2Decoder;
  /** Starts the system's bzip2; absent, .tar.bz2 archives are decoded by the JavaScript decoder. */
  bzip2?: Bzip2Spawner;
  /**
   * How many archive bytes are read at a time (default 1 MiB). A speed setting only: no check
   * depends on it (tests run real-shaped archives at 8 KiB up to the whole file).
   */
  readChunkBytes?: number;
}

export interface ExtractResult {
  format: ArchiveFormat;
  /** Entries extracted (files and folders). */
  entries: number;
  /** Total bytes of file content written. */
  bytes: number;
  topFolder: string;
  /** For a .tar.bz2: the decoder that ran. */
  bzip2Decoder?: Bzip2Decoder;
}

/** GLPI 11 plugin key pattern. */
export const PLUGIN_KEY_PATTERN = /^[a-z0-9]+$/i;

/**
 * Default archive read size. Large reads (and large inflate outputs) cut the per-chunk overhead of
 * the streams, of the tar reader and of the file writes; they do not loosen the bomb checks, which
 * count the compressed bytes the decompressor has been given, never those merely read ahead.
 */
const READ_CHUNK = MB;

export async function extractArchive(
  file: string,
  stagingDir: string,
  options: ExtractOptions,
): Promise<ExtractResult> {
  const archiveFs = options.archiveFs ?? options.fs;
  return extract(stagingDir, options, async (readChunk) => {
    const format = detectFormat(Buffer.from(await archiveFs.readRange(file, 0, FORMAT_SNIFF_BYTES)));
    if (format === 'zip') return { format, zip: { archiveFs, file } };
    if (format === null) return null;
    const pool = new ChunkPool(readChunk);
    const chunks = readChunks(archiveFs, file, readChunk, () => pool.take());
    return { format, chunks, giveBack: (chunk) => pool.giveBack(chunk) };
  });
}

/**
 * Unpacks an archive as its bytes arrive (a download), with the same checks as
 * {@link extractArchive}. Only the tar formats ({@link unpacksAsItArrives}): a zip's directory is
 * at its end. The caller must not install from `stagingDir` before the whole archive is verified
 * (its size and checksum): whatever was unpacked from a wrong archive is discarded with it.
 */
export async function extractArchiveStream(
  chunks: AsyncIterable<Uint8Array>,
  stagingDir: string,
  options: Omit<ExtractOptions, 'archiveFs' | 'readChunkBytes'> & Pick<TarSource, 'giveBack'>,
): Promise<ExtractResult> {
  return extract(stagingDir, options, async () => {
    const { head, all } = await sniff(chunks);
    const format = detectFormat(head);
    if (format === 'zip')
      throw new ArchiveError('unknown-format', 'A .zip archive is unpacked from its file, once it is whole.');
    return format && { format, chunks: all, ...(options.giveBack ? { giveBack: options.giveBack } : {}) };
  });
}

/** Whether an archive that starts with `head` can be unpacked as it arrives (the tar formats). */
export function unpacksAsItArrives(head: Uint8Array): boolean {
  const format = detectFormat(head);
  return format !== null && format !== 'zip';
}

/** The archive's bytes as {@link extract} reads them: a zip from its file, the others in order. */
type Opened =
  | { format: 'zip'; zip: { archiveFs: ArchiveReader; file: string } }
  | ({ format: Exclude<ArchiveFormat, 'zip'> } & Pick<TarSource, 'chunks' | 'giveBack'>);

/** The first {@link FORMAT_SNIFF_BYTES} bytes (fewer when the archive is shorter), and all of them. */
async function sniff(chunks: AsyncIterable<Uint8Array>): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let length = 0;
  while (length < FORMAT_SNIFF_BYTES) {
    const step = await iterator.next();
    if (step.done) break;
    const chunk = Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
    first.push(chunk);
    length += chunk.length;
  }
  async function* all(): AsyncGenerator<Buffer> {
    try {
      yield* first.splice(0);
      for (let step = await iterator.next(); !step.done; step = await iterator.next())
        yield Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
    } finally {
      // Stopped early (a refused entry): the source learns that nothing more is read.
      await iterator.return?.();
    }
  }
  return { head: Buffer.concat(first, length), all: all() };
}

/**
 * The extraction itself, whatever the source: checks the key and the staging folder, opens the
 * archive (`open` finds its format: null when it is none of ours), unpacks it under the caps, checks
 * the tree and makes it durable.
 */
async function extract(
  stagingDir: string,
  options: Omit<ExtractOptions, 'archiveFs'>,
  open: (readChunk: number) => Promise<Opened | null>,
): Promise<ExtractResult> {
  const { key, fs } = options;
  if (typeof key !== 'string' || !PLUGIN_KEY_PATTERN.test(key)) {
    throw new ArchiveError('invalid-key', `${JSON.stringify(key)} is not a valid plugin key.`);
  }
  const caps: ExtractCaps = { ...DEFAULT_CAPS, ...options.caps };
  const signal = options.signal;
  throwIfAborted(signal);

  const staging = await fs.realpath(stagingDir);
  const existing = await fs.readdir(staging);
  if (existing.length > 0) {
    throw new ArchiveError('io', `The staging folder ${stagingDir} is not empty.`);
  }
  const readChunk = options.readChunkBytes ?? READ_CHUNK;
  if (!Number.isSafeInteger(readChunk) || readChunk < 1) {
    throw new ArchiveError('io', `The read size ${readChunk} is not a positive number of bytes.`);
  }
  const opened = await open(readChunk);
  if (opened === null) {
    throw new ArchiveError('unknown-format', 'The file is not a .zip, .tar.gz or .tar.bz2 archive.');
  }
  const budget = new Budget(caps, key, readChunk, options.onProgress);
  const out = new StagingWriter(fs, staging, budget);
  let bzip2Decoder: Bzip2Decoder | undefined;
  try {
    if (opened.format === 'zip') await extractZip(opened.zip.archiveFs, opened.zip.file, out, budget, signal);
    else {
      const bzip2Choice = options.bzip2Decoder ?? 'native';
      const source = { ...opened, bzip2Choice, ...(options.bzip2 ? { bzip2: options.bzip2 } : {}) };
      bzip2Decoder = await extractTar(source, out, budget, signal);
    }
    await out.settle();
    if (budget.failure) throw budget.failure;
    throwIfAborted(signal);
    await finalizeTree(fs, staging, key);
    await out.durable();
  } catch (err) {
    // Nothing more is written; every file is closed or aborted before the failure is reported.
    out.fail(toArchiveError(err, signal));
    await out.settle();
    throw toArchiveError(budget.failure ?? err, signal);
  }
  const result: ExtractResult = {
    format: opened.format,
    entries: budget.entries,
    bytes: budget.contentBytes,
    topFolder: key,
  };
  if (bzip2Decoder) result.bzip2Decoder = bzip2Decoder;
  return result;
}

// ---------------------------------------------------------------------------------------------
// after extraction

/**
 * Walks what was written: refuses anything but files and folders (defence in depth — nothing else
 * can have been created), then checks the single top folder and setup.php. Modes were given at
 * creation (files 0644; folders as the file system makes them, 0755 under the usual umask).
 */
async function finalizeTree(fs: FileSystem, staging: string, key: string): Promise<void> {
  const top = await fs.readdir(staging);
  if (top.length === 0) throw new ArchiveError('empty', 'The archive is empty.');
  if (top.length > 1) {
    throw new ArchiveError(
      'two-top-folders',
      `The archive has ${top.length} top-level items; it must contain only the folder "${key}".`,
    );
  }
  const stack = [staging];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const dirent of await fs.readdir(dir)) {
      // A name from readdir is one segment: a plain join (posix.join and relative for each of a
      // release's thousands of files allocated more than their checks).
      const full = `${dir}/${dirent.name}`;
      if (dirent.type === 'dir') stack.push(full);
      if (dirent.type === 'dir' || dirent.type === 'file') continue;
      const rel = posix.relative(staging, full);
      if (dirent.type === 'symlink') {
        throw new ArchiveError('link', `The archive created a link at ${displayName(rel)}.`, { entry: rel });
      }
      throw new ArchiveError('special-file', `The archive created a special file at ${displayName(rel)}.`, {
        entry: rel,
      });
    }
  }
  const rootStat = await fs.lstat(posix.join(staging, key)).catch(() => null);
  if (!rootStat?.isDirectory()) {
    throw new ArchiveError('wrong-top-folder', `The archive's top-level item is not the plugin folder "${key}".`);
  }
  const setup = await fs.lstat(posix.join(staging, key, 'setup.php')).catch(() => null);
  if (!setup?.isFile()) {
    throw new ArchiveError('no-setup-php', `The plugin folder "${key}" in the archive has no setup.php.`, {
      entry: `${key}/setup.php`,
    });
  }
}
