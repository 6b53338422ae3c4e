/** The archive's bytes read in order, through the port: as chunks, or as a cursor over them. */
import type { FileSystem } from '../ports.js';
import { ArchiveError } from './archive-error.js';

/**
 * The file's bytes, `chunk` at a time, through the port. Each read goes into the buffer `into`
 * gives (a fresh one when it gives none): one buffer for every read, valid only until the next
 * chunk is asked for (as {@link ByteReader} wants), or buffers a ChunkPool lends.
 */
export async function* readChunks(
  fs: Pick<FileSystem, 'readRange'>,
  file: string,
  chunk: number,
  into: () => Buffer | undefined = () => undefined,
): AsyncGenerator<Buffer> {
  for (let at = 0; ;) {
    const data = await fs.readRange(file, at, chunk, into());
    if (data.length === 0) return;
    at += data.length;
    yield Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
}

/**
 * A forward-only cursor over chunks: skip, read a few bytes, or pass a run of bytes on as pieces.
 * The source's chunks need only be valid until the next is asked for ({@link readChunks} with
 * one buffer for the whole file). What `read` and `slices` give is valid only until the
 * next call (keep a copy). Chunks kept while their hundred small entries were written lived long
 * enough to be promoted, and piled up until a full collection (a zip of 15,000 files peaked 20 MB
 * higher than one of 4,500); a fresh chunk per read, even dropped at once, left up to 40 MB of
 * buffers waiting for the garbage collector.
 */
export class ByteReader {
  /** Bytes consumed so far. */
  position = 0;
  private chunk: Buffer = Buffer.alloc(0);
  private at = 0;

  constructor(private readonly source: AsyncGenerator<Buffer>) {}

  /** Skips `length` bytes: at once when they lie in the current chunk (nothing to await then). */
  skip(length: number): Promise<void> | undefined {
    if (this.chunk.length - this.at >= length) {
      this.take(length);
      return undefined;
    }
    return this.skipAcross(length);
  }

  private async skipAcross(length: number): Promise<void> {
    for (let left = length; left > 0; left -= (await this.piece(left)).length);
  }

  /** {@link read} at once, when the bytes lie in the current chunk; undefined otherwise (read nothing). */
  readNow(length: number): Buffer | undefined {
    return this.chunk.length - this.at < length ? undefined : this.take(length);
  }

  /** The next `length` bytes, in one buffer (valid until the next call). */
  async read(length: number): Promise<Buffer> {
    const now = this.readNow(length);
    if (now) return now;
    const whole = Buffer.allocUnsafe(length);
    let at = 0;
    for await (const piece of this.slices(length)) at += piece.copy(whole, at);
    return whole;
  }

  /** The next `length` bytes, as they lie in the chunks (each piece valid until the next one). */
  async *slices(length: number): AsyncGenerator<Buffer> {
    for (let left = length; left > 0;) {
      const piece = await this.piece(left);
      left -= piece.length;
      yield piece;
    }
  }

  async close(): Promise<void> {
    await this.source.return(undefined);
  }

  /** Up to `length` bytes from the current chunk (the next one when it is used up). */
  private async piece(length: number): Promise<Buffer> {
    if (this.at === this.chunk.length) await this.next();
    return this.take(Math.min(length, this.chunk.length - this.at));
  }

  private take(length: number): Buffer {
    const piece = this.chunk.subarray(this.at, this.at + length);
    this.at += length;
    this.position += length;
    return piece;
  }

  private async next(): Promise<void> {
    const step = await this.source.next();
    if (step.done) throw new ArchiveError('truncated', 'The archive ends before the data its directory describes.');
    this.chunk = step.value;
    this.at = 0;
  }
}
