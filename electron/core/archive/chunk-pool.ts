/**
 * Buffers lent as the archive's chunks and taken back once the extraction is done with them.
 *
 * A fresh megabyte per chunk costs more than filling it. Large buffers come straight from the
 * kernel (mmap), and each first write of one of their 4 KiB pages is a page fault. On this project's
 * VM, a page fault costs about 10 µs, so copying 13 MB into fresh chunks took 30 ms of a 20 MB
 * install. The same chunk taken back and filled again costs a plain copy.
 */
export class ChunkPool {
  private readonly spare: Buffer[] = [];
  /**
   * The memory of every buffer lent and not given back yet, held weakly: most decoders never give
   * any back, and a strong set kept every chunk they were lent, a whole .tar.bz2 download.
   */
  private readonly lent = new WeakSet<ArrayBufferLike>();

  constructor(readonly size: number) {}

  /** A buffer of {@link size} bytes: one given back, or a new one. */
  take(): Buffer {
    const buffer = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.size);
    this.lent.add(buffer.buffer);
    return buffer;
  }

  /**
   * Takes back the buffer `chunk` is a view of, to lend it again. Anything else (a chunk this pool
   * did not lend, or one already given back) is ignored, so a buffer is never lent twice at once.
   */
  giveBack(chunk: Uint8Array): void {
    if (this.lent.delete(chunk.buffer)) this.spare.push(Buffer.from(chunk.buffer));
  }
}
