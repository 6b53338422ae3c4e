import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { sendFollowingRedirects } from '../core/http';
import { TransportError, type HttpRequest } from '../core/ports';
import {
  NetFetchHttpClient,
  netError,
  netRequestFetch,
  type ClientRequestLike,
  type FetchInit,
  type FetchLike,
  type FetchResponseLike,
  type IncomingMessageLike,
} from './net-fetch-http-client';

const base: HttpRequest = {
  url: 'https://services.glpi-network.com/api/registration/info',
  headers: { 'X-Test': 'A' },
  connectTimeoutMs: 5000,
  timeoutMs: 5000,
};
const enc = new TextEncoder();

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

function response(
  status: number,
  headers: Record<string, string>,
  body: ReadableStream<Uint8Array> | null,
): FetchResponseLike {
  return { status, headers: { forEach: (cb) => Object.entries(headers).forEach(([k, v]) => cb(v, k)) }, body };
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const chunk of body) out += new TextDecoder().decode(chunk);
  return out;
}

/** A fetch that waits for its signal and rejects as net.fetch does (with the signal's reason). */
const hangingFetch: FetchLike = (_url, init) =>
  new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason as Error)));

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('NetFetchHttpClient', () => {
  it('asks for manual redirects, no cache, with the method, headers and a signal', async () => {
    const fetch = vi.fn<FetchLike>(() => Promise.resolve(response(200, {}, streamOf([]))));
    await new NetFetchHttpClient(fetch).send({ ...base, method: 'HEAD' });
    const [url, init] = fetch.mock.calls[0] as [string, FetchInit];
    expect(url).toBe(base.url);
    expect(init.redirect).toBe('manual');
    expect(init.cache).toBe('no-store');
    expect(init.method).toBe('HEAD');
    expect(init.headers).toEqual({ 'X-Test': 'A' });
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  it('returns a redirect as it is: status and Location, nothing followed', async () => {
    const fetch = vi.fn<FetchLike>(() =>
      Promise.resolve(response(302, { Location: 'https://cdn.example.com/x.tar.bz2', 'Content-Length': '0' }, null)),
    );
    const res = await new NetFetchHttpClient(fetch).send(base);
    expect(res.status).toBe(302);
    expect(res.headers).toEqual({ location: 'https://cdn.example.com/x.tar.bz2', 'content-length': '0' });
    expect(await readAll(res.body)).toBe('');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('streams the body', async () => {
    const fetch: FetchLike = () =>
      Promise.resolve(response(200, { 'content-type': 'application/json' }, streamOf(['{"a":', '1}'])));
    const res = await new NetFetchHttpClient(fetch).send(base);
    expect(res.status).toBe(200);
    expect(await readAll(res.body)).toBe('{"a":1}');
  });

  it.each(['file:///etc/passwd', 'app://marketdesk/index.html', 'data:text/plain,x', 'javascript:alert(1)'])(
    'refuses to fetch %s',
    async (url) => {
      const fetch = vi.fn<FetchLike>();
      await expect(new NetFetchHttpClient(fetch).send({ ...base, url })).rejects.toThrow(TypeError);
      expect(fetch).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['net::ERR_NAME_NOT_RESOLVED', 'dns'],
    ['net::ERR_NAME_RESOLUTION_FAILED', 'dns'],
    ['net::ERR_INTERNET_DISCONNECTED', 'dns'],
    ['net::ERR_CONNECTION_REFUSED', 'refused'],
    ['net::ERR_ADDRESS_UNREACHABLE', 'refused'],
    ['net::ERR_CONNECTION_TIMED_OUT', 'timeout'],
    ['net::ERR_TIMED_OUT', 'timeout'],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'tls'],
    ['net::ERR_CERT_DATE_INVALID', 'tls'],
    ['net::ERR_CERT_COMMON_NAME_INVALID', 'tls'],
    ['net::ERR_SSL_PROTOCOL_ERROR', 'tls'],
    ['net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH', 'tls'],
    ['net::ERR_BAD_SSL_CLIENT_AUTH_CERT', 'tls'],
    ['net::ERR_PROXY_CONNECTION_FAILED', 'proxy'],
    ['net::ERR_PROXY_AUTH_UNSUPPORTED', 'proxy'],
    ['net::ERR_PROXY_CERTIFICATE_INVALID', 'proxy'],
    ['net::ERR_TUNNEL_CONNECTION_FAILED', 'proxy'],
    ['net::ERR_MANDATORY_PROXY_CONFIGURATION_FAILED', 'proxy'],
    ['net::ERR_PAC_SCRIPT_FAILED', 'proxy'],
    ['net::ERR_CONNECTION_RESET', 'reset'],
    ['net::ERR_CONNECTION_CLOSED', 'reset'],
    ['net::ERR_EMPTY_RESPONSE', 'reset'],
    ['net::ERR_NETWORK_CHANGED', 'reset'],
  ])('maps %s to %s, keeping the code', async (code, kind) => {
    const fetch: FetchLike = () => Promise.reject(new Error(code));
    const err = await failure(new NetFetchHttpClient(fetch).send(base));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ failure: kind, code });
    expect((err as Error).message).not.toBe('');
  });

  it('maps its own timeout to a timeout TransportError', async () => {
    const err = await failure(new NetFetchHttpClient(hangingFetch).send({ ...base, timeoutMs: 20 }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ failure: 'timeout' });
  });

  it("hands the caller's abort back as it is, not as a network failure", async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const pending = new NetFetchHttpClient(hangingFetch).send({ ...base, signal: controller.signal });
    controller.abort(reason);
    expect(await failure(pending)).toBe(reason);
  });

  it("reports the caller's abort even when the fetch fails with a network code for it", async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal.addEventListener('abort', () => reject(new Error('net::ERR_ABORTED'))),
      );
    const pending = new NetFetchHttpClient(fetch).send({ ...base, signal: controller.signal });
    controller.abort(reason);
    expect(await failure(pending)).toBe(reason);
  });

  it('times out a body that stalls after the headers', async () => {
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(enc.encode('partial'));
      },
    });
    const res = await new NetFetchHttpClient(() => Promise.resolve(response(200, {}, stalled))).send({
      ...base,
      timeoutMs: 50,
    });
    const err = await failure(readAll(res.body));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ failure: 'timeout' });
  });

  it('maps a network error in the middle of the body', async () => {
    let n = 0;
    const cut = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (n++ === 0) controller.enqueue(enc.encode('first'));
        else controller.error(new Error('net::ERR_CONNECTION_RESET'));
      },
    });
    const res = await new NetFetchHttpClient(() => Promise.resolve(response(200, {}, cut))).send(base);
    const err = await failure(readAll(res.body));
    expect(err).toMatchObject({ failure: 'reset', code: 'net::ERR_CONNECTION_RESET' });
  });

  it('cancel() aborts the request and cancels the body', async () => {
    let signal: AbortSignal | undefined;
    const cancel = vi.fn();
    const body = new ReadableStream<Uint8Array>({ pull: () => undefined, cancel });
    const fetch: FetchLike = (_url, init) => {
      signal = init.signal;
      return Promise.resolve(response(200, {}, body));
    };
    const res = await new NetFetchHttpClient(fetch).send(base);
    await res.cancel();
    expect(signal?.aborted).toBe(true);
    expect(cancel).toHaveBeenCalled();
    await res.cancel(); // twice is harmless
  });

  it('releases the request when the reader stops early', async () => {
    let signal: AbortSignal | undefined;
    const fetch: FetchLike = (_url, init) => {
      signal = init.signal;
      return Promise.resolve(response(200, {}, streamOf(['a', 'b', 'c'])));
    };
    const res = await new NetFetchHttpClient(fetch).send(base);
    for await (const chunk of res.body) {
      expect(chunk.byteLength).toBe(1);
      break;
    }
    expect(signal?.aborted).toBe(true);
  });

  it('explains when given a fetch that rejects redirects (raw net.fetch)', async () => {
    const err = await failure(
      new NetFetchHttpClient(() => Promise.reject(new Error('Redirect was cancelled'))).send(base),
    );
    expect(err).not.toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/netRequestFetch/);
  });

  it('lets other errors through untouched', async () => {
    const odd = new TypeError("Invalid value for header 'X-Test'");
    expect(await failure(new NetFetchHttpClient(() => Promise.reject(odd)).send(base))).toBe(odd);
  });
});

