/**
 * The .tar.gz / .tar.bz2 / .tar path: the archive's bytes (read through the port, or as they are
 * downloaded) are decompressed under the bomb guards, read by {@link TarReader} (which writes
 * nothing), and every entry is checked and then written through {@link StagingWriter}.
 */
import { PassThrough, Writable, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import type { Bzip2Spawner, DecompressorProcess } from '../ports.js';
import { ArchiveError } from './archive-error.js';
import { hasUstarMagic, type ArchiveFormat } from './archive-format.js';
import { createBunzip2, type Bunzip2Options } from './bunzip2.js';
import { displayName } from './entry-rules.js';
import { fmtBytes, MB, toArchiveError, type Budget } from './extract-budget.js';
import type { EntryData, StagingWriter } from './extract-staging.js';
import { isZeroBlock, TAR_BLOCK, TarReader, type TarEvents, type TarHeader } from './tar-reader.js';

/** zlib output chunk: the granularity of the decompressed-size and ratio checks. */
const INFLATE_CHUNK = 256 * 1024;

export type Bzip2Decoder = 'native' | 'js';

export interface TarSource {
  /** The archive's bytes in order: read from its file, or as they are downloaded. */
  chunks: AsyncIterable<Buffer>;
  /**
   * Called with each chunk the extraction holds no reference to any more, so that its memory can
   * be lent again (a ChunkPool's). Only the input of gunzip and of the system's bzip2 is given back:
   * each has read all of a chunk (bzip2: it is in the pipe) by the time it calls back for it. The
   * JavaScript bzip2 may keep its input, and a plain tar's is handed on as views.
   */
  giveBack?: (chunk: Buffer) => void;
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
  const check = outputCheck(budget, src.format);
  const decompressor = await openDecompressor(src, budget, check);
  // A bzip2 decoder (native or JavaScript) reports its own output to `check` (onOutput).
  const sink = tarSink(
    out,
    budget,
    src.format === 'tar.bz2' ? () => undefined : (total) => check(total, decompressor.consumed()),
  );
  const giveBack = decompressor.readsWhole ? src.giveBack : undefined;
  const decoding = pipeline(decompressor.stream, sink, signal ? { signal } : {});
  // A failure of the source (the download's) fails the decoding with it.
  feed(src.chunks, decompressor.stream, budget, giveBack).catch((err: unknown) =>
    decompressor.stream.destroy(err as Error),
  );

  try {
    await decoding;
  } catch (err) {
    out.fail(toArchiveError(err, signal));
    // Every file task stops (no write after the failure) and closes or aborts its file.
    await out.settle();
    // The pipeline destroyed the decoder, which SIGKILLed bzip2: wait until it is gone.
    if (decompressor.native) await settleChild(decompressor.native);
    throw err;
  }
  return decompressor.decoder;
}

/**
 * Writes the archive's chunks into the decoder, counted, as fast as it takes them, then ends it.
 * Stops reading once the decoding has failed (the source is closed then).
 */
async function feed(
  chunks: AsyncIterable<Buffer>,
  into: Duplex,
  budget: Budget,
  giveBack: ((chunk: Buffer) => void) | undefined,
): Promise<void> {
  for await (const chunk of chunks) {
    if (into.destroyed) return;
    budget.addCompressed(chunk.length);
    const more = into.write(
      chunk,
      giveBack &&
        ((err) => {
          if (!err) giveBack(chunk);
        }),
    );
    if (!more) await drained(into);
  }
  if (!into.destroyed) into.end();
}

/** Resolves once `stream` takes more writes, or is destroyed. */
function drained(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
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
  /** Whether a chunk written is all read (or copied) by the time its write calls back. */
  readsWhole: boolean;
}

/** gunzip, bzip2 (the system's or the JavaScript one) or nothing, as the format says. */
async function openDecompressor(
  src: TarSource,
  budget: Budget,
  check: (total: number, consumed: number) => void,
): Promise<Decompressor> {
  if (src.format === 'tar.gz') {
    const gunzip = zlib.createGunzip({ chunkSize: INFLATE_CHUNK });
    return { stream: gunzip, consumed: () => gunzip.bytesWritten, decoder: undefined, native: null, readsWhole: true };
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
      readsWhole: native !== null,
    };
  }
  return {
    stream: new PassThrough(),
    consumed: () => budget.compressed,
    decoder: undefined,
    native: null,
    readsWhole: false,
  };
}

