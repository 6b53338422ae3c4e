/**
 * The .zip path, in two passes over the file on disk, never holding it in memory:
 * 1. yauzl reads the central directory (at the end of the file) through the port's range reads;
 *    every entry is checked from it (name, type, method, declared sizes, caps, ratio) before
 *    anything is written.
 * 2. The file is read once more from start to end, in large sequential reads, and each file's data
 *    is inflated and checked as it passes, in the order the entries lie in the file (their local
 *    headers give only where the data starts: the sizes and names come from the directory), then
 *    written through {@link StagingWriter}. Small entries are inflated in one synchronous call
 *    (no round trip through the thread pool per file: a release holds thousands of small files),
 *    larger ones through a stream.
 * An entry whose data overlaps the previous one (a "zip bomb" trick that reuses the same bytes for
 * many files) or lies past the end of the file is refused.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import * as yauzl from 'yauzl';
import type { FileSystem } from '../ports.js';
import { ArchiveError } from './archive-error.js';
import { displayName } from './entry-rules.js';
import type { Budget } from './extract-budget.js';
import type { StagingWriter } from './extract-staging.js';
import { ByteReader, readChunks } from './read-chunks.js';

/** zlib output chunk: the granularity of the decompressed-size and ratio checks. */
const INFLATE_CHUNK = 256 * 1024;
/** Entries up to this size (declared and compressed) are inflated in one synchronous call. */
const WHOLE_ENTRY_BYTES = 1024 * 1024;

/** Where the archive is (always this machine's disk). */
export type ArchiveReader = Pick<FileSystem, 'readRange' | 'stat'>;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const LOCAL_HEADER = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;

/** Blocks kept by {@link PortReader}: the central directory is read record after record. */
const KEPT_BLOCKS = 4;

/**
 * The archive's bytes for yauzl (the central directory only), through the port, `chunk` bytes at a
 * time. The last blocks read are kept: the directory's next records come from reads already made.
 * Nothing stays open between reads.
 */
class PortReader extends yauzl.RandomAccessReader {
  private blocks: { start: number; data: Buffer }[] = [];

  constructor(
    private readonly fs: ArchiveReader,
    private readonly file: string,
    private readonly chunk: number,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(this.range(start, end), { objectMode: false });
  }

