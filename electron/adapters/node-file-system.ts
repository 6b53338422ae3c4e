import { execFile } from 'node:child_process';
import { constants as fsConstants, createReadStream, type Dirent, type Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
// '.js': swap.test.ts runs this file transpiled, as plain ESM, in a child process.
import {
  writeWhole,
  type DirEntry,
  type FileStat,
  type FileSystem,
  type FileWriter,
  type WriterOptions,
} from '../core/ports.js';
import { prepareNewFiles, writeNewFiles } from './new-files-writer.js';

function toStat(s: Stats): FileStat {
  return {
    size: s.size,
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    mtimeMs: s.mtimeMs,
    isFile: () => s.isFile(),
    isDirectory: () => s.isDirectory(),
    isSymbolicLink: () => s.isSymbolicLink(),
  };
}

function toEntry(d: Dirent): DirEntry {
  const type = d.isFile() ? 'file' : d.isDirectory() ? 'dir' : d.isSymbolicLink() ? 'symlink' : 'other';
  return { name: d.name, type };
}

const ACCESS = { read: fsConstants.R_OK, write: fsConstants.W_OK, execute: fsConstants.X_OK } as const;

async function openWriter(path: string, options: WriterOptions = {}): Promise<FileWriter> {
  const handle = await fsp.open(path, options.exclusive ? 'wx' : 'w', options.mode);
  // Deferred only where syncTree will do it (Linux, below).
  const sync = !(options.deferSync && process.platform === 'linux');
  return {
    write: (chunks) => writevAll(handle, chunks),
    async close() {
      try {
        if (sync) await handle.sync();
      } finally {
        await handle.close();
      }
    },
    abort: () => handle.close().catch(() => undefined),
  };
}

/** coreutils' sync, by absolute path only: never a PATH lookup. */
const SYNC_PROGRAMS = ['/usr/bin/sync', '/bin/sync'];

/**
 * Everything under `dir` made durable at once: `sync -f`, i.e. syncfs(2), flushes the volume in one
 * call, where one fsync per file costs a journal commit each (an extraction writes thousands of
 * files: about 0.3 s per thousand on a busy disk, against 50 ms for the syncfs). It flushes the
 * other programs' pending writes on that volume too. Where `sync` cannot run, every file and folder
 * under `dir` is fsynced.
 */
async function syncTree(dir: string): Promise<void> {
  for (const program of SYNC_PROGRAMS) if (await syncfs(program, dir)) return;
  await fsyncTree(dir);
}

function syncfs(program: string, dir: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(program, ['-f', dir], { env: {}, windowsHide: true }, (err) => resolve(err === null));
  });
}

async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await fsyncTree(join(dir, entry.name));
    else if (entry.isFile()) await fsyncPath(join(dir, entry.name));
  }
  await fsyncPath(dir);
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await fsp.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writevAll(file: fsp.FileHandle, buffers: readonly Uint8Array[]): Promise<void> {
  let rest = buffers.filter((b) => b.byteLength > 0);
  while (rest.length > 0) {
    const { bytesWritten } = await file.writev(rest);
    // A short write (rare on a regular file): go on from the first byte not written.
    let skip = bytesWritten;
    let i = 0;
    while (i < rest.length && skip >= rest[i]!.byteLength) skip -= rest[i++]!.byteLength;
    rest = rest.slice(i);
    if (rest.length > 0 && skip > 0) rest[0] = rest[0]!.subarray(skip);
    if (bytesWritten === 0 && rest.length > 0) throw Object.assign(new Error('writev wrote nothing'), { code: 'EIO' });
  }
}

async function readRange(path: string, position: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
  const handle = await fsp.open(path, 'r');
  try {
    const buffer = into && into.length >= length ? into : Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  } finally {
    await handle.close();
  }
}

/** The FileSystem port on this machine's disks (node:fs). */
export const nodeFileSystem: FileSystem = {
  stat: async (path) => toStat(await fsp.stat(path)),
  lstat: async (path) => toStat(await fsp.lstat(path)),
  readdir: async (path) => (await fsp.readdir(path, { withFileTypes: true })).map(toEntry),
  realpath: (path) => fsp.realpath(path),
  async readFile(path, options = {}) {
    const handle = await fsp.open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (options.maxBytes !== undefined && size > options.maxBytes)
        throw Object.assign(new Error(`EFBIG: ${path} is ${size} bytes, more than ${options.maxBytes} are read`), {
          code: 'EFBIG',
        });
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  },
  readText: (path) => fsp.readFile(path, 'utf8'),
  readStream: (path) => createReadStream(path),
  readRange,
  writeFile: async (path, data, options = {}) => writeWhole(await openWriter(path, options), data),
  appendFile: (path, data, options = {}) => fsp.appendFile(path, data, { mode: options.mode }),
  openWriter,
  rename: (from, to) => fsp.rename(from, to),
  rm: (path) => fsp.rm(path, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 }),
  async mkdir(path, options = {}) {
    await fsp.mkdir(path, { recursive: true, ...(options.mode === undefined ? {} : { mode: options.mode }) });
  },
  access: (path, need) =>
    fsp.access(path, ACCESS[need]).then(
      () => true,
      () => false,
    ),
  async statfs(path) {
    const s = await fsp.statfs(path);
    return { bsize: s.bsize, bavail: s.bavail, blocks: s.blocks };
  },
  async syncDir(dir) {
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(dir, 'r');
      await handle.sync();
    } catch {
      // Windows cannot open or fsync a folder (EPERM/EISDIR); the rename itself is still atomic.
    } finally {
      await handle?.close().catch(() => undefined);
    }
  },
  ...(process.platform === 'linux' ? { syncTree, writeNewFiles, prepareNewFiles } : {}),
};
