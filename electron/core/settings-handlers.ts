import { AppError } from '../../shared/errors';
import type { CaFileInfo, CaFilesChange, ServicesUrlChange } from '../../shared/model';
import type { CorePorts } from './app-core';
import type { Handlers } from './dispatch';
import { DEFAULT_SERVICES_URL } from './glpi-network-client';
import type { KeyService } from './key-service';
import type { CaFile, NetworkService } from './network-service';
import { redactProxyUrl } from './proxy';
import type { ProfileSettingsService } from './profile-settings';

type SettingsChannel =
  | 'settings.get'
  | 'settings.update'
  | 'settings.proxyPassword'
  | 'settings.networkRoute'
  | 'settings.caFiles'
  | 'settings.addCaFile'
  | 'settings.removeCaFile'
  | 'settings.servicesUrl';

/** What the CA and services URL changes need of the core. */
interface TrustDeps {
  settings: ProfileSettingsService;
  network: NetworkService;
}

/** The extra CA files as the renderer and `config ca --json` show them (never the certificates). */
async function caFileList(network: NetworkService): Promise<CaFileInfo[]> {
  return (await network.caFiles()).map(({ file, subjects, problem }) => ({ file, subjects, problem }));
}

/**
 * Trusts the certificates of a PEM file (an absolute path) in addition to the default roots;
 * refuses a file with no usable certificate. Adding a file again moves it last.
 */
async function trustCaFile(
  d: TrustDeps,
  file: string,
  read: (file: string) => Promise<CaFile> = (f) => d.network.readCaFile(f),
): Promise<CaFileInfo[]> {
  const checked = await read(file);
  if (checked.problem) throw new AppError('INVALID_INPUT', checked.problem);
  const current = d.settings.get().network.extraCaFiles;
  d.settings.updateNetwork({ extraCaFiles: [...current.filter((f) => f !== file), file] });
  d.network.invalidate();
  return caFileList(d.network);
}

/** Stops trusting one of the extra CA files (exactly as the settings name it). */
async function untrustCaFile(d: TrustDeps, file: string): Promise<CaFileInfo[]> {
  const current = d.settings.get().network.extraCaFiles;
  if (!current.includes(file)) throw new AppError('INVALID_INPUT', `${file} is not in the extra certificates.`);
  d.settings.updateNetwork({ extraCaFiles: current.filter((f) => f !== file) });
  d.network.invalidate();
  return caFileList(d.network);
}

/**
 * Why these changes are refused without the shell's own dialogs: a page that could make them could
 * send the key elsewhere or trust an intercepting root (docs/development.md).
 */
export const ELSEWHERE = {
  addCa:
    'Extra trusted certificates cannot be added from this window: run marketdesk config ca --add FILE on this computer.',
  removeCa:
    'Extra trusted certificates cannot be removed from this window: run marketdesk config ca --remove FILE on this computer.',
  servicesUrl:
    'The GLPI Network services URL cannot be changed from this window: run marketdesk config services-url URL (or --reset) on this computer.',
} as const;

const ELSEWHERE_FIX =
  'Only the desktop app asks you in its own dialogs, which the page cannot answer; the browser shell leaves these changes to the command line.';

type SettingsDeps = TrustDeps & {
  ports: Pick<CorePorts, 'confirm' | 'pickFile'>;
  keychainFix: string;
  /** Checks the key again once the services URL changed. */
  keys: Pick<KeyService, 'recheck'>;
};

function refuse(message: string): AppError {
  return new AppError('FORBIDDEN', message, { fix: ELSEWHERE_FIX });
}

