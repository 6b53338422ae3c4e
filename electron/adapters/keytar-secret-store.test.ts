import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainUnavailableError, type SecretStore } from '../core/ports';
import { isKeychainUnavailableMessage, keychainFix } from './keychain';
import { KeytarSecretStore, type KeytarLike } from './keytar-secret-store';
import { MemorySecretStore } from './memory-secret-store';

/** A keytar whose every call fails with `error`. */
function failingKeytar(error: Error): KeytarLike {
  const fail = () => Promise.reject(error);
  return { getPassword: fail, setPassword: fail, deletePassword: fail };
}

// Real messages from keytar/libsecret/GLib on machines without a usable keychain.
const UNAVAILABLE_MESSAGES = [
  'Cannot autolaunch D-Bus without X11 $DISPLAY',
  'The name org.freedesktop.secrets was not provided by any .service files',
  'No such secret collection at path: /org/freedesktop/secrets/aliases/default',
  'Cannot create an item in a locked collection',
  'Failed to execute child process “dbus-launch” (No such file or directory)',
  'Error spawning command line “dbus-launch --autolaunch=0123 --binary-syntax --close-stderr”: Child process exited with code 1',
  'GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name :1.42 was not provided by any .service files',
  'Could not connect: No such file or directory',
  'Cannot spawn a message bus without a machine-id: Unable to load /var/lib/dbus/machine-id',
  'No keychain is available. You may need to restart your computer.',
  'User interaction is not allowed.',
  'A specified logon session does not exist. It may already have been terminated.',
];

