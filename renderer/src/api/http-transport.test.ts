import { createHttpTransport, type EventSourceLike, type XhrLike } from './http-transport';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('createHttpTransport invoke', () => {
  it('POSTs the payload as JSON to /api/invoke/<channel> with same-origin credentials', async () => {
    const fetch = vi.fn(() => Promise.resolve(jsonResponse(200, { ok: true, value: 42 })));
    const transport = createHttpTransport({ fetch });
    await expect(transport.invoke('key.set', { key: 'abcdefghijkl', force: true })).resolves.toEqual({
      ok: true,
      value: 42,
    });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/invoke/key.set');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body as string)).toEqual({ key: 'abcdefghijkl', force: true });
  });

  it('returns an error envelope as is, whatever the HTTP status', async () => {
    const error = { code: 'INVALID_INPUT', message: 'Invalid request for key.set: key: expected string' };
    const transport = createHttpTransport({ fetch: () => Promise.resolve(jsonResponse(400, { ok: false, error })) });
    await expect(transport.invoke('key.set', {})).resolves.toEqual({ ok: false, error });
  });

  it.each([401, 403])('turns a %i without an envelope into FORBIDDEN', async (status) => {
    const transport = createHttpTransport({ fetch: () => Promise.resolve(new Response('Forbidden', { status })) });
    const env = await transport.invoke('key.status', {});
    expect(env).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(env.ok === false && env.error.message).toContain(String(status));
  });

  it('turns a 502 HTML page into INTERNAL naming the status', async () => {
    const transport = createHttpTransport({
      fetch: () => Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502 })),
    });
    const env = await transport.invoke('key.status', {});
    expect(env).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(env.ok === false && env.error.message).toContain('502');
  });

  it('turns a network failure into INTERNAL saying the server is not reachable', async () => {
    const transport = createHttpTransport({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const env = await transport.invoke('key.status', {});
    expect(env).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(env.ok === false && env.error.message).toMatch(/Marketdesk server is not reachable/);
  });
});

class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  readonly listeners = new Map<string, Set<(ev: MessageEvent<string>) => void>>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, l: (ev: MessageEvent<string>) => void) {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(l);
  }
  removeEventListener(type: string, l: (ev: MessageEvent<string>) => void) {
    this.listeners.get(type)?.delete(l);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: string) {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data }));
  }
}

describe('createHttpTransport events', () => {
  beforeEach(() => {
    FakeEventSource.opened = [];
  });
  const make = () => createHttpTransport({ fetch: vi.fn(), createEventSource: (url) => new FakeEventSource(url) });

  it('opens /api/events only when the first listener arrives, and only once', () => {
    const transport = make();
    expect(FakeEventSource.opened).toHaveLength(0);
    transport.on('key.changed', () => undefined);
    transport.on('settings.changed', () => undefined);
    transport.on('key.changed', () => undefined);
    expect(FakeEventSource.opened).toHaveLength(1);
    expect(FakeEventSource.opened[0]?.url).toBe('/api/events');
  });

  it('delivers parsed JSON to the listeners of that event name only', () => {
    const transport = make();
    const keys: unknown[] = [];
    const settings: unknown[] = [];
    transport.on('key.changed', (p) => keys.push(p));
    transport.on('settings.changed', (p) => settings.push(p));
    const source = FakeEventSource.opened[0]!;
    source.emit('key.changed', '{"state":"valid"}');
    source.emit('key.changed', 'not json');
    expect(keys).toEqual([{ state: 'valid' }]);
    expect(settings).toEqual([]);
  });

  it('stops delivering after unsubscribe and closes the stream when nobody listens', () => {
    const transport = make();
    const seen: unknown[] = [];
    const offA = transport.on('key.changed', (p) => seen.push(['a', p]));
    const offB = transport.on('key.changed', (p) => seen.push(['b', p]));
    const source = FakeEventSource.opened[0]!;
    offA();
    source.emit('key.changed', '1');
    expect(seen).toEqual([['b', 1]]);
    expect(source.closed).toBe(false);
    offB();
    expect(source.closed).toBe(true);
    transport.on('key.changed', () => undefined);
    expect(FakeEventSource.opened).toHaveLength(2);
  });
});

/** An XMLHttpRequest stand-in that records the request and answers when told. */
class FakeXhr implements XhrLike {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: Blob | null = null;
  status = 0;
  responseText = '';
  upload: XhrLike['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: Blob) {
    this.body = body;
  }
  answer(status: number, text: string) {
    this.status = status;
    this.responseText = text;
    this.onload?.();
  }
}

describe('createHttpTransport files', () => {
  const file = new File(['bundle bytes'], 'glpi plugins.mdbundle');

  it('uploads the file itself as raw bytes to /api/bundle-files with its name, reporting progress', async () => {
    const xhr = new FakeXhr();
    const transport = createHttpTransport({ createXhr: () => xhr });
    const progress: number[] = [];
    const answer = transport.files!.upload(file, (f) => progress.push(f));
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/bundle-files?name=glpi%20plugins.mdbundle');
    expect(xhr.headers).toEqual({ 'Content-Type': 'application/octet-stream' });
    expect(xhr.body).toBe(file);
    xhr.upload.onprogress?.({ loaded: 6, total: 12, lengthComputable: true });
    xhr.upload.onprogress?.({ loaded: 0, total: 0, lengthComputable: false });
    const ref = { ref: 'a'.repeat(32), name: 'glpi plugins.mdbundle', kind: 'temporary', bytes: 12 };
    xhr.answer(200, JSON.stringify({ ok: true, value: ref }));
    await expect(answer).resolves.toEqual({ ok: true, value: ref });
    expect(progress).toEqual([0.5]);
  });

  it('answers the server’s refusal as is, and a failure when there is no envelope', async () => {
    const refused = { ok: false, error: { code: 'BUNDLE_FAILED', message: 'not a bundle' } };
    let xhr = new FakeXhr();
    let answer = createHttpTransport({ createXhr: () => xhr }).files!.upload(file, () => undefined);
    xhr.answer(200, JSON.stringify(refused));
    await expect(answer).resolves.toEqual(refused);

    xhr = new FakeXhr();
    answer = createHttpTransport({ createXhr: () => xhr }).files!.upload(file, () => undefined);
    xhr.answer(415, 'Send the file as application/octet-stream.');
    await expect(answer).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'The Marketdesk server failed (HTTP 415).' },
    });

    xhr = new FakeXhr();
    answer = createHttpTransport({ createXhr: () => xhr }).files!.upload(file, () => undefined);
    xhr.onerror?.();
    await expect(answer).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'The Marketdesk server is not reachable.' },
    });
  });

  it('downloads a made bundle from /api/bundle-files/<ref>', () => {
    expect(createHttpTransport().files!.downloadUrl('b'.repeat(32))).toBe(`/api/bundle-files/${'b'.repeat(32)}`);
  });
});
