import { AppError } from '../../../shared/errors';
import type { PluginsView } from '../../../shared/instances';
import { createApi } from '../api/transport';
import { createCoreHarness, NOW } from '../test/core-harness';
import {
  cancelledError,
  FakePlugins,
  makeBackup,
  makeInstalled,
  makeInstance,
  type FakePluginsOptions,
} from '../test/fake-plugins';
import { createInMemoryTransport } from '../test/in-memory-transport';
import { createAppStore } from './app-store';
import {
  busyHere,
  cancelBlocked,
  failedStep,
  isCancelled,
  removedPlugins,
  updatable,
  type RunningJob,
} from './installed-slice';

async function setup(options: FakePluginsOptions = {}) {
  const harness = await createCoreHarness();
  const plugins = new FakePlugins(harness, options);
  const transport = createInMemoryTransport(harness.core.handlers, harness.core.events);
  const store = createAppStore(createApi(transport), { now: () => NOW });
  await store.getState().installed.load();
  const installed = () => store.getState().installed;
  return { ...harness, plugins, transport, store, installed };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets the in-memory transport and the fake answer. */
async function settle(times = 10): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
}

function running(partial: Partial<RunningJob> = {}): RunningJob {
  return {
    state: 'running',
    action: 'update',
    step: null,
    fraction: 0,
    local: true,
    cancel: 'none',
    cancelError: null,
    ...partial,
  };
}

describe('installed slice helpers', () => {
  it('recognises a cancelled job and the failed step', () => {
    const cancelled = cancelledError('download').toShape();
    expect(isCancelled(cancelled)).toBe(true);
    expect(failedStep(cancelled)).toBe('download');
    expect(isCancelled({ code: 'INSTALL_FAILED', message: 'x', details: { step: 'extract', code: 'BAD' } })).toBe(
      false,
    );
    expect(isCancelled({ code: 'INTERNAL', message: 'x', details: { code: 'cancelled' } })).toBe(false);
    expect(isCancelled({ code: 'INSTALL_FAILED', message: 'x' })).toBe(false);
  });

  it('says when a running job cannot be cancelled', () => {
    expect(cancelBlocked(running())).toBeNull();
    expect(cancelBlocked(running({ step: 'download' }))).toBeNull();
    expect(cancelBlocked(running({ action: 'install', step: 'validate' }))).toBeNull();
    expect(cancelBlocked(running({ step: 'swap' }))).toBe('swap');
    expect(cancelBlocked(running({ step: 'backup' }))).toBe('swap');
    expect(cancelBlocked(running({ action: 'restore' }))).toBe('action');
    expect(cancelBlocked(running({ action: 'remove' }))).toBe('action');
    expect(cancelBlocked(running({ cancel: 'asked' }))).toBe('asked');
    expect(cancelBlocked(running({ cancel: 'waiting' }))).toBe('asked');
  });

  it('counts as busy only the actions started here', () => {
    expect(busyHere({ jobs: {}, updatingAll: false })).toBe(false);
    expect(busyHere({ jobs: {}, updatingAll: true })).toBe(true);
    expect(busyHere({ jobs: { a: running() }, updatingAll: false })).toBe(true);
    expect(busyHere({ jobs: { a: running({ local: false }) }, updatingAll: false })).toBe(false);
  });

  it('groups the removed plugins by key, and lists the updatable ones', () => {
    const backups = [
      makeBackup('zeta', '1', '2025-06-03T00:00:00Z', false),
      makeBackup('fields', '1.2', '2025-06-02T00:00:00Z', true),
      makeBackup('alpha', '2', '2025-06-01T00:00:00Z', false),
      makeBackup('zeta', '0.9', '2025-05-01T00:00:00Z', false),
    ];
    expect(removedPlugins(backups).map((r) => [r.key, r.backups.map((b) => b.version)])).toEqual([
      ['alpha', ['2']],
      ['zeta', ['1', '0.9']],
    ]);
    const view: PluginsView = {
      instance: makeInstance(),
      catalogue: true,
      updates: 2,
      plugins: [
        makeInstalled('a', { update: '2.0.0' }),
        makeInstalled('a', { location: 'plugins', update: '2.0.0', shadowedBy: 'marketplace' }),
        makeInstalled('b'),
      ],
    };
    expect(updatable(view)).toEqual(['a']);
    expect(updatable(null)).toEqual([]);
  });
});

