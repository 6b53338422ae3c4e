import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { Duplex } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import { ArchiveError } from '../core/archive/archive-error';
import { Bunzip2CorruptError, Bunzip2TruncatedError, type Bunzip2Options } from '../core/archive/bunzip2';
import type { Bzip2Spawner, DecompressorProcess } from '../core/ports';

/**
 * bzip2 decoding by the system's `bzip2 -dc`, about six times faster than the JavaScript decoder
 * (`bunzip2.ts`). It is also a security plus: the code parsing the untrusted data (C, with a history
 * of CVEs) runs in a separate process, started by absolute path with no shell and an empty
 * environment, and SIGKILLed as soon as anything goes wrong. A crash or memory corruption set off by
 * a crafted archive stays out of this process's memory; at worst it yields a failure or wrong
 * output, which meets the same checks as any output. (It runs as the same user: it is not a
 * file-system sandbox.) What it writes goes through the caller's guard:
 * {@link Bunzip2Options.onOutput} sees every output piece (decompressed-size cap, ratio check)
 * before anything is pushed.
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
 * decoder). No candidate on Windows, where the JavaScript decoder is used.
 */
export const NATIVE_BZIP2_CANDIDATES: readonly string[] = ['/usr/bin/bzip2', '/bin/bzip2'];

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
/** At most this much of bzip2's stderr is kept (it only explains a failure). */
const STDERR_LIMIT = 4096;
/**
 * bzip2 writes its output 4-8 KiB at a time: passed on as such, every small piece would cost a trip
 * through the guard, node-tar and a file write. Pieces are gathered up to this size before a push
 * (each piece is still shown to the guard as it arrives).
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

  /** bzip2 exits 0 (ok), 1 (environment), 2 (corrupt input), 3 (internal error). */
  private failure(code: number | null, signal: NodeJS.Signals | null): Error | null {
    const said = this.stderr.replace(/\s+/g, ' ').trim();
    const detail = said ? `: ${said.slice(0, 300)}` : '';
    if (/ends unexpectedly/i.test(said)) return new Bunzip2TruncatedError('The bzip2 data ended prematurely.');
    if (/trailing garbage/i.test(said))
      return new Bunzip2CorruptError('Unexpected bytes after the end of the bzip2 data.');
    if (code === 0 && signal === null) {
      // bzip2 reads its input to the end; one that stopped early left data it did not decode.
      if (this.stdinFailed) return new Bunzip2CorruptError('Unexpected bytes after the end of the bzip2 data.');
      return null;
    }
    if (code === 2 || /data integrity|CRC|not a bzip2 file|bad magic/i.test(said))
      return new Bunzip2CorruptError(`The bzip2 data is corrupt${detail}.`);
    return new ArchiveError(
      'io',
      `The bzip2 decoder failed (${signal ? `killed by ${signal}` : `exit status ${code}`})${detail}.`,
    );
  }
}
