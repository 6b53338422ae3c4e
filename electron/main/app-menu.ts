import { eventChannel, type AppCommand, type Events } from '../../shared/ipc/contract';
import type { MenuItemConstructorOptions, MessageBoxOptions } from 'electron';
import type { Handlers } from '../core/dispatch';
import type { Logger } from '../core/ports';
import type { WindowLike } from './ipc';
import { isTrustedSender } from './security';
import { bringToFront, type FocusableWindow } from './single-instance';

/**
 * Commands the page carries out (it owns the screens): sent to it as
 * `webContents.send(COMMAND_CHANNEL, id)`. `show-installed` and `show-key` are what clicking an
 * updates or a subscription notification asks for.
 */
export const RENDERER_COMMANDS = [
  'search',
  'doctor',
  'update-all',
  'show-installed',
  'show-key',
] as const satisfies readonly AppCommand[];
export type RendererCommand = (typeof RENDERER_COMMANDS)[number];

/** Commands the main process carries out alone (through the core, the OS or a dialog). */
export const MAIN_COMMANDS = ['refresh-catalog', 'sync-key', 'open-logs', 'about'] as const;
export type MainCommand = (typeof MAIN_COMMANDS)[number];

export type MenuCommand = RendererCommand | MainCommand;

/** Until the contract has an event for it, the one IPC message main sends the page commands with. */
/** The contract's `app.command` event: the preload's `on('app.command')` listens to it. */
export const COMMAND_CHANNEL = eventChannel('app.command');

export function isRendererCommand(command: string): command is RendererCommand {
  return (RENDERER_COMMANDS as readonly string[]).includes(command);
}

export const ACCELERATORS = {
  search: 'CmdOrCtrl+F',
  'refresh-catalog': 'CmdOrCtrl+R',
  'sync-key': 'CmdOrCtrl+Shift+S',
  doctor: 'CmdOrCtrl+Shift+D',
  'update-all': 'CmdOrCtrl+Shift+U',
} as const satisfies Partial<Record<MenuCommand, string>>;

/** Reload is for development only, and never on CmdOrCtrl+R (that refreshes the catalogue). */
export const DEV_RELOAD_ACCELERATOR = 'CmdOrCtrl+Alt+R';

export interface MenuTemplateOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** A development build (not packaged): Reload, Force reload and the developer tools are kept. */
  dev: boolean;
  run(command: MenuCommand): void;
}

/**
 * The application menu. Standard roles wherever one fits (macOS application menu items, Edit,
 * Window, Help, zoom, full screen), and the app's commands with their accelerators. The View menu
 * is built item by item rather than with the `viewMenu` role, which would bind CmdOrCtrl+R to
 * reloading the page (losing the screen's state) and open the developer tools in a release build.
 */
