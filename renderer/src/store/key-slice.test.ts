import { TransportError } from '../../../electron/core/ports';
import { createApi } from '../api/transport';
import { createCoreHarness, NOW, STANDARD, type CoreHarnessOptions } from '../test/core-harness';
import { createInMemoryTransport } from '../test/in-memory-transport';
import { createAppStore } from './app-store';

const GOOD = 'eyJrZXkiOiJnb29kIn0sig1234567890';

async function setup(options: CoreHarnessOptions = {}) {
  const harness = await createCoreHarness(options);
  const transport = createInMemoryTransport(harness.core.handlers, harness.core.events);
  const store = createAppStore(createApi(transport), { now: () => NOW });
  return { ...harness, transport, store };
}

describe('key slice over the real core', () => {
  it('hydrates app info, key status and settings', async () => {
    const { store, transport } = await setup({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    expect(store.getState().key.load.status).toBe('idle');
    const done = store.getState().key.hydrate();
    expect(store.getState().key.load.status).toBe('loading');
    await done;
    const s = store.getState();
    expect(s.key.load.status).toBe('ready');
    expect(s.key.status).toMatchObject({ state: 'valid', owner: 'ACME Industries', maskedKey: 'eyJr…7890' });
    expect(s.ui.info).toEqual({ version: '0.1.0-test', shell: 'browser', profile: 'default', adminDialogs: false });
    expect(s.ui.settings?.servicesUrl).toBe('https://services.glpi-network.test');
    expect(transport.calls.map((c) => c.channel).sort()).toEqual(['app.info', 'key.status', 'settings.get']);
  });

  it('keeps the error of a failed hydrate', async () => {
    const { store, core } = await setup();
    core.handlers['key.status'] = () => Promise.reject(new Error('boom'));
    await store.getState().key.hydrate();
    expect(store.getState().key.load).toMatchObject({ status: 'error', error: { code: 'INTERNAL' } });
  });

  it('follows key.changed and settings.changed until disposed', async () => {
    const { store, core, network } = await setup({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await store.getState().key.hydrate();
    network.registrations.delete(GOOD);
    await core.keys.sync();
    expect(store.getState().key.status?.state).toBe('invalid');
    core.settings.update({ glpiVersion: '11.0.1' });
    expect(store.getState().ui.settings?.glpiVersion).toBe('11.0.1');
    store.dispose();
    network.registrations.set(GOOD, STANDARD);
    await core.keys.sync();
    expect(store.getState().key.status?.state).toBe('invalid');
  });

  it('does not let a hydrate answer overwrite a newer event', async () => {
    const { store, core, network } = await setup({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    let release!: () => void;
    const original = core.handlers['key.status'];
    core.handlers['key.status'] = async (req) => {
      const answer = await original(req);
      await new Promise<void>((r) => (release = r));
      return answer;
    };
    const done = store.getState().key.hydrate();
    await vi.waitFor(() => expect(release).toBeDefined());
    network.registrations.delete(GOOD);
    await core.keys.sync();
    release();
    await done;
    expect(store.getState().key.status?.state).toBe('invalid');
  });

  it('refuses a malformed key without calling the core', async () => {
    const { store, transport } = await setup();
    await store.getState().key.hydrate();
    const before = transport.calls.length;
    await expect(store.getState().key.save('"quoted-key-123"')).resolves.toBe(false);
    expect(transport.calls.length).toBe(before);
    expect(store.getState().key.saveError?.error).toMatchObject({
      code: 'KEY_MALFORMED',
      message: 'The key is wrapped in quotes.',
    });
  });

  it('keeps the whole error of a refused key, details included, and never the key', async () => {
    const { store } = await setup();
    await store.getState().key.hydrate();
    await expect(store.getState().key.save(`  ${GOOD}  `)).resolves.toBe(false);
    const saveError = store.getState().key.saveError;
    expect(saveError?.error.code).toBe('KEY_INVALID');
    expect(saveError?.error.details).toMatchObject({ state: 'invalid', message: 'The registration key is invalid.' });
    expect(saveError?.result).toMatchObject({ state: 'invalid', message: 'The registration key is invalid.' });
    expect(JSON.stringify(store.getState())).not.toContain(GOOD);
  });

  it('sends the trimmed key with the chosen options and keeps only the masked status', async () => {
    const { store, transport, storedKey } = await setup({ keychainAvailable: false });
    await store.getState().key.hydrate();
    await expect(store.getState().key.save(`${GOOD}\n`, { force: true, storage: 'session' })).resolves.toBe(true);
    expect(transport.calls.at(-1)).toEqual({
      channel: 'key.set',
      payload: { key: GOOD, force: true, storage: 'session' },
    });
    expect(await storedKey()).toBe(GOOD);
    expect(store.getState().key.status).toMatchObject({ state: 'invalid', maskedKey: 'eyJr…7890', storage: 'session' });
    expect(store.getState().key.pending).toBeNull();
    expect(JSON.stringify(store.getState())).not.toContain(GOOD);
  });

  it('marks sync as pending until the core answers, and keeps a failed sync', async () => {
    const { store, keychain } = await setup({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await store.getState().key.hydrate();
    keychain.available = false;
    const done = store.getState().key.sync();
    expect(store.getState().key.pending).toBe('sync');
    await done;
    expect(store.getState().key.pending).toBeNull();
    expect(store.getState().key.actionError?.code).toBe('KEYCHAIN_UNAVAILABLE');
  });

  it('records an unreachable GLPI Network on sync', async () => {
    const { store, network } = await setup({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await store.getState().key.hydrate();
    network.failure = new TransportError('dns', 'getaddrinfo ENOTFOUND', 'ENOTFOUND');
    await store.getState().key.sync();
    expect(store.getState().key.status).toMatchObject({ state: 'unreachable', owner: 'ACME Industries' });
    expect(store.getState().key.status?.failure?.cause).toBe('dns');
  });

  it('forgets the key', async () => {
    const { store, storedKey } = await setup({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await store.getState().key.hydrate();
    await expect(store.getState().key.forget()).resolves.toBe(true);
    expect(store.getState().key.status?.state).toBe('none');
    expect(await storedKey()).toBeNull();
  });
});
