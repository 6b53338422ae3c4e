import { describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../../e2e/standin/standin';
import { KeychainUnavailableError, type SecretStore } from '../core/ports';
import { EXIT } from './cli';
import { cliInstallation, standinPerTest } from './cli-harness.testkit';

const standin = standinPerTest();

const installation = (keychain?: SecretStore) => cliInstallation(() => standin().url, keychain);

describe('marketdesk key', () => {
  it('exit 5 and state none without a key', async () => {
    const run = installation();
    const r = await run(['key', 'status', '--json']);
    expect(r.code).toBe(EXIT.noKey);
    expect(r.json()).toMatchObject({
      state: 'none',
      owner: null,
      subscription: null,
      maskedKey: null,
      checkedAt: null,
    });
  });

  it('exit 0 for a valid running key, with the documented JSON shape', async () => {
    const run = installation();
    const set = await run(['key', 'set'], `${DEMO_KEYS.standard}\n`);
    expect(set.code).toBe(EXIT.ok);
    expect(set.out).toContain('Registered by');
    expect(set.out).not.toContain(DEMO_KEYS.standard);
    const r = await run(['key', 'status', '--json']);
    expect(r.code).toBe(EXIT.ok);
    const j = r.json();
    expect(Object.keys(j)).toEqual(
      expect.arrayContaining(['state', 'owner', 'subscription', 'message', 'checkedAt', 'maskedKey']),
    );
    expect(j.state).toBe('valid');
    expect(j.subscription).toMatchObject({ title: 'GLPI Network Standard', offer: 'standard', running: true });
    expect(Object.keys(j.subscription as object).sort()).toEqual(['begins', 'ends', 'offer', 'running', 'title']);
    expect(typeof j.checkedAt).toBe('string');
    expect(j.maskedKey).toMatch(/^.{4}….{4}$/);
    expect(r.out).not.toContain(DEMO_KEYS.standard);
  });

  it('exit 2 for an invalid key, which is not stored; --force stores it', async () => {
    const run = installation();
    const r = await run(['key', 'set', '--json'], DEMO_KEYS.invalid);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.json()).toMatchObject({ state: 'invalid', stored: false, error: { code: 'KEY_INVALID' } });
    expect((await run(['key', 'status'])).code).toBe(EXIT.noKey);
    expect((await run(['key', 'set', '--force'], DEMO_KEYS.invalid)).code).toBe(EXIT.invalid);
    expect((await run(['key', 'status', '--json'])).json().state).toBe('invalid');
  });

  it('exit 2 for a malformed key, without any request', async () => {
    const run = installation();
    const before = standin().requests.length;
    const r = await run(['key', 'set'], 'abcd efgh ijkl');
    expect(r.code).toBe(EXIT.invalid);
    expect(r.err).toMatch(/spaces/);
    expect(standin().requests.length).toBe(before);
  });

  it('exit 3 when the subscription is not running', async () => {
    const run = installation();
    expect((await run(['key', 'set'], DEMO_KEYS.terminated)).code).toBe(EXIT.terminated);
    const r = await run(['key', 'status', '--refresh', '--json']);
    expect(r.code).toBe(EXIT.terminated);
    expect(r.json()).toMatchObject({ state: 'terminated', subscription: { running: false } });
  });

  it('exit 4 with cause and fix when GLPI Network is unreachable', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.basic);
    standin().setFaults([{ fault: { mode: 'refuse' } }]);
    const r = await run(['key', 'status', '--refresh', '--json']);
    expect(r.code).toBe(EXIT.unreachable);
    const j = r.json();
    expect(j).toMatchObject({ state: 'unreachable', cause: 'refused', owner: expect.any(String) as string });
    expect(j.fix).toMatch(/firewall/);
    // Without --refresh the last answer is shown, still unreachable.
    expect((await run(['key', 'status'])).out).toMatch(/Unreachable since/);
  });

  it('exit 4 for a key that cannot be checked, each cause named', async () => {
    const run = installation();
    standin().setFaults([{ fault: { mode: 'html', status: 503 } }]);
    const r = await run(['key', 'set', '--json'], DEMO_KEYS.basic);
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.json()).toMatchObject({ state: 'unreachable', cause: 'http', stored: false });
  });

  it('exit 1 with the plain fix when the keychain is unavailable', async () => {
    const broken: SecretStore = {
      kind: 'keychain',
      get: () =>
        Promise.reject(
          new KeychainUnavailableError('The name org.freedesktop.secrets was not provided by any .service files'),
        ),
      set: () =>
        Promise.reject(
          new KeychainUnavailableError('The name org.freedesktop.secrets was not provided by any .service files'),
        ),
      delete: () => Promise.resolve(false),
    };
    const r = await installation(broken)(['key', 'set'], DEMO_KEYS.basic);
    expect(r.code).toBe(EXIT.other);
    expect(r.err).toMatch(/keychain cannot be used/);
    expect(r.err).toMatch(/Fix: Start gnome-keyring/);
  });

  it('refuses a key given on the command line, before reading anything', async () => {
    const r = await installation()(['key', 'set', DEMO_KEYS.basic]);
    expect(r.code).toBe(EXIT.other);
    expect(r.prompted).toBe(false);
    expect(r.err).toMatch(/shell history/);
    expect(r.err).not.toContain(DEMO_KEYS.basic);
  });

  it('forget removes the key (exit 5 afterwards); profiles are separate', async () => {
    const run = installation();
    await run(['--profile', 'lab', 'key', 'set'], DEMO_KEYS.advanced);
    expect((await run(['key', 'status'])).code).toBe(EXIT.noKey);
    expect((await run(['--profile', 'lab', 'key', 'status'])).code).toBe(EXIT.ok);
    expect((await run(['--profile', 'lab', 'key', 'forget'])).code).toBe(EXIT.noKey);
    expect((await run(['--profile', 'lab', 'key', 'status'])).code).toBe(EXIT.noKey);
  });

  it('exit 1 and usage for unknown commands and options', async () => {
    const run = installation();
    expect((await run(['key', 'steal'])).code).toBe(EXIT.other);
    expect((await run(['key', 'status', '--yolo'])).err).toMatch(/Unknown option --yolo/);
    expect((await run(['catalog'])).err).toMatch(/Unknown command/);
    expect((await run(['frobnicate'])).err).toMatch(/Usage/);
  });
});

describe('marketdesk config services-url', () => {
  it('shows, sets, refuses unsafe URLs, and resets the services URL; the environment wins', async () => {
    const run = cliInstallation(() => '');
    expect((await run(['config', 'services-url'])).out.trim()).toBe('https://services.glpi-network.com (default)');
    expect((await run(['config', 'services-url', 'https://glpi-network.example.org/'])).out.trim()).toBe(
      'https://glpi-network.example.org (setting)',
    );
    for (const bad of [
      'http://glpi-network.example.org',
      'https://user:pw@example.org',
      'ftp://example.org',
      'not a url',
    ]) {
      const r = await run(['config', 'services-url', bad]);
      expect(r.code).toBe(EXIT.other);
      expect(r.err).toMatch(/cannot be the GLPI Network services URL/);
    }
    expect((await run(['config', 'services-url', 'http://127.0.0.1:8080'])).code).toBe(EXIT.ok);
    expect((await run(['config', 'services-url', '--reset'])).out).toMatch(/services\.glpi-network\.com \(default\)/);
    const withEnv = cliInstallation(() => 'http://127.0.0.1:9');
    expect((await withEnv(['config', 'services-url'])).out).toMatch(/127\.0\.0\.1:9 \(from GLPI_NETWORK_SERVICES/);
  });
});
