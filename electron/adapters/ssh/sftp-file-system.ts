/**
 * The core's {@link FileSystem} port over SFTP (OpenSSH's sftp-server, protocol 3 with its
 * extensions), so that the install pipeline, the inventory and the doctor run unchanged on a GLPI
 * server reached over SSH:
 * - renames are `posix-rename@openssh.com` (atomic, replaces a file as rename(2) does); a server
 *   without it gets the plain SFTP rename, which refuses an existing target;
 * - files are fsynced (`fsync@openssh.com`) before they are closed, where the server offers it;
 * - files being written are spread over up to {@link WRITE_CHANNELS} SFTP channels when the caller
 *   can open more than one: each channel is its own sftp-server process, which serves its requests
 *   one at a time, so with a single channel every file's fsync waits for the previous one's
 *   (~2.5 ms each on an ext4 disk, hundreds per plugin); fsyncs from several processes share the
 *   file system's journal commits;
 * - the volume comes from `statvfs@openssh.com`;
 * - errors carry Node-style codes: protocol 3 only tells ENOENT and EACCES apart from "failure",
 *   so EEXIST, ENOTEMPTY and ENOSPC are told by looking again (and ENOSPC by the free space).
 * `access()` reads the mode bits against the remote user's ids (SFTP has no access(2)).
 */
import type { OpenMode, SFTPWrapper, Stats } from 'ssh2';
import {
  writeWhole,
  type DirEntry,
  type FileStat,
  type FileSystem,
  type FileWriter,
  type VolumeStat,
} from '../../core/ports';

/** Who the SFTP server runs as, from `id -u`, `id -g`, `id -G` on the server. */
export interface RemoteIds {
  uid: number;
  gids: number[];
}

export interface SftpOptions {
  /**
   * Opens another SFTP channel as the same user, for files being written at the same time. Absent,
   * or when it fails, everything goes through the first channel.
   */
  openChannel?: () => Promise<SFTPWrapper>;
}

/** SFTP channels files are written through at most (the first one included). */
export const WRITE_CHANNELS = 4;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const READ_CHUNK = 256 * 1024;

const STATUS_ENOENT = 2;
const STATUS_EACCES = 3;

