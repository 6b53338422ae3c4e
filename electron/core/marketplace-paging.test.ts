import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciHttpClient } from '../adapters/undici-http-client';
import { GlpiNetworkClient, NetworkProblem } from './glpi-network-client';
import { MarketplaceClient, PAGE_SIZE } from './marketplace-client';
import { systemClock, type HttpClient, type HttpRequest, type HttpResponse } from './ports';
import { memoryLogger } from './testing.testkit';

/** What the test server does with one page request; undefined: the page's records after `delayMs`. */
type Special = { status: number; body: string; headers?: Record<string, string> } | 'hang' | undefined;

interface ServerOptions {
  /** Records served (a few are malformed or duplicates, so skipped records are compared too). */
  records: number;
  delayMs?: number;
  /** Send `Content-Range: a-b/total` as the plugin directory does (default true). */
  contentRange?: boolean;
  special?: (page: number, attempt: number) => Special;
}

interface Arrival {
  page: number;
  /** Requests in flight when this one arrived, itself included. */
  inFlight: number;
}

const servers: { close: () => void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function recordAt(i: number): unknown {
  if (i % 97 === 5) return { key: 'not a key!', name: 'x', versions: [] };
  if (i % 89 === 7) return { key: `plugin${i - 1}`, name: 'a duplicate', versions: [] };
  return {
    key: `plugin${i}`,
    name: `Plugin ${i}`,
    versions: [{ num: '1.0.0', compatibility: '~10.0.0', download_url: `https://dl.test/plugin${i}.zip` }],
    descriptions: [{ lang: 'en', short_description: `Plugin ${i}`, long_description: 'x'.repeat(200) }],
    required_offers: null,
  };
}

/**
 * A marketplace on 127.0.0.1 that pages `records` records by X-Range and counts the requests in
 * flight: each one from its arrival until its answer is sent, or its client goes away.
 */
async function pageServer(options: ServerOptions) {
  const all = Array.from({ length: options.records }, (_, i) => recordAt(i));
  const arrivals: Arrival[] = [];
  const attempts = new Map<number, number>();
  const state = { inFlight: 0, peak: 0, cancelled: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const start = Number(/^(\d+)-\d+$/.exec(String(req.headers['x-range']))?.[1] ?? 0);
    const page = Math.floor(start / PAGE_SIZE);
    const attempt = (attempts.get(page) ?? 0) + 1;
    attempts.set(page, attempt);
    state.inFlight++;
    state.peak = Math.max(state.peak, state.inFlight);
    arrivals.push({ page, inFlight: state.inFlight });
    let open = true;
    const done = () => {
      if (open) state.inFlight--;
      open = false;
    };
    res.on('close', () => {
      if (open && !res.writableEnded) state.cancelled++;
      done();
    });
    const special = options.special?.(page, attempt);
    if (special === 'hang') return;
    const send = (r: ServerResponse) => {
      done();
      if (special) return r.writeHead(special.status, special.headers).end(special.body);
      const slice = all.slice(start, start + PAGE_SIZE);
      const range =
        options.contentRange === false || slice.length === 0
          ? {}
          : { 'Content-Range': `${start}-${start + slice.length - 1}/${all.length}` };
      r.writeHead(200, { 'Content-Type': 'application/json', ...range }).end(JSON.stringify(slice));
    };
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(res);
    }, options.delayMs ?? 5);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const t of timers) clearTimeout(t);
    server.closeAllConnections();
    server.close();
  };
  servers.push({ close });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    arrivals,
    attempts,
    pagesAsked: () => [...attempts.keys()].sort((a, b) => a - b),
  };
}

function marketplace(url: string, concurrency?: number, http: HttpClient = new UndiciHttpClient()) {
  const network = new GlpiNetworkClient(
    http,
    systemClock,
    memoryLogger(),
    () => ({
      servicesUrl: url,
      glpiVersion: '10.0.18',
      installMode: 'TARBALL',
      appVersion: '0.1.0',
      uid: 'U'.repeat(40),
      language: 'en_GB',
    }),
    { backoffMs: 5, timeoutMs: 10_000, deadlineMs: 20_000 },
  );
  return new MarketplaceClient(network, { language: () => 'en_GB', ...(concurrency ? { concurrency } : {}) });
}

