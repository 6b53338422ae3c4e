import { describe, expect, it, vi } from 'vitest';
import type { CatalogSnapshot } from '../../shared/catalog';
import type { KeyStatus, ProfileSettings } from '../../shared/model';
import { CHANNELS } from '../../shared/ipc/contract';
import type { AppCore } from '../core/app-core';
import type { Handlers } from '../core/dispatch';
import { EventHub } from '../core/event-hub';
import type { Logger } from '../core/ports';
import { registerIpc, type InvokeEventLike, type IpcMainLike, type WindowLike } from './ipc';

type Listener = (event: InvokeEventLike, payload: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipc, handlers };
}

const status = { profile: 'default', state: 'none' } as KeyStatus;

function fakeCore() {
  const events = new EventHub();
  const handlers = {
    'app.info': vi.fn(() => Promise.resolve({ version: '0.1.0', shell: 'electron' as const, profile: 'default' })),
    'key.status': vi.fn(() => Promise.resolve(status)),
    'key.set': vi.fn(() => Promise.resolve(status)),
    'key.sync': vi.fn(() => Promise.resolve(status)),
    'key.forget': vi.fn(() => Promise.resolve(status)),
    'settings.get': vi.fn(() => Promise.reject(new Error('disk on fire at /home/admin'))),
    'settings.update': vi.fn(() => Promise.resolve({} as ProfileSettings)),
    'catalog.get': vi.fn(() => Promise.resolve({} as CatalogSnapshot)),
    'catalog.refresh': vi.fn(() => Promise.resolve({} as CatalogSnapshot)),
    'catalog.list': vi.fn(() => Promise.resolve({} as never)),
    'catalog.searchText': vi.fn(() => Promise.resolve({} as never)),
    'catalog.details': vi.fn(() => Promise.resolve(null)),
    'instances.list': vi.fn(() => Promise.resolve({} as never)),
    'instances.add': vi.fn(() => Promise.resolve({} as never)),
    'instances.remove': vi.fn(() => Promise.resolve({} as never)),
    'fleet.check': vi.fn(() => Promise.resolve({} as never)),
    'fleet.update': vi.fn(() => Promise.resolve({} as never)),
    'fleet.cancel': vi.fn(() => Promise.resolve({} as never)),
    'instances.use': vi.fn(() => Promise.resolve({} as never)),
    'instances.show': vi.fn(() => Promise.resolve({} as never)),
    'plugins.list': vi.fn(() => Promise.resolve({} as never)),
    'plugins.install': vi.fn(() => Promise.resolve({} as never)),
    'plugins.update': vi.fn(() => Promise.resolve({} as never)),
    'plugins.restore': vi.fn(() => Promise.resolve({} as never)),
    'plugins.remove': vi.fn(() => Promise.resolve({} as never)),
    'plugins.cancel': vi.fn(() => Promise.resolve({} as never)),
    'plugins.backups': vi.fn(() => Promise.resolve({} as never)),
    'settings.proxyPassword': vi.fn(() => Promise.resolve({} as never)),
    'settings.networkRoute': vi.fn(() => Promise.resolve({} as never)),
    'settings.caFiles': vi.fn(() => Promise.resolve({} as never)),
    'settings.addCaFile': vi.fn(() => Promise.resolve({} as never)),
    'settings.removeCaFile': vi.fn(() => Promise.resolve({} as never)),
    'settings.servicesUrl': vi.fn(() => Promise.resolve({} as never)),
    'plugins.console': vi.fn(() => Promise.resolve({} as never)),
    'doctor.run': vi.fn(() => Promise.resolve({} as never)),
    'plugins.history': vi.fn(() => Promise.resolve({} as never)),
    'plan.get': vi.fn(() => Promise.resolve({} as never)),
    'plan.downloadAhead': vi.fn(() => Promise.resolve({} as never)),
    'plan.cancel': vi.fn(() => Promise.resolve({} as never)),
    'manifest.export': vi.fn(() => Promise.resolve({} as never)),
    'manifest.plan': vi.fn(() => Promise.resolve({} as never)),
    'manifest.apply': vi.fn(() => Promise.resolve({} as never)),
    'manifest.attach': vi.fn(() => Promise.resolve({} as never)),
    'manifest.cancel': vi.fn(() => Promise.resolve({} as never)),
    'manifest.parse': vi.fn(() => Promise.resolve({} as never)),
    'manifest.format': vi.fn(() => Promise.resolve({} as never)),
    'manifest.attached': vi.fn(() => Promise.resolve({} as never)),
    'bundles.create': vi.fn(() => Promise.resolve({} as never)),
    'bundles.inspect': vi.fn(() => Promise.resolve({} as never)),
    'bundles.import': vi.fn(() => Promise.resolve({} as never)),
    'bundles.chooseSave': vi.fn(() => Promise.resolve({} as never)),
    'bundles.chooseOpen': vi.fn(() => Promise.resolve({} as never)),
    'bundles.preview': vi.fn(() => Promise.resolve({} as never)),
    'bundles.export': vi.fn(() => Promise.resolve({} as never)),
    'bundles.check': vi.fn(() => Promise.resolve({} as never)),
    'bundles.apply': vi.fn(() => Promise.resolve({} as never)),
    'bundles.release': vi.fn(() => Promise.resolve({} as never)),
    'bundles.cancel': vi.fn(() => Promise.resolve({} as never)),
  } satisfies Handlers;
  const core: AppCore = { handlers, events, start: vi.fn(), stop: vi.fn() };
  return { core, handlers, events };
}

