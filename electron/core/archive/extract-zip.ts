/**
 * The .zip path: yauzl parses the central directory and each local header through the port's
 * range reads; the entry data is inflated and checked here, then written through
 * {@link StagingWriter}.
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

/** zlib output chunk: the granularity of the decompressed-size and ratio checks. */
const INFLATE_CHUNK = 256 * 1024;

/** Where the archive is (always this machine's disk). */
export type ArchiveReader = Pick<FileSystem, 'readRange' | 'stat'>;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** Blocks kept by {@link PortReader}: yauzl reads the central directory (at the end) and the entries in turn. */
const KEPT_BLOCKS = 4;

/**
 * The archive's bytes for yauzl, through the port, `chunk` bytes at a time. The last blocks read
 * are kept: the central directory's next records, a small entry's local header and data, and the
 * next entries come from reads already made. Nothing stays open between reads, so a failed entry
 * leaves no descriptor behind.
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

  /** yauzl's small reads (directory records, local headers), without a stream each. */
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
    if (read.length === 0) throw new ArchiveError('truncated', 'The archive ends inside an entry.');
    const block = { start: at, data: Buffer.from(read.buffer, read.byteOffset, read.byteLength) };
    this.blocks = [block, ...this.blocks.slice(0, KEPT_BLOCKS - 1)];
    return block;
  }
}

function openZip(reader: PortReader, size: number): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(
      reader,
      size,
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

export async function extractZip(
  archiveFs: ArchiveReader,
  file: string,
  out: StagingWriter,
  budget: Budget,
  signal: AbortSignal | undefined,
): Promise<void> {
  const reader = new PortReader(archiveFs, file, budget.readChunk);
  const zip = await openZip(reader, (await archiveFs.stat(file)).size);
  try {
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
        extractZipEntry(zip, reader, entry, out, budget, signal)
          // Few enough files in flight; a file that failed to be written stops the archive.
          .then(() => out.ready())
          .then(() => {
            if (budget.failure) return fail(budget.failure);
            if (!finished) zip.readEntry();
          }, fail);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function extractZipEntry(
  zip: yauzl.ZipFile,
  reader: PortReader,
  entry: yauzl.Entry,
  out: StagingWriter,
  budget: Budget,
  signal: AbortSignal | undefined,
): Promise<void> {
  const name = decodeZipName(entry);
  const unixType = checkZipEntryType(entry, name);
  const parts = budget.noteEntry(name);
  const target = out.target(parts, name);
  const isDir = name.endsWith('/') || unixType === S_IFDIR;
  if (isDir) {
    await out.mkdir(target, name);
    return;
  }
  const compressedBefore = checkZipFile(entry, name, budget);
  const fileDataStart = await readLocalFileHeader(zip, entry);
  const stages: (NodeJS.ReadableStream | NodeJS.ReadWriteStream)[] = [
    reader.createReadStream({ start: fileDataStart, end: fileDataStart + entry.compressedSize }),
  ];
  if (entry.compressionMethod === 8) stages.push(zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK }));
  const counter = zipDataCheck(entry, name, budget, compressedBefore);
  // The file is opened and written in the background as the checked data comes out of `counter`.
  out.writeFile(target, name, counter);
  await pipeline([...stages, counter], signal ? { signal } : {});
  budget.addCompressed(entry.compressedSize);
  budget.decompressed = budget.contentBytes;
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
      {
        entry: name,
      },
    );
  }
  return unixType;
}

/**
 * Refuses an encrypted file or an unsupported compression method, and checks the declared sizes
 * (yauzl enforces that the actual data never exceeds the declaration). Returns the archive bytes
 * counted before this entry.
 */
function checkZipFile(entry: yauzl.Entry, name: string, budget: Budget): number {
  if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) {
    throw new ArchiveError(
      'unsupported-entry',
      `The archive entry ${displayName(name)} is encrypted or uses an unsupported compression method.`,
      {
        entry: name,
      },
    );
  }
  const declared = entry.uncompressedSize;
  budget.checkFileSize(name, declared, budget.contentBytes + declared);
  const compressedBefore = budget.compressed;
  budget.checkRatio(budget.contentBytes + declared, compressedBefore + entry.compressedSize, name);
  return compressedBefore;
}

/** Checks the local header's signature and that the data lies inside the file (as openReadStream). */
async function readLocalFileHeader(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<number> {
  const { fileDataStart } = await new Promise<{ fileDataStart: number }>((resolve, reject) => {
    zip.readLocalFileHeader(entry, { minimal: true }, (err, header) => (err ? reject(err) : resolve(header)));
  });
  return fileDataStart;
}

/**
 * Passes the entry's data through while counting it against the declared size, the file and total
 * caps and the ratio; at the end, checks the size and the CRC-32.
 */
function zipDataCheck(entry: yauzl.Entry, name: string, budget: Budget, compressedBefore: number): Transform {
  const shown = displayName(name);
  const declared = entry.uncompressedSize;
  let written = 0;
  let crc = 0;
  return new Transform({
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
}
