import { fakeGlpi } from '../../../electron/core/testing-glpi.testkit';
import type { DoctorReport } from '../../../shared/doctor';
import { AppError } from '../../../shared/errors';
import { createApi } from '../api/transport';
import { createCoreHarness, NOW, STANDARD, type CoreHarnessOptions } from '../test/core-harness';
import { createInMemoryTransport } from '../test/in-memory-transport';
import { createAppStore } from './app-store';
import { countStates } from './doctor-slice';

const GOOD = 'eyJrZXkiOiJnb29kIn0sig1234567890';

async function setup(options: CoreHarnessOptions = {}) {
  const harness = await createCoreHarness(options);
  const transport = createInMemoryTransport(harness.core.handlers, harness.core.events);
  const store = createAppStore(createApi(transport), { now: () => NOW });
  await store.getState().key.hydrate();
  return { ...harness, transport, store };
}

function check(report: DoctorReport | null, id: string) {
  return report?.sections.flatMap((s) => s.checks).find((c) => c.id === id);
}

describe('doctor slice over the real core', () => {
  it('runs the checks: a refused TCP step fails, the later steps are skipped, the report is failed', async () => {
    const { store, probe, transport } = await setup({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    probe.fail('tcp', 'ECONNREFUSED');
    const first = store.getState().doctor.runChecks();
    expect(store.getState().doctor.run.status).toBe('loading');
    // A second call while one runs joins it.
    const second = store.getState().doctor.runChecks();
    await Promise.all([first, second]);
    expect(transport.calls.filter((c) => c.channel === 'doctor.run')).toEqual([{ channel: 'doctor.run', payload: {} }]);

    const { report, run } = store.getState().doctor;
    expect(run.status).toBe('ready');
    expect(report?.state).toBe('failed');
    expect(report?.sections.map((s) => s.id)).toEqual(['network', 'key', 'instance']);
    expect(check(report, 'network.dns')).toMatchObject({ state: 'ok' });
    expect(check(report, 'network.tcp')).toMatchObject({
      state: 'failed',
      summary: expect.stringContaining('refused (ECONNREFUSED)') as string,
      fix: expect.stringContaining('Allow outgoing TCP 443 from this machine to services.glpi-network.test') as string,
    });
    for (const id of ['network.tls', 'network.http', 'network.clock', 'network.registration', 'network.archive'])
      expect(check(report, id)).toMatchObject({ state: 'skipped' });
    expect(check(report, 'network.registration')?.summary).toMatch(/connection to GLPI Network failed first/);
    expect(countStates(report!).failed).toBeGreaterThanOrEqual(1);
    expect(report?.markdown).not.toContain(GOOD);
  });

  it('keeps the error of a run that could not happen', async () => {
    const { store, core } = await setup();
    core.handlers['doctor.run'] = () => Promise.reject(new AppError('INVALID_INPUT', 'No instance named "gone".'));
    await store.getState().doctor.runChecks();
    expect(store.getState().doctor.run).toMatchObject({
      status: 'error',
      error: { code: 'INVALID_INPUT', message: 'No instance named "gone".' },
    });
    expect(store.getState().doctor.report).toBeNull();
  });

  it('checks the chosen instance, the active one by default, and follows instance changes', async () => {
    const { store, core, transport } = await setup();
    await core.instances.add(fakeGlpi(), 'prod');
    await core.instances.add(fakeGlpi(), 'staging');
    await store.getState().doctor.loadInstances();
    expect(store.getState().doctor.instances?.instances.map((i) => i.name)).toEqual(['prod', 'staging']);
    expect(store.getState().doctor.instances?.active).toBe('prod');

    store.getState().doctor.chooseInstance('staging');
    await store.getState().doctor.runChecks();
    expect(transport.calls.filter((c) => c.channel === 'doctor.run').at(-1)?.payload).toEqual({ instance: 'staging' });
    expect(store.getState().doctor.reportInstance).toBe('staging');

    // Choosing the active one again is "the active one" (no name sent).
    store.getState().doctor.chooseInstance('prod');
    expect(store.getState().doctor.instance).toBeNull();
    await store.getState().doctor.runChecks();
    expect(transport.calls.filter((c) => c.channel === 'doctor.run').at(-1)?.payload).toEqual({});
    expect(store.getState().doctor.reportInstance).toBe('prod');

    // Another window switches the instance: the list follows.
    await core.handlers['instances.use']({ name: 'staging' });
    await vi.waitFor(() => expect(store.getState().doctor.instances?.active).toBe('staging'));
  });

  it('saves the proxy settings through the core, and marks a loaded report stale', async () => {
    const { store, core } = await setup();
    await store.getState().doctor.runChecks();
    expect(store.getState().doctor.stale).toBe(false);
    const saved = await store.getState().doctor.saveNetwork({
      proxyMode: 'manual',
      proxyUrl: 'proxy.example.com:3128',
      proxyUser: 'alice',
      bypass: ['intranet.example.com', '10.0.0.0/8'],
      pacUrl: '',
    });
    expect(saved).toBe(true);
    expect(store.getState().doctor.networkSave.status).toBe('ready');
    // The core normalises the address; the store shows what it kept.
    expect(core.settings.get().network).toMatchObject({
      proxyMode: 'manual',
      proxyUrl: 'http://proxy.example.com:3128',
      proxyUser: 'alice',
      bypass: ['intranet.example.com', '10.0.0.0/8'],
    });
    expect(store.getState().ui.settings?.network.proxyUrl).toBe('http://proxy.example.com:3128');
    expect(store.getState().doctor.stale).toBe(true);
    await store.getState().doctor.runChecks();
    expect(store.getState().doctor.stale).toBe(false);
  });

  it("keeps the core's message for refused network settings and changes nothing", async () => {
    const { store, core } = await setup();
    const saved = await store.getState().doctor.saveNetwork({ proxyMode: 'manual', proxyUrl: 'socks5://proxy:1080' });
    expect(saved).toBe(false);
    expect(store.getState().doctor.networkSave).toEqual({
      status: 'error',
      error: { code: 'INVALID_INPUT', message: 'Only http:// and https:// proxies are supported, not socks5://.' },
    });
    expect(core.settings.get().network.proxyMode).toBe('system');
    store.getState().doctor.clearNetworkSave();
    expect(store.getState().doctor.networkSave.status).toBe('idle');
  });

  it('stores and removes the proxy password in the keychain, never in the store', async () => {
    const { store, keychain, core } = await setup();
    const password = 'pr0xy-s3cret!';
    expect(await store.getState().doctor.setProxyPassword(password)).toBe(true);
    expect(store.getState().doctor.password).toEqual({ status: 'set' });
    expect(store.getState().ui.settings?.proxyPasswordSet).toBe(true);
    expect(await keychain.get('proxy-password:default')).toBe(password);
    expect(JSON.stringify(store.getState())).not.toContain(password);
    expect(core.settings.get().proxyPasswordSet).toBe(true);

    expect(await store.getState().doctor.setProxyPassword(null)).toBe(true);
    expect(store.getState().doctor.password).toEqual({ status: 'removed' });
    expect(store.getState().ui.settings?.proxyPasswordSet).toBe(false);
    expect(await keychain.get('proxy-password:default')).toBeNull();
  });

  it('says why the password could not be stored (keychain unavailable)', async () => {
    const { store, keychain } = await setup();
    keychain.available = false;
    expect(await store.getState().doctor.setProxyPassword('secret')).toBe(false);
    expect(store.getState().doctor.password).toMatchObject({
      status: 'error',
      error: { code: 'KEYCHAIN_UNAVAILABLE' },
    });
    expect(store.getState().ui.settings?.proxyPasswordSet).toBe(false);
  });
});
