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
 */
import * as fs from 'node:fs';
import { createReadStream, createWriteStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { PassThrough, Readable, Transform, Writable, type Duplex, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { Unpack, type ReadEntry } from 'tar';
import * as yauzl from 'yauzl';
import { ArchiveError } from './archive-error.js';
import { detectFormat, FORMAT_SNIFF_BYTES, hasUstarMagic, type ArchiveFormat } from './archive-format.js';
import { nativeBzip2Path, spawnNativeBunzip2, type NativeBunzip2 } from './bunzip2-native.js';
import { Bunzip2CorruptError, Bunzip2TruncatedError, createBunzip2, type Bunzip2Options } from './bunzip2.js';
import { displayName, validateEntryName } from './entry-rules.js';

export { ArchiveError, type ArchiveErrorCode } from './archive-error.js';
export type { ArchiveFormat } from './archive-format.js';

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

export interface ExtractOptions {
  /** The plugin key: the archive must hold exactly one top folder with this exact name. */
  key: string;
  caps?: Partial<ExtractCaps>;
  signal?: AbortSignal;
  /** Called with the number of archive (compressed) bytes consumed so far. */
  onProgress?: (bytes: number) => void;
  /**
   * The .tar.bz2 decoder. 'native' (the default): the system's bzip2 in a child process (see
   * `bunzip2-native.ts`), or the JavaScript decoder where there is none (Windows); 'js': always the
   * JavaScript decoder. Both enforce the same caps (tests run the hostile archives through each).
   */
  bzip2Decoder?: Bzip2Decoder;
  /**
   * How many archive bytes are read at a time (default 1 MiB). A speed setting only: no check
   * depends on it (tests run real-shaped archives at 8 KiB up to the whole file).
   */
  readChunkBytes?: number;
}

export type Bzip2Decoder = 'native' | 'js';

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

const FILE_MODE = 0o644;
const DIR_MODE = 0o755;
const MB = 1024 * 1024;
/**
 * Default archive read size. Large reads (and large inflate outputs) cut the per-chunk overhead of
 * the streams, of node-tar and of the file writes; they do not loosen the bomb checks, which count
 * the compressed bytes the decompressor has been given, never those merely read ahead.
 */
const READ_CHUNK = MB;
/** zlib output chunk: the granularity of the decompressed-size and ratio checks. */
const INFLATE_CHUNK = 256 * 1024;

/** Shared accounting and rule enforcement for both the tar and the zip paths. */
class Budget {
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
    const shown = displayName(name);
    this.entries += 1;
    if (this.entries > this.caps.maxEntries) {
      throw new ArchiveError(
        'too-many-entries',
        `The archive has more than ${this.caps.maxEntries} entries (stopped at ${shown}).`,
        { entry: name },
      );
    }
    if (parts.length > this.caps.maxDepth) {
      throw new ArchiveError(
        'too-deep',
        `The archive entry ${shown} is nested ${parts.length} levels deep (limit ${this.caps.maxDepth}).`,
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

function fmtBytes(n: number): string {
  return n >= MB ? `${Math.round((n / MB) * 10) / 10} MB` : `${n} bytes`;
}

export async function extractArchive(
  file: string,
  stagingDir: string,
  options: ExtractOptions,
): Promise<ExtractResult> {
  const { key } = options;
  if (typeof key !== 'string' || !PLUGIN_KEY_PATTERN.test(key)) {
    throw new ArchiveError('invalid-key', `${JSON.stringify(key)} is not a valid plugin key.`);
  }
  const caps: ExtractCaps = { ...DEFAULT_CAPS, ...options.caps };
  const signal = options.signal;
  throwIfAborted(signal);

  const staging = await fsp.realpath(stagingDir);
  const existing = await fsp.readdir(staging);
  if (existing.length > 0) {
    throw new ArchiveError('io', `The staging folder ${stagingDir} is not empty.`);
  }

  const format = await sniff(file);
  if (format === null) {
    throw new ArchiveError('unknown-format', 'The file is not a .zip, .tar.gz or .tar.bz2 archive.');
  }
  const readChunk = options.readChunkBytes ?? READ_CHUNK;
  if (!Number.isSafeInteger(readChunk) || readChunk < 1) {
    throw new ArchiveError('io', `The read size ${readChunk} is not a positive number of bytes.`);
  }
  const budget = new Budget(caps, key, readChunk, options.onProgress);
  let bzip2Decoder: Bzip2Decoder | undefined;
  try {
    if (format === 'zip') await extractZip(file, staging, budget, signal);
    else bzip2Decoder = await extractTar(file, staging, format, budget, signal, options.bzip2Decoder ?? 'native');
    throwIfAborted(signal);
    await finalizeTree(staging, key);
  } catch (err) {
    throw toArchiveError(budget.failure ?? err, signal);
  }
  const result: ExtractResult = { format, entries: budget.entries, bytes: budget.contentBytes, topFolder: key };
  if (bzip2Decoder) result.bzip2Decoder = bzip2Decoder;
  return result;
}

async function sniff(file: string): Promise<ArchiveFormat | null> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(FORMAT_SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return detectFormat(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ArchiveError('aborted', 'The extraction was cancelled.');
}

// ---------------------------------------------------------------------------------------------
// tar.gz / tar.bz2 / tar

/** Returns the bzip2 decoder used, for a .tar.bz2. */
async function extractTar(
  file: string,
  staging: string,
  format: Exclude<ArchiveFormat, 'zip'>,
  budget: Budget,
  signal: AbortSignal | undefined,
  bzip2Choice: Bzip2Decoder,
): Promise<Bzip2Decoder | undefined> {
  const { caps } = budget;
  // Beyond the content cap, allow for tar headers/padding (≤ 2 blocks per entry) and pax records.
  const streamCap = caps.maxTotalBytes + caps.maxEntries * 1536 + 16 * MB;

  const source = createReadStream(file, { highWaterMark: budget.readChunk });
  const compressedCounter = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      budget.addCompressed(chunk.length);
      cb(null, chunk);
    },
  });

  // The ratio's denominator: archive bytes the decompressor has consumed (gzip, JS bzip2) or been
  // handed (native bzip2), never those merely read ahead, so a bomb is caught within a bounded
  // amount of output past the floor, and no legitimate archive trips it whatever the read size.
  let consumed = (): number => budget.compressed;
  const onDecompressed = (total: number): void => {
    if (total > streamCap) {
      throw budget.fail(
        new ArchiveError('too-large', `The archive unpacks to more than ${fmtBytes(caps.maxTotalBytes)}.`),
      );
    }
    if (format !== 'tar') {
      try {
        budget.checkRatio(total, consumed());
      } catch (err) {
        throw budget.fail(err as ArchiveError);
      }
    }
  };

  let decompressor: Duplex;
  let bzip2Decoder: Bzip2Decoder | undefined;
  let native: NativeBunzip2 | null = null;
  if (format === 'tar.gz') {
    const gunzip = zlib.createGunzip({ chunkSize: INFLATE_CHUNK });
    consumed = () => gunzip.bytesWritten;
    decompressor = gunzip;
  } else if (format === 'tar.bz2') {
    let bzConsumed = 0;
    consumed = () => bzConsumed;
    const bzOptions: Bunzip2Options = {
      onOutput: (n, c) => {
        bzConsumed = c;
        onDecompressed(n);
      },
    };
    const binary = bzip2Choice === 'native' ? nativeBzip2Path() : null;
    // A binary that cannot be started falls back to the JavaScript decoder (nothing was read yet).
    native = binary ? await spawnNativeBunzip2(binary, bzOptions).catch(() => null) : null;
    bzip2Decoder = native ? 'native' : 'js';
    decompressor = native ?? createBunzip2(bzOptions);
  } else decompressor = new PassThrough();

  // Counts decompressed bytes (bomb/total caps) and insists the payload is a ustar tar, so that
  // node-tar never gets to auto-detect and decompress a nested gzip/zstd stream on its own.
  let headerChecked = false;
  let head = Buffer.alloc(0);
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        budget.decompressed += chunk.length;
        if (format !== 'tar.bz2') onDecompressed(budget.decompressed);
        if (!headerChecked) {
          head = Buffer.concat([head, chunk]);
          if (head.length < 512) return cb();
          headerChecked = true;
          if (head.subarray(0, 512).every((b) => b === 0)) {
            throw budget.fail(new ArchiveError('empty', 'The archive is empty.'));
          }
          if (!hasUstarMagic(head)) {
            throw budget.fail(new ArchiveError('corrupt', 'The compressed data does not contain a tar archive.'));
          }
          const all = head;
          head = Buffer.alloc(0);
          return cb(null, all);
        }
        cb(null, chunk);
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb: TransformCallback) {
      if (!headerChecked) {
        return cb(budget.fail(new ArchiveError('corrupt', 'The compressed data does not contain a tar archive.')));
      }
      cb();
    },
  });

  let current: ReadEntry | undefined;
  const unpack = new Unpack({
    cwd: staging,
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    noMtime: true,
    unlink: false,
    maxDepth: caps.maxDepth + 1,
    // Our own ratio check governs; node-tar's only sees its own (never-used) decompression.
    filter: (p: string, entry) => {
      if (budget.failure) return false;
      try {
        checkTarEntry(entry as ReadEntry, budget);
        return true;
      } catch (err) {
        const failure = budget.fail(err as ArchiveError);
        unpack.abort(failure);
        return false;
      }
    },
    onReadEntry: (entry: ReadEntry) => {
      current = entry;
      // node-tar queues the entries it has parsed and hands them over one by one as the previous
      // one ends, even after an abort. One parsed before a failure (its data cut by the abort)
      // would get its file opened and then wait forever for the rest: a leaked descriptor. So after
      // a failure each one is ended at once, its buffered data dropped (node-tar then closes it).
      if (budget.failure) {
        entry.resume();
        entry.end();
      }
    },
  });

  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (budget.failure) return cb(budget.failure);
      const ok = unpack.write(chunk);
      if (budget.failure) return cb(budget.failure);
      if (ok) cb();
      else unpack.once('drain', () => cb());
    },
    final(cb) {
      let done = false;
      const finish = (err?: Error): void => {
        if (done) return;
        done = true;
        cb(err);
      };
      unpack.once('end', () => finish());
      unpack.once('close', () => finish());
      unpack.once('error', (err: Error) => finish(err));
      unpack.end();
    },
    destroy(err, cb) {
      unpack.removeAllListeners('drain');
      cb(err);
    },
  });
  unpack.on('error', (err: Error) => {
    budget.fail(mapTarError(err));
    sink.destroy(budget.failure);
  });

  try {
    await pipeline(source, compressedCounter, decompressor, guard, sink, signal ? { signal } : {});
  } catch (err) {
    budget.fail(toArchiveError(err, signal));
    // Stop node-tar: ignore further input and close the file being written, if any.
    try {
      unpack.abort(budget.failure ?? (err as Error));
    } catch {
      /* abort emits 'error', already handled */
    }
    const entry = current;
    if (entry && !entry.emittedEnd) {
      entry.removeAllListeners('data');
      entry.end();
    }
    await settleUnpack(unpack);
    // The pipeline destroyed the decoder, which SIGKILLed bzip2: wait until it is gone.
    if (native) await settleChild(native);
    throw err;
  }
  return bzip2Decoder;
}

