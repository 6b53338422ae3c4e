/**
 * Writes the archive's entries into the staging folder through the {@link FileSystem} port, so that
 * the staging folder may be on this machine or on a server reached over SFTP. Paths are POSIX joins
 * of validated segments under the staging folder.
 *
 * Files are written by tasks that run alongside the archive's decoding: each gathers its entry's
 * data as it arrives and hands whatever has gathered to one `write` (several chunks at a time), and
 * closes in the background: with an fsync each, or none where the file system makes the whole tree
 * durable at once ({@link FileSystem.syncTree}, which {@link durable} calls at the end). {@link ready} holds the decoding back while too many tasks or
 * bytes are in flight. After a failure nothing more is opened or written; {@link settle} waits until
 * every file is closed or aborted.
 */
import { posix } from 'node:path';
import type { FileSystem, FileWriter, NewFile } from '../ports.js';
import { ArchiveError } from './archive-error.js';
import { toArchiveError, type Budget } from './extract-budget.js';
import { displayName } from './entry-rules.js';

const FILE_MODE = 0o644;
/** Files being written or closed at once. */
const MAX_TASKS = 32;
/**
 * With {@link FileSystem.writeNewFiles}: files gathered whole and written in batches, at once (their
 * bytes stay under {@link MAX_PENDING_BYTES}). Twice {@link MAX_BATCH_FILES}: the next batch gathers
 * while the worker writes one, where with as many as one batch the two sides took turns.
 */
const MAX_BATCHED_TASKS = 128;
/** Files up to this size are gathered whole and written by {@link FileSystem.writeNewFiles}. */
const WHOLE_FILE_BYTES = 1024 * 1024;
/** At most this many files in one {@link FileSystem.writeNewFiles} call. */
const MAX_BATCH_FILES = 64;
/**
 * At most this many bytes in one {@link FileSystem.writeNewFiles} call (or one file, when bigger):
 * the call's buffer then has the same size whatever the files' sizes. Capped by count only, 128
 * pictures of 100 KB made a 13 MB batch, and each bigger batch a new buffer.
 */
const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/** Entry data gathered and not yet written, across the tasks. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

/** One file's data as it arrives (a large tar entry's, or a zip entry's output). */
export interface EntryData {
  on(event: 'data', fn: (chunk: Buffer) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
}

export class StagingWriter {
  private readonly dirs = new Map<string, Promise<void>>();
  private readonly tasks = new Set<Promise<void>>();
  /** {@link ready}'s callers, woken each time a task settles. */
  private slotWaiters: (() => void)[] = [];
  private readonly wakers = new Set<() => void>();
  private pendingBytes = 0;
  private readonly batches: NewFilesBatches | null;
  private readonly arenas = new CopyArenas();
  private readonly maxTasks: number;

  constructor(
    readonly fs: FileSystem,
    readonly staging: string,
    private readonly budget: Budget,
  ) {
    this.dirs.set(staging, Promise.resolve());
    const write = fs.writeNewFiles?.bind(fs);
    this.batches = write ? new NewFilesBatches(write, () => this.budget.failure) : null;
    this.maxTasks = this.batches ? MAX_BATCHED_TASKS : MAX_TASKS;
  }

  /**
   * The target of an entry's validated segments; refuses anything that is not strictly inside. A
   * plain join, checked segment by segment: `posix.join` then `posix.relative` allocated about 8 KB
   * per entry, a quarter of what a zip of 15,000 files allocated.
   */
  target(parts: string[], name: string): string {
    const unsafe = (p: string): boolean => p === '' || p === '.' || p === '..' || p.includes('/') || p.includes('\0');
    if (parts.length === 0 || parts.some(unsafe)) {
      throw new ArchiveError(
        'path-traversal',
        `The archive entry ${displayName(name)} points outside the plugin folder.`,
        {
          entry: name,
        },
      );
    }
    return `${this.staging === '/' ? '' : this.staging}/${parts.join('/')}`;
  }

