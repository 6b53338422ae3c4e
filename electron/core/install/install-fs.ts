/**
 * The file-system port of the installer. Everything that touches `marketplace/` goes through it so
 * that tests can inject errno faults at any single operation ({@link faultyFs}).
 */
import * as fsp from 'node:fs/promises';

export interface InstallStat {
  isDirectory(): boolean;
  isFile(): boolean;
  size: number;
  mtimeMs: number;
}

export interface InstallFs {
  /** Recursive; succeeds when the folder exists. */
  mkdir(path: string): Promise<void>;
  /** Atomic on one file system; replaces an existing *file* target (POSIX semantics). */
  rename(from: string, to: string): Promise<void>;
  /** Recursive and forced: a missing path is not an error. */
  rm(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Does not follow a final symlink (lstat): the installer never follows links. */
  stat(path: string): Promise<InstallStat>;
  readFile(path: string): Promise<string>;
  /** Writes and fsyncs the file. `exclusive` fails with EEXIST when the file exists (`wx`). */
  writeFile(path: string, data: string, options?: { exclusive?: boolean }): Promise<void>;
  /** Makes renames inside `dir` durable. Best effort: platforms that cannot fsync a folder ignore it. */
  syncDir(dir: string): Promise<void>;
  /** Free bytes available to this user on the file system holding `path`. */
  freeBytes(path: string): Promise<number>;
}

export const nodeInstallFs: InstallFs = {
  async mkdir(path) {
    await fsp.mkdir(path, { recursive: true });
  },
  rename: (from, to) => fsp.rename(from, to),
  rm: (path) => fsp.rm(path, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 }),
  readdir: (path) => fsp.readdir(path),
  stat: (path) => fsp.lstat(path),
  readFile: (path) => fsp.readFile(path, 'utf8'),
  async writeFile(path, data, options) {
    const handle = await fsp.open(path, options?.exclusive ? 'wx' : 'w');
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
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
  async freeBytes(path) {
    const s = await fsp.statfs(path);
    return s.bavail * s.bsize;
  },
};

/** The operations of {@link InstallFs}, as fault rules name them. */
export type InstallFsOp = keyof InstallFs;

export interface FaultRule {
  op: InstallFsOp;
  /** Matches the (first) path argument: a substring, a RegExp, or omitted for any path. */
  path?: string | RegExp;
  /** 1-based index among the calls matching `op` and `path`; default 1. */
  nth?: number;
  /** How many consecutive matching calls fail from the nth on; default 1, `Infinity` for all. */
  times?: number;
  errno: 'ENOSPC' | 'EACCES' | 'EPERM' | 'EBUSY' | 'EXDEV' | 'EIO' | 'EROFS' | 'ENOENT';
}

export interface FaultyFs extends InstallFs {
  /** Every call made, `op path [→ to]`, for assertions and debugging. */
  readonly calls: string[];
  /** The faults that fired. */
  readonly fired: string[];
}

/** A Node-style errno error (`code`, `errno`, `syscall`, `path`). */
export function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: injected fault, ${syscall} '${path}'`);
  err.code = code;
  err.syscall = syscall;
  err.path = path;
  return err;
}

/** Test wrapper: makes chosen calls of `base` fail with the given errno, without touching the disk. */
export function faultyFs(base: InstallFs, rules: FaultRule | FaultRule[]): FaultyFs {
  const list = Array.isArray(rules) ? rules : [rules];
  const seen = list.map(() => 0);
  const calls: string[] = [];
  const fired: string[] = [];
  const check = (op: InstallFsOp, path: string, extra?: string): void => {
    calls.push(extra === undefined ? `${op} ${path}` : `${op} ${path} → ${extra}`);
    list.forEach((rule, i) => {
      if (rule.op !== op) return;
      if (rule.path !== undefined) {
        const hit = typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
        if (!hit) return;
      }
      seen[i] = (seen[i] ?? 0) + 1;
      const nth = rule.nth ?? 1;
      const n = seen[i] ?? 0;
      if (n >= nth && n < nth + (rule.times ?? 1)) {
        fired.push(`${rule.errno} on ${op} ${path}`);
        throw errnoError(rule.errno, op, path);
      }
    });
  };
  return {
    calls,
    fired,
    async mkdir(path) {
      check('mkdir', path);
      return base.mkdir(path);
    },
    async rename(from, to) {
      check('rename', from, to);
      return base.rename(from, to);
    },
    async rm(path) {
      check('rm', path);
      return base.rm(path);
    },
    async readdir(path) {
      check('readdir', path);
      return base.readdir(path);
    },
    async stat(path) {
      check('stat', path);
      return base.stat(path);
    },
    async readFile(path) {
      check('readFile', path);
      return base.readFile(path);
    },
    async writeFile(path, data, options) {
      check('writeFile', path);
      return base.writeFile(path, data, options);
    },
    async syncDir(dir) {
      check('syncDir', dir);
      return base.syncDir(dir);
    },
    async freeBytes(path) {
      check('freeBytes', path);
      return base.freeBytes(path);
    },
  };
}

/** The errno code of an error, or null. */
export function errnoOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : null;
}

/** True when `path` exists (without following a final symlink). */
export async function exists(fs: InstallFs, path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return false;
    throw err;
  }
}
