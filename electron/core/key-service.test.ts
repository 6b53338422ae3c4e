import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { KeyStatus } from '../../shared/model';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { createAppCore } from './create-app-core';
import { TransportError, type HttpClient, type HttpRequest, type HttpResponse, type SecretStore } from './ports';
import { bodyResponse, FakeClock, MemoryStore, memoryLogger, SwitchableKeychain } from './testing.testkit';
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeHostInfo } from '../adapters/node-host';

const GOOD = 'R0xQSS1OZXR3b3JrLWdvb2Qta2V5LTAxMjM0NTY3ODk=';
const BAD = 'R0xQSS1OZXR3b3JrLWJhZC1rZXktMDEyMzQ1Njc4OQ==';
const ENDED = 'R0xQSS1OZXR3b3JrLWVuZGVkLWtleS0wMTIzNDU2Nzg=';

function info(key: string | undefined) {
  if (key === GOOD)
    return {
      is_valid: true,
      validation_message: 'The registration key is valid.',
      owner: { name: 'ACME' },
      subscription: {
        title: 'GLPI Network Standard',
        offer_reference: 'standard',
        is_running: true,
        begin_date: '2026-01-01',
        end_date: '2026-12-31',
      },
    };
  if (key === ENDED)
    return {
      is_valid: true,
      validation_message: null,
      owner: { name: 'Umbrella' },
      subscription: {
        title: 'GLPI Network Basic',
        offer_reference: 'basic',
        is_running: false,
        begin_date: '2025-01-01',
        end_date: '2025-12-31',
      },
    };
  return { is_valid: false, validation_message: 'The registration key is invalid.', owner: null, subscription: null };
}

/** A GLPI Network that answers from `info()` unless `down` is set. */
class FakeNetwork implements HttpClient {
  down = false;
  override: ((req: HttpRequest) => unknown) | null = null;
  calls: HttpRequest[] = [];

  send(req: HttpRequest): Promise<HttpResponse> {
    this.calls.push(req);
    if (this.down) return Promise.reject(new TransportError('refused', 'connect ECONNREFUSED', 'ECONNREFUSED'));
    const body = this.override?.(req) ?? info(req.headers['X-Registration-Key']);
    return Promise.resolve(bodyResponse(200, JSON.stringify(body)));
  }
}