describe('catalogue pages in flight, against a server on 127.0.0.1', () => {
  it('gives exactly what the sequential loop gives: same records, order, skipped records and indices', async () => {
    const server = await pageServer({ records: 4_321 });
    const adaptive = await marketplace(server.url).plugins('KEY', 'U'.repeat(40));
    const sequential = await marketplace(server.url, 1).plugins('KEY', 'U'.repeat(40));
    expect(adaptive.complete).toBe(true);
    expect(adaptive.skipped.length).toBeGreaterThan(0);
    expect(adaptive.entries).toEqual(sequential.entries);
    expect(adaptive.skipped).toEqual(sequential.skipped);
    expect(adaptive.entries.length + adaptive.skipped.length).toBe(4_321);
  });

  it('opens the window after a full first page, grows it, and never goes above the cap', async () => {
    const server = await pageServer({ records: 40 * PAGE_SIZE, delayMs: 40 });
    const result = await marketplace(server.url, 6).plugins('KEY', 'U'.repeat(40));
    expect(result.complete).toBe(true);
    // The first two pages together, then the window.
    expect(server.arrivals.slice(0, 2).map((a) => a.page)).toEqual([0, 1]);
    expect(server.arrivals[1]?.inFlight).toBeLessThanOrEqual(2);
    expect(server.state.peak).toBeGreaterThan(4); // more than the window it opens with
    expect(server.state.peak).toBeLessThanOrEqual(6);
  });

  it('stops at the end: the page after the announced total is the last one asked', async () => {
    const server = await pageServer({ records: 10 * PAGE_SIZE + 50 });
    const result = await marketplace(server.url).plugins('KEY', 'U'.repeat(40));
    expect(result).toMatchObject({ complete: true, requests: 12 });
    expect(server.pagesAsked()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('without a total, stops issuing at the empty page and asks at most a window past it', async () => {
    const cap = 5;
    const server = await pageServer({ records: 20 * PAGE_SIZE, contentRange: false });
    const result = await marketplace(server.url, cap).plugins('KEY', 'U'.repeat(40));
    expect(result.complete).toBe(true);
    expect(result.entries.length + result.skipped.length).toBe(20 * PAGE_SIZE);
    expect(Math.max(...server.pagesAsked())).toBeLessThan(20 + cap);
  });

  it('reads a one-page list with the two requests GLPI makes, in one round trip', async () => {
    const server = await pageServer({ records: 150, contentRange: false, delayMs: 30 });
    const result = await marketplace(server.url).plugins('KEY', 'U'.repeat(40));
    expect(result).toMatchObject({ complete: true, requests: 2 });
    expect(server.pagesAsked()).toEqual([0, 1]);
    expect(server.state.peak).toBe(2); // both in flight at once
  });

  it('truncates the list at a page that keeps failing, cancels the pages in flight past it, and says why', async () => {
    const failing = 7;
    const server = await pageServer({
      records: 30 * PAGE_SIZE,
      special: (page) => (page === failing ? { status: 503, body: 'down' } : page > failing + 1 ? 'hang' : undefined),
    });
    const result = await marketplace(server.url).plugins('KEY', 'U'.repeat(40));
    expect(result).toMatchObject({ complete: false, failedPage: failing });
    expect(result.entries.length + result.skipped.length).toBe(failing * PAGE_SIZE);
    expect(result.failure).toBeInstanceOf(NetworkProblem);
    expect(result.failure).toMatchObject({ kind: 'http', status: 503 });
    expect(server.attempts.get(failing)).toBe(3); // GLPI's three attempts
    // The hanging pages past it were asked (the window was open) and then given up by the client.
    await expect.poll(() => server.state.cancelled).toBeGreaterThan(0);
    await expect.poll(() => server.state.inFlight).toBe(0);
  });

  it('keeps the list complete when a page fails once mid-way, and halves the window', async () => {
    const server = await pageServer({
      records: 30 * PAGE_SIZE,
      delayMs: 20,
      special: (page, attempt) => (page === 9 && attempt === 1 ? { status: 502, body: 'bad gateway' } : undefined),
    });
    const result = await marketplace(server.url).plugins('KEY', 'U'.repeat(40));
    expect(result.complete).toBe(true);
    expect(result.entries.length + result.skipped.length).toBe(30 * PAGE_SIZE);
    expect(server.attempts.get(9)).toBe(2);
  });

  it('backs off to one page on a 429, then grows back one page at a time', async () => {
    const throttledPage = 20;
    const server = await pageServer({
      records: 40 * PAGE_SIZE,
      delayMs: 30,
      special: (page, attempt) =>
        page === throttledPage && attempt === 1
          ? { status: 429, body: '{"message":"Too Many Attempts."}', headers: { 'Retry-After': '0' } }
          : undefined,
    });
    const http = countingHttp(new UndiciHttpClient());
    const result = await marketplace(server.url, 16, http).plugins('KEY', 'U'.repeat(40));
    expect(result.complete).toBe(true);
    const throttledAt = http.throttledAt ?? Infinity;
    const firstSends = http.sends.filter((s, i) => http.sends.findIndex((o) => o.range === s.range) === i);
    const before = Math.max(...firstSends.filter((s) => s.at < throttledAt).map((s) => s.inFlight));
    const after = firstSends.filter((s) => s.at > throttledAt).map((s) => s.inFlight);
    expect(before).toBeGreaterThan(8); // the window had grown past its second size
    // No new page until the pages sent before the 429 have drained (the retry may still run), then one more per round.
    expect(after[0]).toBeLessThanOrEqual(2);
    expect(Math.max(...after)).toBeLessThan(before);
  });
});

/** The client side of the requests: how many were in flight as each one was sent, and when a 429 came back. */
function countingHttp(inner: HttpClient) {
  let inFlight = 0;
  const log = {
    sends: [] as { range: string; inFlight: number; at: number }[],
    throttledAt: null as number | null,
  };
  const client: HttpClient = {
    async send(req: HttpRequest): Promise<HttpResponse> {
      inFlight++;
      log.sends.push({ range: req.headers['X-Range'] ?? '', inFlight, at: performance.now() });
      let response: HttpResponse;
      try {
        response = await inner.send(req);
      } catch (err) {
        inFlight--;
        throw err;
      }
      if (response.status === 429) log.throttledAt ??= performance.now();
      let open = true;
      const done = () => {
        if (open) inFlight--;
        open = false;
      };
      const body = response.body;
      return {
        ...response,
        body: (async function* () {
          try {
            yield* body;
          } finally {
            done();
          }
        })(),
        cancel: () => {
          done();
          return response.cancel();
        },
      };
    },
  };
  return Object.assign(log, client);
}