/** Waits (briefly: SIGKILL cannot be caught) for a killed bzip2 to exit. */
async function settleChild(native: NativeBunzip2): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([native.exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
  clearTimeout(timer);
}

/** Waits (briefly) for node-tar to finish closing open files after an abort. */
async function settleUnpack(unpack: Unpack): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 200);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    unpack.once('close', done);
    unpack.once('end', done);
  });
}

function checkTarEntry(entry: ReadEntry, budget: Budget): void {
  const name = entry.path;
  const shown = displayName(name);
  switch (entry.type) {
    case 'SymbolicLink':
    case 'Link':
      throw new ArchiveError(
        'link',
        `The archive entry ${shown} is a ${entry.type === 'Link' ? 'hard link' : 'symbolic link'} (to ${displayName(entry.linkpath ?? '')}); links are not allowed in plugin archives.`,
        { entry: name },
      );
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
    case 'Directory':
      break;
    case 'CharacterDevice':
    case 'BlockDevice':
    case 'FIFO':
    default:
      throw new ArchiveError(
        'special-file',
        `The archive entry ${shown} is a special file (${entry.type}); only files and folders are allowed.`,
        { entry: name },
      );
  }
  budget.noteEntry(name);
  if (entry.type !== 'Directory') {
    const size = entry.size ?? 0;
    budget.checkFileSize(name, size, budget.contentBytes + size);
    budget.contentBytes += size;
  }
  // Normalise what node-tar will apply: no ownership, no special mode bits.
  entry.mode = entry.type === 'Directory' ? DIR_MODE : FILE_MODE;
  entry.uid = undefined;
  entry.gid = undefined;
  entry.uname = undefined;
  entry.gname = undefined;
}