describe('netError', () => {
  it('describes known codes in words and keeps unknown ones as a cut connection', () => {
    expect(netError('net::ERR_CERT_AUTHORITY_INVALID').message).toMatch(/authority/);
    expect(netError('net::ERR_SOMETHING_NEW')).toMatchObject({ failure: 'reset', code: 'net::ERR_SOMETHING_NEW' });
  });
});

/** A ClientRequest stand-in recording what the adapter does with it. */
class FakeClientRequest extends EventEmitter implements ClientRequestLike {
  headers: Record<string, string> = {};
  ended = false;
  aborted = false;
  setHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
  end() {
    this.ended = true;
  }
  abort() {
    this.aborted = true;
  }
}

function incoming(status: number, headers: Record<string, string | string[]>, chunks: string[]): IncomingMessageLike {
  return Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { statusCode: status, headers });
}

describe('netRequestFetch (over net.request)', () => {
  const init = (signal = new AbortController().signal): FetchInit => ({
    method: 'GET',
    headers: { 'User-Agent': 'Marketdesk', 'X-Registration-Key': 'k' },
    redirect: 'manual',
    signal,
    cache: 'no-store',
  });

  it('asks for manual redirects, no cookies, no cache, and sends the headers', async () => {
    const req = new FakeClientRequest();
    const request = vi.fn(() => req);
    const pending = netRequestFetch(request)('https://a.test/x', init());
    req.emit('response', incoming(200, { 'content-type': 'text/plain' }, ['ok']));
    await pending;
    expect(request).toHaveBeenCalledWith(
      expect.objectContaining({
        url: 'https://a.test/x',
        method: 'GET',
        redirect: 'manual',
        useSessionCookies: false,
        cache: 'no-store',
      }),
    );
    expect(req.headers).toEqual({ 'User-Agent': 'Marketdesk', 'X-Registration-Key': 'k' });
    expect(req.ended).toBe(true);
  });

  it('returns a redirect as a 3xx with Location instead of failing like net.fetch', async () => {
    const req = new FakeClientRequest();
    const pending = netRequestFetch(() => req)('https://a.test/x', init());
    req.emit('redirect', 302, 'GET', 'https://cdn.test/file', {
      Location: ['https://cdn.test/file'],
      'cache-control': ['no-cache'],
    });
    // What Electron does next when followRedirect() is not called: it must not matter.
    req.emit('error', new Error('Redirect was cancelled'));
    const res = await pending;
    expect(res.status).toBe(302);
    expect(res.body).toBeNull();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    expect(headers).toMatchObject({ location: 'https://cdn.test/file', 'cache-control': 'no-cache' });
  });

  it('fills Location from the redirect URL when the headers lack it', async () => {
    const req = new FakeClientRequest();
    const pending = netRequestFetch(() => req)('https://a.test/x', init());
    req.emit('redirect', 307, 'GET', 'https://b.test/y', {});
    const res = await pending;
    let location: string | undefined;
    res.headers.forEach((v, k) => {
      if (k === 'location') location = v;
    });
    expect(location).toBe('https://b.test/y');
  });

  it('streams a response body', async () => {
    const req = new FakeClientRequest();
    const pending = netRequestFetch(() => req)('https://a.test/x', init());
    req.emit('response', incoming(200, { 'set-cookie': ['a=1', 'b=2'] }, ['hel', 'lo']));
    const res = await pending;
    const client = new NetFetchHttpClient(() => Promise.resolve(res));
    expect(await readAll((await client.send(base)).body)).toBe('hello');
  });

  it('rejects with the net:: error, which the client then classifies', async () => {
    const req = new FakeClientRequest();
    const client = new NetFetchHttpClient(netRequestFetch(() => req));
    const pending = client.send(base);
    await Promise.resolve();
    req.emit('error', new Error('net::ERR_CERT_AUTHORITY_INVALID'));
    expect(await failure(pending)).toMatchObject({ failure: 'tls', code: 'net::ERR_CERT_AUTHORITY_INVALID' });
  });

  it('aborts the ClientRequest when the signal fires', async () => {
    const req = new FakeClientRequest();
    const controller = new AbortController();
    const pending = netRequestFetch(() => req)('https://a.test/x', init(controller.signal));
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(req.aborted).toBe(true);
  });

  it('rejects when a header is refused, without sending anything', async () => {
    const req = new FakeClientRequest();
    req.setHeader = () => {
      throw new Error("Invalid value for header 'X-Registration-Key'");
    };
    await expect(netRequestFetch(() => req)('https://a.test/x', init())).rejects.toThrow(/Invalid value/);
    expect(req.ended).toBe(false);
  });

  it("lets the core's redirect loop drop the key on a cross-origin hop", async () => {
    const sent: { url: string; headers: Record<string, string> }[] = [];
    const request = vi.fn((options: { url?: string }) => {
      const req = new FakeClientRequest();
      const url = options.url ?? '';
      setImmediate(() => {
        sent.push({ url, headers: req.headers });
        if (url.startsWith('https://services.test/'))
          req.emit('redirect', 302, 'GET', 'https://cdn.test/file', { location: ['https://cdn.test/file'] });
        else req.emit('response', incoming(200, {}, ['done']));
      });
      return req;
    });
    const client = new NetFetchHttpClient(netRequestFetch(request));
    const hop = await sendFollowingRedirects(
      client,
      'https://services.test/api',
      (u): Record<string, string> => (u.origin === 'https://services.test' ? { 'X-Registration-Key': 'secret' } : {}),
      { connectTimeoutMs: 1000, timeoutMs: 1000 },
    );
    expect(hop.url).toBe('https://cdn.test/file');
    expect(hop.response.status).toBe(200);
    expect(sent.map((s) => [s.url, s.headers['X-Registration-Key']])).toEqual([
      ['https://services.test/api', 'secret'],
      ['https://cdn.test/file', undefined],
    ]);
  });
});
