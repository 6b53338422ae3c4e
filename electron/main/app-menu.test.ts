import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  ABOUT_COPY_BUTTON,
  aboutBoxOptions,
  aboutText,
  buildMenuTemplate,
  COMMAND_CHANNEL,
  createCommandRunner,
  DEV_RELOAD_ACCELERATOR,
  MAIN_COMMANDS,
  RENDERER_COMMANDS,
  sendToRenderer,
  showAboutBox,
  type CommandWindow,
  type MenuCommand,
  type MenuTemplateOptions,
} from './app-menu';

type Item = MenuItemConstructorOptions;

function template(overrides: Partial<MenuTemplateOptions> = {}) {
  const run = vi.fn<(command: MenuCommand) => void>();
  const items = buildMenuTemplate({ platform: 'linux', appName: 'Marketdesk', dev: false, run, ...overrides });
  return { items, run };
}

/** Every item, submenus included. */
function flatten(items: readonly Item[]): Item[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

const byId = (items: readonly Item[], id: string) => flatten(items).find((i) => i.id === id);
const roles = (items: readonly Item[]) => flatten(items).flatMap((i) => (i.role ? [i.role] : []));

function click(item: Item | undefined) {
  (item?.click as (() => void) | undefined)?.();
}

describe('buildMenuTemplate', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('has every command with its accelerator on %s', (platform) => {
    const { items, run } = template({ platform });
    const expected: [MenuCommand, string | undefined][] = [
      ['search', 'CmdOrCtrl+F'],
      ['refresh-catalog', 'CmdOrCtrl+R'],
      ['sync-key', 'CmdOrCtrl+Shift+S'],
      ['doctor', 'CmdOrCtrl+Shift+D'],
      ['update-all', 'CmdOrCtrl+Shift+U'],
      ['open-logs', undefined],
      ['about', undefined],
    ];
    for (const [id, accelerator] of expected) {
      const item = byId(items, id);
      expect(item, id).toBeDefined();
      expect(item?.accelerator).toBe(accelerator);
      click(item);
      expect(run).toHaveBeenLastCalledWith(id);
    }
    expect(run).toHaveBeenCalledTimes(expected.length);
  });

  it('covers every command id exactly once', () => {
    const { items } = template();
    const ids = flatten(items).flatMap((i) => (i.id ? [i.id] : []));
    expect(ids.sort()).toEqual([...RENDERER_COMMANDS, ...MAIN_COMMANDS].filter((c) => !c.startsWith('show-')).sort());
  });

  it('never reloads the page on CmdOrCtrl+R, and has no reload nor developer tools in a release build', () => {
    const { items } = template({ dev: false });
    expect(roles(items)).not.toContain('reload');
    expect(roles(items)).not.toContain('forceReload');
    expect(roles(items)).not.toContain('toggleDevTools');
    expect(roles(items)).not.toContain('viewMenu'); // it carries reload on CmdOrCtrl+R
    const onR = flatten(items).filter((i) => i.accelerator === 'CmdOrCtrl+R');
    expect(onR.map((i) => i.id)).toEqual(['refresh-catalog']);
  });

  it('keeps reload (on another accelerator) and the developer tools in a dev build', () => {
    const { items } = template({ dev: true });
    const reload = flatten(items).find((i) => i.role === 'reload');
    expect(reload?.accelerator).toBe(DEV_RELOAD_ACCELERATOR);
    expect(roles(items)).toEqual(expect.arrayContaining(['forceReload', 'toggleDevTools']));
    expect(flatten(items).filter((i) => i.accelerator === 'CmdOrCtrl+R')).toHaveLength(1);
  });

  it('gives no two items the same accelerator', () => {
    for (const dev of [false, true]) {
      const accelerators = flatten(template({ dev }).items).flatMap((i) => (i.accelerator ? [i.accelerator] : []));
      expect(new Set(accelerators).size).toBe(accelerators.length);
    }
  });

  it('uses the standard roles: Edit, Window, Help, zoom and full screen', () => {
    const { items } = template();
    expect(roles(items)).toEqual(
      expect.arrayContaining([
        'editMenu',
        'windowMenu',
        'help',
        'resetZoom',
        'zoomIn',
        'zoomOut',
        'togglefullscreen',
        'quit',
      ]),
    );
  });

  it('on macOS: the application menu first (with our About), Close in File, no About in Help', () => {
    const { items } = template({ platform: 'darwin' });
    const appMenu = items[0];
    expect(appMenu?.label).toBe('Marketdesk');
    const appItems = appMenu?.submenu as Item[];
    expect(appItems[0]?.id).toBe('about');
    expect(appItems.map((i) => i.role).filter(Boolean)).toEqual(['services', 'hide', 'hideOthers', 'unhide', 'quit']);
    const file = items[1]?.submenu as Item[];
    expect(file.at(-1)?.role).toBe('close');
    const help = items.find((i) => i.role === 'help')?.submenu as Item[];
    expect(help.map((i) => i.id)).not.toContain('about');
    expect(flatten(items).filter((i) => i.id === 'about')).toHaveLength(1);
  });

  it('on Windows and Linux: File first with Quit, About in Help', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const { items } = template({ platform });
      expect(items[0]?.label).toBe('&File');
      expect((items[0]?.submenu as Item[]).at(-1)?.role).toBe('quit');
      const help = items.find((i) => i.role === 'help')?.submenu as Item[];
      expect(help.at(-1)?.id).toBe('about');
      expect(roles(items)).not.toContain('services');
    }
  });
});

