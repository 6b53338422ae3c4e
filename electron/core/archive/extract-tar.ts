/**
 * The .tar.gz / .tar.bz2 / .tar path: the archive's bytes (read through the port, or as they are
 * downloaded) are decompressed under the bomb guards, parsed by node-tar's Parser (which writes
 * nothing), and every entry is checked and then written through {@link StagingWriter}.
 */
import { PassThrough, Readable, Transform, Writable, type Duplex, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import type { Bzip2Spawner, DecompressorProcess } from '../ports.js';
import { ArchiveError } from './archive-error.js';
import { hasUstarMagic, type ArchiveFormat } from './archive-format.js';
import { createBunzip2, type Bunzip2Options } from './bunzip2.js';
import { displayName } from './entry-rules.js';
import { fmtBytes, mapTarError, MB, toArchiveError, type Budget } from './extract-budget.js';
import type { EntryData, StagingWriter } from './extract-staging.js';

/** zlib output chunk: the granularity of the decompressed-size and ratio checks. */
const INFLATE_CHUNK = 256 * 1024;

export type Bzip2Decoder = 'native' | 'js';

export interface TarSource {
  /** The archive's bytes in order: read from its file, or as they are downloaded. */
  chunks: AsyncIterable<Buffer>;
  format: Exclude<ArchiveFormat, 'zip'>;
  bzip2Choice: Bzip2Decoder;
  bzip2?: Bzip2Spawner;
}

/** Returns the bzip2 decoder used, for a .tar.bz2. */
export async function extractTar(
  src: TarSource,
  out: StagingWriter,
  budget: Budget,
  signal: AbortSignal | undefined,
): Promise<Bzip2Decoder | undefined> {
  const source = Readable.from(src.chunks, { objectMode: false });
  const compressedCounter = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      budget.addCompressed(chunk.length);
      cb(null, chunk);
    },
  });
  const check = outputCheck(budget, src.format);
  const decompressor = await openDecompressor(src, budget, check);
  // A bzip2 decoder (native or JavaScript) reports its own output to `check` (onOutput).
  const guard = tarGuard(
    budget,
    src.format === 'tar.bz2' ? () => undefined : (total) => check(total, decompressor.consumed()),
  );
  const parser = new Parser({ strict: true });
  const sink = parserSink(parser, out, budget);
  stageEntries(parser, out, budget, sink);

  try {
    await pipeline(source, compressedCounter, decompressor.stream, guard, sink, signal ? { signal } : {});
  } catch (err) {
    out.fail(toArchiveError(err, signal));
    parser.removeAllListeners('drain');
    // Every file task stops (no write after the failure) and closes or aborts its file.
    await out.settle();
    // The pipeline destroyed the decoder, which SIGKILLed bzip2: wait until it is gone.
    if (decompressor.native) await settleChild(decompressor.native);
    throw err;
  }
  return decompressor.decoder;
}

/**
 * Checks the decompressed total so far against the stream cap and, for a compressed archive, the
 * ratio to the archive bytes consumed; records and throws the failure.
 */
function outputCheck(budget: Budget, format: TarSource['format']): (total: number, consumed: number) => void {
  const { caps } = budget;
  // Beyond the content cap, allow for tar headers/padding (≤ 2 blocks per entry) and pax records.
  const streamCap = caps.maxTotalBytes + caps.maxEntries * 1536 + 16 * MB;
  return (total, consumed) => {
    if (total > streamCap) {
      throw budget.fail(
        new ArchiveError('too-large', `The archive unpacks to more than ${fmtBytes(caps.maxTotalBytes)}.`),
      );
    }
    if (format !== 'tar') {
      try {
        budget.checkRatio(total, consumed);
      } catch (err) {
        throw budget.fail(err as ArchiveError);
      }
    }
  };
}

interface Decompressor {
  stream: Duplex;
  /**
   * The ratio's denominator: archive bytes the decompressor has consumed (gzip, JS bzip2) or been
   * handed (native bzip2), never those merely read ahead, so a bomb is caught within a bounded
   * amount of output past the floor, and no legitimate archive trips it whatever the read size.
   */
  consumed: () => number;
  decoder: Bzip2Decoder | undefined;
  /** The system bzip2, when it runs. */
  native: DecompressorProcess | null;
}