export function buildMenuTemplate(options: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const item = (label: string, command: MenuCommand): MenuItemConstructorOptions => ({
    label,
    id: command,
    ...(command in ACCELERATORS ? { accelerator: ACCELERATORS[command as keyof typeof ACCELERATORS] } : {}),
    click: () => options.run(command),
  });
  const about = item(`About ${options.appName}`, 'about');

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    // What the `appMenu` role holds, with our About (it lists the Electron, Chromium, Node and V8 versions).
    template.push({
      label: options.appName,
      submenu: [
        about,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    {
      label: mac ? 'File' : '&File',
      submenu: [
        item('Search the Catalogue', 'search'),
        item('Refresh the Catalogue', 'refresh-catalog'),
        item('Update All Plugins…', 'update-all'),
        { type: 'separator' },
        item('Sync the Registration Key', 'sync-key'),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: mac ? 'View' : '&View',
      submenu: [
        ...(options.dev
          ? ([
              { role: 'reload', accelerator: DEV_RELOAD_ACCELERATOR },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      label: mac ? 'Help' : '&Help',
      submenu: [
        item('Doctor…', 'doctor'),
        item('Open the Logs Folder', 'open-logs'),
        ...(mac ? [] : ([{ type: 'separator' }, about] satisfies MenuItemConstructorOptions[])),
      ],
    },
  );
  return template;
}

/** What the About box shows. */
export interface AboutInfo {
  appName: string;
  appVersion: string;
  /** `process.versions`: electron, chrome, node, v8. */
  versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>;
  profile: string;
  dataDir: string;
}

/** The versions (and where the data is), as shown and as copied for a bug report. */
export function aboutText(info: AboutInfo): string {
  const v = (name: keyof AboutInfo['versions']) => info.versions[name] ?? 'unknown';
  return [
    `${info.appName} ${info.appVersion}`,
    `Electron ${v('electron')}`,
    `Chromium ${v('chrome')}`,
    `Node.js ${v('node')}`,
    `V8 ${v('v8')}`,
    `Profile: ${info.profile}`,
    `Data folder: ${info.dataDir}`,
  ].join('\n');
}

export const ABOUT_COPY_BUTTON = 1;

export function aboutBoxOptions(info: AboutInfo): MessageBoxOptions {
  return {
    type: 'info',
    title: `About ${info.appName}`,
    message: `${info.appName} ${info.appVersion}`,
    detail: aboutText(info).split('\n').slice(1).join('\n'),
    buttons: ['OK', 'Copy'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

/**
 * Shows the About box; its Copy button puts the versions on the clipboard (for a bug report).
 * `showMessageBox` is Electron's, bound to the window when there is one.
 */
export async function showAboutBox(
  info: AboutInfo,
  ui: {
    showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
    writeClipboard(text: string): Promise<void> | void;
  },
): Promise<void> {
  const { response } = await ui.showMessageBox(aboutBoxOptions(info));
  if (response === ABOUT_COPY_BUTTON) await ui.writeClipboard(aboutText(info));
}

/** A window commands can be sent to and brought to the front. */
export type CommandWindow = FocusableWindow & WindowLike;

/**
 * Sends a command to our page (never to whatever a window shows after a failed navigation guard),
 * after bringing the window to the front. Returns whether it was sent.
 */
export function sendToRenderer(window: CommandWindow | null | undefined, command: RendererCommand): boolean {
  if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return false;
  if (!isTrustedSender(window.webContents.getURL())) return false;
  bringToFront(window);
  window.webContents.send(COMMAND_CHANNEL, { command } satisfies Events['app.command']);
  return true;
}

export interface CommandDeps {
  handlers: Pick<Handlers, 'key.sync' | 'catalog.refresh'>;
  getWindow(): CommandWindow | null | undefined;
  /** shell.openPath(<data>/logs): resolves to '' or an error message. */
  openLogs(): Promise<string>;
  showAbout(): Promise<void>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * Carries out a menu command. The core's work (sync, refresh) is called directly: the page hears
 * about it through the usual `key.changed` / `catalog.changed` events. Failures are logged (the
 * key and catalogue screens show the outcome), never thrown into the menu's click handler.
 */
export function createCommandRunner(deps: CommandDeps): (command: MenuCommand) => void {
  const guard = (what: string, run: () => Promise<unknown>) => {
    void Promise.resolve()
      .then(run)
      .catch((err: unknown) =>
        deps.logger.warn(`Menu command failed: ${what}`, {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
  };
  return (command) => {
    switch (command) {
      case 'refresh-catalog':
        return guard(command, () => deps.handlers['catalog.refresh']({}));
      case 'sync-key':
        return guard(command, () => deps.handlers['key.sync']({}));
      case 'open-logs':
        return guard(command, async () => {
          const error = await deps.openLogs();
          if (error) throw new Error(error);
        });
      case 'about':
        return guard(command, () => deps.showAbout());
      default:
        if (!sendToRenderer(deps.getWindow(), command))
          deps.logger.info('Menu command not delivered: no Marketdesk window', { command });
    }
  };
}
