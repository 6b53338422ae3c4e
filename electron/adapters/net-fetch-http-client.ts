import { Readable } from 'node:stream';
import type { ClientRequestConstructorOptions } from 'electron';
import {
  TransportError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type TransportFailure,
} from '../core/ports';

/** What the client passes to its fetch function. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  /** Redirects are the core's business: it re-decides the headers at every hop. */
  redirect: 'manual';
  signal: AbortSignal;
  /** The core caches with ETags itself; Chromium's HTTP cache must not answer in its place. */
  cache: 'no-store';
}

/** What the client needs of a response: a WHATWG Response satisfies it. */
export interface FetchResponseLike {
  status: number;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  body: ReadableStream<Uint8Array> | null;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

/**
 * HttpClient over Chromium's network stack (system proxy, PAC, proxy auth, OS trust store), through
 * an injected fetch function: `netRequestFetch(net.request)` in the app, a fake in tests.
 *
 * `timeoutMs` covers the whole exchange, body included. `connectTimeoutMs` cannot be applied:
 * Chromium does not report when the connection is up, and applies its own connect timeout.
 */
export class NetFetchHttpClient implements HttpClient {
  constructor(private readonly fetch: FetchLike) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    const protocol = new URL(req.url).protocol;
    // net.fetch also reaches file: and app:// (our own UI): a URL from marketplace data must not.
    if (protocol !== 'https:' && protocol !== 'http:') throw new TypeError(`Refusing to fetch a ${protocol} URL.`);

    const internal = new AbortController();
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const signal = AbortSignal.any(req.signal ? [internal.signal, timeout, req.signal] : [internal.signal, timeout]);
    const fail = (err: unknown): unknown =>
      toError(err, { caller: req.signal, timeout, internal: internal.signal, timeoutMs: req.timeoutMs });

    let res: FetchResponseLike;
    try {
      res = await this.fetch(req.url, {
        method: req.method ?? 'GET',
        headers: req.headers,
        redirect: 'manual',
        signal,
        cache: 'no-store',
      });
    } catch (err) {
      throw fail(err);
    }

    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });

    const body = res.body;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let settled = false;

    async function* read(): AsyncGenerator<Uint8Array> {
      if (!body) return;
      reader = body.getReader();
      const r = reader;
      // A timeout or cancel() while a read is pending must wake it up, whatever the stream does.
      const wake = () => void r.cancel().catch(() => undefined);
      signal.addEventListener('abort', wake, { once: true });
      try {
        for (;;) {
          let chunk: Awaited<ReturnType<typeof r.read>>;
          try {
            chunk = await r.read();
          } catch (err) {
            throw fail(err);
          }
          // A cancelled reader reports `done`: that is a cut body, not the end of it.
          if (signal.aborted) throw fail(signal.reason);
          if (chunk.done) {
            settled = true;
            return;
          }
          yield chunk.value;
        }
      } finally {
        signal.removeEventListener('abort', wake);
        if (!settled) {
          settled = true;
          internal.abort();
          await r.cancel().catch(() => undefined);
        }
      }
    }

    return {
      status: res.status,
      headers,
      body: { [Symbol.asyncIterator]: read },
      cancel: async () => {
        if (settled) return;
        settled = true;
        internal.abort();
        await (reader ?? body)?.cancel().catch(() => undefined);
      },
    };
  }
}

interface FailContext {
  caller: AbortSignal | undefined;
  timeout: AbortSignal;
  internal: AbortSignal;
  timeoutMs: number;
}