  /** yauzl's small reads (directory records), without a stream each. */
  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    void (async () => {
      let at = offset;
      for await (const piece of this.range(position, position + length)) at += piece.copy(buffer, at);
    })().then(
      () => callback(null),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private async *range(start: number, end: number): AsyncGenerator<Buffer> {
    for (let at = start; at < end;) {
      const block = this.blocks.find((b) => at >= b.start && at < b.start + b.data.length) ?? (await this.fetch(at));
      const piece = block.data.subarray(at - block.start, Math.min(block.data.length, end - block.start));
      at += piece.length;
      yield piece;
    }
  }

  private async fetch(at: number): Promise<{ start: number; data: Buffer }> {
    const read = await this.fs.readRange(this.file, at, this.chunk);
    if (read.length === 0) throw new ArchiveError('corrupt', 'The archive ends inside its central directory.');
    const block = { start: at, data: Buffer.from(read.buffer, read.byteOffset, read.byteLength) };
    this.blocks = [block, ...this.blocks.slice(0, KEPT_BLOCKS - 1)];
    return block;
  }
}

/** A checked file entry of the central directory, waiting for its data. */
interface FileEntry {
  name: string;
  target: string;
  /** Where its local header starts. */
  offset: number;
  compressedSize: number;
  declared: number;
  crc32: number;
  deflated: boolean;
  /** Archive bytes counted before this entry (the ratio's denominator so far). */
  compressedBefore: number;
}

function openZip(reader: PortReader, size: number): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(
      reader,
      size,
      // decodeStrings:false: yauzl would otherwise rewrite "\" to "/" and reject names with its own
      // messages; we decode and validate names ourselves, with the same rules as for tar. Entry sizes
      // and CRC-32 are checked here, as the data is read.
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false, strictFileNames: false },
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

export async function extractZip(
  archiveFs: ArchiveReader,
  file: string,
  out: StagingWriter,
  budget: Budget,
  signal: AbortSignal | undefined,
): Promise<void> {
  const size = (await archiveFs.stat(file)).size;
  const files = await readDirectory(new PortReader(archiveFs, file, budget.readChunk), size, out, budget);
  files.sort((a, b) => a.offset - b.offset);
  const reader = new ByteReader(readChunks(archiveFs, file, budget.readChunk));
  try {
    for (const entry of files) {
      if (signal?.aborted) throw new ArchiveError('aborted', 'The extraction was cancelled.');
      await seekData(reader, entry, size);
      await extractData(reader, entry, out, budget, signal);
      // Few enough files in flight; a file that failed to be written stops the archive.
      await out.ready();
      if (budget.failure) throw budget.failure;
    }
  } finally {
    await reader.close();
  }
}

/**
 * Reads and checks every entry of the central directory, in its order (as an unpacker would meet
 * them), creates the folders, and returns the files.
 */
async function readDirectory(
  reader: PortReader,
  size: number,
  out: StagingWriter,
  budget: Budget,
): Promise<FileEntry[]> {
  const zip = await openZip(reader, size);
  const files: FileEntry[] = [];
  try {
    if (zip.entryCount > budget.caps.maxEntries) {
      throw new ArchiveError(
        'too-many-entries',
        `The archive has ${zip.entryCount} entries (limit ${budget.caps.maxEntries}).`,
      );
    }
    // The ratio so far, over the declared sizes: a bomb is refused before a byte is inflated.
    const totals = { declared: 0, compressed: 0 };
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          const checked = checkEntry(entry, out, budget, totals);
          if (checked) files.push(checked);
          zip.readEntry();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return files;
}

/** One directory record: a folder is created, a file is checked and returned. */
function checkEntry(
  entry: yauzl.Entry,
  out: StagingWriter,
  budget: Budget,
  totals: { declared: number; compressed: number },
): FileEntry | null {
  const name = decodeZipName(entry);
  const unixType = checkZipEntryType(entry, name);
  const target = out.target(budget.noteEntry(name), name);
  if (name.endsWith('/') || unixType === S_IFDIR) {
    out.run(() => out.mkdir(target, name));
    return null;
  }
  checkZipMethod(entry, name);
  const declared = entry.uncompressedSize;
  const compressedBefore = totals.compressed;
  totals.declared += declared;
  totals.compressed += entry.compressedSize;
  budget.checkFileSize(name, declared, totals.declared);
  budget.checkRatio(totals.declared, totals.compressed, name);
  return {
    name,
    target,
    offset: entry.relativeOffsetOfLocalHeader,
    compressedSize: entry.compressedSize,
    declared,
    crc32: entry.crc32,
    deflated: entry.compressionMethod === 8,
    compressedBefore,
  };
}

/** Refuses links and special files; returns the entry's Unix file type (0 when it has none). */
function checkZipEntryType(entry: yauzl.Entry, name: string): number {
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
      { entry: name },
    );
  }
  return unixType;
}

/** Refuses an encrypted file or an unsupported compression method. */
function checkZipMethod(entry: yauzl.Entry, name: string): void {
  if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) {
    throw new ArchiveError(
      'unsupported-entry',
      `The archive entry ${displayName(name)} is encrypted or uses an unsupported compression method.`,
      { entry: name },
    );
  }
}

/**
 * Moves the reader to the entry's data: past the bytes between the previous entry and this one
 * (a data descriptor), then past its local header. Refuses data that overlaps what was read or
 * lies past the end of the file.
 */
