import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../shared/errors';
import type {
  ActionProgress,
  ActionReport,
  ConsoleRun,
  InstanceDetails,
  InstanceSummary,
  PluginBackup,
  PluginsView,
} from '../../shared/instances';
import { DEMO_KEYS, startStandin, type Standin } from '../../e2e/standin/standin';
import { nodeProcessRunner } from '../adapters/process-runner';
import { dispatch } from './dispatch';
import { systemClock } from './ports';
import { memoryLogger } from './testing.testkit';
import { fakeGlpi } from './testing-glpi.testkit';
import { installPlugin } from './install/pipeline';
import { SimulatedCrash } from './install/swap';
import { localDownload, pluginArchive, treeHash, workAreaLeftovers } from './install/testing-install.testkit';
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeHostInfo } from '../adapters/node-host';
import { nodeTestCore } from './testing-core.testkit';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin({ quiet: true });
});
afterEach(async () => {
  await standin.close();
});

function core(shell: 'browser' | 'cli' = 'browser', options: { catalogRefreshMs?: number } = {}) {
  const c = nodeTestCore(
    {
      dataDir: mkdtempSync(join(tmpdir(), 'md-handlers-')),
      // php is looked for on this PATH: an empty folder, so that the machine's own php (if any) is not found.
      host: { ...nodeHostInfo(), pathEnv: mkdtempSync(join(tmpdir(), 'md-nophp-')) },
      shell,
      servicesUrlFromEnv: standin.url,
      processes: nodeProcessRunner,
    },
    options,
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
    if (installed.ok)
      expect(installed.value.next).toBe('In GLPI, open Setup > Plugins, then install and enable genericobject.');
    if (installed.ok) expect(installed.value.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(progress.map((p) => p.step)).toEqual(expect.arrayContaining(['download', 'extract', 'swap']));
    expect(changed).toEqual([{ instance: 'prod' }]);
  });

  it("says GLPI's web marketplace is off after an install or update when GLPI_MARKETPLACE_ENABLE is 0 or 1", async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.standard);
    const root = fakeGlpi();
    writeFileSync(join(root, 'config', 'local_define.php'), "<?php\ndefine('GLPI_MARKETPLACE_ENABLE', 1);\n");
    await call('instances.add', { root, name: 'prod' });
    const installed = await call<ActionReport>('plugins.install', { key: 'genericobject' });
    if (!installed.ok) throw new Error(installed.error.message);
    expect(installed.value.next).toBe(
      "GLPI's web marketplace is off on this instance (GLPI_MARKETPLACE_ENABLE = 1, console only, in config/local_define.php), so GLPI shows no Marketplace page: install and enable genericobject from Setup > Plugins in GLPI, or with GLPI's console (plugin:install, then plugin:activate).",
    );
    writeFileSync(join(root, 'config', 'local_define.php'), "<?php\ndefine('GLPI_MARKETPLACE_ENABLE', 0);\n");
    const updated = await call<ActionReport>('plugins.update', { key: 'fields' });
    if (!updated.ok) throw new Error(updated.error.message);
    expect(updated.value.next).toMatch(
      /^GLPI's web marketplace is off on this instance \(GLPI_MARKETPLACE_ENABLE = 0, marketplace off, in config\/local_define\.php\), so GLPI shows no Marketplace page: open Setup > Plugins in GLPI: fields is marked "to update"; run its update there \(or with GLPI's console\)/,
    );
    // Web only (2): GLPI's own pages are there, the usual words.
    writeFileSync(join(root, 'config', 'local_define.php'), "<?php\ndefine('GLPI_MARKETPLACE_ENABLE', 2);\n");
    const restored = await call<ActionReport>('plugins.restore', { key: 'fields' });
    if (!restored.ok) throw new Error(restored.error.message);
    const again = await call<ActionReport>('plugins.update', { key: 'fields' });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.next).toMatch(/^In GLPI, open Setup > Plugins: fields is marked "to update"/);
  });

  it('shows everything detected in an instance, the active one without a name', async () => {
    const { call } = core();
    expect(await call('instances.show')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/No GLPI instance is configured/) as string },
    });
    const root = fakeGlpi();
    await call('instances.add', { root, name: 'prod' });
    await call('instances.add', { root: fakeGlpi(), name: 'staging' });
    const shown = await call<InstanceDetails>('instances.show');
    expect(shown).toMatchObject({
      ok: true,
      value: { name: 'prod', root, active: true, info: { version: '10.0.18', configDir: join(root, 'config') } },
    });
    if (shown.ok) expect(shown.value.info.pluginsDirs).toContain(join(root, 'marketplace'));
    expect(await call('instances.show', { name: 'staging' })).toMatchObject({
      ok: true,
      value: { name: 'staging', active: false },
    });
    expect(await call('instances.show', { name: '../prod' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
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

describe('cancel, backups and restore by backup', () => {
  it('cancels an install whose download hangs, and leaves marketplace/ as it was', async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.standard);
    const root = fakeGlpi();
    await call('instances.add', { root });
    const before = await treeHash(join(root, 'marketplace'), ['.marketdesk']);
    standin.setFaults([{ fault: { mode: 'stall' }, path: '/downloads/' }]);
    const progress: ActionProgress[] = [];
    c.events.on('plugins.progressed', (p) => progress.push(p));
    const running = call<ActionReport>('plugins.install', { key: 'genericobject' });
    await vi.waitFor(() => expect(progress.some((p) => p.step === 'download')).toBe(true), { timeout: 10_000 });
    expect(await call('plugins.cancel', { key: 'genericobject' })).toEqual({ ok: true, value: { cancelled: true } });
    const result = await running;
    expect(result).toMatchObject({ ok: false, error: { code: 'INSTALL_FAILED', details: { code: 'cancelled' } } });
    expect(await treeHash(join(root, 'marketplace'), ['.marketdesk'])).toBe(before);
    expect(await workAreaLeftovers(join(root, 'marketplace'))).toEqual([]);
    expect(await call('plugins.cancel', { key: 'genericobject' })).toEqual({ ok: true, value: { cancelled: false } });
    expect((await c.plugins.history()).at(-1)).toMatchObject({ key: 'genericobject', result: 'failed' });
  });

  it('cancels from the first moment, before the catalogue is even read', async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.standard);
    const root = fakeGlpi();
    await call('instances.add', { root });
    const running = call<ActionReport>('plugins.install', { key: 'GenericObject' });
    await vi.waitFor(async () =>
      expect(await call('plugins.cancel', { key: 'genericobject' })).toEqual({ ok: true, value: { cancelled: true } }),
    );
    expect(await running).toMatchObject({ ok: false, error: { details: { code: 'cancelled' } } });
    expect(existsSync(join(root, 'marketplace', 'genericobject'))).toBe(false);
  });

  it('lists backups (of replaced and removed plugins) and restores the one chosen by its id', async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.standard);
    const root = fakeGlpi();
    await call('instances.add', { root });
    expect(await call('plugins.backups')).toEqual({ ok: true, value: [] });
    const updated = await call<ActionReport>('plugins.update', { key: 'fields' });
    if (!updated.ok) throw new Error(updated.error.message);
    await call('plugins.remove', { key: 'fields' });
    const backups = await call<PluginBackup[]>('plugins.backups');
    if (!backups.ok) throw new Error(backups.error.message);
    expect(backups.value.map((b) => [b.key, b.version, b.installed])).toEqual([
      ['fields', updated.value.to, false],
      ['fields', '1.21.0', false],
    ]);
    const oldest = backups.value[1]!;
    const restored = await call<ActionReport>('plugins.restore', { key: 'fields', backupId: oldest.id });
    expect(restored).toMatchObject({ ok: true, value: { action: 'restore', to: '1.21.0' } });
    expect(readFileSync(join(root, 'marketplace', 'fields', 'setup.php'), 'utf8')).toContain("'1.21.0'");
    const bad = await call('plugins.restore', { key: 'fields', backupId: '../../etc' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe("GLPI's console step", () => {
  it('is off by default, then runs php bin/console plugin:install and plugin:activate with the output', async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.standard);
    const root = fakeGlpi();
    mkdirSync(join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'bin', 'console'), '<?php // GLPI console\n');
    const bin = mkdtempSync(join(tmpdir(), 'md-php-'));
    const php = join(bin, 'php');
    writeFileSync(
      php,
      '#!/bin/sh\necho "cwd=$(pwd) args=$*"\n[ "$2" = "plugin:activate" ] && { echo "Plugin is not installed" >&2; exit 1; }\nexit 0\n',
      { mode: 0o755 },
    );
    await call('instances.add', { root });

    const off = await call<PluginsView>('plugins.list');
    // Without a configured php, none is found: this core's PATH is an empty folder.
    expect(off).toMatchObject({ ok: true, value: { console: { offered: false, available: false } } });
    expect(await call('plugins.console', { key: 'fields', action: 'install' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/console is off/) as string },
    });

    await call('settings.update', { glpiConsole: { offer: true, php, user: 'glpi-admin' } });
    expect(await call<PluginsView>('plugins.list')).toMatchObject({
      ok: true,
      value: { console: { offered: true, available: true, reason: null } },
    });
    const installed = await call<ConsoleRun>('plugins.console', { key: 'fields', action: 'install' });
    expect(installed).toMatchObject({ ok: true, value: { ok: true, exitCode: 0 } });
    if (installed.ok) {
      expect(installed.value.output).toContain(`cwd=${root}`);
      expect(installed.value.output).toContain(
        'args=bin/console plugin:install --no-interaction --username=glpi-admin fields',
      );
      expect(installed.value.commandLine).toContain(`${php} bin/console plugin:install`);
    }
    const activated = await call<ConsoleRun>('plugins.console', { key: 'fields', action: 'activate' });
    expect(activated).toMatchObject({ ok: true, value: { ok: false, exitCode: 1 } });
    if (activated.ok) expect(activated.value.output).toContain('Plugin is not installed');

    // plugin:resume_execution names no plugin: the request has no key, and one with a key is refused.
    const resumed = await call<ConsoleRun>('plugins.console', { action: 'resume' });
    expect(resumed).toMatchObject({ ok: true, value: { ok: true, exitCode: 0 } });
    if (resumed.ok) expect(resumed.value.output).toContain('args=bin/console plugin:resume_execution --no-interaction');
    for (const bad of [{ action: 'resume', key: 'fields' }, { action: 'install' }])
      expect(await call('plugins.console', bad)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const refused = await call('settings.update', { glpiConsole: { php: '/bin/sh' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it("runs when not offered only if forced (the CLI's --console)", async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.standard);
    const root = fakeGlpi();
    mkdirSync(join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'bin', 'console'), '<?php // GLPI console\n');
    const php = join(mkdtempSync(join(tmpdir(), 'md-php-')), 'php');
    writeFileSync(php, '#!/bin/sh\necho "ran $2"\n', { mode: 0o755 });
    await call('instances.add', { root });
    await call('settings.update', { glpiConsole: { php } });
    expect(await call('plugins.console', { key: 'fields', action: 'install' })).toMatchObject({ ok: false });
    const forced = await call<ConsoleRun>('plugins.console', { key: 'fields', action: 'install', force: true });
    expect(forced).toMatchObject({ ok: true, value: { ok: true } });
    if (forced.ok) expect(forced.value.output).toContain('ran plugin:install');
  });
});

describe('catalog.get in a one-shot CLI core', () => {
  it('fetches a missing catalogue in the background for the app, never for the CLI', async () => {
    const marketplace = () => standin.requests.filter((q) => q.path.startsWith('/api/marketplace')).length;
    for (const shell of ['cli', 'browser'] as const) {
      const { c, call } = core(shell);
      await c.keys.set(DEMO_KEYS.standard);
      const before = marketplace();
      expect(await call('catalog.get')).toMatchObject({ ok: true, value: { fetchedAt: null } });
      if (shell === 'browser') await vi.waitFor(() => expect(marketplace()).toBeGreaterThan(before));
      else {
        await new Promise((r) => setTimeout(r, 300));
        expect(marketplace()).toBe(before);
      }
    }
  });
});

describe('start-up recovery', () => {
  it('repairs every instance, not only the active one, and says so in that instance', async () => {
    const { c, call } = core();
    await c.keys.set(DEMO_KEYS.standard);
    await call('instances.add', { root: fakeGlpi(), name: 'prod' });
    const root = fakeGlpi();
    await call('instances.add', { root, name: 'staging' });
    expect(c.instances.list().active).toBe('prod');
    const { info } = await c.instances.show('staging');
    // An update of fields that "crashed" between the two renames.
    const crash = installPlugin(
      {
        fs: nodeFileSystem,
        host: nodeHostInfo(),
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

    const repaired = await c.plugins.recoverAll();
    expect(repaired).toEqual([
      { instance: 'staging', message: expect.stringMatching(/interrupted update of fields.*rolled back/i) as string },
    ]);
    const message = repaired[0]!.message;
    expect(readFileSync(join(root, 'marketplace', 'fields', 'setup.php'), 'utf8')).toContain("'1.21.0'");
    const prod = await call<PluginsView>('plugins.list');
    expect(prod).toMatchObject({ ok: true, value: { recovery: null } });
    expect(await c.plugins.history()).toEqual([]);
    const staging = await call<PluginsView>('instances.use', { name: 'staging' });
    expect(staging).toMatchObject({ ok: true, value: { recovery: message } });
    const history = await c.plugins.history();
    expect(history.at(-1)).toMatchObject({ key: 'fields', result: 'ok', note: `At start: ${message}` });
    expect(await c.plugins.recoverAll()).toEqual([]);
  });
});
