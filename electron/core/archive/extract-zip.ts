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
import { displayName, validateEntryName } from './entry-rules.js';
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
    // Most records lie in a block already read: copied at once, no generator.
    const block = this.kept(position);
    if (block && position + length <= block.start + block.data.length) {
      block.data.copy(buffer, offset, position - block.start, position - block.start + length);
      queueMicrotask(() => callback(null));
      return;
    }
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
      const block = this.kept(at) ?? (await this.fetch(at));
      const piece = block.data.subarray(at - block.start, Math.min(block.data.length, end - block.start));
      at += piece.length;
      yield piece;
    }
  }

  /** The kept block holding the byte at `at`, if any. */
  private kept(at: number): { start: number; data: Buffer } | undefined {
    return this.blocks.find((b) => at >= b.start && at < b.start + b.data.length);
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
}

/**
 * The checked file entries, kept until their data is read: numbers in typed arrays and names as
 * their raw bytes in one buffer, not an object and two strings each. A release can hold 15,000
 * files, and that many small objects, all surviving the directory read, made V8 grow its young
 * generation to the maximum (about 20 MB more RSS); the name and target path are rebuilt when the
 * entry is written.
 */
class FileTable {
  private count = 0;
  private readonly numbers: Float64Array;
  private readonly crc32: Uint32Array;
  private readonly nameEnd: Uint32Array;
  private readonly flags: Uint8Array;
  private names: Buffer = Buffer.alloc(64 * 1024);
  private namesUsed = 0;

