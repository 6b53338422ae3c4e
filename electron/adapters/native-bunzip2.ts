import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { Duplex } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import { ArchiveError } from '../core/archive/archive-error';
import { Bunzip2CorruptError, Bunzip2TruncatedError, type Bunzip2Options } from '../core/archive/bunzip2';
import { bzip2Ends } from '../core/download-verify';
import type { Bzip2Spawner, DecompressorProcess } from '../core/ports';

/**
 * bzip2 decoding by the system's `lbzip2 -dc` or `bzip2 -dc`, six times faster than the JavaScript
 * decoder (`bunzip2.ts`), lbzip2 about twice as fast again on two cores (it decodes the blocks of
 * one stream in parallel: a 20 MB release in 250 ms instead of 520). It is also a security plus:
 * the code parsing the untrusted data (C, with a history of CVEs) runs in a separate process,
 * started by absolute path with no shell and an empty environment, and SIGKILLed as soon as
 * anything goes wrong. A crash or memory corruption set off by a crafted archive stays out of this
 * process's memory; at worst it yields a failure or wrong output, which meets the same checks as
 * any output. (It runs as the same user: it is not a file-system sandbox.) What it writes goes
 * through the caller's guard: {@link Bunzip2Options.onOutput} sees every output piece
 * (decompressed-size cap, ratio check) before anything is pushed.
 *
 * The ratio's denominator is the count of compressed bytes handed to bzip2's stdin, counted when a
 * piece is handed over, not when the pipe has taken all of it. bzip2 cannot decode bytes it was not
 * given, so this never understates what it has read: a legitimate archive never looks like a bomb,
 * whatever the caller's chunk size or the pipe's timing. (Counting on the write callback did: with
 * 1 MiB chunks bzip2 read the first 64 KiB, wrote a whole 900 KB block, and the check saw hundreds
 * of KB of output against 0 bytes of input.) Pieces are handed over {@link STDIN_SLICE} bytes at a
 * time, each once the previous one is in the pipe, so the count runs ahead of what bzip2 has read
 * by at most one slice plus the pipe's buffer (64 KiB on Linux), a fixed slack: a bomb gets at most
 * the ratio times that much extra output before it is stopped.
 */

/**
 * Absolute paths only: never a PATH lookup (a writable PATH entry would let anyone substitute the
 * decoder). lbzip2 first, where installed: the same command line and output, on every core. No
 * candidate on Windows, where the JavaScript decoder is used.
 */
export const NATIVE_BZIP2_CANDIDATES: readonly string[] = [
  '/usr/bin/lbzip2',
  '/bin/lbzip2',
  '/usr/bin/bzip2',
  '/bin/bzip2',
];

let cached: { path: string | null } | undefined;

/** The system bzip2 executable, or null when none of the candidates is an executable file. */
export function nativeBzip2Path(): string | null {
  if (cached) return cached.path;
  let found: string | null = null;
  if (process.platform !== 'win32') {
    for (const candidate of NATIVE_BZIP2_CANDIDATES) {
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        found = candidate;
        break;
      } catch {
        // not there, or not executable
      }
    }
  }
  cached = { path: found };
  return found;
}

/** A running `bzip2 -dc`: write compressed bytes, read decompressed ones. */
export interface NativeBunzip2 extends DecompressorProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The {@link Bzip2Spawner} port: the system's bzip2, or null where there is none (Windows) or it
 * cannot be started (the caller then uses the JavaScript decoder: nothing was consumed yet).
 */
export const nativeBunzip2: Bzip2Spawner = async (options) => {
  const binary = nativeBzip2Path();
  return binary ? spawnNativeBunzip2(binary, options).catch(() => null) : null;
};

/** Compressed bytes are written to bzip2's stdin at most this many at a time (see above). */
const STDIN_SLICE = 64 * 1024;
/** Enough of the input's end to find the end-of-stream marker (48 bits, CRC, padding). */
const TAIL_BYTES = 16;
/** At most this much of bzip2's stderr is kept (it only explains a failure). */
const STDERR_LIMIT = 4096;
/**
 * bzip2 writes its output 4-8 KiB at a time: passed on as such, every small piece would cost a trip
 * through the guard, the tar reader and a file write. Pieces are gathered up to this size before a
 * push (each piece is still shown to the guard as it arrives).
 */
const OUT_BATCH = 256 * 1024;

/**
 * Starts `binary -dc`. Resolves once the process runs; rejects when it cannot be started (the
 * caller then uses the JavaScript decoder: nothing was consumed yet).
 */