function setup(options: { keychain?: SecretStore; random?: () => number; online?: () => boolean } = {}) {
  const store = new MemoryStore();
  const keychain = options.keychain ?? new MemorySecretStore('keychain');
  const session = new MemorySecretStore('session');
  const net = new FakeNetwork();
  const clock = new FakeClock();
  const logger = memoryLogger();
  const redacted: string[] = [];
  const core = createAppCore(
    {
      secrets: keychain,
      store,
      http: net,
      clock,
      logger,
      appVersion: '9.9.9',
      shell: 'cli',
      profile: 'default',
      systemLanguage: 'en_US',
      servicesUrlFromEnv: 'http://127.0.0.1:9',
      dataDir: mkdtempSync(join(tmpdir(), 'md-keys-')),
      fs: nodeFileSystem,
      host: nodeHostInfo(),
      redact: (s) => redacted.push(s),
      ...(options.online ? { online: options.online } : {}),
    },
    {
      sessionSecrets: session,
      keychainFix: 'start a keyring',
      limits: { attempts: 2 },
      random: options.random ?? (() => 0),
    },
  );
  const events: KeyStatus[] = [];
  core.events.on('key.changed', (s) => events.push(s));
  return { core, keys: core.keys, store, keychain, session, net, clock, logger, events, redacted };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('KeyService', () => {
  it('validates a good key, stores it in the keychain and keeps only its mask on disk', async () => {
    const t = setup();
    const status = await t.keys.set(`  ${GOOD}\n`);
    expect(status).toMatchObject({ state: 'valid', owner: 'ACME', storage: 'keychain', maskedKey: 'R0xQ…ODk=' });
    expect(status.subscription).toEqual({
      title: 'GLPI Network Standard',
      offer: 'standard',
      running: true,
      begins: '2026-01-01',
      ends: '2026-12-31',
    });
    expect(await t.keychain.get(`${t.core.settings.installId()}/default`)).toBe(GOOD);
    expect(JSON.stringify(t.store.data)).not.toContain(GOOD);
    expect(t.redacted).toContain(GOOD);
    expect(t.net.calls[0]?.headers['X-Registration-Key']).toBe(GOOD);
    expect(t.events.map((e) => e.checking)).toEqual([true, false]);
  });

  it('refuses a malformed key before any request', async () => {
    const t = setup();
    const err = await rejection(t.keys.set('abc def ghi jkl'));
    expect(err.code).toBe('KEY_MALFORMED');
    expect(err.fix).toBeTruthy();
    expect(t.net.calls).toHaveLength(0);
  });

  it('reports an invalid key without storing it, and stores it when the admin insists', async () => {
    const t = setup();
    const err = await rejection(t.keys.set(BAD));
    expect(err.code).toBe('KEY_INVALID');
    expect((err.details as KeyStatus).state).toBe('invalid');
    expect(t.keys.status().state).toBe('none');
    expect(await t.keychain.get(`${t.core.settings.installId()}/default`)).toBeNull();
    // Listeners that saw "checking" are told it is over.
    expect(t.events.at(-1)).toMatchObject({ checking: false, state: 'none' });
    const forced = await t.keys.set(BAD, { force: true });
    expect(forced.state).toBe('invalid');
    expect(forced.message).toBe('The registration key is invalid.');
  });

  it('says when a refused key looks pasted twice, without quoting it', async () => {
    const t = setup();
    const err = await rejection(t.keys.set(GOOD + GOOD));
    expect(err.code).toBe('KEY_INVALID');
    expect(err.fix).toMatch(/twice/i);
    expect(err.fix).not.toContain(GOOD);
    const plain = await rejection(t.keys.set(BAD));
    expect(plain.fix).not.toMatch(/twice/i);
  });

  it('stores a key whose subscription is terminated and says so', async () => {
    const t = setup();
    const status = await t.keys.set(ENDED);
    expect(status.state).toBe('terminated');
    expect(status.message).toBe('The registration key refers to a terminated subscription.');
  });

  it('does not store an unverifiable key unless forced, then shows it as unreachable', async () => {
    const t = setup();
    t.net.down = true;
    const err = await rejection(t.keys.set(GOOD));
    expect(err.code).toBe('KEY_UNVERIFIED');
    expect((err.details as KeyStatus).failure?.cause).toBe('refused');
    expect(t.keys.status().state).toBe('none');
    const forced = await t.keys.set(GOOD, { force: true });
    expect(forced).toMatchObject({ state: 'unreachable', storage: 'keychain' });
    expect(forced.failure?.fix).toMatch(/firewall/);
  });

  it('says plainly when the keychain is unavailable and offers a session-only key', async () => {
    const keychain = new SwitchableKeychain();
    keychain.available = false;
    const t = setup({ keychain });
    const err = await rejection(t.keys.set(GOOD));
    expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(err.message).toMatch(/D-Bus/);
    expect(err.fix).toBe('start a keyring');
    expect((err.details as KeyStatus).state).toBe('valid');
    expect(t.keys.status().state).toBe('none');
    const status = await t.keys.set(GOOD, { storage: 'session' });
    expect(status).toMatchObject({ state: 'valid', storage: 'session' });
    // Sync reads the session key, never the broken keychain.
    expect((await t.keys.sync()).state).toBe('valid');
  });

  it('Sync picks up a changed answer, and keeps the last answer while unreachable', async () => {
    const t = setup();
    await t.keys.set(GOOD);
    t.net.override = () => ({
      ...info(GOOD),
      subscription: { ...info(GOOD).subscription, title: 'GLPI Network Advanced', offer_reference: 'advanced' },
    });
    expect((await t.keys.sync()).subscription?.offer).toBe('advanced');

    t.net.down = true;
    t.clock.advance(60_000);
    const first = await t.keys.sync();
    expect(first).toMatchObject({ state: 'unreachable', owner: 'ACME' });
    expect(first.subscription?.offer).toBe('advanced');
    const since = first.unreachableSince;
    expect(since).toBeTruthy();
    t.clock.advance(60_000);
    expect((await t.keys.sync()).unreachableSince).toBe(since);

    t.net.down = false;
    t.net.override = null;
    const back = await t.keys.sync();
    expect(back).toMatchObject({ state: 'valid', failure: null, unreachableSince: null });
  });

  it('forget removes the keychain entry and every answer', async () => {
    const t = setup();
    await t.keys.set(GOOD);
    const status = await t.keys.forget();
    expect(status.state).toBe('none');
    expect(await t.keychain.get(`${t.core.settings.installId()}/default`)).toBeNull();
    expect(t.store.get('profiles.default.registration')).toBeUndefined();
  });

  it('treats a keychain entry removed outside Marketdesk as no key', async () => {
    const t = setup();
    await t.keys.set(GOOD);
    await t.keychain.delete(`${t.core.settings.installId()}/default`);
    expect((await t.keys.sync()).state).toBe('none');
  });

  it('re-validates on start when the answer is older than a day, then every day, and hourly while unreachable', async () => {
    const t = setup();
    await t.keys.set(GOOD);
    t.keys.stop();
    const calls = () => t.net.calls.length;
    t.clock.advance(25 * 3_600_000);
    t.keys.start();
    await flush(); // the start-up check of the keychain entry, then the schedule
    t.clock.advance(0);
    await flush();
    expect(calls()).toBe(2);
    expect(Date.parse(t.keys.status().nextCheckAt ?? '')).toBe(t.clock.now().getTime() + 86_400_000);

    t.clock.advance(23 * 3_600_000);
    await flush();
    expect(calls()).toBe(2);
    t.net.down = true;
    t.clock.advance(3_600_000);
    await flush();
    expect(t.keys.status().state).toBe('unreachable');
    const failedCalls = calls();
    t.clock.advance(3_600_000);
    await flush();
    expect(calls()).toBeGreaterThan(failedCalls);
  });

  it('spreads scheduled checks by up to 5% and does not ask while the machine is offline', async () => {
    let online = true;
    const t = setup({ random: () => 1, online: () => online });
    await t.keys.set(GOOD);
    const next = Date.parse(t.keys.status().nextCheckAt ?? '');
    expect(next - t.clock.now().getTime()).toBe(Math.floor(1.05 * 86_400_000));
    online = false;
    const calls = t.net.calls.length;
    t.clock.advance(1.06 * 86_400_000);
    await flush();
    expect(t.net.calls.length).toBe(calls);
    expect(t.keys.status().state).toBe('valid'); // offline is not "unreachable"
    online = true;
    t.clock.advance(6 * 60_000);
    await flush();
    expect(t.net.calls.length).toBeGreaterThan(calls);
  });

  it('on start, forgets a record whose key is gone (a session key from an earlier run)', async () => {
    const t = setup();
    await t.keys.set(GOOD, { storage: 'session' });
    await t.session.delete(`${t.core.settings.installId()}/default`);
    t.keys.start();
    await flush();
    expect(t.keys.status().state).toBe('none');
    expect(t.events.at(-1)?.state).toBe('none');
  });

  it('serialises concurrent calls', async () => {
    const t = setup();
    const [a, b] = await Promise.all([t.keys.set(GOOD), t.keys.sync()]);
    expect(a.state).toBe('valid');
    expect(b.state).toBe('valid');
  });
});

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
