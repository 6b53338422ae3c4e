import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { maskKey, normalizeKey } from '../../shared/key-format';
import { DEMO_KEYS, DEMO_TIERS, demoAccounts, isoDay, langOf, type Account } from './accounts';
import { banner, parseArgs } from './standin-main';
import { startStandin, type Standin } from './standin';

let standin: Standin;

beforeEach(async () => {
  standin = await startStandin({ quiet: true });
});

afterEach(async () => {
  await standin.close();
});

const INFO = '/api/registration/info';

function get(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  return fetch(standin.url + path, { headers, ...init });
}

async function info(key: string | undefined, lang = 'en'): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang };
  if (key !== undefined) headers['X-Registration-Key'] = key;
  const res = await get(INFO, headers);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await res.json()) as Record<string, unknown>;
}

/** Raw HTTP, for what fetch hides: bytes actually received, how the connection ended. */
function raw(
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; received: number; error?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${standin.url}${path}`, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, received }));
      res.on('error', (error) =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, received, error: error.message }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code;
}

const today = new Date();

describe('demo keys', () => {
  it('look like real keys: base64 JSON with a base64 signature, 100-300 characters, accepted by the key check', () => {
    const seen = new Set<string>();
    for (const tier of DEMO_TIERS) {
      const key = DEMO_KEYS[tier];
      expect(key, tier).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(key.length, tier).toBeGreaterThanOrEqual(100);
      expect(key.length, tier).toBeLessThanOrEqual(300);
      const decoded = JSON.parse(Buffer.from(key, 'base64').toString('utf8')) as Record<string, string>;
      expect(Object.keys(decoded)).toEqual(['customer_reference', 'owner_name', 'subscription_title', 'signature']);
      expect(decoded.signature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(normalizeKey(key)).toEqual({ ok: true, key });
      seen.add(key);
    }
    expect(seen.size).toBe(DEMO_TIERS.length);
    // The app only ever shows first4…last4: the demo keys must stay distinguishable in that form.
    expect(new Set(DEMO_TIERS.map((tier) => maskKey(DEMO_KEYS[tier]))).size).toBe(DEMO_TIERS.length);
  });

  it('are deterministic across module loads', async () => {
    vi.resetModules();
    const again = await import('./accounts');
    expect(again.DEMO_KEYS).toEqual(DEMO_KEYS);
  });

  it('periods are relative to the current date', () => {
    const accounts = demoAccounts(new Date('2030-06-15T12:00:00Z'));
    const basic = accounts.get(DEMO_KEYS.basic);
    expect(basic).toMatchObject({ begins: '2029-11-27', ends: '2030-11-27', running: true });
    expect(accounts.get(DEMO_KEYS.terminated)).toMatchObject({ ends: '2030-06-05', running: false });
    expect(accounts.has(DEMO_KEYS.invalid)).toBe(false);
  });

  it('reads the language like GLPI sends it', () => {
    expect(langOf('fr')).toBe('fr');
    expect(langOf('fr-FR,fr;q=0.9')).toBe('fr');
    expect(langOf('en')).toBe('en');
    expect(langOf('de')).toBe('en');
    expect(langOf(undefined)).toBe('en');
  });
});

describe('registration info', () => {
  const running: [tier: 'free' | 'basic' | 'standard' | 'advanced', owner: string, offer: string, title: string][] = [
    ['free', 'Demo Free Org', 'registered', 'GLPI Network Registered'],
    ['basic', 'ACME Basic Corp', 'basic', 'GLPI Network Basic'],
    ['standard', 'Globex Standard', 'standard', 'GLPI Network Standard'],
    ['advanced', 'Initech Advanced', 'advanced', 'GLPI Network Advanced'],
  ];

  it.each(running)('%s key: valid, running, owner and period', async (tier, owner, offer, title) => {
    const body = await info(DEMO_KEYS[tier]);
    expect(body).toEqual({
      is_valid: true,
      validation_message: 'The registration key is valid.',
      owner: { name: owner },
      subscription: {
        title,
        offer_reference: offer,
        is_running: true,
        begin_date: isoDay(today, -200),
        end_date: isoDay(today, 165),
      },
    });
  });

  it('terminated key: still valid, not running, ended 10 days ago', async () => {
    const body = await info(DEMO_KEYS.terminated);
    expect(body.is_valid).toBe(true);
    expect(body.validation_message).toBe('The registration key refers to a terminated subscription.');
    expect(body.owner).toEqual({ name: 'Umbrella (terminated)' });
    expect(body.subscription).toMatchObject({ is_running: false, end_date: isoDay(today, -10) });
  });

  it('invalid key: all four keys present, owner and subscription null, status 200', async () => {
    expect(await info(DEMO_KEYS.invalid)).toEqual({
      is_valid: false,
      validation_message: 'The registration key is invalid.',
      owner: null,
      subscription: null,
    });
  });

  it('missing key: invalid with a message saying so', async () => {
    const body = await info(undefined);
    expect(body).toMatchObject({ is_valid: false, owner: null, subscription: null });
    expect(body.validation_message).toMatch(/missing/i);
  });

  it('answers in French when Accept-Language starts with fr', async () => {
    expect((await info(DEMO_KEYS.standard, 'fr')).validation_message).toBe("La clé d'enregistrement est valide.");
    expect((await info(DEMO_KEYS.terminated, 'fr')).validation_message).toMatch(/résilié/);
    expect((await info(DEMO_KEYS.invalid, 'fr-FR')).validation_message).toBe("La clé d'enregistrement est invalide.");
    expect((await info(undefined, 'fr')).validation_message).toMatch(/manquante/);
  });

  it('has a Date header', async () => {
    const res = await get(INFO, { 'X-Registration-Key': DEMO_KEYS.basic });
    const date = res.headers.get('date');
    expect(date).not.toBeNull();
    expect(Math.abs(Date.parse(date ?? '') - Date.now())).toBeLessThan(5_000);
  });

  it('setAccount changes the answer for a key, and null makes a demo key unknown', async () => {
    const upgraded: Account = {
      owner: 'ACME Basic Corp',
      offer: 'advanced',
      title: 'GLPI Network Advanced',
      running: true,
      begins: '2025-01-01',
      ends: '2026-12-31',
    };
    standin.setAccount(DEMO_KEYS.basic, upgraded);
    expect((await info(DEMO_KEYS.basic)).subscription).toEqual({
      title: 'GLPI Network Advanced',
      offer_reference: 'advanced',
      is_running: true,
      begin_date: '2025-01-01',
      end_date: '2026-12-31',
    });
    standin.setAccount(DEMO_KEYS.invalid, { ...upgraded, owner: 'Initrode' });
    expect((await info(DEMO_KEYS.invalid)).owner).toEqual({ name: 'Initrode' });
    standin.setAccount(DEMO_KEYS.standard, null);
    expect((await info(DEMO_KEYS.standard)).is_valid).toBe(false);
  });

  it('pins periods to the clock it is given', async () => {
    const pinned = await startStandin({ quiet: true, now: () => new Date('2030-06-15T00:00:00Z') });
    try {
      const res = await fetch(`${pinned.url}${INFO}`, { headers: { 'X-Registration-Key': DEMO_KEYS.advanced } });
      const body = (await res.json()) as { subscription: { end_date: string } };
      expect(body.subscription.end_date).toBe('2030-11-27');
    } finally {
      await pinned.close();
    }
  });
});

describe('offers, probes, routing', () => {
  it('lists the offers lowest tier first, localised', async () => {
    const en = await get('/api/registration/offers', { 'Accept-Language': 'en' });
    expect(en.status).toBe(200);
    expect(en.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await en.json()).toEqual([
      { offer_reference: 'registered', title: 'Registered' },
      { offer_reference: 'basic', title: 'Basic' },
      { offer_reference: 'standard', title: 'Standard' },
      { offer_reference: 'advanced', title: 'Advanced' },
    ]);
    const fr = (await (await get('/api/registration/offers', { 'Accept-Language': 'fr' })).json()) as {
      title: string;
    }[];
    expect(fr.map((o) => o.title)[0]).toBe('Enregistré');
    // No Accept-Language at all: English.
    const none = (await (await get('/api/registration/offers')).json()) as { title: string }[];
    expect(none[0]?.title).toBe('Registered');
  });

  it.each(['/api/ping', '/api/registration/'])('probe %s answers 200 with a non-empty body', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(0);
  });

  it('unknown path: 404 JSON', async () => {
    const res = await get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ error: 'Not found' });
  });

  it('non-GET: 405 with Allow', async () => {
    const res = await get(INFO, {}, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect((await get('/api/whatever', {}, { method: 'DELETE' })).status).toBe(405);
  });

  it('HEAD is answered like GET without a body', async () => {
    const res = await get('/api/ping', {}, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('request log', () => {
  it('records every request in order with lower-case headers, including the key', async () => {
    await get(INFO, {
      'X-Registration-Key': DEMO_KEYS.basic,
      'X-Glpi-Network-Uid': 'uid-1',
      'User-Agent': 'GLPI/10.0.16 (installation-mode:TARBALL)',
    });
    await get('/api/registration/offers?x=1');
    await get('/nowhere');
    expect(standin.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${INFO}`,
      'GET /api/registration/offers?x=1',
      'GET /nowhere',
    ]);
    const first = standin.requests[0];
    expect(first?.headers['x-registration-key']).toBe(DEMO_KEYS.basic);
    expect(first?.headers['x-glpi-network-uid']).toBe('uid-1');
    expect(first?.headers['user-agent']).toBe('GLPI/10.0.16 (installation-mode:TARBALL)');
    expect(Object.keys(first?.headers ?? {}).every((name) => name === name.toLowerCase())).toBe(true);
    expect(Math.abs((first?.at ?? 0) - Date.now())).toBeLessThan(5_000);
  });

  it('logs one line per request with the key masked', async () => {
    const loud = await startStandin();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await fetch(`${loud.url}${INFO}`, { headers: { 'X-Registration-Key': DEMO_KEYS.standard } });
      const lines = log.mock.calls.map((call) => call.join(' '));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(INFO);
      expect(lines[0]).toContain(`${DEMO_KEYS.standard.slice(0, 4)}…${DEMO_KEYS.standard.slice(-4)}`);
      expect(lines[0]).not.toContain(DEMO_KEYS.standard);
    } finally {
      log.mockRestore();
      await loud.close();
    }
  });
});