describe('installed slice over the real core', () => {
  it('Update all: runs the selected plugins in turn; a failure does not stop the others', async () => {
    const { installed, plugins } = await setup({
      plugins: [
        makeInstalled('a', { update: '1.1.0' }),
        makeInstalled('b', { update: '2.0.0' }),
        makeInstalled('c', { update: '3.0.0' }),
        makeInstalled('d'),
      ],
    });
    installed().openUpdateAll();
    expect(installed().batch?.items.map((i) => [i.key, i.from, i.to, i.selected])).toEqual([
      ['a', '1.0.0', '1.1.0', true],
      ['b', '1.0.0', '2.0.0', true],
      ['c', '1.0.0', '3.0.0', true],
    ]);
    installed().selectForUpdate('c', false);
    plugins.plans.set('a', {
      fail: new AppError('INSTALL_FAILED', 'download failed: 404', { details: { step: 'download', code: 'http' } }),
    });
    const done = installed().runUpdateAll();
    expect(installed().updatingAll).toBe(true);
    expect(installed().batch?.phase).toBe('running');
    // Neither the selection nor a second run can change it now; nor can it be closed.
    installed().selectForUpdate('c', true);
    installed().closeUpdateAll();
    expect(installed().batch?.items[2]?.selected).toBe(false);
    await done;

    const batch = installed().batch;
    expect(batch?.phase).toBe('finished');
    expect(batch?.items.map((i) => i.result.state)).toEqual(['failed', 'done', 'unselected']);
    expect(batch?.items[0]?.result).toMatchObject({ state: 'failed', step: 'download' });
    expect(installed().updatingAll).toBe(false);
    expect(plugins.calls.filter((c) => c.channel === 'plugins.update').map((c) => c.req)).toEqual([
      { key: 'a' },
      { key: 'b' },
    ]);
    expect(installed().jobs.a?.state).toBe('failed');
    expect(installed().jobs.b?.state).toBe('done');
    installed().closeUpdateAll();
    expect(installed().batch).toBeNull();
  });

  it('Update all: Cancel stops the current one and skips the rest', async () => {
    const { installed, plugins } = await setup({
      plugins: [makeInstalled('a', { update: '1.1.0' }), makeInstalled('b', { update: '2.0.0' })],
    });
    plugins.plans.set('a', { steps: [['download', 0.5]], hold: new Promise(() => undefined) });
    installed().openUpdateAll();
    const done = installed().runUpdateAll();
    await settle();
    expect(installed().jobs.a).toMatchObject({ state: 'running', step: 'download', fraction: 0.5 });
    await installed().cancelUpdateAll();
    await done;
    expect(installed().batch?.items.map((i) => i.result)).toEqual([
      { state: 'cancelled' },
      { state: 'skipped', reason: 'cancelled' },
    ]);
    expect(installed().jobs.a).toMatchObject({ state: 'cancelled', step: 'download' });
    expect(plugins.calls.filter((c) => c.channel === 'plugins.update')).toHaveLength(1);
  });

  it('a Cancel the core could not take yet is asked again at the first step', async () => {
    const { installed, plugins } = await setup();
    const begin = deferred();
    plugins.plans.set('fields', { begin: begin.promise, steps: [['lock', 0]], hold: new Promise(() => undefined) });
    const done = installed().update('fields');
    await settle();
    await installed().cancel('fields');
    expect(installed().jobs.fields).toMatchObject({ state: 'running', cancel: 'waiting' });
    begin.resolve();
    await done;
    expect(installed().jobs.fields).toMatchObject({ state: 'cancelled' });
    expect(plugins.calls.filter((c) => c.channel === 'plugins.cancel')).toHaveLength(2);
  });

  it('a Cancel answered "not yet" after the job began meanwhile is asked again at once', async () => {
    const { installed, plugins, core } = await setup();
    const begin = deferred();
    const answer = deferred();
    plugins.plans.set('fields', { begin: begin.promise, steps: [['lock', 0]], hold: new Promise(() => undefined) });
    const cancel = core.handlers['plugins.cancel'];
    let asked = 0;
    core.handlers['plugins.cancel'] = async (req) => {
      const result = await cancel(req);
      if (asked++ === 0) await answer.promise;
      return result;
    };
    const done = installed().update('fields');
    await settle();
    const cancelling = installed().cancel('fields');
    await settle();
    begin.resolve();
    await settle();
    expect(installed().jobs.fields).toMatchObject({ state: 'running', step: 'lock', cancel: 'asking' });
    answer.resolve();
    await cancelling;
    await done;
    expect(installed().jobs.fields).toMatchObject({ state: 'cancelled' });
    expect(asked).toBe(2);
  });

  it('a Cancel that comes too late says so, and the job ends as the core ends it', async () => {
    const { installed, plugins, core } = await setup();
    const gate = deferred();
    plugins.plans.set('fields', { steps: [['download', 0.9]], hold: gate.promise });
    core.handlers['plugins.cancel'] = () => Promise.resolve({ cancelled: false });
    const done = installed().update('fields');
    await settle();
    await installed().cancel('fields');
    expect(installed().jobs.fields).toMatchObject({ state: 'running', cancel: 'too-late' });
    gate.resolve();
    await done;
    expect(installed().jobs.fields?.state).toBe('done');
  });

  it('keeps why the cancel could not be asked', async () => {
    const { installed, plugins, core } = await setup();
    const gate = deferred();
    plugins.plans.set('fields', { steps: [['download', 0.2]], hold: gate.promise });
    core.handlers['plugins.cancel'] = () => Promise.reject(new AppError('INVALID_INPUT', 'No active instance.'));
    const done = installed().update('fields');
    await settle();
    await installed().cancel('fields');
    expect(installed().jobs.fields).toMatchObject({
      state: 'running',
      cancel: 'none',
      cancelError: { message: 'No active instance.' },
    });
    gate.resolve();
    await done;
  });

  it('switching instances reads the other instance and forgets what belonged to the first', async () => {
    const staging = makeInstance({ name: 'staging', root: '/srv/staging', active: false });
    const { installed, plugins } = await setup({
      backups: [makeBackup('fields', '1.0.0', '2025-06-01T00:00:00Z')],
      others: [
        {
          instance: staging,
          plugins: [makeInstalled('formcreator')],
          backups: [makeBackup('formcreator', '2.0.0', '2025-06-02T00:00:00Z', false)],
        },
      ],
    });
    plugins.history = [
      {
        at: NOW.toISOString(),
        user: 'a',
        action: 'update',
        key: 'fields',
        from: null,
        to: null,
        sha256: null,
        result: 'ok',
      },
    ];
    await installed().loadHistory();
    await installed().loadBackups();
    await installed().update('fields');
    await settle();
    expect(installed().instanceList?.instances.map((i) => i.name)).toEqual(['prod', 'staging']);

    await installed().useInstance('staging');
    await settle();
    const s = installed();
    expect(s.view?.instance?.name).toBe('staging');
    expect(s.view?.plugins.map((p) => p.key)).toEqual(['formcreator']);
    expect(s.jobs).toEqual({});
    expect(s.history).toEqual([]);
    expect(s.backups.map((b) => b.key)).toEqual(['formcreator']);
    expect(s.instanceList?.active).toBe('staging');
    expect(s.switching).toBeNull();
  });

  it('refuses to switch while an action started here runs, and reports a refused switch', async () => {
    const { installed, plugins } = await setup({
      others: [{ instance: makeInstance({ name: 'staging', active: false }), plugins: [] }],
    });
    const gate = deferred();
    plugins.plans.set('fields', { hold: gate.promise });
    const done = installed().update('fields');
    await installed().useInstance('staging');
    expect(plugins.calls.some((c) => c.channel === 'instances.use')).toBe(false);
    gate.resolve();
    await done;

    await installed().useInstance('nowhere');
    expect(installed().actionError?.message).toBe('No instance named nowhere.');
    expect(installed().view?.instance?.name).toBe('prod');
  });

  it('an instance added while an action runs is listed but not made active', async () => {
    const { installed, plugins } = await setup();
    const gate = deferred();
    plugins.plans.set('fields', { hold: gate.promise });
    const done = installed().update('fields');
    const added = await installed().addInstance('/srv/other', 'other');
    expect(added?.name).toBe('other');
    await settle();
    expect(installed().view?.instance?.name).toBe('prod');
    expect(installed().instanceList?.instances.map((i) => i.name)).toEqual(['other', 'prod']);
    expect(plugins.calls.some((c) => c.channel === 'instances.use')).toBe(false);
    gate.resolve();
    await done;
  });

  it('restores a chosen backup by id, and installs another version', async () => {
    const backup = makeBackup('fields', '1.20.0', '2025-06-01T00:00:00Z');
    const { installed, plugins } = await setup({ backups: [backup] });
    await installed().restore('fields', backup.id);
    await installed().restore('fields');
    await installed().install('fields', '1.21.22');
    await installed().install('news');
    expect(plugins.calls.filter((c) => /^plugins\.(restore|install)$/.test(c.channel))).toEqual([
      { channel: 'plugins.restore', req: { key: 'fields', backupId: backup.id } },
      { channel: 'plugins.restore', req: { key: 'fields' } },
      { channel: 'plugins.install', req: { key: 'fields', version: '1.21.22' } },
      { channel: 'plugins.install', req: { key: 'news' } },
    ]);
  });

  it('re-reads the backups after an action once someone read them', async () => {
    const { installed } = await setup();
    await installed().update('fields');
    await settle();
    expect(installed().backupsState.status).toBe('idle');
    await installed().loadBackups();
    expect(installed().backups.map((b) => [b.key, b.version, b.installed])).toEqual([['fields', '1.21.0', true]]);
    await installed().remove('metabase');
    await settle();
    expect(removedPlugins(installed().backups).map((r) => r.key)).toEqual(['metabase']);
  });
});
