import type { Duplex } from 'node:stream';
import type { KnownHostKey } from './ssh/known-hosts';

/**
 * The ports the core services depend on. Each shell's composition root provides adapters:
 * keytar / electron-store / net.fetch in Electron; keytar / JSON file / undici in the browser
 * shell and the CLI; in-memory fakes in tests.
 */

/** Where the registration key lives. Never a plain file. */
export interface SecretStore {
  readonly kind: 'keychain' | 'session';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Returns whether something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** Thrown by a SecretStore when the OS keychain cannot be used at all. */
export class KeychainUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`The OS keychain is not available: ${reason}`);
    this.name = 'KeychainUnavailableError';
  }
}

/** Settings and small caches (electron-store's format: one JSON object in config.json). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'HEAD';
  headers: Record<string, string>;
  /** Time allowed to open the connection (TCP + TLS). */
  connectTimeoutMs: number;
  /** Time allowed for the whole exchange, headers and body. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection when the body is not read to the end. */
  cancel(): Promise<void>;
}

/** Transport failure categories an adapter can tell apart. */
export type TransportFailure = 'dns' | 'refused' | 'timeout' | 'tls' | 'proxy' | 'reset';

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
    /** The underlying code (ENOTFOUND, CERT_HAS_EXPIRED, net::ERR_...), for logs and the doctor. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Sends one request. Never follows redirects. Throws TransportError on transport failure. */
export interface HttpClient {
  send(req: HttpRequest): Promise<HttpResponse>;
}

export interface Clock {
  now(): Date;
  /** Schedules `fn` after `ms`; returns a cancel function. Timers must not keep a CLI alive. */
  setTimeout(fn: () => void, ms: number): () => void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      });
    });
  },
};

// ---------------------------------------------------------------------------------------------
// The file system and processes (the install pipeline, the inventory, the doctor, the console)

export interface FileStat {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  size: number;
  /** Type and permission bits, as stat(2)'s st_mode. */
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
}

export interface DirEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
}

/** The volume holding a path, as statvfs(2) tells it. */
export interface VolumeStat {
  /** Block size in bytes. */
  bsize: number;
  /** Blocks available to an unprivileged user. */
  bavail: number;
  /** Total blocks. */
  blocks: number;
}

/** A file being written, chunk by chunk (archive extraction, downloads). */
export interface FileWriter {
  /** Appends the chunks, in order (one writev where the target has it). */
  write(chunks: readonly Uint8Array[]): Promise<void>;
  /** Flushes the data to the disk (fsync, unless opened with `deferSync`) and closes the file. */
  close(): Promise<void>;
  /** Closes the file without flushing; the caller removes it. Never throws. */
  abort(): Promise<void>;
}

/**
 * The file system as the core sees it: on this machine (Node adapter) or on a GLPI server reached
 * another way (SFTP). Paths are absolute, in the target's own syntax; nothing is relative to a
 * current folder. Failures are errors with a Node-style `code` (ENOENT, EEXIST, EACCES, ENOSPC…).
 */