function fakeLogger() {
  return { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() } satisfies Logger;
}

const fromApp: InvokeEventLike = { senderFrame: { url: 'app://marketdesk/index.html' } };

function setup(window: WindowLike | null = null) {
  const { ipc, handlers: ipcHandlers } = fakeIpcMain();
  const { core, handlers, events } = fakeCore();
  const logger = fakeLogger();
  const off = registerIpc(ipc, core, logger, () => window);
  const call = (channel: string, event: InvokeEventLike, payload?: unknown) => {
    const listener = ipcHandlers.get(`md:${channel}`);
    if (!listener) throw new Error(`no handler for md:${channel}`);
    return listener(event, payload);
  };
  return { ipcHandlers, handlers, events, logger, off, call };
}

describe('registerIpc', () => {
  it('binds exactly the contract channels the page may call under md:, never those that name local paths', () => {
    const { ipcHandlers } = setup();
    const page = CHANNELS.filter((c) => !['bundles.create', 'bundles.inspect', 'bundles.import'].includes(c));
    expect([...ipcHandlers.keys()].sort()).toEqual(page.map((c) => `md:${c}`).sort());
    expect(ipcHandlers.has('md:bundles.export')).toBe(true);
  });

  it.each([
    ['no frame (navigated away or destroyed)', { senderFrame: null }],
    ['an event without senderFrame', {}],
    ['https://evil.test', { senderFrame: { url: 'https://evil.test/' } }],
    ['file://', { senderFrame: { url: 'file:///home/admin/index.html' } }],
    ['app://marketdesk.evil', { senderFrame: { url: 'app://marketdesk.evil/index.html' } }],
    ['about:blank', { senderFrame: { url: 'about:blank' } }],
  ] as [string, InvokeEventLike][])('refuses %s with FORBIDDEN and never runs the handler', async (_name, event) => {
    const { call, handlers, logger } = setup();
    const res = await call('key.set', event, { key: 'x'.repeat(20) });
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(handlers['key.set']).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('untrusted'),
      expect.objectContaining({ channel: 'key.set' }),
    );
  });

  it('refuses a frame that throws when read (disposed in Electron)', async () => {
    const { call, handlers } = setup();
    const disposed = {
      get senderFrame(): { url: string } {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    const res = await call('key.status', disposed);
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(handlers['key.status']).not.toHaveBeenCalled();
  });

  it('accepts app://marketdesk and returns the handler result in an envelope', async () => {
    const { call, handlers } = setup();
    const res = await call('app.info', fromApp, {});
    expect(res).toEqual({ ok: true, value: { version: '0.1.0', shell: 'electron', profile: 'default' } });
    expect(handlers['app.info']).toHaveBeenCalledTimes(1);
  });

  it('validates payloads before any handler runs', async () => {
    const { call, handlers } = setup();
    const res = await call('key.set', fromApp, { key: 'x', url: 'https://evil.test/' });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(handlers['key.set']).not.toHaveBeenCalled();
  });

  it('turns an unexpected error into INTERNAL without its text or stack', async () => {
    const { call, logger } = setup();
    const res = (await call('settings.get', fromApp, {})) as { ok: false; error: { code: string; message: string } };
    expect(res.ok).toBe(false);
    expect(res.error.code).toBe('INTERNAL');
    expect(JSON.stringify(res)).not.toContain('/home/admin');
    expect(logger.error).toHaveBeenCalled();
  });

  it('forwards core events to the window as md:event:<name>, payload only', () => {
    const send = vi.fn();
    const window: WindowLike = {
      isDestroyed: () => false,
      webContents: { isDestroyed: () => false, getURL: () => 'app://marketdesk/index.html', send },
    };
    const { events } = setup(window);
    events.emit('key.changed', status);
    expect(send).toHaveBeenCalledWith('md:event:key.changed', status);
  });

  it('sends nothing to a missing or destroyed window, or to a page that is not ours', () => {
    const send = vi.fn();
    let url = 'app://marketdesk/index.html';
    let destroyed = false;
    const window: WindowLike = {
      isDestroyed: () => destroyed,
      webContents: { isDestroyed: () => false, getURL: () => url, send },
    };
    const { events } = setup(window);
    url = 'https://evil.test/';
    events.emit('key.changed', status);
    url = 'app://marketdesk/index.html';
    destroyed = true;
    events.emit('key.changed', status);
    expect(send).not.toHaveBeenCalled();
    setup(null).events.emit('key.changed', status); // no window at all: no throw
  });

  it('undoes everything when the returned function is called', () => {
    const send = vi.fn();
    const window: WindowLike = {
      isDestroyed: () => false,
      webContents: { isDestroyed: () => false, getURL: () => 'app://marketdesk/', send },
    };
    const { ipcHandlers, events, off } = setup(window);
    off();
    expect(ipcHandlers.size).toBe(0);
    events.emit('key.changed', status);
    expect(send).not.toHaveBeenCalled();
  });
});