const info = {
  appName: 'Marketdesk',
  appVersion: '0.1.0',
  versions: { electron: '45.5.0', chrome: '142.0.7444.0', node: '22.20.0', v8: '14.2.231.0-electron.0' },
  profile: 'default',
  dataDir: '/home/admin/.config/Marketdesk',
};

describe('about', () => {
  it('lists the app, Electron, Chromium, Node and V8 versions', () => {
    expect(aboutText(info)).toBe(
      [
        'Marketdesk 0.1.0',
        'Electron 45.5.0',
        'Chromium 142.0.7444.0',
        'Node.js 22.20.0',
        'V8 14.2.231.0-electron.0',
        'Profile: default',
        'Data folder: /home/admin/.config/Marketdesk',
      ].join('\n'),
    );
    const box = aboutBoxOptions(info);
    expect(box).toMatchObject({ type: 'info', title: 'About Marketdesk', message: 'Marketdesk 0.1.0' });
    expect(box.detail).toContain('Electron 45.5.0\nChromium 142.0.7444.0\nNode.js 22.20.0\nV8 14.2');
    expect(box.buttons?.[ABOUT_COPY_BUTTON]).toBe('Copy');
  });

  it('copies the versions when Copy is chosen, and only then', async () => {
    const writeClipboard = vi.fn();
    await showAboutBox(info, { showMessageBox: () => Promise.resolve({ response: 0 }), writeClipboard });
    expect(writeClipboard).not.toHaveBeenCalled();
    const showMessageBox = vi.fn(() => Promise.resolve({ response: ABOUT_COPY_BUTTON }));
    await showAboutBox(info, { showMessageBox, writeClipboard });
    expect(showMessageBox).toHaveBeenCalledWith(aboutBoxOptions(info));
    expect(writeClipboard).toHaveBeenCalledWith(aboutText(info));
  });

  it('says unknown for a missing version', () => {
    expect(aboutText({ ...info, versions: {} })).toContain('Chromium unknown');
  });
});

function fakeWindow(url = 'app://marketdesk/index.html') {
  const calls: string[] = [];
  const sent: unknown[][] = [];
  const window: CommandWindow = {
    isDestroyed: () => false,
    isMinimized: () => true,
    restore: () => void calls.push('restore'),
    show: () => void calls.push('show'),
    focus: () => void calls.push('focus'),
    webContents: {
      isDestroyed: () => false,
      getURL: () => url,
      send: (channel: string, ...args: unknown[]) => void sent.push([channel, ...args]),
    },
  };
  return { window, calls, sent };
}

