// The composition root, run in plain Node against a stand-in `electron` module: checks the wiring
// (order before ready, what is registered, what the window loads), not Electron itself.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../shared/ipc/contract';

const h = vi.hoisted(() => {
  // Runs before the imports above are bound: only code executed later may use them.
  const order: string[] = [];
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  const appEvents = new Map<string, ((...args: unknown[]) => void)[]>();
  const emitApp = (name: string, ...args: unknown[]) => (appEvents.get(name) ?? []).forEach((l) => l(...args));
  const ipcHandlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const windows: {
    options: Record<string, unknown>;
    url?: string;
    focused: number;
    contents: EventEmitter;
  }[] = [];
  const stores: { options: Record<string, unknown>; data: Map<string, unknown> }[] = [];
  const permission: { request?: (...a: unknown[]) => void; check?: (...a: unknown[]) => boolean } = {};
  let protocolHandler: ((request: Request) => Promise<Response>) | undefined;
  const state = {
    protocolHandler: () => protocolHandler,
    emitApp,
    ready: () => ready(),
    order,
    ipcHandlers,
    windows,
    stores,
    permission,
    quit: 0,
    paths: new Map<string, string>(),
  };

  const app = {
    enableSandbox: () => order.push('enableSandbox'),
    requestSingleInstanceLock: () => true,
    quit: () => void state.quit++,
    exit: () => undefined,
    on: (name: string, listener: (...args: unknown[]) => void) => {
      appEvents.set(name, [...(appEvents.get(name) ?? []), listener]);
      return app;
    },
    whenReady: () => {
      order.push('whenReady');
      return whenReady.then(() => void order.push('ready'));
    },
    setPath: (name: string, value: string) => state.paths.set(name, value),
    getVersion: () => '9.8.7',
    getLocale: () => 'fr-FR',
  };
  return {
    state,
    electron: {
      app,
      protocol: {
        registerSchemesAsPrivileged: (schemes: unknown) =>
          order.push(`registerSchemesAsPrivileged:${JSON.stringify(schemes)}`),
        handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
          order.push(`handle:${scheme}`);
          protocolHandler = handler;
        },
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (fn: (...a: unknown[]) => void) => (permission.request = fn),
          setPermissionCheckHandler: (fn: (...a: unknown[]) => boolean) => (permission.check = fn),
          setDevicePermissionHandler: () => undefined,
          setProxy: (config: { mode: string }) => Promise.resolve(void order.push(`setProxy:${config.mode}`)),
          closeAllConnections: () => Promise.resolve(),
          setCertificateVerifyProc: () => order.push('setCertificateVerifyProc'),
        },
      },
      ipcMain: {
        handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) =>
          ipcHandlers.set(channel, fn),
        removeHandler: (channel: string) => ipcHandlers.delete(channel),
      },
      net: { request: () => ({}) },
      shell: { openExternal: () => Promise.resolve() },
      dialog: { showErrorBox: (title: string, text: string) => order.push(`error:${title}:${text}`) },
      BrowserWindow: class {
        webContents: EventEmitter;
        private readonly record: (typeof windows)[number];
        constructor(options: Record<string, unknown>) {
          // Runs long after the imports are bound, so EventEmitter is usable here.
          const contents = Object.assign(new EventEmitter(), {
            setWindowOpenHandler: () => undefined,
            isDestroyed: () => false,
            getURL: () => this.record.url ?? '',
            send: () => undefined,
          });
          this.webContents = contents;
          this.record = { options, focused: 0, contents };
          windows.push(this.record);
          emitApp('web-contents-created', {}, contents);
        }
        loadURL(url: string) {
          this.record.url = url;
          return Promise.resolve();
        }
        once() {}
        on() {}
        isMinimized() {
          return false;
        }
        restore() {}
        focus() {
          this.record.focused++;
        }
      },
    },
    Store: class {
      readonly path: string;
      private readonly data = new Map<string, unknown>();
      constructor(options: Record<string, unknown>) {
        stores.push({ options, data: this.data });
        this.path = `${String(options.cwd)}/config.json`;
      }
      get(key: string) {
        return this.data.get(key);
      }
      set(key: string, value: unknown) {
        this.data.set(key, value);
      }
      delete(key: string) {
        this.data.delete(key);
      }
    },
    Keytar: class {
      readonly kind = 'keychain';
      get() {
        return Promise.resolve(null);
      }
      set() {
        return Promise.resolve();
      }
      delete() {
        return Promise.resolve(false);
      }
    },
  };
});

