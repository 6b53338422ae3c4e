/**
 * Unpacking a .tar.gz / .tar.bz2 into the staging folder while it downloads: the download's tap
 * (DownloadTap) hands each chunk, after the `.part` file, to the extraction. Nothing here decides
 * whether the result is installed: the pipeline swaps the staged folder in only once the download
 * has returned (size, end marker, checksums) and the pins and the space are checked, and discards
 * it otherwise, exactly as for an archive unpacked from its file.
 *
 * It only ever makes things earlier, never different: when it does not run (no Content-Length,
 * no space for the announced size, a staging folder that cannot be made, a zip, which needs its
 * whole file, or anything that is not an archive), the pipeline unpacks the downloaded file as
 * before; when it fails, its error is the extraction's, reported at the same step, after the
 * download's own errors, as before.
 */
import { FORMAT_SNIFF_BYTES } from '../archive/archive-format.js';
import { ChunkPool } from '../archive/chunk-pool.js';
import { unpacksAsItArrives, type ExtractResult } from '../archive/extract.js';
import type { DownloadTap } from '../download-types.js';

/** Chunks waiting between the download and the extraction before the download waits. */
const FEED_BYTES = 1024 * 1024;
/**
 * At most this many waiting bytes are handed to the extraction as one chunk. The network's chunks
 * are small (16-64 KB); each costs a trip through every stream of the extraction and a zlib call on
 * libuv's pool, so that 64 KB pieces took 1.5x as long to unpack as 1 MiB ones. The extraction gets
 * whatever has arrived since it last asked: pieces stay small while it keeps up with the network,
 * and grow only when it falls behind, when they save the most.
 */
const MERGE_BYTES = FEED_BYTES;

export interface UnpackPlan {
  /**
   * Checks the room for an archive of `total` bytes and makes the staging folder; null when this
   * download is not to be unpacked early. Never throws.
   */
  prepare(total: number): Promise<string | null>;
  /**
   * Unpacks `chunks` into the staging folder `root`, stopping on `signal`; it calls `giveBack` with
   * each chunk it holds no reference to any more.
   */
  extract(
    chunks: AsyncIterable<Uint8Array>,
    root: string,
    signal: AbortSignal,
    giveBack: (chunk: Uint8Array) => void,
  ): Promise<ExtractResult>;
}

/** What the early extraction came to, once the download has ended. */
export type Unpacked = { root: string; result: ExtractResult } | { root: string; error: unknown };

export class UnpackWhileDownloading implements DownloadTap {
  private root: string | null = null;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private decided = false;
  private feed: ChunkFeed | null = null;
  private running: Promise<Unpacked> | null = null;
  private readonly stopper = new AbortController();
  /** The caller's cancel, or {@link stop}. */
  private readonly signal: AbortSignal;

  constructor(
    private readonly plan: UnpackPlan,
    signal: AbortSignal | undefined,
  ) {
    this.signal = signal ? AbortSignal.any([signal, this.stopper.signal]) : this.stopper.signal;
  }

  /** The staging folder made for this download, if any (also when the archive is unpacked later). */
  get stagingRoot(): string | null {
    return this.root;
  }

  async start(total: number | null): Promise<boolean> {
    if (total === null) return false;
    this.root = await this.plan.prepare(total);
    return this.root !== null;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.feed) this.feed.push(chunk);
    else if (!this.decided) {
      this.head.push(chunk);
      this.headBytes += chunk.byteLength;
      if (this.headBytes >= FORMAT_SNIFF_BYTES) this.decide();
    }
    await this.feed?.room();
  }

  end(error?: Error): void {
    if (!this.decided && !error) this.decide();
    this.feed?.end(error);
  }

  /** How the extraction ended, once it has (null when it never started). */
  outcome(): Promise<Unpacked | null> {
    return this.running ?? Promise.resolve(null);
  }

  /** Stops the extraction, if it runs, and waits until every file it opened is closed. */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.feed?.end(new Error('stopped'));
    await this.running;
  }

  /** Unpacks as it arrives when the first bytes say a tar format; otherwise the file is unpacked later. */
  private decide(): void {
    this.decided = true;
    const head = this.head;
    this.head = [];
    const root = this.root;
    if (root === null || !unpacksAsItArrives(Buffer.concat(head))) return;
    const feed = new ChunkFeed();
    for (const chunk of head) feed.push(chunk);
    this.feed = feed;
    this.running = this.plan
      .extract(feed.chunks(), root, this.signal, (chunk) => feed.giveBack(chunk))
      .then(
        (result) => ({ root, result }),
        (error: unknown) => ({ root, error }),
      );
    // Once the extraction has ended, however it stopped reading (even before its first read, when
    // the generator's own `finally` never runs), the download must not wait for it.
    void this.running.then(() => feed.abandon());
  }
}

/**
 * The chunks between the download (one writer, waiting for each push) and the extraction (one
 * reader): at most about {@link FEED_BYTES} waiting; once the reader is gone, chunks are dropped.
 */
class ChunkFeed {
  private readonly queue: Uint8Array[] = [];
  /** The buffers merged chunks are copied into, lent to the extraction and given back by it. */
  private readonly merged = new ChunkPool(MERGE_BYTES);
  private queued = 0;
  private ended: { error?: Error } | null = null;
  private gone = false;
  private wakeReader: (() => void) | null = null;
  private wakeWriter: (() => void) | null = null;

  /** Queues a chunk for the reader (dropped when it is gone). */
  push(chunk: Uint8Array): void {
    if (this.gone || this.ended) return;
    this.queue.push(chunk);
    this.queued += chunk.byteLength;
    this.wake('reader');
  }

  /** Resolves once few enough bytes wait, or at once when the reader is gone. */
  async room(): Promise<void> {
    while (this.queued > FEED_BYTES && !this.gone) await new Promise<void>((resolve) => (this.wakeWriter = resolve));
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = error ? { error } : {};
    this.wake('reader');
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const chunk = this.take();
        if (chunk) {
          this.queued -= chunk.byteLength;
          if (this.queued <= FEED_BYTES) this.wake('writer');
          yield chunk;
        } else if (this.ended?.error) throw this.ended.error;
        else if (this.ended) return;
        else await new Promise<void>((resolve) => (this.wakeReader = resolve));
      }
    } finally {
      this.abandon();
    }
  }

  /** A merged chunk the extraction holds no reference to any more: its buffer is lent again. */
  giveBack(chunk: Uint8Array): void {
    this.merged.giveBack(chunk);
  }

  /** The first waiting chunk, merged with those after it up to {@link MERGE_BYTES}. */
  private take(): Uint8Array | undefined {
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length && (n === 0 || bytes + this.queue[n]!.byteLength <= MERGE_BYTES))
      bytes += this.queue[n++]!.byteLength;
    if (n <= 1) return this.queue.shift();
    const into = this.merged.take();
    let at = 0;
    for (const chunk of this.queue.splice(0, n)) {
      into.set(chunk, at);
      at += chunk.byteLength;
    }
    return into.subarray(0, bytes);
  }

  /** The reader is gone: drops what waits and lets the writer go on. */
  abandon(): void {
    this.gone = true;
    this.queue.length = 0;
    this.queued = 0;
    this.wake('writer');
  }

  private wake(who: 'reader' | 'writer'): void {
    const wake = who === 'reader' ? this.wakeReader : this.wakeWriter;
    if (who === 'reader') this.wakeReader = null;
    else this.wakeWriter = null;
    wake?.();
  }
}