export interface FileSystem {
  /** Follows a final symlink. */
  stat(path: string): Promise<FileStat>;
  /** Does not follow a final symlink: the installer never follows links. */
  lstat(path: string): Promise<FileStat>;
  readdir(path: string): Promise<DirEntry[]>;
  realpath(path: string): Promise<string>;
  /** A whole file; fails with EFBIG when it is larger than `maxBytes`. */
  readFile(path: string, options?: { maxBytes?: number }): Promise<Uint8Array>;
  /** A whole file as UTF-8. */
  readText(path: string): Promise<string>;
  /** The file's bytes, in chunks (inflating a downloaded archive). */
  readStream(path: string): AsyncIterable<Uint8Array>;
  /**
   * Up to `length` bytes from `position` (fewer at the end of the file). With `into` (at least
   * `length` long), the bytes may be read into it and a view of it returned: a caller reading a
   * large file in order reuses one buffer instead of leaving one behind per read.
   */
  readRange(path: string, position: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
  /**
   * Writes and fsyncs the file. `exclusive` fails with EEXIST when the file exists (`wx`): the
   * install lock is such a file.
   */
  writeFile(path: string, data: string | Uint8Array, options?: { exclusive?: boolean; mode?: number }): Promise<void>;
  /** Appends to the file, creating it with `mode`. */
  appendFile(path: string, data: string, options?: { mode?: number }): Promise<void>;
  /**
   * Opens a file for writing in chunks; `exclusive` as in writeFile. `deferSync` (only where
   * {@link syncTree} exists): `close()` does not fsync, a later `syncTree` of a folder above does.
   */
  openWriter(path: string, options?: WriterOptions): Promise<FileWriter>;
  /** Atomic on one file system; replaces an existing *file* target (POSIX semantics). */
  rename(from: string, to: string): Promise<void>;
  /** Recursive and forced: a missing path is not an error. */
  rm(path: string): Promise<void>;
  /** Recursive; succeeds when the folder exists. `mode` (e.g. 0o700 for a private folder) applies to those created. */
  mkdir(path: string, options?: { mode?: number }): Promise<void>;
  /** Whether this process may read / write / execute the path (a folder: list / create in it). Never throws. */
  access(path: string, need: 'read' | 'write' | 'execute'): Promise<boolean>;
  /** The volume holding `path`. */
  statfs(path: string): Promise<VolumeStat>;
  /** Makes renames inside `dir` durable. Best effort: platforms that cannot fsync a folder ignore it. */
  syncDir(dir: string): Promise<void>;
  /**
   * Optional: makes everything written under `dir` durable at once, files and folders (on Linux one
   * syncfs of the volume instead of one fsync per file: an extraction writes thousands). Absent,
   * writers must fsync as they close (no `deferSync`).
   */
  syncTree?(dir: string): Promise<void>;
  /**
   * Optional, only beside {@link syncTree} (which makes them durable; nothing is fsynced here):
   * creates each file in its existing folder, failing with EEXIST when it exists (as `exclusive`),
   * writes its data and closes it, one file after the other, away from the caller's thread. An
   * extraction hands it the small files that arrived whole: one exchange for many files, where
   * {@link openWriter} costs an open, a write and a close each. Per file: null, or its error (with
   * a Node-style `code`); the call itself fails only when the files could not be handed over.
   */
  writeNewFiles?(files: readonly NewFile[]): Promise<(Error | null)[]>;
  /**
   * Optional, beside {@link writeNewFiles}: a call is coming (an extraction is about to start), get
   * ready for it now. The Node adapter starts its thread, which takes 25-40 ms: begun with the
   * install, that happens while the lock, the checks and the download's first bytes are awaited,
   * not while the first files wait. Never throws; calling it again does nothing more.
   */
  prepareNewFiles?(): void;
}

/** One whole file for {@link FileSystem.writeNewFiles}. */
export interface NewFile {
  path: string;
  data: readonly Uint8Array[];
  mode: number;
}

export interface WriterOptions {
  exclusive?: boolean;
  mode?: number;
  deferSync?: boolean;
}

/** Writes all of `data` through a newly opened writer and closes it (fsync); aborts it on failure. */
export async function writeWhole(writer: FileWriter, data: string | Uint8Array): Promise<void> {
  try {
    await writer.write([typeof data === 'string' ? Buffer.from(data, 'utf8') : data]);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  await writer.close();
}

/** The entry names of a folder. */
export async function listNames(fs: Pick<FileSystem, 'readdir'>, dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).map((e) => e.name);
}

/** Writes `data` to a temporary file next to `path`, then renames it over `path`. */
export async function writeFileAtomic(
  fs: FileSystem,
  path: string,
  data: string | Uint8Array,
  options: { mode?: number; tag?: string } = {},
): Promise<void> {
  const tmp = `${path}.${options.tag ?? Math.random().toString(36).slice(2)}.tmp`;
  try {
    await fs.writeFile(tmp, data, options.mode === undefined ? {} : { mode: options.mode });
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp).catch(() => undefined);
    throw err;
  }
}

export interface ProcessRequest {
  /** Absolute path of the program; started directly, never through a shell. */
  file: string;
  args: string[];
  cwd: string;
  /** After this, the whole process tree is killed (SIGKILL) and `timedOut` is set. */
  timeoutMs: number;
  /** Output kept (stdout and stderr together); the rest is read and dropped, `truncated` is set. */
  maxOutputBytes: number;
  /** The child's whole environment. Without it the adapter passes `minimalEnv(process.env)`. */
  env?: Record<string, string>;
}

