/**
 * {@link FileSystem.writeNewFiles} on this machine: one worker thread creates and writes the files
 * handed to it, one after the other, with synchronous calls, as `tar` and `unzip` do. Through the
 * promise API each file costs an open, a write and a close, each a hop to libuv's pool and back,
 * and the pool's four threads create files in the same folder at once, contending for its lock:
 * for the thousands of small files of a plugin archive that is most of the extraction's time.
 * Here a whole batch is one message each way, and the extraction's thread stays free to decode.
 *
 * The worker is made at the first call (or by {@link prepareNewFiles}, ahead of it) and kept; it
 * keeps the process alive only while calls are pending. If it dies, the calls in flight fail (EIO)
 * and the next call starts another.
 */
import { Worker } from 'node:worker_threads';
import type { NewFile } from '../core/ports.js';

/** The worker's code: plain CommonJS, node:* only, so that no bundler has to know about it. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
function writeOne(file, bytes) {
  const fd = fs.openSync(file.path, 'wx', file.mode);
  try {
    let done = file.start;
    while (done < file.end) {
      const n = fs.writeSync(fd, bytes, done, file.end - done);
      if (n === 0) throw Object.assign(new Error('write wrote nothing'), { code: 'EIO' });
      done += n;
    }
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  fs.closeSync(fd);
}
parentPort.on('message', ({ id, files, buffer }) => {
  const bytes = new Uint8Array(buffer);
  const errors = files.map((file) => {
    try {
      writeOne(file, bytes);
      return null;
    } catch (err) {
      return { message: String(err && err.message), code: err && err.code };
    }
  });
  // The buffer goes back to be filled again: left here it would wait for this thread's rare GC.
  parentPort.postMessage({ id, errors, buffer }, [buffer]);
});
`;

interface Reply {
  id: number;
  errors: ({ message: string; code?: string } | null)[];
  buffer: ArrayBuffer;
}

/** Buffers sent back by the worker, reused for the next batches (at most two are kept). */
const spare: ArrayBuffer[] = [];
const KEEP_SPARE = 2;
/**
 * The smallest buffer made: the extraction's batches hold at most 2 MiB (or one bigger file), so a
 * spare one fits the next.
 */
const MIN_BUFFER_BYTES = 2 * 1024 * 1024;

/** A buffer of at least `bytes`: a spare one, or a new one. */
function bufferFor(bytes: number): ArrayBuffer {
  const i = spare.findIndex((b) => b.byteLength >= bytes);
  if (i >= 0) return spare.splice(i, 1)[0]!;
  return new ArrayBuffer(Math.max(bytes, MIN_BUFFER_BYTES));
}

interface Pending {
  resolve: (errors: (Error | null)[]) => void;
  reject: (err: Error) => void;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function toError(e: { message: string; code?: string } | null): Error | null {
  return e === null ? null : Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
}

/** Fails every call in flight and forgets the worker: the next call makes another. */
function lost(worker0: Worker, why: string): void {
  if (worker !== worker0) return;
  worker = null;
  const err = Object.assign(new Error(`the file-writing thread stopped: ${why}`), { code: 'EIO' });
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function start(): Worker {
  // Not the process's own flags: `--input-type=module` would make this CommonJS source a module.
  // A small young generation: the paths it receives (thousands per archive) are garbage at once,
  // and a grown one would keep their memory for the rest of the process's life.
  const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 2 } });
  w.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) w.unref();
    if (spare.length < KEEP_SPARE) spare.push(reply.buffer);
    p?.resolve(reply.errors.map(toError));
  });
  w.on('error', (err) => lost(w, err.message));
  w.on('exit', (code) => lost(w, `exit code ${code}`));
  return w;
}

/** Starts the thread now, if it is not running, without keeping the process alive for it. */
export function prepareNewFiles(): void {
  if (worker) return;
  worker = start();
  worker.unref();
}

/** Creates each file (exclusively), writes its data and closes it; per file, null or the error. */
export function writeNewFiles(files: readonly NewFile[]): Promise<(Error | null)[]> {
  if (files.length === 0) return Promise.resolve([]);
  worker ??= start();
  const w = worker;
  const id = nextId++;
  // One buffer for all the data, moved to the worker and back, never copied: a chunk is often a
  // view of a much larger buffer (the decoder's output), which a copy would clone whole. Reusing
  // it keeps the memory flat: fresh buffers would pile up until the next garbage collection.
  const total = files.reduce((n, f) => n + f.data.reduce((m, d) => m + d.byteLength, 0), 0);
  const bytes = new Uint8Array(bufferFor(total));
  let at = 0;
  const layout = files.map((f) => {
    const start = at;
    for (const d of f.data) {
      bytes.set(d, at);
      at += d.byteLength;
    }
    return { path: f.path, mode: f.mode, start, end: at };
  });
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, files: layout, buffer: bytes.buffer }, [bytes.buffer]);
  });
}
