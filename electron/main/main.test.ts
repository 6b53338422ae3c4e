// The composition root, run in plain Node against a stand-in `electron` module: checks the wiring
// (order before ready, what is registered, what the window loads), not Electron itself.
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PAGE_CHANNELS } from '../../shared/ipc/contract';

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
    shown: number;
    contents: EventEmitter & { sent: unknown[][] };
    emit: (name: string) => void;
  }[] = [];
  const menus: { template: Record<string, unknown>[] }[] = [];
  const notifications: { options: Record<string, unknown>; shown: boolean }[] = [];
  // Main-process dialogs: what was shown (with or without a parent window) and what the admin answers.
  const dialogs: { kind: 'message' | 'open'; parent: boolean; options: Record<string, unknown> }[] = [];
  const badge: string[] = [];
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
    menus,
    applicationMenu: null as { template: Record<string, unknown>[] } | null,
    notifications,
    badge,
    dialogs,
    messageBoxResponse: 0,
    openDialogResult: { canceled: true, filePaths: [] as string[] },
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
    isPackaged: true,
    setBadgeCount: (count: number) => badge.push(`count:${count}`) > 0,
    ...(process.platform === 'darwin' ? { dock: { setBadge: (text: string) => void badge.push(`dock:${text}`) } } : {}),
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
      net: { request: () => ({}), isOnline: () => true },
      shell: { openExternal: () => Promise.resolve(), openPath: () => Promise.resolve('') },
      dialog: {
        showErrorBox: (title: string, text: string) => order.push(`error:${title}:${text}`),
        showMessageBox: (...args: unknown[]) => {
          dialogs.push({ kind: 'message', parent: args.length > 1, options: args.at(-1) as Record<string, unknown> });
          return Promise.resolve({ response: state.messageBoxResponse });
        },
        showOpenDialog: (...args: unknown[]) => {
          dialogs.push({ kind: 'open', parent: args.length > 1, options: args.at(-1) as Record<string, unknown> });
          return Promise.resolve(state.openDialogResult);
        },
      },
      clipboard: { writeText: () => undefined },
      nativeImage: { createFromBitmap: () => ({}) },
      screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
      Menu: {
        buildFromTemplate: (template: Record<string, unknown>[]) => {
          const menu = { template };
          menus.push(menu);
          return menu;
        },
        setApplicationMenu: (menu: { template: Record<string, unknown>[] } | null) => {
          state.applicationMenu = menu;
        },
      },
      Notification: class {
        static isSupported() {
          return true;
        }
        private readonly record: { options: Record<string, unknown>; shown: boolean };
        constructor(options: Record<string, unknown>) {
          this.record = { options, shown: false };
          notifications.push(this.record);
        }
        on() {
          return this;
        }
        show() {
          this.record.shown = true;
        }
      },
      BrowserWindow: class {
        webContents: (typeof windows)[number]['contents'];
        private readonly record: (typeof windows)[number];
        private readonly events: EventEmitter;
        private destroyed = false;
        constructor(options: Record<string, unknown>) {
          // Runs long after the imports are bound, so EventEmitter is usable here.
          const sent: unknown[][] = [];
          const contents = Object.assign(new EventEmitter(), {
            setWindowOpenHandler: () => undefined,
            isDestroyed: () => false,
            getURL: () => this.record.url ?? '',
            send: (...args: unknown[]) => void sent.push(args),
            sent,
          });
          this.webContents = contents;
          this.events = new EventEmitter();
          this.record = {
            options,
            focused: 0,
            shown: 0,
            contents,
            emit: (name) => {
              this.events.emit(name);
              if (name === 'closed') this.destroyed = true;
            },
          };
          windows.push(this.record);
          emitApp('web-contents-created', {}, contents);
        }
        loadURL(url: string) {
          this.record.url = url;
          return Promise.resolve();
        }
        once(name: string, listener: () => void) {
          this.events.once(name, listener);
        }
        on(name: string, listener: () => void) {
          this.events.on(name, listener);
        }
        removeListener(name: string, listener: () => void) {
          this.events.removeListener(name, listener);
        }
        isDestroyed() {
          return this.destroyed;
        }
        isMinimized() {
          return false;
        }
        isMaximized() {
          return false;
        }
        isFullScreen() {
          return false;
        }
        getBounds() {
          return { x: 40, y: 30, width: 1000, height: 700 };
        }
        getNormalBounds() {
          return this.getBounds();
        }
        maximize() {}
        restore() {}
        show() {
          this.record.shown++;
        }
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
    // Where the window was last time, on the (fake) 1920×1080 display.
    writeFileSync(
      join(home, 'window-state.json'),
      JSON.stringify({ bounds: { x: 100, y: 50, width: 1300, height: 900 }, maximized: false }),
    );
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
    expect([...h.state.ipcHandlers.keys()].sort()).toEqual(PAGE_CHANNELS.map((c) => `md:${c}`).sort());
    expect(h.state.ipcHandlers.has('md:bundles.create')).toBe(false); // names a local path: the CLI only

    const prefs = h.state.windows[0]?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String(prefs.preload)).toMatch(/preload[\\/]preload\.cjs$/);
  });

  it('answers IPC from the app only, with the real core behind it', async () => {
    const info = h.state.ipcHandlers.get('md:app.info');
    expect(await info?.(fromApp, {})).toEqual({
      ok: true,
      value: { version: '9.8.7', shell: 'electron', profile: 'default', adminDialogs: true },
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

  it('changes the services URL only after the main-process dialog says yes, showing that URL', async () => {
    type Change = { ok: boolean; value: { changed: boolean; settings: { servicesUrl: string } } };
    const servicesUrl = h.state.ipcHandlers.get('md:settings.servicesUrl');
    const url = 'https://glpi-network.example.com';
    h.state.dialogs.length = 0;
    h.state.messageBoxResponse = 0; // Cancel
    const declined = (await servicesUrl?.(fromApp, { url })) as Change;
    expect(declined).toMatchObject({ ok: true, value: { changed: false } });
    expect(declined.value.settings.servicesUrl).not.toBe(url);
    expect(h.state.dialogs).toHaveLength(1);
    expect(h.state.dialogs[0]).toMatchObject({
      kind: 'message',
      parent: true,
      options: { type: 'warning', buttons: ['Cancel', 'Use this address'], defaultId: 0, cancelId: 0 },
    });
    expect(String(h.state.dialogs[0]?.options.detail).split('\n')[0]).toBe(url);

    h.state.messageBoxResponse = 1;
    expect(await servicesUrl?.(fromApp, { url })).toMatchObject({
      ok: true,
      value: { changed: true, settings: { servicesUrl: url, servicesUrlSource: 'setting' } },
    });
    h.state.messageBoxResponse = 0;
  });

  it('adds an extra CA file only through the main-process file dialog', async () => {
    const pem = join(home, 'corp-root.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(home, 'k.pem'),
      ].concat(['-out', pem, '-days', '2', '-subj', '/CN=Corp Root CA']),
      { stdio: 'ignore' },
    );
    const add = h.state.ipcHandlers.get('md:settings.addCaFile');
    h.state.dialogs.length = 0;
    h.state.openDialogResult = { canceled: true, filePaths: [] };
    expect(await add?.(fromApp, {})).toEqual({ ok: true, value: { changed: false, files: [] } });
    expect(h.state.dialogs[0]).toMatchObject({ kind: 'open', parent: true, options: { properties: ['openFile'] } });

    h.state.openDialogResult = { canceled: false, filePaths: [pem] };
    expect(await add?.(fromApp, {})).toEqual({
      ok: true,
      value: { changed: true, files: [{ file: pem, subjects: ['CN=Corp Root CA'], problem: null }] },
    });
    // The page cannot name the file itself.
    expect(await add?.(fromApp, { file: '/tmp/evil.pem' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
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

  it('opens the window where it was last time, shows it when ready', () => {
    const win = h.state.windows[0];
    expect(win?.options).toMatchObject({ x: 100, y: 50, width: 1300, height: 900, show: false });
    win?.emit('ready-to-show');
    expect(win?.shown).toBe(1);
  });

  it('sets the application menu: CmdOrCtrl+R refreshes the catalogue, no reload in a packaged build', () => {
    type Item = { id?: string; role?: string; accelerator?: string; click?: () => void; submenu?: Item[] };
    const flat = (items: Item[]): Item[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
    const items = flat(h.state.applicationMenu?.template ?? []);
    expect(items.find((i) => i.id === 'refresh-catalog')?.accelerator).toBe('CmdOrCtrl+R');
    expect(items.map((i) => i.role)).not.toContain('reload');
    expect(items.map((i) => i.role)).not.toContain('toggleDevTools');

    // A page command reaches the page, with the window brought forward.
    const win = h.state.windows[0];
    items.find((i) => i.id === 'search')?.click?.();
    expect(win?.contents.sent).toContainEqual(['md:event:app.command', { command: 'search' }]);
  });

  it('shows the update count on the app icon (none without an instance)', async () => {
    if (process.platform !== 'linux' && process.platform !== 'darwin') return;
    await vi.waitFor(() => expect(h.state.badge).toEqual([process.platform === 'darwin' ? 'dock:' : 'count:0']));
    expect(h.state.notifications).toEqual([]);
  });

  it('focuses the window on a second instance', () => {
    const win = h.state.windows[0];
    const before = { focused: win?.focused ?? 0, shown: win?.shown ?? 0 };
    h.state.emitApp('second-instance');
    expect(win?.focused).toBe(before.focused + 1);
    expect(win?.shown).toBe(before.shown + 1);
  });

  it('saves the window size and position when it closes; opens a new window when asked with none', async () => {
    h.state.windows[0]?.emit('close');
    expect(JSON.parse(readFileSync(join(home, 'window-state.json'), 'utf8'))).toEqual({
      bounds: { x: 40, y: 30, width: 1000, height: 700 },
      maximized: false,
    });
    h.state.windows[0]?.emit('closed');
    // macOS: clicking the Dock icon (or launching again) with no window open makes one.
    h.state.emitApp('activate');
    await vi.waitFor(() => expect(h.state.windows[1]?.url).toBe('app://marketdesk/index.html'));
    expect(h.state.windows[1]?.options).toMatchObject({ x: 40, y: 30, width: 1000, height: 700 });
    h.state.emitApp('second-instance');
    expect(h.state.windows).toHaveLength(2);
  });

  it('quits when the last window closes (not on macOS)', () => {
    h.state.emitApp('window-all-closed');
    expect(h.state.quit).toBe(process.platform === 'darwin' ? 0 : 1);
  });
});