describe('faults', () => {
  it('latency delays the normal answer', async () => {
    standin.setFaults([{ fault: { mode: 'latency', ms: 300 } }]);
    const started = Date.now();
    const body = await info(DEMO_KEYS.basic);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(body.is_valid).toBe(true);
    // A client timeout shorter than the latency fires.
    await expect(get('/api/ping', {}, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
  });

  it('stall never answers, and close() still returns promptly', async () => {
    standin.setFaults([{ fault: { mode: 'stall' } }]);
    await expect(get(INFO, {}, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i);
    // A second stalled request still open while closing.
    const pending = get(INFO).catch((error: unknown) => error);
    await vi.waitFor(() => expect(standin.requests).toHaveLength(2));
    const started = Date.now();
    await standin.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('refuse closes the port until cleared, then the same port accepts again', async () => {
    await get('/api/ping'); // leaves a keep-alive connection that must not survive
    standin.setFaults([{ fault: { mode: 'refuse' } }]);
    const error = await get('/api/ping').catch((e: unknown) => e);
    expect(causeCode(error)).toBe('ECONNREFUSED');
    standin.setFaults([]);
    await vi.waitFor(async () => expect((await get('/api/ping')).status).toBe(200));
  });

  it('refuse with ms reopens by itself', async () => {
    standin.setFaults([{ fault: { mode: 'refuse', ms: 200 } }]);
    expect(causeCode(await get('/api/ping').catch((e: unknown) => e))).toBe('ECONNREFUSED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await vi.waitFor(async () => expect((await get('/api/ping')).status).toBe(200));
  });

  it('close() works while refused', async () => {
    standin.setFaults([{ fault: { mode: 'refuse' } }]);
    const started = Date.now();
    await standin.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reset drops the connection without an answer', async () => {
    standin.setFaults([{ fault: { mode: 'reset' } }]);
    const error = await get(INFO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(causeCode(error)).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  });

  it.each([500, 502, 503])('status %i with a short body', async (status) => {
    standin.setFaults([{ fault: { mode: 'status', status } }]);
    const res = await get(INFO);
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(200);
    expect(text).not.toContain('is_valid');
  });

  it('rate-limit: 429, Retry-After and the Laravel body', async () => {
    standin.setFaults([{ fault: { mode: 'rate-limit', retryAfter: 42 } }]);
    const res = await get('/api/registration/offers');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('42');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ message: 'Too Many Attempts.' });
  });

  it('html: an Apache error page, 400 by default', async () => {
    standin.setFaults([{ fault: { mode: 'html' } }]);
    const res = await get(INFO);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/<title>400 Bad Request<\/title>[\s\S]*Apache/);
    standin.setFaults([{ fault: { mode: 'html', status: 503 } }]);
    const unavailable = await get(INFO);
    expect(unavailable.status).toBe(503);
    expect(await unavailable.text()).toContain('503 Service Unavailable');
  });

  it('invalid-json: 200 with a JSON content type that does not parse', async () => {
    standin.setFaults([{ fault: { mode: 'invalid-json' } }]);
    const res = await get(INFO, { 'X-Registration-Key': DEMO_KEYS.basic });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await res.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('truncated: announces the real length, sends about half, drops the connection', async () => {
    const full = await raw('/api/registration/offers');
    expect(full.error).toBeUndefined();
    standin.setFaults([{ fault: { mode: 'truncated' } }]);
    const cut = await raw('/api/registration/offers');
    expect(cut.status).toBe(200);
    expect(Number(cut.headers['content-length'])).toBe(full.received);
    expect(cut.error).toBeDefined();
    expect(cut.received).toBe(Math.floor(full.received / 2));
    await expect((await get('/api/registration/offers')).json()).rejects.toThrow();
  });

  it('redirect: 302 by default to the target origin plus the original path', async () => {
    standin.setFaults([{ fault: { mode: 'redirect', to: 'http://127.0.0.1:9/' } }]);
    const res = await get(`${INFO}?a=1`, {}, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`http://127.0.0.1:9${INFO}?a=1`);
    standin.setFaults([{ fault: { mode: 'redirect', to: 'http://localhost:1', status: 307 } }]);
    const moved = await get('/api/ping', {}, { redirect: 'manual' });
    expect(moved.status).toBe(307);
    expect(moved.headers.get('location')).toBe('http://localhost:1/api/ping');
  });

  it('a path rule only applies under its prefix; the first matching rule wins', async () => {
    standin.setFaults([
      { fault: { mode: 'status', status: 503 }, path: '/api/registration/offers' },
      { fault: { mode: 'status', status: 500 } },
    ]);
    expect((await get('/api/registration/offers')).status).toBe(503);
    expect((await get(INFO)).status).toBe(500);
    standin.setFaults([{ fault: { mode: 'status', status: 503 }, path: '/api/registration/offers' }]);
    expect((await get(INFO)).status).toBe(200);
  });

  it('times: the rule applies that many times, then is dropped', async () => {
    standin.setFaults([{ fault: { mode: 'status', status: 502 }, times: 2 }]);
    expect((await get(INFO)).status).toBe(502);
    expect((await get(INFO)).status).toBe(502);
    expect((await get(INFO)).status).toBe(200);
    expect((await get(INFO)).status).toBe(200);
  });

  it('times does not mutate the caller rule, and [] clears everything', async () => {
    const rules = [{ fault: { mode: 'status' as const, status: 500 }, times: 3 }];
    standin.setFaults(rules);
    await get(INFO);
    expect(rules[0]?.times).toBe(3);
    standin.setFaults([]);
    expect((await get(INFO)).status).toBe(200);
  });

  it('rejects malformed rules', () => {
    expect(() => standin.setFaults([{ fault: { mode: 'status', status: 200 } }])).toThrow(TypeError);
    expect(() => standin.setFaults([{ fault: { mode: 'nope' } } as never])).toThrow(/unknown mode/);
  });
});

describe('control API', () => {
  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${standin.url}/__standin/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('sets faults, and is itself never faulted nor recorded', async () => {
    const res = await post('faults', [{ fault: { mode: 'status', status: 503 }, times: 1 }]);
    expect(res.status).toBe(200);
    expect((await get(INFO)).status).toBe(503);
    expect((await get(INFO)).status).toBe(200);
    await post('faults', [{ fault: { mode: 'status', status: 500 } }]);
    expect((await post('faults', [])).status).toBe(200);
    expect((await get(INFO)).status).toBe(200);
    expect(standin.requests.every((r) => !r.path.startsWith('/__standin/'))).toBe(true);
  });

  it('answers a refuse request before closing the port, which reopens after ms', async () => {
    const res = await post('faults', [{ fault: { mode: 'refuse', ms: 300 } }]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ rules: 1 });
    await vi.waitFor(async () =>
      expect(causeCode(await get('/api/ping').catch((e: unknown) => e))).toBe('ECONNREFUSED'),
    );
    await vi.waitFor(async () => expect((await get('/api/ping')).status).toBe(200), { timeout: 2_000 });
  });

  it('republishes a version in place, and refuses an unknown one with 400', async () => {
    const plugin = standin.getCatalogue().find((p) => p.required_offers === null)!;
    const num = plugin.versions[0]!.num;
    const res = await post('republish', { key: plugin.key, version: num });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ key: plugin.key, version: num, republished: 1 });
    expect((await post('republish', { key: plugin.key, version: '0.0.0-none' })).status).toBe(400);
    expect((await post('republish', { key: plugin.key })).status).toBe(400);
  });

  it('rejects bad fault bodies with 400', async () => {
    for (const bad of [
      'not json',
      { fault: { mode: 'stall' } },
      [{ fault: { mode: 'latency' } }],
      [{ fault: { mode: 'latency', ms: -1 } }],
      [{ fault: { mode: 'stall' }, path: 'api' }],
      [{ fault: { mode: 'stall' }, times: 0 }],
      [{ fault: { mode: 'stall', extra: 1 } }],
      [{ fault: { mode: 'redirect', to: 'not a url' } }],
      [{ fault: { mode: 'refuse' } }], // could never be cleared through this API
    ]) {
      const res = await post('faults', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(0);
    }
    expect((await get(INFO)).status).toBe(200);
  });

  it('sets and removes accounts, validating the shape', async () => {
    const account: Account = {
      owner: 'Wayne Enterprises',
      offer: 'standard',
      title: 'GLPI Network Standard',
      running: false,
      begins: '2024-01-01',
      ends: '2024-12-31',
    };
    expect((await post('account', { key: DEMO_KEYS.invalid, account })).status).toBe(200);
    expect(await info(DEMO_KEYS.invalid)).toMatchObject({
      is_valid: true,
      owner: { name: 'Wayne Enterprises' },
      subscription: { is_running: false, end_date: '2024-12-31' },
    });
    expect((await post('account', { key: DEMO_KEYS.invalid, account: null })).status).toBe(200);
    expect((await info(DEMO_KEYS.invalid)).is_valid).toBe(false);

    for (const bad of [
      { key: '', account: null },
      { key: DEMO_KEYS.basic },
      { key: DEMO_KEYS.basic, account: { ...account, running: 'yes' } },
      { key: DEMO_KEYS.basic, account: { ...account, ends: '31/12/2024' } },
      { key: DEMO_KEYS.basic, account: { ...account, extra: true } },
      { key: DEMO_KEYS.basic, account: null, other: 1 },
    ]) {
      expect((await post('account', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await info(DEMO_KEYS.basic)).is_valid).toBe(true);
  });

  it('lists recorded requests with the key masked', async () => {
    await get(INFO, { 'X-Registration-Key': DEMO_KEYS.advanced });
    const res = await fetch(`${standin.url}/__standin/requests`);
    const list = (await res.json()) as { method: string; path: string; headers: Record<string, string> }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ method: 'GET', path: INFO });
    expect(list[0]?.headers['x-registration-key']).toBe(
      `${DEMO_KEYS.advanced.slice(0, 4)}…${DEMO_KEYS.advanced.slice(-4)}`,
    );
    expect(JSON.stringify(list)).not.toContain(DEMO_KEYS.advanced);
    // The in-process log keeps the real value for assertions.
    expect(standin.requests[0]?.headers['x-registration-key']).toBe(DEMO_KEYS.advanced);
  });

  it('wrong verb on a control path: 405 with Allow', async () => {
    const res = await fetch(`${standin.url}/__standin/faults`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await post('nothing', {})).status).toBe(404);
  });
});

describe('lifecycle and CLI', () => {
  it('binds to 127.0.0.1 on the requested port', async () => {
    const probe = await startStandin({ quiet: true });
    const port = probe.port;
    await probe.close();
    const fixed = await startStandin({ quiet: true, port });
    try {
      expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
      expect((await fetch(`${fixed.url}/api/ping`)).status).toBe(200);
    } finally {
      await fixed.close();
    }
    expect(causeCode(await fetch(`http://127.0.0.1:${port}/api/ping`).catch((e: unknown) => e))).toBe('ECONNREFUSED');
  });

  it('close() is idempotent', async () => {
    await standin.close();
    await standin.close();
  });

  it('parses its arguments', () => {
    expect(parseArgs([])).toEqual({ port: 0, quiet: false });
    expect(parseArgs(['--port', '8765', '--quiet'])).toEqual({ port: 8765, quiet: true });
    expect(parseArgs(['--port=9000'])).toEqual({ port: 9000, quiet: false });
    expect(() => parseArgs(['--port'])).toThrow(/--port/);
    expect(() => parseArgs(['--port', 'abc'])).toThrow(/--port/);
    expect(() => parseArgs(['--verbose'])).toThrow(/Unknown argument/);
  });

  it('prints the URL then one demo key per tier', () => {
    const lines = banner('http://127.0.0.1:1234').split('\n');
    expect(lines[0]).toBe('GLPI Network stand-in listening on http://127.0.0.1:1234');
    expect(lines[2]).toBe(`  basic       ${DEMO_KEYS.basic}`);
    expect(lines.slice(1).map((line) => line.trim().split(/\s+/)[0])).toEqual([...DEMO_TIERS]);
  });
});