  /** Records the failure (the first wins) and wakes the tasks waiting for data, which then stop. */
  fail(err: unknown): ArchiveError {
    const failure = this.budget.fail(toArchiveError(err, undefined));
    for (const wake of this.wakers) wake();
    return failure;
  }

  private check(): void {
    if (this.budget.failure) throw this.budget.failure;
  }

  /** Creates a folder (and its parents) once. */
  mkdir(dir: string, name: string): Promise<void> {
    let made = this.dirs.get(dir);
    if (!made) {
      this.check();
      made = this.fs.mkdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST' || err.code === 'ENOTDIR') {
          throw new ArchiveError(
            'duplicate-entry',
            `The archive entry ${displayName(name)} collides with a file of the same name.`,
            { entry: name },
          );
        }
        throw err;
      });
      this.dirs.set(dir, made);
    }
    return made;
  }

  /**
   * Resolves when the decoding may go on: few enough tasks and bytes in flight, or a failure. It
   * waits for the next task to settle. `Promise.race(this.tasks)` did the same, but added a
   * reaction to each of the 128 tasks on every call (once per entry), each kept until its task
   * ended.
   */
  async ready(): Promise<void> {
    while (this.busy()) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  /** Whether {@link ready} would wait (so a caller with nothing to wait for need not await it). */
  busy(): boolean {
    return !this.budget.failure && (this.tasks.size >= this.maxTasks || this.pendingBytes >= MAX_PENDING_BYTES);
  }

  /**
   * Writes one file from its data as it arrives, or from all of it at once; failures are recorded
   * (see {@link fail}). `size`, when known: a small file is gathered whole and written in a batch
   * where the file system can ({@link FileSystem.writeNewFiles}).
   */
  writeFile(target: string, name: string, data: EntryData | Buffer, size?: number): void {
    if (Buffer.isBuffer(data) && this.batches && data.length <= WHOLE_FILE_BYTES) {
      this.writeWhole(this.batches, target, name, [data]);
      return;
    }
    this.writeStreamed(target, name, data, size);
  }

  /**
   * {@link writeFile} from bytes valid only during this call (a view of the reader's buffer):
   * copied at once, into a reused arena where files are batched. A fresh copy per file (a zip's
   * stored pictures, 100-300 KB each) was garbage as soon as its batch was written, and such
   * buffers piled up outside the heap until V8 collected them: 8-15 MB at the end of a large zip.
   */
  writeCopy(target: string, name: string, view: Buffer): void {
    if (this.batches && view.length <= WHOLE_FILE_BYTES) {
      const { data, release } = this.arenas.copy(view);
      this.writeWhole(this.batches, target, name, [data], release);
    } else this.writeFile(target, name, Buffer.from(view));
  }

  /** Whether a file of `size` bytes is written whole, once its data is all here ({@link writeParts}). */
  writesWhole(size: number): boolean {
    return this.batches !== null && size <= WHOLE_FILE_BYTES;
  }

  /**
   * {@link writeFile} for a file {@link writesWhole} accepts, from its data in pieces that stay
   * valid (views of the decoder's chunks, which it never reuses): written in a batch, uncopied
   * until the batch's one buffer.
   */
  writeParts(target: string, name: string, parts: Buffer[]): void {
    if (this.batches) this.writeWhole(this.batches, target, name, parts);
    else this.writeStreamed(target, name, Buffer.concat(parts));
  }

  private writeStreamed(target: string, name: string, data: EntryData | Buffer, size?: number): void {
    const chunks: Buffer[] = [];
    let ended = false;
    let wake: (() => void) | null = null;
    const poke = (): void => wake?.();
    const add = (chunk: Buffer): void => {
      chunks.push(chunk);
      this.pendingBytes += chunk.length;
      poke();
    };
    if (Buffer.isBuffer(data)) {
      add(data);
      ended = true;
    } else {
      data.on('data', add);
      data.on('end', () => {
        ended = true;
        poke();
      });
    }
    const batches = this.batches;
    const whole = Buffer.isBuffer(data) ? data.length : size;
    if (batches && whole !== undefined && whole <= WHOLE_FILE_BYTES) {
      this.run(async () => {
        await this.mkdir(posix.dirname(target), name);
        while (!ended) {
          this.check();
          await this.wait((w) => (wake = w));
        }
        this.check();
        const bytes = chunks.reduce((n, c) => n + c.length, 0);
        try {
          await batches.write({ path: target, data: chunks, mode: FILE_MODE }).catch((err: unknown) => {
            throw createFailure(err, name);
          });
        } finally {
          this.pendingBytes -= bytes;
        }
      });
      return;
    }
    this.run(async () => {
      const writer = await this.open(target, name);
      try {
        for (;;) {
          this.check();
          if (chunks.length > 0) {
            const batch = chunks.splice(0);
            const bytes = batch.reduce((n, c) => n + c.length, 0);
            await writer.write(batch);
            this.pendingBytes -= bytes;
          } else if (ended) break;
          else await this.wait((w) => (wake = w));
        }
      } catch (err) {
        await writer.abort();
        throw err;
      }
      await writer.close();
    });
  }

  /**
   * A small file whose data is all here (most of an archive's), straight into a batch: a few
   * callbacks, where the general path's task, loop and wakers made about fifteen closures and
   * contexts per file.
   */
  private writeWhole(
    batches: NewFilesBatches,
    target: string,
    name: string,
    data: Buffer[],
    release?: () => void,
  ): void {
    const file: NewFile = { path: target, data, mode: FILE_MODE };
    const bytes = data.reduce((n, d) => n + d.length, 0);
    this.pendingBytes += bytes;
    const done = (): void => {
      this.pendingBytes -= bytes;
      release?.();
    };
    this.run(() =>
      this.mkdirOrUndo(posix.dirname(target), name, done)
        .then(() => {
          this.check();
          return batches.write(file).catch((err: unknown) => {
            throw createFailure(err, name);
          });
        })
        .finally(done),
    );
  }

  /** {@link mkdir}, calling `undo` when it throws at once (a failure already recorded). */
  private mkdirOrUndo(dir: string, name: string, undo: () => void): Promise<void> {
    try {
      return this.mkdir(dir, name);
    } catch (err) {
      undo();
      throw err;
    }
  }

  /** Runs a task, recording its failure; counted by {@link ready} and {@link settle}. */
  run(fn: () => Promise<void>): void {
    // A synchronous throw (a failure already recorded) is a rejection like any other.
    this.track(new Promise<void>((resolve) => resolve(fn())));
  }

  private track(work: Promise<void>): void {
    const task: Promise<void> = work.then(
      () => undefined,
      (err: unknown) => void this.fail(err),
    );
    this.tasks.add(task);
    void task.then(() => {
      this.tasks.delete(task);
      if (this.slotWaiters.length > 0) for (const wake of this.slotWaiters.splice(0)) wake();
    });
  }

  /** Makes the staged tree durable, once every file is closed (nothing to do when each close fsynced). */
  async durable(): Promise<void> {
    await this.fs.syncTree?.(this.staging);
  }

  /** Waits until every task has settled (each file closed or aborted). */
  async settle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all(this.tasks);
  }

  private wait(register: (wake: () => void) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        this.wakers.delete(wake);
        resolve();
      };
      this.wakers.add(wake);
      register(wake);
    });
  }

  private async open(target: string, name: string): Promise<FileWriter> {
    await this.mkdir(posix.dirname(target), name);
    this.check();
    const writer = await this.fs
      .openWriter(target, { exclusive: true, mode: FILE_MODE, deferSync: this.fs.syncTree !== undefined })
      .catch((err: unknown) => {
        throw createFailure(err, name);
      });
    if (this.budget.failure) {
      await writer.abort();
      throw this.budget.failure;
    }
    return writer;
  }
}

