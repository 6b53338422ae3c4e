import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/errors';
import type { ActionProgress, ActionReport, InstanceSummary, PluginsView } from '../../shared/instances';
import { DEMO_KEYS, startStandin, type Standin } from '../../e2e/standin/standin';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { UndiciHttpClient } from '../adapters/undici-http-client';
import { createAppCore } from './create-app-core';
import { dispatch } from './dispatch';
import { systemClock } from './ports';
import { MemoryStore, memoryLogger } from './testing';
import { fakeGlpi } from './testing-glpi';
import { nodeInstallFs } from './install/install-fs';
import { installPlugin } from './install/pipeline';
import { SimulatedCrash } from './install/swap';
import { localDownload, pluginArchive } from './install/testing-install';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin({ quiet: true });
});
afterEach(async () => {
  await standin.close();
});

function core() {
  const c = createAppCore(
    {
      secrets: new MemorySecretStore('keychain'),
      store: new MemoryStore(),
      http: new UndiciHttpClient(),
      clock: systemClock,
      logger: memoryLogger(),
      dataDir: mkdtempSync(join(tmpdir(), 'md-handlers-')),
      appVersion: '0.1.0',
      shell: 'browser',
      profile: 'default',
      servicesUrlFromEnv: standin.url,
      systemLanguage: 'en_US',
      redact: () => undefined,
    },
    { sessionSecrets: new MemorySecretStore(), keychainFix: 'fix' },
  );
  const call = async <T>(channel: string, payload: unknown = {}) =>
    (await dispatch(c.handlers, channel, payload, memoryLogger())) as Envelope<T>;
  return { c, call };
}

describe('instance and plugin channels', () => {
  it('add an instance, list its plugins with updates, install with progress events', async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.standard);
    const added = await call<InstanceSummary>('instances.add', { root: fakeGlpi(), name: 'prod' });
    expect(added).toMatchObject({
      ok: true,
      value: { name: 'prod', active: true, version: '10.0.18', marketplaceWritable: true },
    });
    const list = await call<PluginsView>('plugins.list');
    if (!list.ok) throw new Error(list.error.message);
    expect(list.value.catalogue).toBe(true);
    expect(list.value.updates).toBeGreaterThan(0);
    expect(list.value.plugins.find((p) => p.key === 'fields' && p.location === 'marketplace')?.update).toBeTruthy();

    const progress: ActionProgress[] = [];
    const changed: unknown[] = [];
    c.events.on('plugins.progressed', (p) => progress.push(p));
    c.events.on('plugins.changed', (p) => changed.push(p));
    const installed = await call<ActionReport>('plugins.install', { key: 'genericobject' });
    expect(installed).toMatchObject({ ok: true, value: { action: 'install', key: 'genericobject', from: null } });
    if (installed.ok) expect(installed.value.next).toMatch(/install and enable genericobject/);
    expect(progress.map((p) => p.step)).toEqual(expect.arrayContaining(['download', 'extract', 'swap']));
    expect(changed).toEqual([{ instance: 'prod' }]);
  });

  it('refuses paths and keys that are not what they claim, and reports install failures with their step', async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.basic);
    await call('instances.add', { root: fakeGlpi() });
    const traversal = await call('plugins.install', { key: '../../etc' });
    expect(traversal).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const denied = await call('plugins.update', { key: 'metabase' });
    expect(denied).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!denied.ok) expect(denied.error.message).toMatch(/Needs Standard/);
    const missing = await call('plugins.restore', { key: 'fields' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!missing.ok) expect(missing.error.message).toMatch(/No backup of fields/);
  });
});

describe('start-up recovery', () => {
  it('rolls back an update a crash interrupted, says so once, and writes it in the history', async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.standard);
    const root = fakeGlpi();
    await call('instances.add', { root });
    const { info } = await c.instances.show();
    // An update of fields that "crashed" between the two renames.
    const crash = installPlugin(
      {
        fs: nodeInstallFs,
        clock: systemClock,
        dataDir: mkdtempSync(join(tmpdir(), 'md-crash-')),
        download: localDownload({ 'https://services.test/fields.tar.gz': pluginArchive('fields', '1.21.10') }),
        swap: {
          pause: (point) => {
            if (point === 'after-old-rename') throw new SimulatedCrash(point);
          },
        },
      },
      {
        instance: info,
        key: 'fields',
        version: '1.21.10',
        source: {
          url: 'https://services.test/fields.tar.gz',
          servicesOrigin: 'https://services.test',
          headers: {},
          key: 'k',
          uid: 'u',
        },
        allowed: true,
      },
    );
    await expect(crash).rejects.toBeInstanceOf(SimulatedCrash);
    expect(existsSync(join(root, 'marketplace', 'fields'))).toBe(false); // the state a crash leaves

    const message = await c.plugins.recoverActive();
    expect(message).toMatch(/interrupted update of fields.*rolled back/i);
    expect(readFileSync(join(root, 'marketplace', 'fields', 'setup.php'), 'utf8')).toContain("'1.21.0'");
    const view = await call<PluginsView>('plugins.list');
    if (view.ok) expect(view.value.recovery).toBe(message);
    const history = await c.plugins.history();
    expect(history.at(-1)).toMatchObject({ key: 'fields', result: 'ok', note: `At start: ${message}` });
    expect(await c.plugins.recoverActive()).toBeNull();
  });
});