  /** `capacity`: the directory's entry count (yauzl reads no more). */
  constructor(capacity: number) {
    this.numbers = new Float64Array(capacity * 3);
    this.crc32 = new Uint32Array(capacity);
    this.nameEnd = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  add(entry: yauzl.Entry): void {
    const raw: Buffer = entry.fileNameRaw;
    if (this.namesUsed + raw.length > this.names.length) {
      const grown = Buffer.alloc(Math.max(this.names.length * 2, this.namesUsed + raw.length));
      this.names.copy(grown, 0, 0, this.namesUsed);
      this.names = grown;
    }
    this.namesUsed += raw.copy(this.names, this.namesUsed);
    const i = this.count++;
    this.numbers[i * 3] = entry.relativeOffsetOfLocalHeader;
    this.numbers[i * 3 + 1] = entry.compressedSize;
    this.numbers[i * 3 + 2] = entry.uncompressedSize;
    this.crc32[i] = entry.crc32;
    this.nameEnd[i] = this.namesUsed;
    this.flags[i] = (entry.compressionMethod === 8 ? 1 : 0) | (entry.generalPurposeBitFlag & 0x800 ? 2 : 0);
  }

  /** The entries' indexes in the order their data lies in the file. */
  byOffset(): Uint32Array {
    const order = Uint32Array.from({ length: this.count }, (_, i) => i);
    return order.sort((a, b) => this.numbers[a * 3]! - this.numbers[b * 3]!);
  }

  entry(i: number, out: StagingWriter): FileEntry {
    const raw = this.names.subarray(i === 0 ? 0 : this.nameEnd[i - 1], this.nameEnd[i]);
    // Both forms were decoded and checked when the directory was read.
    const name = this.flags[i]! & 2 ? raw.toString('utf8') : raw.toString('latin1');
    return {
      name,
      target: out.target(validateEntryName(name), name),
      offset: this.numbers[i * 3]!,
      compressedSize: this.numbers[i * 3 + 1]!,
      declared: this.numbers[i * 3 + 2]!,
      crc32: this.crc32[i]!,
      deflated: (this.flags[i]! & 1) === 1,
    };
  }
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

/** Strict UTF-8 (a bad byte throws); one for every name, as it keeps no state between calls. */
const utf8Names = new TextDecoder('utf-8', { fatal: true });

function decodeZipName(entry: yauzl.Entry): string {
  const raw: Buffer = entry.fileNameRaw; // set by yauzl >= 3 whatever decodeStrings says
  if (entry.generalPurposeBitFlag & 0x800) {
    try {
      return utf8Names.decode(raw);
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
  const buffer = Buffer.allocUnsafe(budget.readChunk);
  const reader = new ByteReader(readChunks(archiveFs, file, budget.readChunk, () => buffer));
  try {
    for (const i of files.byOffset()) {
      if (signal?.aborted) throw new ArchiveError('aborted', 'The extraction was cancelled.');
      const entry = files.entry(i, out);
      // Most entries lie in the chunk at hand: nothing to await (a promise per step per entry was
      // a third of what a zip of 15,000 small files allocated).
      const seeking = seekData(reader, entry, size);
      if (seeking) await seeking;
      if (isWhole(entry)) {
        const raw = reader.readNow(entry.compressedSize) ?? (await reader.read(entry.compressedSize));
        extractWhole(raw, entry, out, budget);
      } else await extractStreamed(reader, entry, out, budget, signal);
      // Few enough files in flight; a file that failed to be written stops the archive.
      if (out.busy()) await out.ready();
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
async function readDirectory(reader: PortReader, size: number, out: StagingWriter, budget: Budget): Promise<FileTable> {
  const zip = await openZip(reader, size);
  try {
    if (zip.entryCount > budget.caps.maxEntries) {
      throw new ArchiveError(
        'too-many-entries',
        `The archive has ${zip.entryCount} entries (limit ${budget.caps.maxEntries}).`,
      );
    }
    const table = new FileTable(zip.entryCount);
    // The ratio so far, over the declared sizes: a bomb is refused before a byte is inflated.
    const totals = { declared: 0, compressed: 0 };
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          checkEntry(entry, table, out, budget, totals);
          zip.readEntry();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      zip.readEntry();
    });
    return table;
  } finally {
    zip.close();
  }
}

/** One directory record: a folder is created, a file is checked and added to the table. */
function checkEntry(
  entry: yauzl.Entry,
  table: FileTable,
  out: StagingWriter,
  budget: Budget,
  totals: { declared: number; compressed: number },
): void {
  const name = decodeZipName(entry);
  const unixType = checkZipEntryType(entry, name);
  const target = out.target(budget.noteEntry(name), name);
  if (name.endsWith('/') || unixType === S_IFDIR) {
    out.run(() => out.mkdir(target, name));
    return;
  }
  checkZipMethod(entry, name);
  const declared = entry.uncompressedSize;
  totals.declared += declared;
  totals.compressed += entry.compressedSize;
  budget.checkFileSize(name, declared, totals.declared);
  budget.checkRatio(totals.declared, totals.compressed, name);
  table.add(entry);
}

/** Refuses links and special files; returns the entry's Unix file type (0 when it has none). */
function checkZipEntryType(entry: yauzl.Entry, name: string): number {
  const shown = (): string => displayName(name);
  const unixType = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (unixType === S_IFLNK) {
    throw new ArchiveError('link', `The archive entry ${shown()} is a symbolic link; links are not allowed.`, {
      entry: name,
    });
  }
  if (unixType !== 0 && unixType !== S_IFDIR && unixType !== S_IFREG) {
    throw new ArchiveError(
      'special-file',
      `The archive entry ${shown()} is a special file; only files and folders are allowed.`,
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
 * lies past the end of the file. Returns a promise only when it has to wait for the next chunk.
 */
function seekData(reader: ByteReader, entry: FileEntry, size: number): Promise<void> | undefined {
  if (entry.offset < reader.position) {
    throw new ArchiveError('corrupt', `The archive entry ${displayName(entry.name)} overlaps the previous one.`, {
      entry: entry.name,
    });
  }
  if (entry.offset + LOCAL_HEADER_BYTES > size) throw pastTheEnd(entry);
  const gap = entry.offset - reader.position;
  const skipping = reader.skip(gap);
  const header = skipping ? undefined : reader.readNow(LOCAL_HEADER_BYTES);
  if (header) return reader.skip(headerLength(header, entry, reader.position, size));
  return (async () => {
    await skipping;
    const read = await reader.read(LOCAL_HEADER_BYTES);
    await reader.skip(headerLength(read, entry, reader.position, size));
  })();
}

/** What follows the local header's fixed part (its name and extra field), checked. */
function headerLength(header: Buffer, entry: FileEntry, position: number, size: number): number {
  if (header.readUInt32LE(0) !== LOCAL_HEADER) {
    throw new ArchiveError(
      'corrupt',
      `The archive entry ${displayName(entry.name)} has no local header where the directory says.`,
      { entry: entry.name },
    );
  }
  const skip = header.readUInt16LE(26) + header.readUInt16LE(28);
  if (position + skip + entry.compressedSize > size) throw pastTheEnd(entry);
  return skip;
}

function pastTheEnd(entry: FileEntry): ArchiveError {
  return new ArchiveError('corrupt', `The archive entry ${displayName(entry.name)} lies past the end of the file.`, {
    entry: entry.name,
  });
}

/** Entries up to 1 MiB (declared and compressed) are read, inflated and checked in one go. */
function isWhole(entry: FileEntry): boolean {
  return entry.declared <= WHOLE_ENTRY_BYTES && entry.compressedSize <= WHOLE_ENTRY_BYTES;
}

/**
 * A whole entry's data (`raw`, as read: valid until the reader's next call), inflated, checked and
 * handed to the staging writer; a stored entry is copied there.
 */
function extractWhole(raw: Buffer, entry: FileEntry, out: StagingWriter, budget: Budget): void {
  const data = entry.deflated ? inflateWhole(raw, entry) : raw;
  checkWhole(entry, budget, data);
  if (entry.deflated) out.writeFile(entry.target, entry.name, data);
  else out.writeCopy(entry.target, entry.name, data);
  counted(entry, budget);
}

/** A larger entry's data, inflated and checked as it streams to the staging writer. */
async function extractStreamed(
  reader: ByteReader,
  entry: FileEntry,
  out: StagingWriter,
  budget: Budget,
  signal: AbortSignal | undefined,
): Promise<void> {
  const stages: (NodeJS.ReadableStream | NodeJS.ReadWriteStream)[] = [
    Readable.from(copies(reader.slices(entry.compressedSize)), { objectMode: false }),
  ];
  if (entry.deflated) stages.push(zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK }));
  const checked = checkedStream(entry, budget);
  // The file is opened and written in the background as the checked data comes out.
  out.writeFile(entry.target, entry.name, checked);
  await pipeline([...stages, checked], signal ? { signal } : {});
  counted(entry, budget);
}

function counted(entry: FileEntry, budget: Budget): void {
  budget.addCompressed(entry.compressedSize);
  budget.decompressed = budget.contentBytes;
}

/** Each piece copied: the reader's buffer is overwritten while the stages downstream still hold it. */
async function* copies(pieces: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  for await (const piece of pieces) yield Buffer.from(piece);
}

/**
 * One small entry inflated at once, never to more than its declared size, into one buffer of that
 * size: with zlib's default 16 KiB chunks a 2 KB file kept a 16 KiB buffer alive until the next
 * garbage collection, and a 40 KB one allocated 80 KB (the chunks, then their concatenation).
 */
function inflateWhole(compressed: Buffer, entry: FileEntry): Buffer {
  const declared = Math.max(1, entry.declared);
  try {
    // One byte more than declared: zlib sees the end of the stream without asking for a second chunk.
    return zlib.inflateRawSync(compressed, { maxOutputLength: declared, chunkSize: Math.max(64, declared + 1) });
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
 * Counts `length` more bytes of the entry (`written` in all so far) against its declared size, the
 * file and total caps and the ratio.
 */
function countData(entry: FileEntry, budget: Budget, written: number, length: number): void {
  budget.contentBytes += length;
  if (written > entry.declared) throw moreThanDeclared(entry.name);
  budget.checkFileSize(entry.name, written, budget.contentBytes);
  // Upper bound of the archive bytes read so far (in the file's order, which the directory's need
  // not follow): this entry's compressed size counted in full.
  budget.checkRatio(budget.contentBytes, budget.compressed + entry.compressedSize, entry.name);
}

/** At the end of the entry: its size and CRC-32 (yauzl does not check it; neither do the local headers). */
function checkEnd(entry: FileEntry, written: number, crc: number): void {
  if (written !== entry.declared || crc >>> 0 !== entry.crc32 >>> 0) {
    throw new ArchiveError(
      'corrupt',
      `The archive entry ${displayName(entry.name)} is damaged (size or checksum mismatch).`,
      { entry: entry.name },
    );
  }
}

/** A whole entry checked at once (no closure per entry: most of a release's are whole). */
function checkWhole(entry: FileEntry, budget: Budget, data: Buffer): void {
  try {
    countData(entry, budget, data.length, data.length);
    checkEnd(entry, data.length, zlib.crc32(data));
  } catch (err) {
    throw budget.fail(err as ArchiveError);
  }
}

/** What a streamed entry's data passes through, checked as it goes. */
function checkedStream(entry: FileEntry, budget: Budget): Transform {
  let written = 0;
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        written += chunk.length;
        crc = zlib.crc32(chunk, crc);
        countData(entry, budget, written, chunk.length);
        cb(null, chunk);
      } catch (err) {
        cb(budget.fail(err as ArchiveError));
      }
    },
    flush(cb: TransformCallback) {
      try {
        checkEnd(entry, written, crc);
        cb();
      } catch (err) {
        cb(budget.fail(err as ArchiveError));
      }
    },
  });
}