export async function spawnNativeBunzip2(binary: string, options: Bunzip2Options = {}): Promise<NativeBunzip2> {
  // No -q: warnings such as "trailing garbage after EOF ignored" must reach stderr (see failure()).
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(binary, ['-d', '-c'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    shell: false,
    windowsHide: true,
    // Empty: bzip2 reads extra options from $BZIP2 and $BZIP.
    env: {},
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      child.off('spawn', onSpawn);
      reject(err);
    };
    const onSpawn = (): void => {
      child.off('error', onError);
      resolve();
    };
    child.once('error', onError);
    child.once('spawn', onSpawn);
  });
  return new NativeBunzip2Stream(child, options);
}

class NativeBunzip2Stream extends Duplex implements NativeBunzip2 {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Compressed bytes handed to bzip2's stdin, in flight included: the ratio's denominator. */
  private handed = 0;
  /** The last bytes handed: whether the data ends with bzip2's end-of-stream marker (see failure()). */
  private tail: Buffer = Buffer.alloc(0);
  private produced = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private stdinFailed = false;
  private stderr = '';
  private running = true;

  constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    private readonly options: Bunzip2Options,
  ) {
    super({ readableHighWaterMark: 1024 * 1024, writableHighWaterMark: 1024 * 1024 });
    // After exit, writes fail with EPIPE: the exit status tells what happened.
    child.stdin.on('error', () => {
      this.stdinFailed = true;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < STDERR_LIMIT) this.stderr += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.on('error', (err) => this.destroy(err));
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.running = false;
        this.onClose(code, signal);
        resolve({ code, signal });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.feed(chunk, 0, cb);
  }

  /** Hands `chunk` from `at` to bzip2, one slice at a time, counting each slice as it is handed. */
  private feed(chunk: Buffer, at: number, cb: (err?: Error | null) => void): void {
    // An EPIPE is not this stream's error: bzip2 stopped reading, and its exit status says why.
    if (at >= chunk.length || this.stdinFailed || this.child.stdin.destroyed) return cb();
    const slice = chunk.subarray(at, at + STDIN_SLICE);
    this.handed += slice.length;
    this.tail = Buffer.concat([this.tail, slice.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES);
    this.child.stdin.write(slice, () => this.feed(chunk, at + slice.length, cb));
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.stdinFailed && !this.child.stdin.destroyed) this.child.stdin.end();
    cb();
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.kill();
    cb(err);
  }

  private kill(): void {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    this.child.stdout.destroy();
    this.child.stdin.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.destroyed) return;
    this.produced += chunk.length;
    try {
      this.options.onOutput?.(this.produced, this.handed);
    } catch (err) {
      this.destroy(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= OUT_BATCH) this.pushPending();
  }

  private pushPending(): void {
    if (this.pendingBytes === 0) return;
    const batch = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.push(batch)) this.child.stdout.pause();
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.destroyed) return;
    const failure = this.failure(code, signal);
    if (failure) return void this.destroy(failure);
    this.pushPending();
    this.push(null);
  }

  /**
   * bzip2 exits 0 (ok), 1 (environment), 2 (corrupt input), 3 (internal error); lbzip2 exits 1 for
   * any failure, and neither tells a cut stream from a damaged one the same way (lbzip2 mostly says
   * "bad block header magic" for both) nor both report bytes after the end (lbzip2 ignores them
   * silently). So the input's own end decides, as the download checks it (bzip2Ends): data that
   * does not end with the end-of-stream marker is truncated when decoding failed, and has trailing
   * bytes when it succeeded.
   */
  private failure(code: number | null, signal: NodeJS.Signals | null): Error | null {
    const said = this.stderr.replace(/\s+/g, ' ').trim();
    const detail = said ? `: ${said.slice(0, 300)}` : '';
    const ends = this.handed > 0 && bzip2Ends(this.tail);
    if (code === 0 && signal === null) {
      if (this.stdinFailed || !ends || /trailing garbage/i.test(said))
        return new Bunzip2CorruptError('Unexpected bytes after the end of the bzip2 data.');
      return null;
    }
    if (
      signal === null &&
      (code === 2 ||
        /ends unexpectedly|compressed data error|not a valid bzip2|data integrity|CRC|bad magic/i.test(said))
    )
      // Bytes that are not bzip2 at all are not a cut bzip2 stream (nothing at all is).
      return ends || (this.handed > 0 && /not a (valid )?bzip2 file/i.test(said))
        ? new Bunzip2CorruptError(`The bzip2 data is corrupt${detail}.`)
        : new Bunzip2TruncatedError('The bzip2 data ended prematurely.');
    return new ArchiveError(
      'io',
      `The bzip2 decoder failed (${signal ? `killed by ${signal}` : `exit status ${code}`})${detail}.`,
    );
  }
}
