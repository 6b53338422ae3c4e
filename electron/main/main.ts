// The Electron shell's composition root: adapters, then the core, then the window. Everything with
// logic in it lives in the modules imported here, which are unit-tested without Electron.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import Store from 'electron-store';
import { createAppCore } from '../core/create-app-core';
import { resolveDataDir } from '../core/paths';
import { systemClock } from '../core/ports';
import { Redactor } from '../core/redact';
import { ElectronStoreKeyValueStore, openElectronStore } from '../adapters/electron-store-kv';
import { createFileLogger } from '../adapters/file-logger';
import { keychainFix, loadSecretStore } from '../adapters/keychain';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { NetFetchHttpClient, netRequestFetch } from '../adapters/net-fetch-http-client';
import { nodeDoctorPorts } from '../adapters/doctor/doctor-ports';
import { nodeProcessRunner } from '../adapters/process-runner';
import type { NetworkRuntime } from '../core/network-service';
import { applyProxy, proxyCredentials, verifyWithExtraRoots } from './network-session';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { registerIpc } from './ipc';
import { profileFromArgv, toSystemLanguage } from './launch-options';
import { APP_ORIGIN, APP_SCHEME, hardenSession, hardenWebContents } from './security';
import { createWindowOptions } from './window-options';

const here = dirname(fileURLToPath(import.meta.url)); // dist/node
const rendererDir = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'preload.cjs');

// Before ready: sandbox every renderer, one instance per user, app:// as a secure standard scheme.
app.enableSandbox();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
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
    const logger = createFileLogger(dataDir, redactor, {
      level: process.env.MARKETDESK_LOG_LEVEL === 'debug' ? 'debug' : 'info',
    });

    try {
      const secrets = await loadSecretStore(logger);

      let network: NetworkRuntime | null = null;
      const core = createAppCore(
        {
          secrets,
          dataDir,
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
          systemLanguage: toSystemLanguage(app.getLocale()),
          redact: (secret) => redactor.add(secret),
          processes: nodeProcessRunner,
          doctor: nodeDoctorPorts((url) => session.defaultSession.resolveProxy(url)),
        },
        { sessionSecrets: new MemorySecretStore('session'), keychainFix: keychainFix(process.platform) },
      );

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

      window = new BrowserWindow(createWindowOptions(preloadPath));
      window.once('ready-to-show', () => window?.show());
      window.on('closed', () => {
        window = null;
      });
      app.on('before-quit', () => core.stop());

      core.start();
      await window.loadURL(`${APP_ORIGIN}/index.html`);
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
