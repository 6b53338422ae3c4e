import { randomInt, randomUUID } from 'node:crypto';
import { DEFAULT_CATALOG_VIEW, type CatalogView } from '../../shared/catalog';
import { AppError } from '../../shared/errors';
import { glpiVersionPattern } from '../../shared/glpi-version';
import type { GlpiConsoleSettings, NetworkSettings, ProfileSettings } from '../../shared/model';
import type { EventHub } from './event-hub';
import { DEFAULT_SERVICES_URL, type ClientConfig } from './glpi-network-client';
import { isAcceptableServicesUrl } from './http';
import { checkCaPaths } from './network-service';
import type { KeyValueStore } from './ports';
import { DEFAULT_NETWORK, checkProxyUrl } from './proxy';

export const DEFAULT_GLPI_VERSION = '10.0.18';
export const PROFILE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface StoredProfile {
  glpiVersion?: string;
  installMode?: string;
  language?: string;
  servicesUrl?: string;
  uid?: string;
  includePrereleases?: boolean;
  catalogView?: CatalogView;
  network?: Partial<NetworkSettings>;
  proxyPasswordSet?: boolean;
  glpiConsole?: Partial<GlpiConsoleSettings>;
  checkIntervalHours?: number;
  keepBackups?: number;
  notifications?: boolean;
  theme?: ProfileSettings['theme'];
  logLevel?: ProfileSettings['logLevel'];
}

/** Settings the UI may change in one `settings.update`, with their checks (language null: follow the system). */
export type SimpleSettings = Omit<SimpleStored, 'language'> & { language?: string | null };
type SimpleStored = Pick<
  StoredProfile,
  | 'glpiVersion'
  | 'installMode'
  | 'language'
  | 'includePrereleases'
  | 'catalogView'
  | 'checkIntervalHours'
  | 'keepBackups'
  | 'notifications'
  | 'theme'
  | 'logLevel'
>;

/** php binaries only (php, php8.2, php82, php.exe): the path is set from the UI, and the app runs it. */
const PHP_PATH = /^(?:[A-Za-z]:)?[\\/](?:.*[\\/])?php[0-9.]*(?:\.exe)?$/;

