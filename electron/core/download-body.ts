/** The response body to the `.part` file (and the tap), hashed and measured as it goes. */
import { createHash } from 'node:crypto';
import { diskError, failure, tooLarge, type FailureContext } from './download-errors';
import type { TransferControl } from './download-transfer';
import { DOWNLOAD_DEFAULTS, DownloadError, type DownloadRequest, type DownloadTap } from './download-types';
import type { Clock, FileWriter, HttpResponse } from './ports';

export interface BodyRequest {
  response: HttpResponse;
  writer: FileWriter;
  control: TransferControl;
  clock: Clock;
  ctx: FailureContext;
  host: string;
  stallMs: number;
  maxBytes: number;
  /** Content-Length, when sent. */
  total: number | null;
  onProgress: DownloadRequest['onProgress'];
  /** The started tap, given each chunk after the file. */
  tap: DownloadTap | null;
}

/** Reads the whole body into the writer; returns its size and SHA-256. Throws a DownloadError. */
export async function receiveBody(b: BodyRequest): Promise<{ received: number; sha256: string }> {
  const { ctx, host, total, control } = b;
  const hash = createHash('sha256');
  let received = 0;
  const progress = throttledProgress(b.clock, b.onProgress, () => received, total);
  progress(true);

  // Network chunks are collected into ~1 MiB batches, each written with one writev while the next
  // batch arrives (one write in flight at most: memory stays at about two batches). The chunks
  // are kept as they are: an HttpClient's body yields buffers it does not reuse.
  const disk = new BatchWriter(b.writer, (err) => diskError(err, ctx.part));
  control.watch(b.stallMs);
  const iterator = b.response.body[Symbol.asyncIterator]();
  for (;;) {
    let step: IteratorResult<Uint8Array>;
    control.waiting();
    try {
      step = await control.orAbort(iterator.next());
    } catch (err) {
      throw failure(ctx, err, 'body', host);
    }
    const now = control.received();
    if (step.done) break;
    const chunk = step.value;
    if (received + chunk.byteLength > b.maxBytes) throw tooLarge(ctx.name, host, b.maxBytes, total, false);
    if (total !== null && received + chunk.byteLength > total)
      throw new DownloadError(
        'truncated',
        `${host} sent more data for ${ctx.name} than the ${total} bytes it announced; the file cannot be trusted.`,
        'Try the download again. If it persists, a proxy or the server is corrupting downloads: download the archive manually.',
        { received: received + chunk.byteLength, expected: total },
      );
    hash.update(chunk);
    received += chunk.byteLength;
    await disk.add(chunk);
    if (b.tap) await b.tap.write(chunk);
    progress(false, now);
  }
  control.disarm();
  await disk.finish();
  if (total !== null && received !== total)
    throw new DownloadError(
      'truncated',
      `The download of ${ctx.name} from ${host} ended after ${received} of the ${total} bytes announced.`,
      'Try the download again. If it keeps stopping early, a proxy or antivirus is probably cutting large downloads.',
      { received, expected: total },
    );
  progress(true);
  return { received, sha256: hash.digest('hex') };
}

/** Calls `onProgress` at most every 100 ms, unless forced (the first and the last call). */
function throttledProgress(
  clock: Clock,
  onProgress: DownloadRequest['onProgress'],
  received: () => number,
  total: number | null,
): (force: boolean, now?: number) => void {
  let lastProgress = -Infinity;
  return (force, now = clock.now().getTime()) => {
    if (!onProgress) return;
    if (!force && now - lastProgress < DOWNLOAD_DEFAULTS.progressIntervalMs) return;
    lastProgress = now;
    try {
      onProgress(received(), total);
    } catch {
      // A broken progress listener must not break the download.
    }
  };
}

/** Bytes collected before one writev (a network chunk is usually 16-64 KiB). */
const WRITE_BATCH_BYTES = 1024 * 1024;
/**
 * Chunks collected before one writev, whatever their size (IOV_MAX on Linux): a server sending
 * tiny pieces must not make the batch a million small objects.
 */
const WRITE_BATCH_CHUNKS = 1024;

/**
 * Appends chunks to a file in batches of about {@link WRITE_BATCH_BYTES} (or {@link WRITE_BATCH_CHUNKS}
 * chunks), each written with one writev while the caller goes on receiving; `add` waits only when a
 * batch is full and the previous write is still running. A write failure surfaces (mapped by
 * `toError`) from the next `add` or from `finish`.
 */
class BatchWriter {
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly file: FileWriter,
    private readonly toError: (err: unknown) => Error,
  ) {}

  async add(chunk: Uint8Array): Promise<void> {
    this.queued.push(chunk);
    this.queuedBytes += chunk.byteLength;
    if (this.queuedBytes >= WRITE_BATCH_BYTES || this.queued.length >= WRITE_BATCH_CHUNKS) await this.flush();
  }

  /** Writes what is queued and waits for every write. */
  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
  }

  /** Waits for the running write (so errors surface) and starts writing the queue. */
  private async flush(): Promise<void> {
    if (this.writing) await this.writing;
    if (this.queuedBytes === 0) return;
    const batch = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    this.writing = this.file.write(batch).catch((err: unknown) => {
      throw this.toError(err);
    });
    // Observed by the next flush; never an unhandled rejection meanwhile.
    this.writing.catch(() => undefined);
  }
}
