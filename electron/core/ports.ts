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