/** gunzip, bzip2 (the system's or the JavaScript one) or nothing, as the format says. */
async function openDecompressor(
  src: TarSource,
  budget: Budget,
  check: (total: number, consumed: number) => void,
): Promise<Decompressor> {
  if (src.format === 'tar.gz') {
    const gunzip = zlib.createGunzip({ chunkSize: INFLATE_CHUNK });
    return { stream: gunzip, consumed: () => gunzip.bytesWritten, decoder: undefined, native: null };
  }
  if (src.format === 'tar.bz2') {
    let bzConsumed = 0;
    const bzOptions: Bunzip2Options = {
      onOutput: (n, c) => {
        bzConsumed = c;
        check(n, bzConsumed);
      },
    };
    // Without a system decoder (or one that cannot be started) the JavaScript one runs (nothing was read yet).
    const native = src.bzip2Choice === 'native' && src.bzip2 ? await src.bzip2(bzOptions).catch(() => null) : null;
    return {
      stream: native ?? createBunzip2(bzOptions),
      consumed: () => bzConsumed,
      decoder: native ? 'native' : 'js',
      native,
    };
  }
  return { stream: new PassThrough(), consumed: () => budget.compressed, decoder: undefined, native: null };
}

/**
 * Counts decompressed bytes (bomb/total caps, through `onTotal`) and insists the payload is a ustar
 * tar, so that node-tar never gets to auto-detect and decompress a nested gzip/zstd stream on its own.
 */
function tarGuard(budget: Budget, onTotal: (total: number) => void): Transform {
  let headerChecked = false;
  let head = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        budget.decompressed += chunk.length;
        onTotal(budget.decompressed);
        if (!headerChecked) {
          head = Buffer.concat([head, chunk]);
          if (head.length < 512) return cb();
          headerChecked = true;
          checkTarHeader(head, budget);
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
}

/** Refuses (and records) a first block of zeros or one that is not a ustar header. */
function checkTarHeader(head: Buffer, budget: Budget): void {
  if (head.subarray(0, 512).every((b) => b === 0)) {
    throw budget.fail(new ArchiveError('empty', 'The archive is empty.'));
  }
  if (!hasUstarMagic(head)) {
    throw budget.fail(new ArchiveError('corrupt', 'The compressed data does not contain a tar archive.'));
  }
}

/** Checks every entry node-tar parses and stages it; a refused entry or a parse error stops `sink`. */
function stageEntries(parser: Parser, out: StagingWriter, budget: Budget, sink: Writable): void {
  parser.on('entry', (entry: ReadEntry) => {
    // After a failure, entries still queued in node-tar are dropped unread.
    if (budget.failure) return void entry.resume();
    try {
      const parts = checkTarEntry(entry, budget);
      const target = out.target(parts, entry.path);
      if (entry.type === 'Directory') {
        entry.resume();
        out.run(() => out.mkdir(target, entry.path));
      } else out.writeFile(target, entry.path, entry as EntryData, entry.size);
    } catch (err) {
      entry.resume();
      sink.destroy(out.fail(err));
    }
  });
  parser.on('error', (err: Error) => sink.destroy(out.fail(mapTarError(err))));
}

/**
 * The pipeline's end: feeds the parser, waiting for it to drain and for the staged files to leave
 * room; finishes once the parser has ended and every file is settled.
 */
function parserSink(parser: Parser, out: StagingWriter, budget: Budget): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (budget.failure) return cb(budget.failure);
      const drained = parser.write(chunk);
      const next = (): void => void out.ready().then(() => cb(budget.failure));
      if (drained || budget.failure) return next();
      parser.once('drain', next);
    },
    final(cb) {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        void out.settle().then(() => cb(budget.failure));
      };
      parser.once('end', finish);
      parser.once('close', finish);
      parser.end();
    },
  });
}

/** Waits (briefly: SIGKILL cannot be caught) for a killed bzip2 to exit. */
async function settleChild(native: DecompressorProcess): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([native.exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
  clearTimeout(timer);
}

/** Refuses links and special files, counts the entry and its declared size; returns its segments. */
function checkTarEntry(entry: ReadEntry, budget: Budget): string[] {
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
  const parts = budget.noteEntry(name);
  if (entry.type !== 'Directory') {
    const size = entry.size ?? 0;
    budget.checkFileSize(name, size, budget.contentBytes + size);
    budget.contentBytes += size;
  }
  return parts;
}
