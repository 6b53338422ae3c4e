import { createRequire } from 'node:module';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Streaming bzip2 decoder built on unbzip2-stream's block decoder (`lib/bzip2`, `lib/bit_iterator`)
 * instead of its `through` wrapper, because the wrapper (a) decodes every remaining block
 * synchronously in `end()` — a 700-byte bzip2 bomb becomes 1 GB in memory before anyone can
 * object, (b) builds each block's output as a JS array of numbers, and (c) throws TypeErrors
 * on truncated input. Here every output byte goes through {@link Bunzip2Options.onBytes}, which can
 * throw to stop decoding mid-block; output is pushed in 64 KiB chunks; running out of input is a
 * clean `truncated` error.
 */
interface BitReader {
  (n: number | null): number;
  bytesRead: number;
}
interface Bz2Lib {
  header(bits: BitReader): number;
  decompress(
    bits: BitReader,
    stream: (byte: number) => void,
    buf: Int32Array,
    bufsize: number,
    streamCRC: number | null,
  ): number | null;
}
type BitIteratorFactory = (next: () => Uint8Array) => BitReader;

const require = createRequire(import.meta.url);
const bz2 = require('unbzip2-stream/lib/bzip2') as Bz2Lib;
const bitIterator = require('unbzip2-stream/lib/bit_iterator') as BitIteratorFactory;

export class Bunzip2TruncatedError extends Error {
  override readonly name = 'Bunzip2TruncatedError';
}
export class Bunzip2CorruptError extends Error {
  override readonly name = 'Bunzip2CorruptError';
}

export interface Bunzip2Options {
  /**
   * Called after each output chunk is produced, before it is pushed (and also every 64 KiB during
   * a block). Throwing stops decoding; the error is forwarded as the stream error.
   */
  onOutput?: (decompressedSoFar: number, compressedConsumed: number) => void;
}

const OUT_CHUNK = 64 * 1024;

export function createBunzip2(options: Bunzip2Options = {}): Transform {
  const decoder = streamDecoder(options);
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      decoder.receive(chunk);
      try {
        decoder.decodeBuffered(this);
        cb();
      } catch (err) {
        cb(classify(err));
      }
    },
    flush(cb: TransformCallback) {
      try {
        decoder.finish(this);
        cb();
      } catch (err) {
        cb(classify(err));
      }
    },
  });
}

/** The bzip2 streams (one or more, concatenated) decoded header by header and block by block. */
function streamDecoder(options: Bunzip2Options) {
  const queue: Uint8Array[] = [];
  let buffered = 0; // bytes received so far
  let ended = false;
  let bits: BitReader | null = null;
  let blockSize = 0;
  let streamCRC: number | null = null;
  let started = false;
  let work: Int32Array | null = null;
  const output = outputChunks(options);

  const next = (): Uint8Array => {
    const b = queue.shift();
    if (b === undefined) throw new Bunzip2TruncatedError('The bzip2 data ended prematurely.');
    return b;
  };

  /** Decodes one stream header or one block. Returns false when nothing more can be done. */
  function step(stream: Transform): boolean {
    const reader = bits;
    if (!reader) return false;
    if (!blockSize) {
      if (ended && buffered - reader.bytesRead < 4 && started) {
        // Trailing bytes after the end-of-stream marker that cannot be another stream.
        throw new Bunzip2CorruptError('Unexpected bytes after the end of the bzip2 data.');
      }
      blockSize = bz2.header(reader);
      started = true;
      streamCRC = 0;
      work ??= new Int32Array(100_000 * 9);
      return true;
    }
    const crc = bz2.decompress(reader, output.emitter(stream, reader), work!, 100_000 * blockSize, streamCRC);
    if (crc === null) {
      blockSize = 0; // end of this bzip2 stream; another may follow (concatenated streams)
      streamCRC = null;
    } else {
      streamCRC = crc;
    }
    output.endBlock(stream, reader);
    return true;
  }

  return {
    receive(chunk: Uint8Array): void {
      queue.push(chunk);
      buffered += chunk.length;
      bits ??= bitIterator(next);
    },
    /** Only decodes while a whole worst-case block is buffered, so `next()` never runs dry mid-block. */
    decodeBuffered(stream: Transform): void {
      while (bits && buffered - bits.bytesRead > 2 * 100_000 * (blockSize || 9) + 50_000) {
        if (!step(stream)) break;
      }
    },
    /** Decodes the rest, once the input has ended; refuses data that stops inside a stream. */
    finish(stream: Transform): void {
      ended = true;
      if (!bits) throw new Bunzip2TruncatedError('The bzip2 data is empty.');
      while (buffered > bits.bytesRead) {
        if (!step(stream)) break;
      }
      if (!started || blockSize !== 0) throw new Bunzip2TruncatedError('The bzip2 data ended prematurely.');
      output.flush(stream);
    },
  };
}

/**
 * The decoded bytes, pushed OUT_CHUNK at a time and at the end of each block, each chunk reported
 * to `onOutput` first.
 */
function outputChunks(options: Bunzip2Options) {
  let out = Buffer.allocUnsafe(OUT_CHUNK);
  let outPos = 0;
  let produced = 0;

  function flush(stream: Transform): void {
    if (outPos === 0) return;
    stream.push(out.subarray(0, outPos));
    out = Buffer.allocUnsafe(OUT_CHUNK);
    outPos = 0;
  }

  return {
    flush,
    /** The per-byte sink for one block: a plain closure, it runs for every output byte. */
    emitter(stream: Transform, reader: BitReader): (byte: number) => void {
      return (byte: number): void => {
        out[outPos++] = byte;
        if (outPos === OUT_CHUNK) {
          produced += OUT_CHUNK;
          options.onOutput?.(produced, reader.bytesRead);
          stream.push(out);
          out = Buffer.allocUnsafe(OUT_CHUNK);
          outPos = 0;
        }
      };
    },
    /** Reports and pushes what the block left in the buffer. */
    endBlock(stream: Transform, reader: BitReader): void {
      if (outPos > 0) {
        produced += outPos;
        options.onOutput?.(produced, reader.bytesRead);
        flush(stream);
      }
    },
  };
}

function classify(err: unknown): Error {
  if (err instanceof Bunzip2TruncatedError || err instanceof Bunzip2CorruptError) return err;
  // Errors thrown by the onOutput callback (our own ArchiveErrors) pass through untouched.
  if (err instanceof Error && err.name === 'ArchiveError') return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new Bunzip2CorruptError(`The bzip2 data is corrupt (${msg}).`);
}