/** The size of one {@link CopyArenas} buffer: a batch's worth. */
const ARENA_BYTES = MAX_BATCH_BYTES;
/** Arenas kept for reuse once their files are written (what a full {@link MAX_PENDING_BYTES} needs). */
const SPARE_ARENAS = MAX_PENDING_BYTES / ARENA_BYTES;

/**
 * Copies of short-lived bytes, packed one after the other into buffers of {@link ARENA_BYTES} that
 * are reused once every file copied into them is written (each copy is released then).
 */
class CopyArenas {
  private current: { buffer: Buffer; used: number; held: number } | null = null;
  private readonly spare: Buffer[] = [];

  copy(view: Buffer): { data: Buffer; release: () => void } {
    if (view.length > ARENA_BYTES / 2) return { data: Buffer.from(view), release: () => undefined };
    if (!this.current || this.current.used + view.length > ARENA_BYTES) {
      const full = this.current;
      this.current = { buffer: this.spare.pop() ?? Buffer.allocUnsafe(ARENA_BYTES), used: 0, held: 0 };
      if (full && full.held === 0) this.keep(full.buffer);
    }
    const arena = this.current;
    const data = arena.buffer.subarray(arena.used, arena.used + view.length);
    view.copy(data);
    arena.used += view.length;
    arena.held++;
    return {
      data,
      release: () => {
        if (--arena.held === 0 && arena !== this.current) this.keep(arena.buffer);
      },
    };
  }