describe('KeytarSecretStore error mapping', () => {
  for (const message of UNAVAILABLE_MESSAGES) {
    it(`maps "${message}" to KeychainUnavailableError on get, set and delete`, async () => {
      const store = new KeytarSecretStore({
        service: 'marketdesk-test',
        keytar: failingKeytar(new Error(message)),
      });
      for (const call of [() => store.get('a'), () => store.set('a', 'x'), () => store.delete('a')]) {
        const error: unknown = await call().then(
          () => 'resolved',
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(KeychainUnavailableError);
        expect((error as KeychainUnavailableError).reason).toBe(message);
        expect((error as Error).message).toContain(message);
      }
    });
  }

  it('passes other errors through unchanged', async () => {
    for (const original of [
      new Error('Password is required.'),
      new TypeError('Cannot read properties of undefined'),
      new Error('The secret was transferred or encrypted in an invalid way'),
    ]) {
      const store = new KeytarSecretStore({
        service: 'marketdesk-test',
        keytar: failingKeytar(original),
      });
      await expect(store.get('a')).rejects.toBe(original);
      await expect(store.set('a', 'x')).rejects.toBe(original);
      await expect(store.delete('a')).rejects.toBe(original);
    }
  });

  it('does not take "unlocked" for "locked"', () => {
    expect(isKeychainUnavailableMessage('Collection unlocked')).toBe(false);
    expect(isKeychainUnavailableMessage('Collection is locked')).toBe(true);
  });

  it('calls keytar with its service name and returns its results', async () => {
    const calls: string[] = [];
    const fake: KeytarLike = {
      getPassword(s, a) {
        calls.push(`get ${s} ${a}`);
        return Promise.resolve('secret');
      },
      setPassword(s, a, p) {
        calls.push(`set ${s} ${a} ${p}`);
        return Promise.resolve();
      },
      deletePassword(s, a) {
        calls.push(`delete ${s} ${a}`);
        return Promise.resolve(true);
      },
    };
    const store = new KeytarSecretStore({ service: 'svc', keytar: fake });
    expect(store.kind).toBe('keychain');
    expect(await store.get('acct')).toBe('secret');
    await store.set('acct', 'v');
    expect(await store.delete('acct')).toBe(true);
    expect(calls).toEqual(['get svc acct', 'set svc acct v', 'delete svc acct']);
  });

  it('gives a platform-specific fix', () => {
    expect(keychainFix('linux')).toMatch(/gnome-keyring/);
    expect(keychainFix('linux')).toMatch(/dbus-run-session/);
    expect(keychainFix('linux')).toMatch(/session-only/);
    expect(keychainFix('darwin')).toMatch(/Keychain/);
    expect(keychainFix('win32')).toMatch(/Credential Manager/);
  });
});

/** The behaviour every SecretStore must have (same suite for the in-memory and the real keychain). */
function secretStoreContract(makeStore: () => SecretStore, accountPrefix: string): void {
  const account = (name: string) => `${accountPrefix}${name}`;

  it('round-trips set, get, overwrite and delete', async () => {
    const store = makeStore();
    const a = account('roundtrip');
    expect(await store.get(a)).toBeNull();
    await store.set(a, 'first-secret');
    expect(await store.get(a)).toBe('first-secret');
    await store.set(a, 'second-secret');
    expect(await store.get(a)).toBe('second-secret');
    expect(await store.delete(a)).toBe(true);
    expect(await store.get(a)).toBeNull();
    expect(await store.delete(a)).toBe(false);
  });

  it('keeps accounts apart', async () => {
    const store = makeStore();
    await store.set(account('one'), 'secret-one');
    await store.set(account('two'), 'secret-two');
    expect(await store.get(account('one'))).toBe('secret-one');
    expect(await store.get(account('two'))).toBe('secret-two');
    await store.delete(account('one'));
    expect(await store.get(account('two'))).toBe('secret-two');
    await store.delete(account('two'));
  });

  it('keeps unicode and a 2 KB secret intact', async () => {
    const store = makeStore();
    const unicode = 'clé-🔑-ключ-鍵-ﷺ-\u00e9\u0301';
    await store.set(account('unicode'), unicode);
    expect(await store.get(account('unicode'))).toBe(unicode);
    const big = randomBytes(1024).toString('hex');
    expect(big).toHaveLength(2048);
    await store.set(account('big'), big);
    expect(await store.get(account('big'))).toBe(big);
    await store.delete(account('unicode'));
    await store.delete(account('big'));
  });
}

describe('MemorySecretStore', () => {
  it('is session-only unless told otherwise', () => {
    expect(new MemorySecretStore().kind).toBe('session');
    expect(new MemorySecretStore('keychain').kind).toBe('keychain');
  });
  secretStoreContract(() => new MemorySecretStore(), '');
});

const realKeychain = process.env.MARKETDESK_REAL_KEYCHAIN === '1';
const service = `marketdesk-test-${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}`;

describe.skipIf(!realKeychain)(
  `real keychain${realKeychain ? '' : ' (needs scripts/with-keyring.sh: MARKETDESK_REAL_KEYCHAIN unset)'}`,
  () => {
    const used = ['roundtrip', 'one', 'two', 'unicode', 'big'];
    afterAll(async () => {
      const store = new KeytarSecretStore({ service });
      for (const a of used) await store.delete(a).catch(() => false);
    });

    secretStoreContract(() => new KeytarSecretStore({ service }), '');

    it('sees what another store instance wrote (persisted in the keychain, not in memory)', async () => {
      await new KeytarSecretStore({ service }).set('roundtrip', 'shared');
      expect(await new KeytarSecretStore({ service }).get('roundtrip')).toBe('shared');
      expect(await new KeytarSecretStore({ service: `${service}-other` }).get('roundtrip')).toBeNull();
      await new KeytarSecretStore({ service }).delete('roundtrip');
    });
  },
);

// Forcing "no keychain" this way needs the Linux Secret Service over D-Bus; macOS and Windows always
// have their keychain.
describe.skipIf(process.platform !== 'linux')(
  `real keytar with no reachable Secret Service${process.platform === 'linux' ? '' : ' (Linux only)'}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'marketdesk-keytar-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const keytarPath = createRequire(import.meta.url).resolve('keytar');
    const script = join(dir, 'probe.mjs');
    writeFileSync(
      script,
      `import keytar from ${JSON.stringify(pathToFileURL(keytarPath).href)};
const out = {};
for (const [name, call] of [
  ['get', () => keytar.getPassword('marketdesk-unavailable-probe', 'a')],
  ['set', () => keytar.setPassword('marketdesk-unavailable-probe', 'a', 'x')],
  ['delete', () => keytar.deletePassword('marketdesk-unavailable-probe', 'a')],
]) {
  try { out[name] = { value: await call() }; } catch (e) { out[name] = { error: String(e && e.message) }; }
}
process.stdout.write(JSON.stringify(out));
`,
    );

    function probe(overrides: Record<string, string | undefined>): Record<string, { error?: string }> {
      // An empty XDG_RUNTIME_DIR so GLib cannot find the user's own bus at $XDG_RUNTIME_DIR/bus.
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: dir, ...overrides };
      delete env.DISPLAY;
      delete env.WAYLAND_DISPLAY;
      for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete env[k];
      const child = spawnSync(process.execPath, [script], {
        env,
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(child.error, child.stderr).toBeUndefined();
      expect(child.status, child.stderr).toBe(0);
      return JSON.parse(child.stdout) as Record<string, { error?: string }>;
    }

    async function expectMappedUnavailable(results: Record<string, { error?: string }>): Promise<void> {
      for (const op of ['get', 'set', 'delete']) {
        const message = results[op]?.error ?? '';
        expect(message, `${op} should fail, got ${JSON.stringify(results[op])}`).not.toBe('');
        expect(isKeychainUnavailableMessage(message), message).toBe(true);
        const store = new KeytarSecretStore({
          service: 'x',
          keytar: failingKeytar(new Error(message)),
        });
        await expect(store.get('a')).rejects.toBeInstanceOf(KeychainUnavailableError);
      }
    }

    it('maps a session bus address that points nowhere to KeychainUnavailableError', async () => {
      await expectMappedUnavailable(probe({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }));
    });

    it('maps "no session bus and no X11 display" to KeychainUnavailableError', async () => {
      await expectMappedUnavailable(probe({ DBUS_SESSION_BUS_ADDRESS: undefined }));
    });
  },
);