function mapTarError(err: Error): ArchiveError {
  if (err instanceof ArchiveError) return err;
  const e = err as Error & { tarCode?: string; code?: string };
  if (e.tarCode === 'TAR_BAD_ARCHIVE' && /truncated/i.test(e.message)) {
    return new ArchiveError('truncated', `The archive is truncated (${e.message}).`, { cause: err });
  }
  if (/excessively deep/.test(e.message)) {
    return new ArchiveError('too-deep', `The archive is nested too deeply (${e.message}).`, { cause: err });
  }
  if (e.tarCode === 'TAR_ENTRY_ERROR' && /path|link|symlink/i.test(e.message)) {
    return new ArchiveError('path-traversal', `An archive entry was refused by the tar reader (${e.message}).`, {
      cause: err,
    });
  }
  if (e.tarCode === 'TAR_ENTRY_ERROR' && typeof e.code === 'string' && e.code.startsWith('E')) {
    return new ArchiveError('io', `Writing an archive entry failed (${e.message}).`, { cause: err });
  }
  return new ArchiveError('corrupt', `The archive is damaged (${e.message}).`, { cause: err });
}

// ---------------------------------------------------------------------------------------------
// zip

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      // decodeStrings:false: yauzl would otherwise rewrite "\" to "/" and reject names with its own
      // messages; we decode and validate names ourselves, with the same rules as for tar. Entry sizes
      // and CRC-32 are checked by extractZipEntry, which reads the entry data itself.
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err ? reject(err) : resolve(zip)),
    );
  });
}