function toError(err: unknown, ctx: FailContext): unknown {
  // The caller's own abort is not a network failure: hand its reason back untouched.
  if (ctx.caller?.aborted) return ctx.caller.reason;
  if (ctx.timeout.aborted)
    return new TransportError('timeout', `No complete answer within ${ctx.timeoutMs} ms.`, 'ETIMEDOUT');
  if (ctx.internal.aborted) return new DOMException('The response was cancelled.', 'AbortError');
  if (err instanceof TransportError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = /net::ERR_[A-Z0-9_]+/.exec(message)?.[0];
  if (code) return netError(code);
  if (message === 'Redirect was cancelled') {
    // What Electron's net.fetch does with redirect: 'manual' (electron/electron#43715).
    return new Error(
      'The fetch function cannot return redirects (Electron net.fetch rejects them); use netRequestFetch(net.request).',
    );
  }
  return err;
}

const DNS = /^net::ERR_(NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|DNS_.+|INTERNET_DISCONNECTED)$/;
const REFUSED =
  /^net::ERR_(CONNECTION_REFUSED|CONNECTION_FAILED|ADDRESS_UNREACHABLE|ADDRESS_INVALID|NETWORK_ACCESS_DENIED)$/;
const TIMEOUT = /^net::ERR_(CONNECTION_TIMED_OUT|TIMED_OUT)$/;
const TLS =
  /^net::ERR_(CERT_.+|CERTIFICATE_.+|SSL_.+|BAD_SSL_.+|ECH_.+|TLS.+|CT_.+|INSECURE_RESPONSE|PINNING_FAILURE)$/;
const PROXY =
  /^net::ERR_(PROXY_.+|TUNNEL_CONNECTION_FAILED|MANDATORY_PROXY_CONFIGURATION_FAILED|PAC_.+|SOCKS_.+|HTTPS_PROXY_.+)$/;

const DESCRIPTIONS: Record<string, string> = {
  'net::ERR_NAME_NOT_RESOLVED': 'the host name could not be resolved',
  'net::ERR_INTERNET_DISCONNECTED': 'this machine is not connected to a network',
  'net::ERR_CONNECTION_REFUSED': 'the connection was refused',
  'net::ERR_CONNECTION_TIMED_OUT': 'the connection timed out',
  'net::ERR_TIMED_OUT': 'the request timed out',
  'net::ERR_CONNECTION_RESET': 'the connection was reset',
  'net::ERR_CONNECTION_CLOSED': 'the connection was closed before an answer came',
  'net::ERR_EMPTY_RESPONSE': 'the server closed the connection without answering',
  'net::ERR_CERT_AUTHORITY_INVALID': 'the certificate was issued by an authority this machine does not trust',
  'net::ERR_CERT_DATE_INVALID': 'the certificate has expired or is not yet valid',
  'net::ERR_CERT_COMMON_NAME_INVALID': 'the certificate does not match the host name',
  'net::ERR_CERT_REVOKED': 'the certificate has been revoked',
  'net::ERR_PROXY_CONNECTION_FAILED': 'the proxy could not be reached',
  'net::ERR_TUNNEL_CONNECTION_FAILED': 'the proxy could not open a tunnel to the server',
  'net::ERR_PROXY_AUTH_UNSUPPORTED': 'the proxy asks for an authentication scheme Marketdesk cannot use',
  'net::ERR_PROXY_CERTIFICATE_INVALID': "the proxy's certificate is not trusted",
};

/** Maps a Chromium net error (net::ERR_...) to the failure the core tells apart. */
export function netError(code: string): TransportError {
  let failure: TransportFailure;
  if (DNS.test(code)) failure = 'dns';
  else if (REFUSED.test(code)) failure = 'refused';
  else if (TIMEOUT.test(code)) failure = 'timeout';
  else if (PROXY.test(code)) failure = 'proxy';
  else if (TLS.test(code)) failure = 'tls';
  // CONNECTION_RESET/CLOSED/ABORTED, EMPTY_RESPONSE, truncated bodies, NETWORK_CHANGED and the
  // rest: the exchange broke off; the core may retry a bounded number of times.
  else failure = 'reset';
  const description =
    DESCRIPTIONS[code] ??
    {
      dns: 'the host name could not be resolved',
      refused: 'the connection could not be opened',
      timeout: 'the request timed out',
      tls: 'the secure connection failed',
      proxy: 'the proxy failed the request',
      reset: 'the connection broke off',
    }[failure];
  return new TransportError(failure, description, code);
}

/** The part of Electron's ClientRequest used by netRequestFetch. */
export interface ClientRequestLike {
  setHeader(name: string, value: string): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  abort(): void;
  end(): void;
}

/** Electron's IncomingMessage: a Node Readable with status and headers. */
export type IncomingMessageLike = Readable & { statusCode: number; headers: Record<string, string | string[]> };

export type NetRequest = (options: ClientRequestConstructorOptions) => ClientRequestLike;

/** Electron's AuthInfo (the part used). */
export interface AuthInfoLike {
  isProxy: boolean;
  host: string;
  port: number;
}

/** Credentials for an auth challenge (`alreadyTried`: a second challenge for the same request), or null. */
export type LoginAnswer = (
  authInfo: AuthInfoLike,
  alreadyTried: boolean,
) => { username: string; password: string } | null;

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    try {
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    } catch {
      // A header Headers refuses is one the core has no use for.
    }
  }
  return headers;
}

/**
 * A fetch function over Electron's `net.request` that returns 3xx responses as they are (status
 * and Location), which is what the core's redirect loop needs. `net.fetch` cannot: with
 * `redirect: 'manual'` it rejects with "Redirect was cancelled" (electron/electron#43715).
 * Session cookies are neither sent nor stored; proxy and server auth from the session still apply.
 */
export function netRequestFetch(request: NetRequest, login?: LoginAnswer): FetchLike {
  return (url, init) =>
    new Promise<FetchResponseLike>((resolve, reject) => {
      if (init.signal.aborted) return reject(init.signal.reason as Error);
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
      };
      let req: ClientRequestLike;
      try {
        req = request({ url, method: init.method, redirect: 'manual', cache: init.cache, useSessionCookies: false });
        for (const [name, value] of Object.entries(init.headers)) req.setHeader(name, value);
      } catch (err) {
        return reject(err instanceof Error ? err : new Error(String(err)));
      }
      init.signal.addEventListener(
        'abort',
        () => {
          req.abort();
          settle(() => reject(init.signal.reason as Error));
        },
        { once: true },
      );

      req.on(
        'redirect',
        (status: number, _method: string, redirectUrl: string, responseHeaders: Record<string, string[]>) => {
          // Not calling followRedirect() makes Electron cancel the request: exactly what we want,
          // once the 3xx is in hand. The 'error' that follows is ignored below.
          const headers = toHeaders(responseHeaders);
          if (!headers.has('location')) headers.set('location', redirectUrl);
          settle(() => resolve({ status, headers, body: null }));
        },
      );
      req.on('response', (message: IncomingMessageLike) => {
        settle(() =>
          resolve({
            status: message.statusCode,
            headers: toHeaders(message.headers),
            body: Readable.toWeb(message) as ReadableStream<Uint8Array>,
          }),
        );
      });
      let challenged = false;
      req.on('login', (authInfo: AuthInfoLike, callback: (username?: string, password?: string) => void) => {
        const answer = login?.(authInfo, challenged);
        challenged = true;
        // No answer: Electron cancels the request, which then fails (a 407 the core reports as proxy auth).
        if (answer) callback(answer.username, answer.password);
        else callback();
      });
      req.on('error', (err: Error) => settle(() => reject(err)));
      req.end();
    });
}