export interface ProcessResult {
  /** null when the process did not exit by itself (signal) or never started. */
  exitCode: number | null;
  signal: string | null;
  /** stdout and stderr interleaved in the order they arrived, decoded as UTF-8. */
  output: string;
  truncated: boolean;
  timedOut: boolean;
  /**
   * Set when the process could not be started: the system's code (ENOENT, EACCES, ...), or
   * EBADCWD when `cwd` is not an existing folder.
   */
  error?: { code: string; message: string };
}

/** Starts a program and waits for it. Never throws: start failures are reported in `error`. */
export interface ProcessRunner {
  run(req: ProcessRequest): Promise<ProcessResult>;
}

/** The machine the core runs on (or acts on): who and where it is. */
export interface HostInfo {
  hostname: string;
  /** The user's home folder (~/.ssh/known_hosts). */
  home: string;
  pid: number;
  /** The user name written in the history. */
  user: string;
  platform: NodeJS.Platform;
  /** PATH, where php is looked for. */
  pathEnv: string | undefined;
  /** Whether process `pid` of this host still runs (a stale install lock). */
  isAlive(pid: number): boolean;
}

/** Runs a PAC script's `FindProxyForURL(url, host)` in a sandbox; returns its raw answer. Throws when the script is broken. */
export type PacRunner = (script: string, url: string, options?: { myIp?: string }) => string;

/**
 * A decompressor running in another process: compressed bytes in, decompressed bytes out. A write's
 * callback comes once all of the chunk is in the pipe: the caller may then fill it again.
 */
export interface DecompressorProcess extends Duplex {
  /** Settles when the process has exited (with its exit code, or the signal that killed it). */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  readonly pid: number | undefined;
}

/**
 * Starts the system's bzip2 decoder (`bzip2 -dc`, streaming stdin to stdout, which ProcessRunner's
 * run-to-completion cannot express). `onOutput` sees every output piece, with the compressed bytes
 * handed to the decoder so far, before it is pushed; throwing from it stops the decoder. Resolves
 * null when there is no usable system decoder (the JavaScript one is used then).
 */
export type Bzip2Spawner = (options: {
  onOutput?: (decompressedSoFar: number, compressedHanded: number) => void;
}) => Promise<DecompressorProcess | null>;

/**
 * Runs `work` (an install: a stream of short-lived buffers) while the runtime frees such buffers as
 * they pile up, so that its memory does not grow with the archive (adapters/buffer-collector.ts).
 */
export type BufferCollector = <T>(work: () => Promise<T>) => Promise<T>;

/** How the core asks for an SSH connection; the adapter reads the key file and finds the agent. */
export interface SshOpenRequest {
  endpoint: { host: string; port: number; user: string };
  auth:
    | { method: 'agent' }
    | { method: 'key'; path: string; passphrase?: string }
    | { method: 'password'; password: string };
  /** Keys listed for the host: the known_hosts files', then the one remembered for the instance. */
  knownKeys: KnownHostKey[];
  /** A `SHA256:...` fingerprint the admin confirmed: lets in an unknown host with exactly that key. */
  acceptFingerprint?: string;
  /** Files are read and written, and programs run, as this user through `sudo -n -u`. */
  sudoUser?: string;
  /** For the connection, the handshake and authentication together. */
  timeoutMs?: number;
}

/** A GLPI server over SSH: its files (SFTP) and its programs (exec), until closed or cut. */
export interface RemoteSession {
  fs: FileSystem;
  processes: ProcessRunner;
  /** The key the server presented (type, base64 blob, `SHA256:...`). */
  hostKey: { type: string; key: string; fingerprint: string };
  /** PATH on the server (where php is looked for). */
  pathEnv: string;
  /** Called once when the connection ends, whoever ended it. */
  onClose(listener: () => void): void;
  close(): void;
}

/** Opens SSH sessions (ssh2 in the Node adapters). Throws SshError (core/ssh/ssh-error). */
export type SshConnector = (request: SshOpenRequest) => Promise<RemoteSession>;
