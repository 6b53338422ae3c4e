// The Electron shell's composition root: adapters, then the core, then the window. Everything with
// logic in it lives in the modules imported here, which are unit-tested without Electron.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  protocol,
  screen,
  session,
  shell,
} from 'electron';
import Store from 'electron-store';
import { createAppCore } from '../core/create-app-core';
import { resolveDataDir } from '../core/paths';
import { systemClock } from '../core/ports';
import { Redactor } from '../core/redact';
import { ElectronStoreKeyValueStore, openElectronStore } from '../adapters/electron-store-kv';
import { LOG_LEVELS, createFileLogger } from '../adapters/file-logger';
import { keychainFix, loadSecretStore } from '../adapters/keychain';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { NetFetchHttpClient, netRequestFetch } from '../adapters/net-fetch-http-client';
import { nodeDoctorPorts } from '../adapters/doctor/doctor-ports';
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeHostInfo } from '../adapters/node-host';
import { nativeBunzip2 } from '../adapters/native-bunzip2';
import { collectBuffers } from '../adapters/buffer-collector';
import { nodeProcessRunner } from '../adapters/process-runner';
import { nodeSshConnector } from '../adapters/ssh/ssh-connector';
import { messageLanguageOf, messagesFor } from '../../shared/messages';
import type { NetworkRuntime } from '../core/network-service';
import { applyProxy, proxyCredentials, verifyWithExtraRoots } from './network-session';
import { createAdminDialogs } from './admin-dialogs';
import { buildMenuTemplate, createCommandRunner, sendToRenderer, showAboutBox } from './app-menu';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { BadgeController, overlayBitmap } from './badge';
import { registerIpc } from './ipc';
import { systemLanguageOf } from '../../shared/locale';
import { profileFromArgv } from './launch-options';
import { APP_USER_MODEL_ID, DesktopNotifier, ledgerFile } from './notifications';
import { APP_ORIGIN, APP_SCHEME, hardenSession, hardenWebContents } from './security';
import { handleSecondInstance } from './single-instance';
import { watchUpdates } from './update-watch';
import { createWindowOptions } from './window-options';
import { placeWindow, trackWindowState, WindowStateFile } from './window-state';

const here = dirname(fileURLToPath(import.meta.url)); // dist/node
const rendererDir = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'preload.cjs');

