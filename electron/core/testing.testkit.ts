/** Fakes of the core's ports, for tests. Not imported by production code. */
import { MemorySecretStore } from '../adapters/memory-secret-store';
import {
  KeychainUnavailableError,
  type Clock,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type KeyValueStore,
  type Logger,
  type SecretStore,
} from './ports';

export class MemoryStore implements KeyValueStore {
  data: Record<string, unknown> = {};

  get<T>(key: string): T | undefined {
    let node: unknown = this.data;
    for (const part of key.split('.')) {
      if (!node || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    return node === undefined ? undefined : (structuredClone(node) as T);
  }

  set(key: string, value: unknown): void {
    const parts = key.split('.');
    const last = parts.pop() ?? key;
    let node = this.data;
    for (const part of parts) node = (node[part] ??= {}) as Record<string, unknown>;
    if (value === undefined) delete node[last];
    else node[last] = structuredClone(value);
  }

  delete(key: string): void {
    this.set(key, undefined);
  }
}

/** Manual time: timers fire only from advance(); sleep() advances time itself. */
export class FakeClock implements Clock {
  private time: number;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;

  constructor(start = Date.parse('2026-06-01T10:00:00Z')) {
    this.time = start;
  }

  now(): Date {
    return new Date(this.time);
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  sleep(ms: number): Promise<void> {
    this.time += ms;
    return Promise.resolve();
  }

  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = end;
  }
}

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, data?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${data ? JSON.stringify(data) : ''}`);
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** A whole answer whose body comes a tick later, as from a server. */
export function bodyResponse(status: number, body: string, headers: Record<string, string> = JSON_TYPE): HttpResponse {
  const bytes = new TextEncoder().encode(body);
  return {
    status,
    headers,
    body: (async function* () {
      await Promise.resolve();
      yield bytes;
    })(),
    cancel: () => Promise.resolve(),
  };
}

/** The OS keychain, which a test can make unavailable (no Secret Service on D-Bus). */
export class SwitchableKeychain implements SecretStore {
  readonly kind = 'keychain' as const;
  available = true;
  private readonly inner = new MemorySecretStore('keychain');

  get(account: string): Promise<string | null> {
    return this.available ? this.inner.get(account) : this.unavailable();
  }
  set(account: string, secret: string): Promise<void> {
    return this.available ? this.inner.set(account, secret) : this.unavailable();
  }
  delete(account: string): Promise<boolean> {
    return this.available ? this.inner.delete(account) : this.unavailable();
  }
  private unavailable(): Promise<never> {
    return Promise.reject(new KeychainUnavailableError('no Secret Service answered on D-Bus'));
  }
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Thrown instead of answering (a TransportError for network failures). */
  error?: Error;
  delayMs?: number;
}

/** An HttpClient answering from a function; records every request and the peak concurrency. */
export class FakeHttp implements HttpClient {
  readonly requests: HttpRequest[] = [];
  inFlight = 0;
  peak = 0;

  constructor(public handler: (req: HttpRequest) => FakeReply | Promise<FakeReply>) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    this.requests.push(req);
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      const reply = await this.handler(req);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (reply.error) throw reply.error;
      return bodyResponse(reply.status ?? 200, reply.body ?? '', { ...JSON_TYPE, ...reply.headers });
    } finally {
      this.inFlight--;
    }
  }
}
