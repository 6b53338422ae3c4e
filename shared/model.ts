/** Types shared by the core, the shells and the renderer. No secrets here: never the key itself. */
import type { CatalogView } from './catalog';

/**
 * `terminated` is a key GLPI Network recognises (is_valid) whose subscription is not running;
 * `unreachable` keeps the last answer (if any) in the status fields.
 */
export const KEY_STATES = ['none', 'valid', 'invalid', 'terminated', 'unreachable'] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** Why GLPI Network could not be reached or understood. */
export const NETWORK_CAUSES = ['dns', 'refused', 'timeout', 'tls', 'proxy', 'http', 'bad-response'] as const;
export type NetworkCause = (typeof NETWORK_CAUSES)[number];

export type KeyStorage = 'keychain' | 'session';

export interface SubscriptionInfo {
  title: string;
  offer: string;
  running: boolean;
  /** ISO date (YYYY-MM-DD or full ISO) as GLPI Network sent it, or null. */
  begins: string | null;
  ends: string | null;
}

/** One answer of GLPI Network's registration/info, stored without the key. */
export interface RegistrationAnswer {
  valid: boolean;
  message: string;
  owner: string | null;
  subscription: SubscriptionInfo | null;
  /** ISO timestamp of when the answer was received. */
  checkedAt: string;
}

export interface NetworkFailure {
  cause: NetworkCause;
  message: string;
  fix: string;
  /** ISO timestamp of the failed attempt. */
  at: string;
  /** HTTP status when the server answered something unusable. */
  status?: number;
}

export interface KeyStatus {
  profile: string;
  state: KeyState;
  /** A validation is running right now (set, Sync or the schedule). */
  checking: boolean;
  maskedKey: string | null;
  storage: KeyStorage | null;
  owner: string | null;
  subscription: SubscriptionInfo | null;
  /** GLPI Network's validation message, or ours when it gave none. */
  message: string | null;
  /** When the answer shown was received. */
  checkedAt: string | null;
  /** The last attempt failed; the answer shown (if any) is older. */
  failure: NetworkFailure | null;
  unreachableSince: string | null;
  nextCheckAt: string | null;
}

/** A profile's status before anything is known: no key, no answer, nothing scheduled. */
export function emptyKeyStatus(profile: string): KeyStatus {
  return {
    profile,
    state: 'none',
    checking: false,
    maskedKey: null,
    storage: null,
    owner: null,
    subscription: null,
    message: null,
    checkedAt: null,
    failure: null,
    unreachableSince: null,
    nextCheckAt: null,
  };
}

export interface Offer {
  reference: string;
  title: string;
}

export const INSTALL_MODES = ['TARBALL', 'GIT', 'DOCKER', 'RPM', 'DEB', 'CLOUD'] as const;

/** How Marketdesk reaches GLPI Network: `system` follows the OS (Electron) or HTTPS_PROXY/NO_PROXY (Node shells). */
export type ProxyMode = 'system' | 'manual' | 'pac' | 'direct';

/** How GLPI Network is reached with the current settings, and why (`settings.networkRoute`). */
export interface NetworkRoute {
  kind: 'direct' | 'proxy';
  /** The proxy's address, without credentials; null when direct. */
  proxy: string | null;
  why: string;
}

export interface NetworkSettings {
  proxyMode: ProxyMode;
  /** Manual mode: `http://host:port` (or https://), for http and https requests alike. */
  proxyUrl: string;
  /** Manual mode: the proxy user; '' for none. The password is in the keychain, never here. */
  proxyUser: string;
  /** Manual mode: hosts that go direct (`example.com`, `.example.com`, `10.0.0.0/8`, `<local>`, `host:port`). */
  bypass: string[];
  /** PAC mode: the script's URL. */
  pacUrl: string;
  /** PEM files whose certificates are trusted in addition to (never instead of) the default roots. */
  extraCaFiles: string[];
}

/** Running GLPI's own console after an install (off by default). */
export interface GlpiConsoleSettings {
  /** Offer the "run in GLPI's console" step after installs and updates. */
  offer: boolean;
  /** Absolute path of php; '' to look for `php` on PATH. */
  php: string;
  /** The GLPI user `plugin:install` loads into its session (it must exist in GLPI). */
  user: string;
}

export interface ProfileSettings {
  profile: string;
  glpiVersion: string;
  installMode: string;
  /** The services base URL in force, and where it comes from. */
  servicesUrl: string;
  servicesUrlSource: 'env' | 'setting' | 'default';
  /** The UI and GLPI Network language in force: the one set, else the system's (en, fr, fr_FR…). */
  language: string;
  /** `system`: none is set and `language` follows the system language at each start. */
  languageSource: 'system' | 'setting';
  /** Show versions whose stability is not "stable" (GLPI: GLPI_MARKETPLACE_PRERELEASES). */
  includePrereleases: boolean;
  catalogView: CatalogView;
  network: NetworkSettings;
  glpiConsole: GlpiConsoleSettings;
  /** Catalogue and update checks while the app runs, in hours (1 to 168; never more often than hourly). */
  checkIntervalHours: number;
  /** Backups kept per plugin (1 to 20). */
  keepBackups: number;
  /** Desktop notifications (updates found, subscription ending). */
  notifications: boolean;
  theme: 'system' | 'light' | 'dark';
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** A proxy password is stored in the keychain for this profile. */
  proxyPasswordSet: boolean;
}

export interface AppInfo {
  version: string;
  shell: 'electron' | 'browser';
  profile: string;
  /**
   * The shell asks the admin in its own dialogs, out of the page's reach (the desktop app's main
   * process): extra CA files and the services URL can then be changed from the window. Absent: false.
   */
  adminDialogs?: boolean;
}

/** One extra CA file of the settings, as read now: the subjects of its certificates, or its problem. */
export interface CaFileInfo {
  file: string;
  subjects: string[];
  /** Why the file is not used (unreadable, not PEM…); null when its certificates are trusted. */
  problem: string | null;
}

/** What `settings.addCaFile` / `settings.removeCaFile` did: `changed` is false when the admin declined. */
export interface CaFilesChange {
  changed: boolean;
  files: CaFileInfo[];
}

/** What `settings.servicesUrl` did: `changed` is false when the admin declined (or nothing was to change). */
export interface ServicesUrlChange {
  changed: boolean;
  settings: ProfileSettings;
}

/** Days from `now` to the end date (negative once past); null without an end date. */
export function daysLeft(ends: string | null, now: Date): number | null {
  if (!ends) return null;
  const end = new Date(ends.length === 10 ? `${ends}T23:59:59Z` : ends);
  if (Number.isNaN(end.getTime())) return null;
  const days = Math.ceil((end.getTime() - now.getTime()) / 86_400_000);
  return days === 0 ? 0 : days; // never -0
}