describe('sendToRenderer', () => {
  it('brings the window forward and sends the command on the command channel', () => {
    const { window, calls, sent } = fakeWindow();
    expect(sendToRenderer(window, 'search')).toBe(true);
    expect(calls).toEqual(['restore', 'show', 'focus']);
    expect(sent).toEqual([[COMMAND_CHANNEL, { command: 'search' }]]);
    expect(COMMAND_CHANNEL).toBe('md:event:app.command');
  });

  it('sends nothing to a page that is not ours, nor without a window', () => {
    const { window, sent } = fakeWindow('https://evil.test/');
    expect(sendToRenderer(window, 'search')).toBe(false);
    expect(sent).toEqual([]);
    expect(sendToRenderer(null, 'search')).toBe(false);
  });
});

describe('createCommandRunner', () => {
  function setup(window: CommandWindow | null = fakeWindow().window) {
    const deps = {
      handlers: {
        'key.sync': vi.fn(() => Promise.resolve({} as never)),
        'catalog.refresh': vi.fn(() => Promise.resolve({} as never)),
      },
      getWindow: () => window,
      openLogs: vi.fn(() => Promise.resolve('')),
      showAbout: vi.fn(() => Promise.resolve()),
      logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    };
    return { deps, run: createCommandRunner(deps) };
  }

  it('calls the core directly for sync and refresh', () => {
    const { deps, run } = setup();
    run('sync-key');
    run('refresh-catalog');
    return vi.waitFor(() => {
      expect(deps.handlers['key.sync']).toHaveBeenCalledWith({});
      expect(deps.handlers['catalog.refresh']).toHaveBeenCalledWith({});
    });
  });

  it('opens the logs folder and shows About', async () => {
    const { deps, run } = setup();
    run('open-logs');
    run('about');
    await vi.waitFor(() => {
      expect(deps.openLogs).toHaveBeenCalled();
      expect(deps.showAbout).toHaveBeenCalled();
    });
  });

  it('sends page commands to the window', () => {
    const { window, sent } = fakeWindow();
    const { run } = setup(window);
    run('update-all');
    run('doctor');
    run('search');
    expect(sent).toEqual([
      [COMMAND_CHANNEL, { command: 'update-all' }],
      [COMMAND_CHANNEL, { command: 'doctor' }],
      [COMMAND_CHANNEL, { command: 'search' }],
    ]);
  });

  it('logs, never throws, when something fails or there is no window', async () => {
    const { deps, run } = setup(null);
    deps.handlers['key.sync'].mockRejectedValueOnce(new Error('No registration key'));
    deps.openLogs.mockResolvedValueOnce('Failed to open path');
    expect(() => run('sync-key')).not.toThrow();
    expect(() => run('open-logs')).not.toThrow();
    expect(() => run('search')).not.toThrow();
    await vi.waitFor(() => expect(deps.logger.warn).toHaveBeenCalledTimes(2));
    expect(deps.logger.warn).toHaveBeenCalledWith('Menu command failed: sync-key', { error: 'No registration key' });
    expect(deps.logger.warn).toHaveBeenCalledWith('Menu command failed: open-logs', { error: 'Failed to open path' });
    expect(deps.logger.info).toHaveBeenCalledWith(expect.stringContaining('not delivered'), { command: 'search' });
  });

  it('catches a handler that throws synchronously', async () => {
    const { deps, run } = setup();
    deps.handlers['catalog.refresh'].mockImplementationOnce(() => {
      throw new Error('boom');
    });
    expect(() => run('refresh-catalog')).not.toThrow();
    await vi.waitFor(() => expect(deps.logger.warn).toHaveBeenCalled());
  });
});