async function seekData(reader: ByteReader, entry: FileEntry, size: number): Promise<void> {
  const shown = displayName(entry.name);
  if (entry.offset < reader.position)
    throw new ArchiveError('corrupt', `The archive entry ${shown} overlaps the previous one.`, { entry: entry.name });
  const beyond = (): ArchiveError =>
    new ArchiveError('corrupt', `The archive entry ${shown} lies past the end of the file.`, { entry: entry.name });
  if (entry.offset + LOCAL_HEADER_BYTES > size) throw beyond();
  await reader.skip(entry.offset - reader.position);
  const header = await reader.read(LOCAL_HEADER_BYTES);
  if (header.readUInt32LE(0) !== LOCAL_HEADER)
    throw new ArchiveError('corrupt', `The archive entry ${shown} has no local header where the directory says.`, {
      entry: entry.name,
    });
  const skip = header.readUInt16LE(26) + header.readUInt16LE(28);
  if (reader.position + skip + entry.compressedSize > size) throw beyond();
  await reader.skip(skip);
}

/** The entry's data, inflated, checked and handed to the staging writer. */
async function extractData(
  reader: ByteReader,
  entry: FileEntry,
  out: StagingWriter,
  budget: Budget,
  signal: AbortSignal | undefined,
): Promise<void> {
  const check = zipDataCheck(entry, budget);
  if (entry.declared <= WHOLE_ENTRY_BYTES && entry.compressedSize <= WHOLE_ENTRY_BYTES) {
    const raw = await reader.read(entry.compressedSize);
    // A stored entry is copied out of the read block, which it would otherwise keep in memory.
    const data = entry.deflated ? inflateWhole(raw, entry) : Buffer.from(raw);
    check.whole(data);
    out.writeFile(entry.target, entry.name, data);
  } else {
    const stages: (NodeJS.ReadableStream | NodeJS.ReadWriteStream)[] = [
      Readable.from(reader.slices(entry.compressedSize), { objectMode: false }),
    ];
    if (entry.deflated) stages.push(zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK }));
    // The file is opened and written in the background as the checked data comes out.
    out.writeFile(entry.target, entry.name, check.stream);
    await pipeline([...stages, check.stream], signal ? { signal } : {});
  }
  budget.addCompressed(entry.compressedSize);
  budget.decompressed = budget.contentBytes;
}

/** One small entry inflated at once, never to more than its declared size. */
function inflateWhole(compressed: Buffer, entry: FileEntry): Buffer {
  try {
    return zlib.inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.declared) });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw err;
    throw moreThanDeclared(entry.name);
  }
}

function moreThanDeclared(name: string): ArchiveError {
  return new ArchiveError('corrupt', `The archive entry ${displayName(name)} holds more data than it declares.`, {
    entry: name,
  });
}

/**
 * Counts the entry's data against the declared size, the file and total caps and the ratio; at the
 * end, checks the size and the CRC-32. `whole` checks a whole entry at once, `stream` passes a
 * streamed one through.
 */
function zipDataCheck(entry: FileEntry, budget: Budget): { whole: (data: Buffer) => void; stream: Transform } {
  const { name, declared } = entry;
  const shown = displayName(name);
  let written = 0;
  let crc = 0;
  const add = (chunk: Buffer): void => {
    written += chunk.length;
    crc = zlib.crc32(chunk, crc);
    budget.contentBytes += chunk.length;
    if (written > declared) throw moreThanDeclared(name);
    budget.checkFileSize(name, written, budget.contentBytes);
    // Upper bound of the archive bytes read so far: this entry's compressed size counted in full.
    budget.checkRatio(budget.contentBytes, entry.compressedBefore + entry.compressedSize, name);
  };
  const end = (): void => {
    // yauzl does not check the CRC-32; neither do the local headers.
    if (written !== declared || crc >>> 0 !== entry.crc32 >>> 0) {
      throw new ArchiveError('corrupt', `The archive entry ${shown} is damaged (size or checksum mismatch).`, {
        entry: name,
      });
    }
  };
  const failed = (err: unknown): ArchiveError => budget.fail(err as ArchiveError);
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        add(chunk);
        cb(null, chunk);
      } catch (err) {
        cb(failed(err));
      }
    },
    flush(cb: TransformCallback) {
      try {
        end();
        cb();
      } catch (err) {
        cb(failed(err));
      }
    },
  });
  const whole = (data: Buffer): void => {
    try {
      add(data);
      end();
    } catch (err) {
      throw failed(err);
    }
  };
  return { whole, stream };
}
