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
  const queue: Uint8Array[] = [];
  let buffered = 0; // bytes received so far
  let ended = false;
  let bits: BitReader | null = null;
  let blockSize = 0;
  let streamCRC: number | null = null;
  let started = false;
  let work: Int32Array | null = null;
  let out = Buffer.allocUnsafe(OUT_CHUNK);
  let outPos = 0;
  let produced = 0;

  const next = (): Uint8Array => {
    const b = queue.shift();
    if (b === undefined) throw new Bunzip2TruncatedError('The bzip2 data ended prematurely.');
    return b;
  };

  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      queue.push(chunk);
      buffered += chunk.length;
      bits ??= bitIterator(next);
      try {
        // Only decode while a whole worst-case block is buffered, so `next()` never runs dry mid-block.
        while (buffered - bits.bytesRead > 2 * 100_000 * (blockSize || 9) + 50_000) {
          if (!step(this)) break;
        }
        cb();
      } catch (err) {
        cb(classify(err));
      }
    },
    flush(cb: TransformCallback) {
      ended = true;
      try {
        if (!bits) throw new Bunzip2TruncatedError('The bzip2 data is empty.');
        while (buffered > bits.bytesRead) {
          if (!step(this)) break;
        }
        if (!started || blockSize !== 0) throw new Bunzip2TruncatedError('The bzip2 data ended prematurely.');
        flushOut(this);
        cb();
      } catch (err) {
        cb(classify(err));
      }
    },
  });

  function flushOut(stream: Transform): void {
    if (outPos === 0) return;
    stream.push(out.subarray(0, outPos));
    out = Buffer.allocUnsafe(OUT_CHUNK);
    outPos = 0;
  }

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
    const emit = (byte: number): void => {
      out[outPos++] = byte;
      if (outPos === OUT_CHUNK) {
        produced += OUT_CHUNK;
        options.onOutput?.(produced, reader.bytesRead);
        stream.push(out);
        out = Buffer.allocUnsafe(OUT_CHUNK);
        outPos = 0;
      }
    };
    const crc = bz2.decompress(reader, emit, work!, 100_000 * blockSize, streamCRC);
    if (crc === null) {
      blockSize = 0; // end of this bzip2 stream; another may follow (concatenated streams)
      streamCRC = null;
    } else {
      streamCRC = crc;
    }
    if (outPos > 0) {
      produced += outPos;
      options.onOutput?.(produced, reader.bytesRead);
      flushOut(stream);
    }
    return true;
  }
}

function classify(err: unknown): Error {
  if (err instanceof Bunzip2TruncatedError || err instanceof Bunzip2CorruptError) return err;
  // Errors thrown by the onOutput callback (our own ArchiveErrors) pass through untouched.
  if (err instanceof Error && err.name === 'ArchiveError') return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new Bunzip2CorruptError(`The bzip2 data is corrupt (${msg}).`);
}