function decodeZipName(entry: yauzl.Entry): string {
  const raw: Buffer = entry.fileNameRaw; // set by yauzl >= 3 whatever decodeStrings says
  if (entry.generalPurposeBitFlag & 0x800) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new ArchiveError('invalid-name', 'An archive entry name is not valid UTF-8.');
    }
  }
  // Legacy (CP437) names: ASCII is identical; anything else is decoded as Latin-1.
  return raw.toString('latin1');
}

async function extractZip(
  file: string,
  staging: string,
  budget: Budget,
  signal: AbortSignal | undefined,
): Promise<void> {
  const zip = await openZip(file);
  // Entry data is read through a descriptor of our own, in large chunks (yauzl reads 16 KiB at a
  // time); yauzl still parses the directory and checks each local header and its bounds.
  let data: FdRanges | undefined;
  try {
    data = new FdRanges(await openFd(file), budget.readChunk);
    if (zip.entryCount > budget.caps.maxEntries) {
      throw new ArchiveError(
        'too-many-entries',
        `The archive has ${zip.entryCount} entries (limit ${budget.caps.maxEntries}).`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      let finished = false;
      const fail = (err: unknown): void => {
        if (finished) return;
        finished = true;
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      zip.on('error', fail);
      zip.on('end', () => {
        if (finished) return;
        finished = true;
        resolve();
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (finished) return;
        if (signal?.aborted) return fail(new ArchiveError('aborted', 'The extraction was cancelled.'));
        extractZipEntry(zip, data!, entry, staging, budget, signal).then(() => {
          if (!finished) zip.readEntry();
        }, fail);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
    if (data !== undefined) await data.close();
  }
}

function openFd(file: string): Promise<number> {
  return new Promise((resolve, reject) => fs.open(file, 'r', (err, fd) => (err ? reject(err) : resolve(fd))));
}

/**
 * Byte ranges of one file descriptor as streams, for the zip entries. Not `fs.createReadStream({ fd })`:
 * destroying such a stream (any failure in its pipeline) closes the descriptor, whatever `autoClose`
 * says, while other entries (or a reused descriptor number) would still be read through it. Here
 * only {@link close} closes it, once no read is in flight.
 */
class FdRanges {
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly fd: number,
    private readonly chunk: number,
  ) {}

  /** `length` bytes from `start`, in pieces of the read size. */
  stream(start: number, length: number): Readable {
    const chunk = this.chunk;
    let position = start;
    const end = start + length;
    const readAt = (buffer: Buffer, at: number, cb: (err: Error | null, bytesRead: number) => void): void =>
      this.read(buffer, at, cb);
    const stream: Readable = new Readable({
      highWaterMark: chunk,
      read() {
        const want = Math.min(chunk, end - position);
        if (want <= 0) return void stream.push(null);
        const buffer = Buffer.allocUnsafe(want);
        readAt(buffer, position, (err, bytesRead) => {
          if (stream.destroyed) return;
          if (err) return void stream.destroy(err);
          if (bytesRead === 0)
            return void stream.destroy(new ArchiveError('truncated', 'The archive ends inside an entry.'));
          position += bytesRead;
          stream.push(bytesRead === want ? buffer : buffer.subarray(0, bytesRead));
        });
      },
    });
    return stream;
  }

  private read(buffer: Buffer, position: number, cb: (err: Error | null, bytesRead: number) => void): void {
    this.inFlight += 1;
    fs.read(this.fd, buffer, 0, buffer.length, position, (err, bytesRead) => {
      this.inFlight -= 1;
      cb(err, bytesRead);
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  /** Waits for the reads in flight (a failed entry's stream may leave one), then closes. */
  async close(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await new Promise<void>((resolve) => fs.close(this.fd, () => resolve()));
  }
}

async function extractZipEntry(
  zip: yauzl.ZipFile,
  data: FdRanges,
  entry: yauzl.Entry,
  staging: string,
  budget: Budget,
  signal: AbortSignal | undefined,
): Promise<void> {
  const name = decodeZipName(entry);
  const shown = displayName(name);
  const unixType = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (unixType === S_IFLNK) {
    throw new ArchiveError('link', `The archive entry ${shown} is a symbolic link; links are not allowed.`, {
      entry: name,
    });
  }
  if (unixType !== 0 && unixType !== S_IFDIR && unixType !== S_IFREG) {
    throw new ArchiveError(
      'special-file',
      `The archive entry ${shown} is a special file; only files and folders are allowed.`,
      {
        entry: name,
      },
    );
  }
  const parts = budget.noteEntry(name);
  const target = path.resolve(staging, ...parts);
  const rel = path.relative(staging, target);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new ArchiveError('path-traversal', `The archive entry ${shown} points outside the plugin folder.`, {
      entry: name,
    });
  }
  const isDir = name.endsWith('/') || unixType === S_IFDIR;
  if (isDir) {
    await mkdirInside(target, name);
    return;
  }
  if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) {
    throw new ArchiveError(
      'unsupported-entry',
      `The archive entry ${shown} is encrypted or uses an unsupported compression method.`,
      {
        entry: name,
      },
    );
  }
  // Declared sizes first (yauzl enforces that the actual data never exceeds the declaration).
  const declared = entry.uncompressedSize;
  budget.checkFileSize(name, declared, budget.contentBytes + declared);
  const compressedBefore = budget.compressed;
  budget.checkRatio(budget.contentBytes + declared, compressedBefore + entry.compressedSize, name);

  await mkdirInside(path.dirname(target), name);
  // Checks the local header's signature and that the data lies inside the file (as openReadStream).
  const { fileDataStart } = await new Promise<{ fileDataStart: number }>((resolve, reject) => {
    zip.readLocalFileHeader(entry, { minimal: true }, (err, header) => (err ? reject(err) : resolve(header)));
  });
  const stages: (NodeJS.ReadableStream | NodeJS.ReadWriteStream)[] = [data.stream(fileDataStart, entry.compressedSize)];
  if (entry.compressionMethod === 8) stages.push(zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK }));
  let written = 0;
  let crc = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        written += chunk.length;
        crc = zlib.crc32(chunk, crc);
        budget.contentBytes += chunk.length;
        if (written > declared) {
          throw new ArchiveError('corrupt', `The archive entry ${shown} holds more data than it declares.`, {
            entry: name,
          });
        }
        budget.checkFileSize(name, written, budget.contentBytes);
        // Upper bound of the archive bytes read so far: this entry's compressed size counted in full.
        budget.checkRatio(budget.contentBytes, compressedBefore + entry.compressedSize, name);
        cb(null, chunk);
      } catch (err) {
        cb(budget.fail(err as ArchiveError));
      }
    },
    flush(cb: TransformCallback) {
      // yauzl checks sizes but not CRC-32.
      if (written !== declared || crc >>> 0 !== entry.crc32 >>> 0) {
        return cb(
          budget.fail(
            new ArchiveError('corrupt', `The archive entry ${shown} is damaged (size or checksum mismatch).`, {
              entry: name,
            }),
          ),
        );
      }
      cb();
    },
  });
  const output = createWriteStream(target, { flags: 'wx', mode: FILE_MODE });
  try {
    await pipeline([...stages, counter, output], signal ? { signal } : {});
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ArchiveError('duplicate-entry', `The archive contains ${shown} more than once.`, { entry: name });
    }
    throw err;
  }
  budget.addCompressed(entry.compressedSize);
  budget.decompressed = budget.contentBytes;
}