/** The `settings.*` channels: simple settings, proxy password, extra CA files and the services URL. */
export function settingsHandlers(d: SettingsDeps): Pick<Handlers, SettingsChannel> {
  const { settings, network } = d;

  return {
    'settings.get': () => Promise.resolve(settings.get()),
    'settings.update': async (req) => {
      const { network: patch, glpiConsole, ...rest } = req;
      await Promise.resolve(); // a refused value rejects the promise rather than throwing
      if (patch) {
        settings.updateNetwork(patch);
        network.invalidate();
      }
      if (glpiConsole) settings.updateGlpiConsole(glpiConsole);
      return Object.keys(rest).length > 0 || (!patch && !glpiConsole) ? settings.update(rest) : settings.get();
    },
    'settings.proxyPassword': async (req) => {
      try {
        await network.setProxyPassword(req.password);
      } catch (err) {
        throw new AppError(
          'KEYCHAIN_UNAVAILABLE',
          `The proxy password could not be stored in the keychain: ${String(err)}`,
          { fix: d.keychainFix },
        );
      }
      return settings.markProxyPassword(req.password !== null && req.password !== '');
    },
    'settings.networkRoute': async () => {
      const route = (await network.runtime()).route(settings.get().servicesUrl);
      return route.kind === 'direct'
        ? { kind: 'direct', proxy: null, why: route.why }
        : { kind: 'proxy', proxy: redactProxyUrl(route.proxyUrl), why: route.why };
    },
    'settings.caFiles': () => caFileList(network),
    'settings.addCaFile': () => addCaFile(d),
    'settings.removeCaFile': (req) => removeCaFile(d, req.file),
    'settings.servicesUrl': (req) => changeServicesUrl(d, req.url),
  };
}

/** Trusts a PEM file the admin picks in the shell's own dialog; refused where the shell has none. */
async function addCaFile(d: SettingsDeps): Promise<CaFilesChange> {
  if (!d.ports.pickFile) throw refuse(ELSEWHERE.addCa);
  const file = await d.ports.pickFile({
    title: 'Choose a PEM file of certificates to trust for GLPI Network',
    filters: [
      { name: 'Certificates (PEM)', extensions: ['pem', 'crt', 'cer'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  if (file === null) return { changed: false, files: await caFileList(d.network) };
  return { changed: true, files: await trustCaFile(d, file) };
}

/** Stops trusting an extra CA file once the admin confirms in the shell's own dialog. */
async function removeCaFile(d: SettingsDeps, file: string): Promise<CaFilesChange> {
  if (!d.ports.confirm) throw refuse(ELSEWHERE.removeCa);
  const files = await caFileList(d.network);
  const entry = files.find((f) => f.file === file);
  if (!entry) throw new AppError('INVALID_INPUT', `${file} is not in the extra certificates.`);
  const what = entry.problem ?? entry.subjects.map((s) => `• ${s}`).join('\n');
  const yes = await d.ports.confirm({
    title: 'Stop trusting the certificates in this file?',
    detail: `${entry.file}\n\n${what}\n\nMarketdesk will stop trusting servers whose certificates they signed. The default authorities stay trusted.`,
    confirmLabel: 'Stop trusting them',
  });
  if (!yes) return { changed: false, files: await caFileList(d.network) };
  return { changed: true, files: await untrustCaFile(d, entry.file) };
}

/** Sets (null: back to the default) the services URL once the admin confirms it, then rechecks the key. */
async function changeServicesUrl(d: SettingsDeps, requested: string | null): Promise<ServicesUrlChange> {
  const { settings, ports } = d;
  if (!ports.confirm) throw refuse(ELSEWHERE.servicesUrl);
  const url = requested === null ? null : settings.checkServicesUrl(requested);
  const before = settings.get();
  if (url === settings.storedServicesUrl()) return { changed: false, settings: before };
  const env =
    before.servicesUrlSource === 'env'
      ? `\n\nGLPI_NETWORK_SERVICES (${before.servicesUrl}) is set in Marketdesk's environment: it stays in force until it is removed.`
      : '';
  const yes = await ports.confirm({
    title: url === null ? 'Go back to the default GLPI Network address?' : 'Send the registration key to this address?',
    detail: `${url ?? DEFAULT_SERVICES_URL}\n\nMarketdesk sends the GLPI Network registration key to this address to check it, and gets the plugin list and the plugins from it. Use only an address you trust as much as GLPI Network.${env}`,
    confirmLabel: url === null ? 'Use the default address' : 'Use this address',
  });
  if (!yes) return { changed: false, settings: settings.get() };
  const changed = settings.setServicesUrl(url);
  d.keys.recheck();
  return { changed: true, settings: changed };
}