function errno(code: string, message: string, path: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: ${message}, ${path}`);
  err.code = code;
  err.path = path;
  return err;
}

/** ssh2's error for the requests in flight when the SFTP channel closes. */
const NO_RESPONSE = 'No response from server';

/**
 * An SFTP status error as a Node-style one: ENOENT, EACCES, ECONNRESET (ssh2 fails the requests in
 * flight with "No response from server" when the channel closes: the connection was lost, as for
 * those sent afterwards, see {@link failFastWhenClosed}), or EIO ("failure", the server did not say).
 */
function mapError(err: unknown, path: string): NodeJS.ErrnoException {
  const e = err as Error & { code?: unknown };
  if (e.code === STATUS_ENOENT) return errno('ENOENT', 'no such file or directory', path);
  if (e.code === STATUS_EACCES) return errno('EACCES', 'permission denied', path);
  if (typeof e.code === 'string') return e as NodeJS.ErrnoException;
  if (e.code === undefined && e.message === NO_RESPONSE)
    return errno('ECONNRESET', 'the SSH connection to the server was lost', path);
  return errno('EIO', e.message || 'the SFTP server reported a failure', path);
}

function call<T>(path: string, fn: (cb: (err: Error | undefined | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(mapError(err, path)) : resolve(value))));
}

/** {@link call} for the operations that answer with a status only. */
function done(path: string, fn: (cb: (err?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(mapError(err, path)) : resolve())));
}

function toStat(s: Stats): FileStat {
  const type = s.mode & S_IFMT;
  return {
    isFile: () => type === S_IFREG,
    isDirectory: () => type === S_IFDIR,
    isSymbolicLink: () => type === S_IFLNK,
    size: s.size,
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    mtimeMs: s.mtime * 1000,
  };
}

function entryType(mode: number): DirEntry['type'] {
  const type = mode & S_IFMT;
  return type === S_IFREG ? 'file' : type === S_IFDIR ? 'dir' : type === S_IFLNK ? 'symlink' : 'other';
}

/** The channel's EventEmitter methods: their function argument is a listener, not a request's callback. */
const LISTENER_METHODS = new Set<PropertyKey>([
  'on',
  'once',
  'off',
  'addListener',
  'prependListener',
  'prependOnceListener',
  'removeListener',
]);

/**
 * ssh2 fails the requests in flight when the channel closes ("No response from server") but never
 * answers one sent afterwards: an install whose server died would wait forever at its next file
 * operation. Nor does it always answer a request it sends itself inside another: `readdir(path)`
 * opens the folder, then reads it, and a channel that dies in between left the read unanswered
 * and the install hanging in its clean-up (seen under load in ssh-recovery.test.ts). So every
 * request's callback is called once only, and those still waiting when the channel ends, and
 * every request sent afterwards, fail at once with ECONNRESET.
 */
function failFastWhenClosed(sftp: SFTPWrapper): SFTPWrapper {
  let closed = false;
  const waiting = new Set<() => void>();
  const lost = (): Error =>
    Object.assign(new Error('the SSH connection to the server was lost'), { code: 'ECONNRESET' });
  const markClosed = (): void => {
    closed = true;
    for (const fail of [...waiting]) fail();
  };
  sftp.once('end', markClosed);
  sftp.once('close', markClosed);
  return new Proxy(sftp, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const cb = args.at(-1);
        const call = (): unknown => (value as (...a: unknown[]) => unknown).apply(target, args);
        if (typeof cb !== 'function' || LISTENER_METHODS.has(prop)) return call();
        const answer = cb as (...result: unknown[]) => void;
        if (closed) {
          queueMicrotask(() => answer(lost()));
          return undefined;
        }
        let answered = false;
        const once = (...result: unknown[]): void => {
          if (answered) return;
          answered = true;
          waiting.delete(fail);
          answer(...result);
        };
        const fail = (): void => once(lost());
        waiting.add(fail);
        args[args.length - 1] = once;
        return call();
      };
    },
  });
}

/** A channel and the number of files being written through it. */
interface WriteChannel {
  sftp: SFTPWrapper;
  writers: number;
}

/**
 * The channels for writers: the least busy one, or a new one (up to {@link WRITE_CHANNELS}) when
 * every open one has a writer. A channel that cannot be opened is not asked for again.
 */
function writeChannels(first: SFTPWrapper, openChannel: SftpOptions['openChannel']) {
  const channels: WriteChannel[] = [{ sftp: first, writers: 0 }];
  let opening: Promise<void> | null = null;
  let more = openChannel !== undefined;
  const grow = (): Promise<void> => {
    opening ??= openChannel!().then(
      (sftp) => {
        channels.push({ sftp, writers: 0 });
        more = channels.length < WRITE_CHANNELS;
        opening = null;
      },
      () => {
        more = false;
        opening = null;
      },
    );
    return opening;
  };
  return async (): Promise<WriteChannel> => {
    const least = (): WriteChannel => channels.reduce((a, b) => (b.writers < a.writers ? b : a));
    // Bounded: each round adds a channel or stops asking (at most WRITE_CHANNELS - 1 rounds).
    while (more && least().writers > 0) await grow();
    const chosen = least();
    chosen.writers++;
    return chosen;
  };
}

/**
 * A path of the server as the core may write it. The core joins paths with `node:path`, so on a
 * Windows desktop `/var/www/glpi` becomes `C:\\var\\www\\glpi\\marketplace`: separators back to `/`
 * and a drive letter before an absolute path dropped. GLPI's folders never hold a backslash or a
 * `C:` of their own, so the mapping is safe on every desktop (and changes nothing on POSIX ones).
 */
export function remotePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^[A-Za-z]:(?=\/)/, '');
}

/** Every method's path argument (both for rename) through {@link remotePath}. */
function withRemotePaths(fs: FileSystem): FileSystem {
  // The methods are closures (no `this`): they can be called apart from the object.
  const methods = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const wrapped: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, method] of Object.entries(methods)) {
    wrapped[name] = (...args: unknown[]) => {
      const mapped = args.map((a, i) =>
        typeof a === 'string' && (i === 0 || (i === 1 && name === 'rename')) ? remotePath(a) : a,
      );
      return method(...mapped);
    };
  }
  return wrapped as unknown as FileSystem;
}

export function sftpFileSystem(channel: SFTPWrapper, ids: RemoteIds, options: SftpOptions = {}): FileSystem {
  return withRemotePaths(posixSftpFileSystem(channel, ids, options));
}

function posixSftpFileSystem(channel: SFTPWrapper, ids: RemoteIds, options: SftpOptions): FileSystem {
  const sftp = failFastWhenClosed(channel);
  const { openChannel } = options;
  const writeChannel = writeChannels(sftp, openChannel && (() => openChannel().then(failFastWhenClosed)));
  const stat = (path: string): Promise<Stats> => call(path, (cb) => sftp.stat(path, cb));
  const lstat = (path: string): Promise<Stats> => call(path, (cb) => sftp.lstat(path, cb));
  const exists = (path: string): Promise<boolean> =>
    lstat(path).then(
      () => true,
      () => false,
    );
  const open = (path: string, flags: string, mode?: number, on = sftp): Promise<Buffer> =>
    call<Buffer>(path, (cb) => on.open(path, flags as OpenMode, mode === undefined ? {} : { mode }, cb)).catch(
      async (err: NodeJS.ErrnoException) => {
        // Protocol 3 says "failure" for an exclusive create over an existing file.
        if (err.code === 'EIO' && flags.includes('x') && (await exists(path))) {
          throw errno('EEXIST', 'file already exists', path);
        }
        throw err;
      },
    );
  const close = (path: string, handle: Buffer, on = sftp): Promise<void> => done(path, (cb) => on.close(handle, cb));
  const fsync = async (path: string, handle: Buffer, on: SFTPWrapper): Promise<void> => {
    await call(path, (cb) => on.ext_openssh_fsync(handle, cb)).catch((err: NodeJS.ErrnoException) => {
      // A server without the extension: ssh2 says so before sending anything; nothing to sync with.
      if (!/not supported/i.test(err.message)) throw err;
    });
  };
  const statvfs = (path: string): Promise<VolumeStat> =>
    call<{ f_bsize: number | bigint; f_frsize: number | bigint; f_bavail: number | bigint; f_blocks: number | bigint }>(
      path,
      (cb) => sftp.ext_openssh_statvfs(path, cb),
    ).then((v) => ({
      // f_blocks and f_bavail count f_frsize units.
      bsize: Number(v.f_frsize) || Number(v.f_bsize),
      bavail: Number(v.f_bavail),
      blocks: Number(v.f_blocks),
    }));
  /** Tells a write failure on a full volume (protocol 3 says "failure") from other failures. */
  const explainWrite = async (err: NodeJS.ErrnoException, path: string): Promise<NodeJS.ErrnoException> => {
    if (err.code !== 'EIO') return err;
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    const free = await statvfs(dir).catch(() => null);
    return free && free.bavail === 0 ? errno('ENOSPC', 'no space left on device', path) : err;
  };
  const writeAll = async (
    on: SFTPWrapper,
    path: string,
    handle: Buffer,
    data: Uint8Array,
    at: number,
  ): Promise<void> => {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    // Pipelined: every piece is sent before the first answer comes back.
    const step = 256 * 1024;
    const pieces: Promise<void>[] = [];
    for (let off = 0; off < buf.length; off += step) {
      const len = Math.min(step, buf.length - off);
      pieces.push(done(path, (cb) => on.write(handle, buf, off, len, at + off, cb)));
    }
    const results = await Promise.allSettled(pieces);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw await explainWrite(failed.reason as NodeJS.ErrnoException, path);
  };
  const openWriter = async (
    path: string,
    options: { exclusive?: boolean; mode?: number; append?: boolean } = {},
  ): Promise<FileWriter> => {
    const flags = options.append ? 'a' : options.exclusive ? 'wx' : 'w';
    const channel = await writeChannel();
    const on = channel.sftp;
    let closed = false;
    const release = (): void => {
      if (closed) return;
      closed = true;
      channel.writers--;
    };
    let handle: Buffer;
    let position = 0;
    try {
      handle = await open(path, flags, options.mode ?? 0o644, on);
      if (options.append) position = (await call<Stats>(path, (cb) => on.fstat(handle, cb))).size;
    } catch (err) {
      release();
      throw err;
    }
    return {
      async write(chunks) {
        for (const chunk of chunks) {
          await writeAll(on, path, handle, chunk, position);
          position += chunk.byteLength;
        }
      },
      async close() {
        release();
        // Both sent at once: the server answers them in order, the close after the fsync.
        const synced = fsync(path, handle, on);
        const shut = close(path, handle, on);
        const [s, c] = await Promise.allSettled([synced, shut]);
        if (s.status === 'rejected') throw s.reason;
        if (c.status === 'rejected') throw c.reason;
      },
      async abort() {
        if (closed) return;
        release();
        await close(path, handle, on).catch(() => undefined);
      },
    };
  };
  const writeFile = async (
    path: string,
    data: string | Uint8Array,
    options: { exclusive?: boolean; mode?: number; append?: boolean } = {},
  ): Promise<void> => writeWhole(await openWriter(path, options), data);
  const readRange = async (path: string, position: number, length: number): Promise<Uint8Array> => {
    const handle = await open(path, 'r');
    try {
      return await readAt(path, handle, position, length);
    } finally {
      await close(path, handle).catch(() => undefined);
    }
  };
  const readAt = async (path: string, handle: Buffer, position: number, length: number): Promise<Buffer> => {
    const out = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = await new Promise<number>((resolve, reject) =>
        sftp.read(handle, out, got, Math.min(READ_CHUNK, length - got), position + got, (err, bytesRead) =>
          // ssh2 reports the end of the file as an EOF status error.
          err
            ? (err as { code?: unknown }).code === 1
              ? resolve(0)
              : reject(mapError(err, path))
            : resolve(bytesRead),
        ),
      );
      if (n === 0) break;
      got += n;
    }
    return out.subarray(0, got);
  };
  const rmTree = async (path: string): Promise<void> => {
    let s: Stats;
    try {
      s = await lstat(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if ((s.mode & S_IFMT) === S_IFDIR) {
      const list = await call<{ filename: string }[]>(path, (cb) => sftp.readdir(path, cb));
      for (const e of list) if (e.filename !== '.' && e.filename !== '..') await rmTree(`${path}/${e.filename}`);
      await done(path, (cb) => sftp.rmdir(path, cb));
    } else {
      await done(path, (cb) => sftp.unlink(path, cb));
    }
  };
  const mkdirp = async (path: string): Promise<void> => {
    const existing = await stat(path).catch(() => null);
    if (existing) {
      if ((existing.mode & S_IFMT) === S_IFDIR) return;
      throw errno('EEXIST', 'file already exists', path);
    }
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (parent && parent !== path) await mkdirp(parent);
    await done(path, (cb) => sftp.mkdir(path, { mode: 0o755 }, cb)).catch(async (err: NodeJS.ErrnoException) => {
      // Made meanwhile by someone else: fine.
      if ((await stat(path).catch(() => null))?.isDirectory()) return;
      throw err;
    });
  };

  return {
    stat: async (path) => toStat(await stat(path)),
    lstat: async (path) => toStat(await lstat(path)),
    async readdir(path) {
      const list = await call<{ filename: string; attrs: { mode: number } }[]>(path, (cb) => sftp.readdir(path, cb));
      return list
        .filter((e) => e.filename !== '.' && e.filename !== '..')
        .map((e) => ({ name: e.filename, type: entryType(e.attrs.mode) }));
    },
    realpath: (path) => call(path, (cb) => sftp.realpath(path, cb)),
    async readFile(path, options = {}) {
      const handle = await open(path, 'r');
      try {
        const size = (await call<Stats>(path, (cb) => sftp.fstat(handle, cb))).size;
        if (options.maxBytes !== undefined && size > options.maxBytes) {
          throw errno('EFBIG', `file is larger than ${options.maxBytes} bytes`, path);
        }
        return await readAt(path, handle, 0, size);
      } finally {
        await close(path, handle).catch(() => undefined);
      }
    },
    readText: async (path) => Buffer.from(await readRange(path, 0, (await stat(path)).size)).toString('utf8'),
    async *readStream(path) {
      const handle = await open(path, 'r');
      try {
        for (let at = 0; ;) {
          const chunk = await readAt(path, handle, at, READ_CHUNK);
          if (chunk.length === 0) return;
          at += chunk.length;
          yield chunk;
        }
      } finally {
        await close(path, handle).catch(() => undefined);
      }
    },
    readRange,
    writeFile: (path, data, options) => writeFile(path, data, options),
    appendFile: (path, data, options = {}) => writeFile(path, data, { ...options, append: true }),
    openWriter: (path, options) => openWriter(path, options),
    async rename(from, to) {
      await done(from, (cb) => sftp.ext_openssh_rename(from, to, cb)).catch(async (err: NodeJS.ErrnoException) => {
        if (!/not supported/i.test(err.message)) throw err;
        await done(from, (cb) => sftp.rename(from, to, cb));
      });
    },
    rm: rmTree,
    mkdir: mkdirp,
    async access(path, need) {
      const s = await stat(path).catch(() => null);
      if (!s) return false;
      if (ids.uid === 0) return need !== 'execute' || (s.mode & 0o111) !== 0 || (s.mode & S_IFMT) === S_IFDIR;
      const shift = s.uid === ids.uid ? 6 : ids.gids.includes(s.gid) ? 3 : 0;
      const bit = need === 'read' ? 4 : need === 'write' ? 2 : 1;
      const ok = ((s.mode >> shift) & bit) !== 0;
      // Creating in a folder needs its search bit too.
      return need === 'write' && (s.mode & S_IFMT) === S_IFDIR ? ok && ((s.mode >> shift) & 1) !== 0 : ok;
    },
    statfs: statvfs,
    async syncDir() {
      // SFTP cannot fsync a folder: the renames are as durable as the server's file system makes them.
    },
  };
}
