import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_KEYS, startStandin, type Standin } from '../../e2e/standin/standin';
import { UndiciHttpClient } from '../adapters/undici-http-client';
import { GlpiNetworkClient, NetworkProblem, type ClientConfig, type ClientLimits } from './glpi-network-client';
import { systemClock } from './ports';
import { memoryLogger } from './testing.testkit';

const UID = 'QYQmFPJ8tFuuoSaIroEwpuNz0D9PiRoOvqTzJnVj';
// Short limits so that every fault resolves in well under a second or two.
const LIMITS: Partial<ClientLimits> = {
  connectTimeoutMs: 1_000,
  timeoutMs: 400,
  deadlineMs: 1_500,
  attempts: 3,
  backoffMs: 20,
};

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin({ quiet: true });
});
afterEach(async () => {
  await standin.close();
});

function client(overrides: Partial<ClientConfig> = {}, limits: Partial<ClientLimits> = LIMITS) {
  const config: ClientConfig = {
    servicesUrl: standin.url,
    glpiVersion: '10.0.18',
    installMode: 'TARBALL',
    appVersion: '0.1.0',
    uid: UID,
    language: 'fr_FR',
    ...overrides,
  };
  return new GlpiNetworkClient(new UndiciHttpClient(), systemClock, memoryLogger(), () => config, limits);
}

async function problem(p: Promise<unknown>): Promise<NetworkProblem> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NetworkProblem);
  return err as NetworkProblem;
}

async function timed<T>(p: Promise<T>): Promise<[T, number]> {
  const start = Date.now();
  const value = await p;
  return [value, Date.now() - start];
}