  private keep(buffer: Buffer): void {
    if (this.spare.length < SPARE_ARENAS) this.spare.push(buffer);
  }
}

/** A file that could not be created: a second entry of the same name, or the file system's error. */
function createFailure(err: unknown, name: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EEXIST' || code === 'EISDIR') {
    return new ArchiveError('duplicate-entry', `The archive contains ${displayName(name)} more than once.`, {
      entry: name,
    });
  }
  return err;
}

/** How many of the first files make one batch: at least one, then within both caps. */
function batchLength(queue: readonly { file: NewFile }[]): number {
  let bytes = 0;
  for (let n = 0; n < queue.length && n < MAX_BATCH_FILES; n++) {
    bytes += queue[n]!.file.data.reduce((sum, d) => sum + d.byteLength, 0);
    if (n > 0 && bytes > MAX_BATCH_BYTES) return n;
  }
  return Math.min(queue.length, MAX_BATCH_FILES);
}

/**
 * Hands whole files to {@link FileSystem.writeNewFiles}: one call at a time, with every file that
 * arrived while the previous call ran (up to {@link MAX_BATCH_FILES} and {@link MAX_BATCH_BYTES}),
 * so batches grow when the disk is the slower side and no timer is needed. After a failure nothing
 * more is sent.
 */
class NewFilesBatches {
  private queue: { file: NewFile; done: (err: Error | null) => void }[] = [];
  private sending = false;
  /** The first file that could not be written: the extraction fails, nothing more is sent. */
  private broken: Error | null = null;

  constructor(
    private readonly send: (files: readonly NewFile[]) => Promise<(Error | null)[]>,
    private readonly failure: () => ArchiveError | undefined,
  ) {}

  /** Resolves once the file is written; rejects with its error. */
  write(file: NewFile): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ file, done: (err) => (err ? reject(err) : resolve()) });
      this.pump();
    });
  }

  private pump(): void {
    if (this.sending || this.queue.length === 0) return;
    const batch = this.queue.splice(0, batchLength(this.queue));
    // The batch's own failure first: the extraction records it only a few callbacks later.
    const failed = this.broken ?? this.failure();
    if (failed) {
      for (const b of [...batch, ...this.queue.splice(0)]) b.done(failed);
      return;
    }
    this.sending = true;
    this.send(batch.map((b) => b.file))
      .then(
        (errors) => {
          this.broken ??= errors.find((e) => e !== null) ?? null;
          batch.forEach((b, i) => b.done(errors[i] ?? null));
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          this.broken ??= error;
          batch.forEach((b) => b.done(error));
        },
      )
      .finally(() => {
        this.sending = false;
        this.pump();
      });
  }
}