vi.mock('electron', () => ({ ...h.electron, default: h.electron }));
vi.mock('electron-store', () => ({ default: h.Store }));
vi.mock('../adapters/keytar-secret-store', () => ({
  KeytarSecretStore: h.Keytar,
  keychainFix: () => 'unlock the keyring',
}));

const fromApp = { senderFrame: { url: 'app://marketdesk/index.html' } };
let home: string;
const savedHome = process.env.MARKETDESK_HOME;

describe('main.ts (composition root)', () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'md-main-'));
    process.env.MARKETDESK_HOME = home;
    await import('./main');
  });
  afterAll(() => {
    h.state.emitApp('before-quit');
    if (savedHome === undefined) delete process.env.MARKETDESK_HOME;
    else process.env.MARKETDESK_HOME = savedHome;
    rmSync(home, { recursive: true, force: true });
  });

  it('enables the sandbox and registers app:// as privileged before ready', () => {
    const { order } = h.state;
    expect(order[0]).toBe('enableSandbox');
    expect(order.findIndex((o) => o.startsWith('registerSchemesAsPrivileged:'))).toBeLessThan(
      order.indexOf('whenReady'),
    );
    expect(order.find((o) => o.startsWith('registerSchemesAsPrivileged:'))).toContain('"scheme":"app"');
    expect(order).not.toContain('ready');
  });

  it('on ready: data dir, store, protocol, IPC, then the hardened window on app://marketdesk', async () => {
    h.state.ready();
    await vi.waitFor(() => expect(h.state.windows[0]?.url).toBe('app://marketdesk/index.html'));

    expect(h.state.paths.get('userData')).toBe(home);
    expect(h.state.stores[0]?.options).toMatchObject({ cwd: home, name: 'config' });
    expect(h.state.order).toContain('handle:app');
    // The profile's proxy settings and extra roots reach Chromium's session before any request.
    expect(h.state.order).toEqual(expect.arrayContaining(['setProxy:system', 'setCertificateVerifyProc']));
    expect([...h.state.ipcHandlers.keys()].sort()).toEqual(CHANNELS.map((c) => `md:${c}`).sort());

    const prefs = h.state.windows[0]?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String(prefs.preload)).toMatch(/preload[\\/]preload\.cjs$/);
  });

  it('answers IPC from the app only, with the real core behind it', async () => {
    const info = h.state.ipcHandlers.get('md:app.info');
    expect(await info?.(fromApp, {})).toEqual({
      ok: true,
      value: { version: '9.8.7', shell: 'electron', profile: 'default' },
    });
    expect(await info?.({ senderFrame: { url: 'https://evil.test/' } }, {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const settings = (await h.state.ipcHandlers.get('md:settings.get')?.(fromApp, {})) as {
      ok: boolean;
      value: { language?: string };
    };
    expect(settings.ok).toBe(true);
  });

  it('serves app:// with the CSP and denies permissions', async () => {
    const res = await h.state.protocolHandler()?.(new Request('app://marketdesk/index.html'));
    expect(res?.headers.get('content-security-policy')).toContain("script-src 'self'");
    const callback = vi.fn();
    h.state.permission.request?.({}, 'notifications', callback, {});
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('hardens the window: navigation away is cancelled', () => {
    const contents = h.state.windows[0]?.contents;
    const event = { url: 'https://evil.test/', preventDefault: vi.fn() };
    contents?.emit('will-navigate', event, event.url);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('focuses the window on a second instance and quits when the last window closes (not on macOS)', () => {
    h.state.emitApp('second-instance');
    expect(h.state.windows[0]?.focused).toBe(1);
    h.state.emitApp('window-all-closed');
    expect(h.state.quit).toBe(process.platform === 'darwin' ? 0 : 1);
  });
});