// Before ready: sandbox every renderer, one instance per user, app:// as a secure standard scheme.
app.enableSandbox();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  let window: BrowserWindow | null = null;
  // Set once the core is up: opens the window again (macOS keeps running with none).
  let openWindow: (() => void) | null = null;
  let warn = (message: string, err: unknown) => console.warn(message, err);

  handleSecondInstance(app, () => window, {
    onNoWindow: () => openWindow?.(),
    onError: (err) => warn('Could not bring the window forward', err),
  });
  app.on('activate', () => {
    if (!window) openWindow?.();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(async () => {
    const launch = profileFromArgv(process.argv);
    if ('error' in launch) {
      dialog.showErrorBox('Marketdesk', launch.error);
      app.exit(2);
      return;
    }

    const dataDir = resolveDataDir(process.env, process.platform, homedir());
    app.setPath('userData', dataDir);
    const redactor = new Redactor();
    const envLevel = LOG_LEVELS.find((l) => l === process.env.MARKETDESK_LOG_LEVEL);
    const logger = createFileLogger(dataDir, redactor, { level: envLevel ?? 'info' });

    try {
      const secrets = await loadSecretStore(logger);

      let network: NetworkRuntime | null = null;
      // Extra CA files and the services URL change only through these main-process dialogs.
      const adminDialogs = createAdminDialogs({
        showMessageBox: (options) => (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options)),
        showOpenDialog: (options) => (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options)),
        showSaveDialog: (options) => (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)),
      });
      const system = {
        fs: nodeFileSystem,
        host: nodeHostInfo(),
        processes: nodeProcessRunner,
        bzip2: nativeBunzip2,
        collectBuffers,
      };
      const core = createAppCore(
        {
          secrets,
          dataDir,
          ...system,
          store: new ElectronStoreKeyValueStore(openElectronStore((options) => new Store(options), dataDir)),
          http: new NetFetchHttpClient(
            netRequestFetch(
              (options) => net.request(options),
              (auth, tried) => (network ? proxyCredentials(network, auth, tried) : null),
            ),
          ),
          clock: systemClock,
          logger,
          appVersion: app.getVersion(),
          shell: 'electron',
          profile: launch.profile,
          servicesUrlFromEnv: process.env.GLPI_NETWORK_SERVICES,
          systemLanguage: systemLanguageOf(app.getLocale()),
          redact: (secret) => redactor.add(secret),
          doctor: nodeDoctorPorts(system, (url) => session.defaultSession.resolveProxy(url)),
          online: () => net.isOnline(),
          ssh: nodeSshConnector(process.env),
          confirm: (request) => adminDialogs.confirm(request),
          pickFile: (request) => adminDialogs.pickFile(request),
          pickSaveFile: (request) => adminDialogs.pickSaveFile(request),
        },
        { sessionSecrets: new MemorySecretStore('session'), keychainFix: keychainFix(process.platform) },
      );

      // The log level setting, unless MARKETDESK_LOG_LEVEL says otherwise for this run.
      if (!envLevel) {
        logger.setLevel(core.settings.get().logLevel);
        core.events.on('settings.changed', (s) => logger.setLevel(s.logLevel));
      }
      hardenSession(session.defaultSession);
      // Proxy settings and extra roots: applied now, and again whenever the settings change.
      const applyNetwork = async () => {
        network = await core.network.runtime();
        await applyProxy(session.defaultSession, network.settings);
      };
      await applyNetwork();
      core.events.on('settings.changed', () => {
        void applyNetwork().catch((err: unknown) =>
          logger.error('Could not apply the network settings', { error: String(err) }),
        );
      });
      session.defaultSession.setCertificateVerifyProc((request, callback) =>
        callback(verifyWithExtraRoots(request, network?.extraCa ?? [])),
      );
      protocol.handle(
        APP_SCHEME,
        createAppProtocolHandler(
          rendererDir,
          (file) => readFile(file),
          (m, d) => logger.error(m, d),
        ),
      );

      const openExternal = (url: string) => shell.openExternal(url);
      app.on('web-contents-created', (_event, contents) => {
        hardenWebContents(contents, openExternal, {
          onBlocked: (what, url) => logger.warn(`Blocked a ${what}`, { url }),
        });
      });

      registerIpc(ipcMain, core, logger, () => window);
      warn = (message, err) => logger.warn(message, { error: err instanceof Error ? err.message : String(err) });

      // The update count on the Dock, the launcher or the taskbar.
      const badge = new BadgeController(
        process.platform,
        () => ({
          app,
          window,
          overlayIcon: (count) => {
            const bitmap = overlayBitmap(count);
            return nativeImage.createFromBitmap(bitmap.data, { width: bitmap.width, height: bitmap.height });
          },
        }),
        (err) => warn('Could not show the update count on the app icon', err),
      );

      // The window, where it was last time (on a display still there), saved as it moves.
      const windowState = new WindowStateFile(dataDir);
      const createWindow = async () => {
        const placement = placeWindow(windowState.load(), screen.getAllDisplays());
        const win = new BrowserWindow(createWindowOptions(preloadPath, placement.bounds));
        window = win;
        trackWindowState(win, {
          save: (state) => windowState.save(state),
          onError: (err) => warn('Could not save the window size and position', err),
        });
        win.once('ready-to-show', () => {
          if (placement.maximized) win.maximize();
          win.show();
        });
        win.on('closed', () => {
          if (window === win) window = null;
        });
        badge.refresh();
        await win.loadURL(`${APP_ORIGIN}/index.html`);
      };

      // The menu: the page's commands go to it, the core's are run here.
      const aboutInfo = {
        appName: 'Marketdesk',
        appVersion: app.getVersion(),
        versions: process.versions,
        profile: launch.profile,
        dataDir,
      };
      const runCommand = createCommandRunner({
        handlers: core.handlers,
        getWindow: () => window,
        openLogs: () => shell.openPath(join(dataDir, 'logs')),
        showAbout: () =>
          showAboutBox(aboutInfo, {
            showMessageBox: (options) =>
              window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options),
            writeClipboard: (text) => clipboard.writeText(text),
          }),
        logger,
      });
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          buildMenuTemplate({
            platform: process.platform,
            appName: 'Marketdesk',
            dev: !app.isPackaged,
            run: runCommand,
          }),
        ),
      );

      // Notifications: new updates for the active instance, the subscription's approaching end.
      const notices = new Set<Notification>(); // referenced until closed, or their click handler is collected
      const notifier = new DesktopNotifier({
        file: ledgerFile(dataDir, launch.profile),
        enabled: () => core.settings.get().notifications && Notification.isSupported(),
        now: () => systemClock.now(),
        messages: () => messagesFor(messageLanguageOf(core.settings.get().language)),
        onError: (err) => warn('Could not show a desktop notification', err),
        show: (notice) => {
          const n = new Notification({ title: notice.title, body: notice.body });
          notices.add(n);
          n.on('click', () => {
            notices.delete(n);
            if (!sendToRenderer(window, notice.command)) openWindow?.();
          });
          n.on('close', () => notices.delete(n));
          n.show();
        },
      });
      const updates = watchUpdates(
        core,
        (view) => {
          badge.set(view.updates);
          notifier.updates(view);
        },
        (err) => warn('Could not check the plugins for updates', err),
      );
      core.events.on('key.changed', (status) => notifier.subscription(status));

      app.on('before-quit', () => {
        updates.stop();
        core.stop();
      });

      void core.start();
      notifier.subscription(core.keys.status());
      updates.check();
      openWindow = () => {
        if (!window)
          void createWindow().catch((err: unknown) =>
            logger.error('Could not open the window', { error: String(err) }),
          );
      };
      await createWindow();
      logger.info('Desktop app started', { profile: launch.profile, version: app.getVersion() });
    } catch (err) {
      logger.error('Marketdesk could not start', {
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      dialog.showErrorBox(
        'Marketdesk could not start',
        `${err instanceof Error ? err.message : String(err)}\n\nDetails are in ${join(dataDir, 'logs', 'marketdesk.log')}.`,
      );
      app.exit(1);
    }
  });
}