/**
 * The pipeline's end: counts the decompressed bytes (bomb and total caps, through `onTotal`),
 * insists the payload starts as a ustar tar (so nothing else is ever read as one), reads the
 * entries and stages each, holding the decoding back while the staged files leave no room; it
 * finishes once every file is settled.
 */
function tarSink(out: StagingWriter, budget: Budget, onTotal: (total: number) => void): Writable {
  let head: Buffer | null = Buffer.alloc(0);
  const reader = new TarReader(entryStager(out, budget));
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      try {
        if (budget.failure) throw budget.failure;
        budget.decompressed += chunk.length;
        onTotal(budget.decompressed);
        if (head) {
          head = Buffer.concat([head, chunk]);
          if (head.length < TAR_BLOCK) return cb();
          checkTarHeader(head, budget);
          chunk = head;
          head = null;
        }
        reader.push(chunk);
      } catch (err) {
        return cb(out.fail(err));
      }
      if (out.busy()) void out.ready().then(() => cb(budget.failure));
      else cb();
    },
    final(cb) {
      try {
        if (head) throw budget.fail(new ArchiveError('corrupt', 'The compressed data does not contain a tar archive.'));
        reader.finish();
      } catch (err) {
        return cb(out.fail(err));
      }
      void out.settle().then(() => cb(budget.failure));
    },
  });
}

/** Refuses (and records) a first block of zeros or one that is not a ustar header. */
function checkTarHeader(head: Buffer, budget: Budget): void {
  if (isZeroBlock(head)) {
    throw budget.fail(new ArchiveError('empty', 'The archive is empty.'));
  }
  if (!hasUstarMagic(head)) {
    throw budget.fail(new ArchiveError('corrupt', 'The compressed data does not contain a tar archive.'));
  }
}

/**
 * Checks every entry the reader finds and stages it: a folder is made; a small file's data is kept
 * as the views the reader gives and written whole ({@link StagingWriter.writeParts}); a large one,
 * or any where files are not written in batches, goes to {@link StagingWriter.writeFile} as it
 * comes. The views stay valid after the call: the decoders never reuse a chunk they have handed on.
 */
function entryStager(out: StagingWriter, budget: Budget): TarEvents {
  let parts: Buffer[] | null = null;
  let feed: EntryFeed | null = null;
  let file: { target: string; name: string } | null = null;
  return {
    entry(header) {
      if (budget.failure) throw budget.failure;
      const segments = checkTarEntry(header, budget);
      const target = out.target(segments, header.path);
      if (header.type === 'Directory') {
        out.run(() => out.mkdir(target, header.path));
        return;
      }
      file = { target, name: header.path };
      if (out.writesWhole(header.size)) parts = [];
      else {
        feed = new EntryFeed();
        out.writeFile(target, header.path, feed, header.size);
      }
    },
    data(view) {
      if (parts) parts.push(view);
      else feed?.data(view);
    },
    end() {
      if (parts && file) out.writeParts(file.target, file.name, parts);
      feed?.end();
      parts = null;
      feed = null;
      file = null;
    },
  };
}

/** A large file's data, handed to the staging writer as it comes. */
class EntryFeed implements EntryData {
  private onData: ((chunk: Buffer) => void) | null = null;
  private onEnd: (() => void) | null = null;

  on(event: 'data' | 'end', fn: ((chunk: Buffer) => void) | (() => void)): this {
    if (event === 'data') this.onData = fn;
    else this.onEnd = fn as () => void;
    return this;
  }

  data(chunk: Buffer): void {
    this.onData?.(chunk);
  }

  end(): void {
    this.onEnd?.();
  }
}

/** Waits (briefly: SIGKILL cannot be caught) for a killed bzip2 to exit. */
async function settleChild(native: DecompressorProcess): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([native.exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
  clearTimeout(timer);
}

/** Refuses links and special files, counts the entry and its declared size; returns its segments. */
function checkTarEntry(entry: TarHeader, budget: Budget): string[] {
  const name = entry.path;
  const shown = displayName(name);
  switch (entry.type) {
    case 'SymbolicLink':
    case 'Link':
      throw new ArchiveError(
        'link',
        `The archive entry ${shown} is a ${entry.type === 'Link' ? 'hard link' : 'symbolic link'} (to ${displayName(entry.linkpath)}); links are not allowed in plugin archives.`,
        { entry: name },
      );
    case 'File':
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
    const size = entry.size;
    budget.checkFileSize(name, size, budget.contentBytes + size);
    budget.contentBytes += size;
  }
  return parts;
}