async function mkdirInside(dir: string, name: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true, mode: DIR_MODE });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new ArchiveError(
        'duplicate-entry',
        `The archive entry ${displayName(name)} collides with a file of the same name.`,
        {
          entry: name,
        },
      );
    }
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// after extraction

/**
 * Walks what was written: refuses anything but files and folders (defence in depth — nothing else
 * can have been created), forces modes 0644/0755, then checks the single top folder and setup.php.
 */
async function finalizeTree(staging: string, key: string): Promise<void> {
  const top = await fsp.readdir(staging);
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
    for (const dirent of await fsp.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, dirent.name);
      const rel = path.relative(staging, full);
      if (dirent.isDirectory()) {
        await fsp.chmod(full, DIR_MODE);
        stack.push(full);
      } else if (dirent.isFile()) {
        await fsp.chmod(full, FILE_MODE);
      } else if (dirent.isSymbolicLink()) {
        throw new ArchiveError('link', `The archive created a link at ${displayName(rel)}.`, { entry: rel });
      } else {
        throw new ArchiveError('special-file', `The archive created a special file at ${displayName(rel)}.`, {
          entry: rel,
        });
      }
    }
  }
  const rootStat = await fsp.lstat(path.join(staging, key)).catch(() => null);
  if (!rootStat?.isDirectory()) {
    throw new ArchiveError('wrong-top-folder', `The archive's top-level item is not the plugin folder "${key}".`);
  }
  const setup = await fsp.lstat(path.join(staging, key, 'setup.php')).catch(() => null);
  if (!setup?.isFile()) {
    throw new ArchiveError('no-setup-php', `The plugin folder "${key}" in the archive has no setup.php.`, {
      entry: `${key}/setup.php`,
    });
  }
}

function toArchiveError(err: unknown, signal: AbortSignal | undefined): ArchiveError {
  if (err instanceof ArchiveError) return err;
  if (signal?.aborted || (err as { name?: string }).name === 'AbortError') {
    return new ArchiveError('aborted', 'The extraction was cancelled.', { cause: err });
  }
  if (err instanceof Bunzip2TruncatedError)
    return new ArchiveError('truncated', `The archive is truncated (${err.message}).`, { cause: err });
  if (err instanceof Bunzip2CorruptError)
    return new ArchiveError('corrupt', `The archive is damaged (${err.message}).`, { cause: err });
  const e = err as NodeJS.ErrnoException & { tarCode?: string };
  if (e.tarCode) return mapTarError(e);
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