/** One profile's settings in the store, and the values derived from them. */
export class ProfileSettingsService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly events: EventHub,
    readonly profile: string,
    private readonly env: { servicesUrl?: string; systemLanguage: string; appVersion: string },
  ) {
    if (!PROFILE_NAME.test(profile))
      throw new Error(`Invalid profile name "${profile}": use letters, digits, - and _.`);
  }

  private glpiVersionOverride: string | null = null;

  /** A target GLPI version for this process only (the CLI's --glpi-version); not saved. */
  overrideGlpiVersion(version: string): void {
    this.glpiVersionOverride = version;
  }

  get(): ProfileSettings {
    const p = this.stored();
    const { url, source } = this.servicesUrl();
    return {
      profile: this.profile,
      glpiVersion: this.glpiVersionOverride ?? p.glpiVersion ?? DEFAULT_GLPI_VERSION,
      installMode: p.installMode ?? 'TARBALL',
      servicesUrl: url,
      servicesUrlSource: source,
      language: p.language ?? this.env.systemLanguage,
      languageSource: p.language ? 'setting' : 'system',
      includePrereleases: p.includePrereleases ?? false,
      catalogView: p.catalogView ?? DEFAULT_CATALOG_VIEW,
      network: { ...DEFAULT_NETWORK, ...p.network },
      proxyPasswordSet: p.proxyPasswordSet ?? false,
      glpiConsole: { offer: false, php: '', user: 'glpi', ...p.glpiConsole },
      checkIntervalHours: p.checkIntervalHours ?? 6,
      keepBackups: p.keepBackups ?? 3,
      notifications: p.notifications ?? true,
      theme: p.theme ?? 'system',
      logLevel: p.logLevel ?? 'info',
    };
  }

  /** Changes the GLPI console settings; php must be an absolute path to a php binary. */
  updateGlpiConsole(patch: Partial<GlpiConsoleSettings>): ProfileSettings {
    const next: GlpiConsoleSettings = { ...this.get().glpiConsole, ...patch };
    next.php = next.php.trim();
    next.user = next.user.trim();
    if (next.php !== '' && !PHP_PATH.test(next.php))
      throw new AppError(
        'INVALID_INPUT',
        `"${next.php}" is not an absolute path to a php binary (such as /usr/bin/php8.2).`,
        { details: { field: 'php' } },
      );
    if (
      !next.user ||
      next.user.length > 255 ||
      next.user.startsWith('-') ||
      [...next.user].some((c) => c.charCodeAt(0) < 0x20)
    )
      throw new AppError('INVALID_INPUT', 'Give the name of an existing GLPI user, such as glpi.', {
        details: { field: 'user' },
      });
    this.store.set(this.path(), { ...this.stored(), glpiConsole: next });
    const settings = this.get();
    this.events.emit('settings.changed', settings);
    return settings;
  }

  /** Changes the network settings, after checking each value; says exactly what is wrong. */
  updateNetwork(patch: Partial<NetworkSettings>): ProfileSettings {
    const next: NetworkSettings = { ...this.get().network, ...patch };
    if (patch.proxyUrl !== undefined && patch.proxyUrl.trim() !== '') {
      const checked = checkProxyUrl(patch.proxyUrl);
      if (!checked.ok) throw new AppError('INVALID_INPUT', checked.reason);
      next.proxyUrl = checked.url;
    } else if (patch.proxyUrl !== undefined) next.proxyUrl = '';
    if (next.proxyMode === 'manual' && !next.proxyUrl)
      throw new AppError('INVALID_INPUT', 'A manual proxy needs an address, such as http://proxy.example.com:3128.');
    if ([...next.proxyUser].some((c) => c === ':' || c.charCodeAt(0) < 0x20) || next.proxyUser.length > 256)
      throw new AppError('INVALID_INPUT', 'The proxy user name cannot contain ":" or control characters.');
    if (next.bypass.length > 200 || next.bypass.some((b) => !/^[^\s,;]{1,255}$/.test(b)))
      throw new AppError(
        'INVALID_INPUT',
        'Bypass entries are host names, .domains, IP addresses or CIDR blocks, without spaces.',
      );
    if (next.pacUrl) {
      let ok = false;
      try {
        ok = ['http:', 'https:'].includes(new URL(next.pacUrl).protocol);
      } catch {
        ok = false;
      }
      if (!ok) throw new AppError('INVALID_INPUT', `"${next.pacUrl}" is not an http(s) address of a PAC script.`);
    }
    if (next.proxyMode === 'pac' && !next.pacUrl)
      throw new AppError('INVALID_INPUT', 'PAC mode needs the address of the PAC script.');
    next.extraCaFiles = checkCaPaths(next.extraCaFiles);
    const p = this.stored();
    this.store.set(this.path(), { ...p, network: next });
    const settings = this.get();
    this.events.emit('settings.changed', settings);
    return settings;
  }

  /** Records whether a proxy password is in the keychain (the password itself never comes here). */
  markProxyPassword(set: boolean): ProfileSettings {
    this.store.set(this.path(), { ...this.stored(), proxyPasswordSet: set });
    const settings = this.get();
    this.events.emit('settings.changed', settings);
    return settings;
  }

  /**
   * Changes the simple settings, after checking each value. A refused value changes nothing and its
   * error names the field (`details.field`) so the UI can show the message next to it.
   */
  update(patch: SimpleSettings): ProfileSettings {
    const { checkIntervalHours: hours, keepBackups: keep, language, ...rest } = patch;
    const invalid = (field: keyof SimpleSettings, message: string) =>
      new AppError('INVALID_INPUT', message, { details: { field } });
    if (rest.glpiVersion !== undefined) {
      rest.glpiVersion = rest.glpiVersion.trim();
      if (!glpiVersionPattern.test(rest.glpiVersion))
        throw invalid(
          'glpiVersion',
          `"${rest.glpiVersion}" is not a GLPI version: give the version of your GLPI server, such as 10.0.18 or 11.0.1.`,
        );
    }
    if (hours !== undefined && (!Number.isInteger(hours) || hours < 1 || hours > 168))
      throw invalid(
        'checkIntervalHours',
        'Check for updates every 1 to 168 hours (whole hours; at most once an hour).',
      );
    if (keep !== undefined && (!Number.isInteger(keep) || keep < 1 || keep > 20))
      throw invalid('keepBackups', 'Keep between 1 and 20 backups per plugin (whole numbers).');
    const next: StoredProfile = { ...this.stored(), ...rest };
    if (hours !== undefined) next.checkIntervalHours = hours;
    if (keep !== undefined) next.keepBackups = keep;
    // No language: the system's, read again at each start.
    if (language === null) delete next.language;
    else if (language !== undefined) next.language = language;
    this.store.set(this.path(), next);
    const settings = this.get();
    this.events.emit('settings.changed', settings);
    return settings;
  }

  /**
   * Sets (or, with null, removes) the services URL setting. Not on the renderer's contract: the
   * key is sent there, so only the admin at a shell (CLI, later the settings screen in the main
   * process) may change it. GLPI_NETWORK_SERVICES still wins when set.
   */
  setServicesUrl(url: string | null): ProfileSettings {
    const p = this.stored();
    const next: StoredProfile = { ...p };
    if (url === null) delete next.servicesUrl;
    else next.servicesUrl = this.checkServicesUrl(url);
    this.store.set(this.path(), next);
    const settings = this.get();
    this.events.emit('settings.changed', settings);
    return settings;
  }

  /** The services URL as it would be stored (trimmed, no trailing /), or the error saying why it cannot be. */
  checkServicesUrl(url: string): string {
    if (!isAcceptableServicesUrl(url.trim()))
      throw new AppError('INVALID_INPUT', `"${url}" cannot be the GLPI Network services URL.`, {
        fix: 'Give an https:// address without credentials, query or fragment (plain http:// only on 127.0.0.1 or localhost).',
      });
    return url.trim().replace(/\/+$/, '');
  }

  /** The services URL setting (GLPI_NETWORK_SERVICES may hide it), or null when none is set. */
  storedServicesUrl(): string | null {
    const setting = this.stored().servicesUrl;
    return setting && isAcceptableServicesUrl(setting) ? setting.replace(/\/+$/, '') : null;
  }

  /** The instance id GLPI sends as X-Glpi-Network-Uid: 40 alphanumerics, made once and kept. */
  uid(): string {
    const p = this.stored();
    if (p.uid && /^[A-Za-z0-9]{40}$/.test(p.uid)) return p.uid;
    const uid = Array.from({ length: 40 }, () => ALNUM[randomInt(ALNUM.length)]).join('');
    this.store.set(`${this.path()}.uid`, uid);
    return uid;
  }

  /** A random id of this data folder, so that two data folders never share a keychain entry. */
  installId(): string {
    const id = this.store.get<string>('installId');
    if (id) return id;
    const fresh = randomUUID();
    this.store.set('installId', fresh);
    return fresh;
  }

  clientConfig(): ClientConfig {
    const s = this.get();
    return {
      servicesUrl: s.servicesUrl,
      glpiVersion: s.glpiVersion,
      installMode: s.installMode,
      appVersion: this.env.appVersion,
      uid: this.uid(),
      language: s.language,
    };
  }

  private servicesUrl(): { url: string; source: ProfileSettings['servicesUrlSource'] } {
    const fromEnv = this.env.servicesUrl?.trim();
    if (fromEnv) {
      if (!isAcceptableServicesUrl(fromEnv))
        throw new Error(
          `GLPI_NETWORK_SERVICES="${fromEnv}" is not usable: it must be an https:// URL (plain http only on 127.0.0.1).`,
        );
      return { url: fromEnv.replace(/\/+$/, ''), source: 'env' };
    }
    const setting = this.stored().servicesUrl;
    if (setting && isAcceptableServicesUrl(setting)) return { url: setting.replace(/\/+$/, ''), source: 'setting' };
    return { url: DEFAULT_SERVICES_URL, source: 'default' };
  }

  private path(): string {
    return `profiles.${this.profile}`;
  }

  private stored(): StoredProfile {
    return this.store.get<StoredProfile>(this.path()) ?? {};
  }
}