describe('GlpiNetworkClient against the stand-in', () => {
  it('sends the request exactly as GLPI does, and reads a valid answer', async () => {
    const answer = await client().registrationInfo(DEMO_KEYS.standard);
    expect(answer.valid).toBe(true);
    expect(answer.subscription).toMatchObject({ offer: 'standard', running: true });
    expect(answer.owner).toBeTruthy();
    const req = standin.requests.at(-1);
    expect(req?.path).toBe('/api/registration/info');
    expect(req?.headers['x-registration-key']).toBe(DEMO_KEYS.standard);
    expect(req?.headers['x-glpi-network-uid']).toBe(UID);
    expect(req?.headers['accept-language']).toBe('fr');
    expect(req?.headers['accept']).toBe('application/json');
    expect(req?.headers['user-agent']).toBe('GLPI/10.0.18 (installation-mode:TARBALL; marketdesk/0.1.0)');
  });

  it('normalises the GLPI version in the User-Agent as GLPI does', async () => {
    await client({ glpiVersion: '11.0.0-rc2', installMode: 'DOCKER' }).registrationInfo(DEMO_KEYS.free);
    expect(standin.requests.at(-1)?.headers['user-agent']).toBe(
      'GLPI/11.0.0 (installation-mode:DOCKER; marketdesk/0.1.0)',
    );
  });

  it('tells invalid keys and terminated subscriptions apart', async () => {
    const invalid = await client().registrationInfo(DEMO_KEYS.invalid);
    expect(invalid).toMatchObject({ valid: false, subscription: null });
    const ended = await client({ language: 'en_GB' }).registrationInfo(DEMO_KEYS.terminated);
    expect(ended.valid).toBe(true);
    expect(ended.subscription?.running).toBe(false);
    expect(ended.message).toMatch(/terminated/);
  });

  it('reads the offers without sending the key', async () => {
    const offers = await client({ language: 'en_US' }).offers();
    expect(offers.map((o) => o.reference)).toEqual(['registered', 'basic', 'standard', 'advanced']);
    expect(standin.requests.at(-1)?.headers['x-registration-key']).toBeUndefined();
  });

  it('probes /api/ping for GLPI 11 and the registration base for older lines', async () => {
    await client({ glpiVersion: '11.0.1' }).probe();
    expect(standin.requests.at(-1)?.path).toBe('/api/ping');
    await client({ glpiVersion: '10.0.18' }).probe();
    expect(standin.requests.at(-1)?.path).toBe('/api/registration/');
  });

  it('classifies latency beyond the timeout as timeout, without hanging', async () => {
    standin.setFaults([{ fault: { mode: 'latency', ms: 5_000 } }]);
    const [p, ms] = await timed(problem(client().registrationInfo(DEMO_KEYS.basic)));
    expect(p.kind).toBe('timeout');
    expect(ms).toBeLessThan(LIMITS.deadlineMs! + 500);
  });

  it('classifies a server that accepts and never answers as timeout', async () => {
    standin.setFaults([{ fault: { mode: 'stall' } }]);
    const [p, ms] = await timed(problem(client().registrationInfo(DEMO_KEYS.basic)));
    expect(p.kind).toBe('timeout');
    expect(p.fix).toMatch(/firewall/);
    expect(ms).toBeLessThan(LIMITS.deadlineMs! + 500);
  });

  it('classifies a refused connection, retrying a bounded number of times', async () => {
    standin.setFaults([{ fault: { mode: 'refuse' } }]);
    const p = await problem(client().registrationInfo(DEMO_KEYS.basic));
    expect(p.kind).toBe('refused');
    expect(p.fix).toMatch(/TCP \d+/);
  });

  it('classifies a reset connection', async () => {
    standin.setFaults([{ fault: { mode: 'reset' } }]);
    const p = await problem(client().registrationInfo(DEMO_KEYS.basic));
    expect(p.kind).toBe('refused');
    expect(p.message).toMatch(/cut/);
  });

  it('retries a 5xx and succeeds when the server recovers', async () => {
    standin.setFaults([{ fault: { mode: 'status', status: 503 }, times: 1 }]);
    const answer = await client().registrationInfo(DEMO_KEYS.basic);
    expect(answer.valid).toBe(true);
    expect(standin.requests.filter((r) => r.path === '/api/registration/info')).toHaveLength(2);
  });

  it('gives up on a persistent 5xx after the bounded attempts, as an http failure', async () => {
    standin.setFaults([{ fault: { mode: 'status', status: 502 } }]);
    const p = await problem(client().registrationInfo(DEMO_KEYS.basic));
    expect(p.kind).toBe('http');
    expect(p.status).toBe(502);
    expect(standin.requests.filter((r) => r.path === '/api/registration/info')).toHaveLength(3);
  });

  it('honours a short Retry-After on 429', async () => {
    standin.setFaults([{ fault: { mode: 'rate-limit', retryAfter: 1 }, times: 1 }]);
    const [answer, ms] = await timed(client({}, { ...LIMITS, deadlineMs: 5_000 }).registrationInfo(DEMO_KEYS.basic));
    expect(answer.valid).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(950);
  });

  it('does not wait for a long Retry-After: reports the rate limit at once', async () => {
    standin.setFaults([{ fault: { mode: 'rate-limit', retryAfter: 3_600 } }]);
    const [p, ms] = await timed(problem(client().registrationInfo(DEMO_KEYS.basic)));
    expect(p).toMatchObject({ kind: 'http', status: 429 });
    expect(p.message).toMatch(/rate-limiting/);
    expect(ms).toBeLessThan(1_000);
  });

  it('says why each attempt is tried again: throttled for a 429, failed for a 5xx or a cut connection', async () => {
    standin.setFaults([
      { fault: { mode: 'rate-limit', retryAfter: 0 }, times: 1 },
      { fault: { mode: 'status', status: 503 }, times: 1 },
      { fault: { mode: 'reset' }, times: 1 },
    ]);
    const heard: string[] = [];
    const answer = await client({}, { ...LIMITS, attempts: 4, deadlineMs: 5_000 }).request(
      '/api/registration/offers',
      { Accept: 'application/json' },
      { onRetry: (trouble) => heard.push(trouble) },
    );
    expect(answer.status).toBe(200);
    expect(heard).toEqual(['throttled', 'failed', 'failed']);
  });

  it('stops at once when cancelled: rejects with the reason, unclassified, and tries no more', async () => {
    standin.setFaults([{ fault: { mode: 'stall' } }]);
    const controller = new AbortController();
    const heard: string[] = [];
    const call = client({}, { ...LIMITS, timeoutMs: 5_000, deadlineMs: 10_000 }).request(
      '/api/registration/offers',
      {},
      { signal: controller.signal, onRetry: (trouble) => heard.push(trouble) },
    );
    await expect.poll(() => standin.requests.length).toBe(1);
    controller.abort(new Error('no longer wanted'));
    await expect(call).rejects.toThrow('no longer wanted');
    expect(heard).toEqual([]);
    expect(standin.requests).toHaveLength(1);
  });

  it('classifies an HTML error page', async () => {
    standin.setFaults([{ fault: { mode: 'html', status: 400 } }]);
    const p = await problem(client().registrationInfo(DEMO_KEYS.basic));
    expect(p).toMatchObject({ kind: 'http', status: 400 });
    expect(p.message).toMatch(/HTML/);
  });

  it('classifies invalid JSON as a bad response', async () => {
    standin.setFaults([{ fault: { mode: 'invalid-json' } }]);
    const p = await problem(client().registrationInfo(DEMO_KEYS.basic));
    expect(p.kind).toBe('bad-response');
    expect(p.fix).toMatch(/captive portal/);
  });

  it('classifies a truncated body as a bad response', async () => {
    standin.setFaults([{ fault: { mode: 'truncated' } }]);
    const [p, ms] = await timed(problem(client().registrationInfo(DEMO_KEYS.basic)));
    expect(p.kind).toBe('bad-response');
    expect(p.message).toMatch(/cut off/);
    expect(ms).toBeLessThan(LIMITS.deadlineMs! + 500);
  });

  it('classifies a name that does not resolve as dns', async () => {
    const p = await problem(
      client({ servicesUrl: 'https://services.marketdesk-test.invalid' }).registrationInfo(DEMO_KEYS.basic),
    );
    expect(p.kind).toBe('dns');
    expect(p.fix).toMatch(/DNS/);
  });

  it('follows a same-origin redirect with the key', async () => {
    standin.setFaults([{ fault: { mode: 'redirect', to: standin.url }, path: '/api/registration/info', times: 1 }]);
    const answer = await client().registrationInfo(DEMO_KEYS.advanced);
    expect(answer.subscription?.offer).toBe('advanced');
    const infos = standin.requests.filter((r) => r.path === '/api/registration/info');
    expect(infos).toHaveLength(2);
    expect(infos[1]?.headers['x-registration-key']).toBe(DEMO_KEYS.advanced);
  });

  it('never sends the key or the instance id to another origin it is redirected to', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const other = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ is_valid: false, validation_message: 'elsewhere', owner: null, subscription: null }));
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://localhost:${(other.address() as AddressInfo).port}`;
    try {
      standin.setFaults([{ fault: { mode: 'redirect', to: otherUrl }, path: '/api/registration/info' }]);
      const answer = await client().registrationInfo(DEMO_KEYS.advanced);
      expect(answer.message).toBe('elsewhere');
      expect(seen).toHaveLength(1);
      expect(seen[0]?.['x-registration-key']).toBeUndefined();
      expect(seen[0]?.['x-glpi-network-uid']).toBeUndefined();
      expect(seen[0]?.['user-agent']).toMatch(/^GLPI\//);
      expect(JSON.stringify(seen)).not.toContain(DEMO_KEYS.advanced);
    } finally {
      other.closeAllConnections();
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});
