/**
 * Helpers around the FileSystem port for the installer: errno tests, and {@link faultyFs}, which
 * lets tests inject errno faults at any single operation.
 */
import type { FileSystem } from '../ports.js';

/** The operations of {@link FileSystem}, as fault rules name them. */
export type InstallFsOp = keyof FileSystem;

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

export interface FaultyFs extends FileSystem {
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
export function faultyFs(base: FileSystem, rules: FaultRule | FaultRule[]): FaultyFs {
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
  const wrapped = { calls, fired } as FaultyFs;
  for (const op of Object.keys(base) as InstallFsOp[]) {
    const call = (...args: unknown[]): unknown => {
      check(op, String(args[0]), op === 'rename' ? String(args[1]) : undefined);
      return (base[op] as (...a: unknown[]) => unknown).apply(base, args);
    };
    // readStream returns an iterable, not a promise: its fault is thrown when it is iterated.
    (wrapped as unknown as Record<string, unknown>)[op] =
      op === 'readStream'
        ? (path: string) => ({
            async *[Symbol.asyncIterator]() {
              yield* call(path) as AsyncIterable<Uint8Array>;
            },
          })
        : (...args: unknown[]) => Promise.resolve().then(() => call(...args));
  }
  return wrapped;
}

/** The errno code of an error, or null. */
export function errnoOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : null;
}

/** True when `path` exists (without following a final symlink). */
export async function exists(fs: FileSystem, path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return false;
    throw err;
  }
}
