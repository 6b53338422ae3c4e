import type { DoctorReport } from '../doctor';
import type {
  BundleApplyRequest,
  BundleCreateReport,
  BundleCreateRequest,
  BundleExportRequest,
  BundleFileRef,
  BundleImportRequest,
  BundleImportResult,
  BundleInspectReport,
  BundlePreview,
  BundleProgress,
} from '../bundle';
import type { Plan, PlanDownload, PlanProgress } from '../plan';
import type { Manifest, ManifestFormat, ManifestParse } from '../manifest';
import type { ManifestApplyResult, ManifestPlan } from '../manifest-plan';
import type { Envelope } from '../errors';

/** What every invoke answers, re-exported so the preload needs nothing beyond the contract. */
export type { Envelope };
import type {
  CatalogList,
  CatalogPlugin,
  CatalogSearchText,
  CatalogSnapshot,
  CatalogStatus,
  CatalogView,
} from '../catalog';
import type {
  ActionProgress,
  ActionReport,
  ConsoleRun,
  ConsoleTask,
  HistoryEntry,
  InstanceDetails,
  InstanceList,
  FleetReport,
  FleetUpdateResult,
  InstanceSummary,
  PluginBackup,
  SshAddOptions,
  PluginsView,
} from '../instances';
import type {
  AppInfo,
  CaFileInfo,
  CaFilesChange,
  GlpiConsoleSettings,
  KeyStatus,
  NetworkRoute,
  NetworkSettings,
  ProfileSettings,
  ServicesUrlChange,
} from '../model';

/**
 * The one contract between the renderer and whichever shell hosts the core. Channels are
 * `domain.verb`, events `domain.pastTense`. One payload object per call.
 */
export interface Invokes {
  'app.info': { req: Record<string, never>; res: AppInfo };
  'key.status': { req: Record<string, never>; res: KeyStatus };
  'key.set': { req: { key: string; force?: boolean; storage?: 'keychain' | 'session' }; res: KeyStatus };
  'key.sync': { req: Record<string, never>; res: KeyStatus };
  'key.forget': { req: Record<string, never>; res: KeyStatus };
  'settings.get': { req: Record<string, never>; res: ProfileSettings };
  'settings.update': {
    req: {
      glpiVersion?: string;
      installMode?: string;
      /** null: follow the system language. */
      language?: string | null;
      includePrereleases?: boolean;
      catalogView?: CatalogView;
      checkIntervalHours?: number;
      keepBackups?: number;
      notifications?: boolean;
      theme?: ProfileSettings['theme'];
      logLevel?: ProfileSettings['logLevel'];
      /** Proxy settings. Extra CA files are not settable from the UI process (see docs/development.md). */
      network?: Partial<Omit<NetworkSettings, 'extraCaFiles'>>;
      glpiConsole?: Partial<GlpiConsoleSettings>;
    };
    res: ProfileSettings;
  };
  /** Stores (or, with null, deletes) the manual proxy's password in the keychain; it is never sent back. */
  'settings.proxyPassword': { req: { password: string | null }; res: ProfileSettings };
  /** Whether the GLPI Network services URL is reached directly or through a proxy now, and why. */
  'settings.networkRoute': { req: Record<string, never>; res: NetworkRoute };
  /** The extra CA files of the settings, each with its certificates' subjects or its problem. */
  'settings.caFiles': { req: Record<string, never>; res: CaFileInfo[] };
  /**
   * The shell lets the admin pick a PEM file in its own dialog and trusts it (the page never names
   * the file). Refused where the shell has no such dialog (the browser shell).
   */
  'settings.addCaFile': { req: Record<string, never>; res: CaFilesChange };
  /** Stops trusting one of the extra CA files, once the admin confirms in the shell's own dialog. */
  'settings.removeCaFile': { req: { file: string }; res: CaFilesChange };
  /**
   * Sets (null: back to the default) the GLPI Network services URL, where the key is sent, once the
   * admin confirms that URL in the shell's own dialog. Refused where the shell has none.
   */
  'settings.servicesUrl': { req: { url: string | null }; res: ServicesUrlChange };
  /** The catalogue for the profile's GLPI version: from the cache at once, refreshed when stale. */
  'catalog.get': { req: Record<string, never>; res: CatalogSnapshot };
  /** Fetches the catalogue from GLPI Network now; resolves when done (or failed). */
  'catalog.refresh': { req: Record<string, never>; res: CatalogSnapshot };
  // The catalogue screen's own reads: a compact list first, the rest when needed.
  /**
   * The list (one `CatalogListItem` per plugin, summaries in the UI language): from the cache at
   * once like catalog.get; with `refresh`, once fetched from GLPI Network like catalog.refresh.
   * With `first` (1-100), only the first plugins, most downloaded first: the first screen, sent
   * before the rest (`pluginCount` says how many there are).
   */
  'catalog.list': { req: { refresh?: boolean; first?: number }; res: CatalogList };
  /** The descriptions the list's search reads, per plugin key (fetched once the list is shown). */
  'catalog.searchText': { req: Record<string, never>; res: CatalogSearchText };
  /** One plugin's full record (descriptions, links, screenshots…) when it is opened; null: not listed. */
  'catalog.details': { req: { key: string }; res: CatalogPlugin | null };
  'instances.list': { req: Record<string, never>; res: InstanceList };
  /**
   * Adds a GLPI root folder, or a GLPI server as `ssh://user@host[:port]/path` with `ssh` saying how
   * to log in (read-only checks; writes happen only in its marketplace/). An unknown SSH host fails
   * with SSH_FAILED whose details give the fingerprint to confirm in `ssh.acceptHostKey`.
   */
  'instances.add': { req: { root: string; name?: string; ssh?: SshAddOptions }; res: InstanceSummary };
  /** Forgets an instance (its record, SSH session and secrets); its files are not touched. */
  'instances.remove': { req: { name: string }; res: InstanceList };
  'instances.use': { req: { name: string }; res: PluginsView };
  /** Everything detected in an instance's folder (the active one without `name`). */
  'instances.show': { req: { name?: string }; res: InstanceDetails };
  /**
   * Checks every instance of the profile (or those named) in parallel, each within its own timeout:
   * reachable or why not, GLPI version, plugins, updates, problems.
   */
  'fleet.check': { req: { names?: string[] }; res: FleetReport };
  /**
   * Updates `key` (or, without it, every plugin with an update) in each named instance; one result
   * per instance and plugin, each recorded in that instance's history. A failure stops nothing else.
   */
  /**
   * Updates `key` (or every plugin with an update) in each named instance. `acceptNewChecksum`: the
   * new SHA-256 confirmed after a result with `checksumChanged`, for one instance and one key only.
   */
  'fleet.update': { req: { names: string[]; key?: string; acceptNewChecksum?: string }; res: FleetUpdateResult[] };
  /**
   * Stops the running fleet update: the update being made stops as its own Cancel would; what was
   * not reached gets a line "Stopped: nothing was changed here."
   */
  'fleet.cancel': { req: Record<string, never>; res: { cancelled: boolean } };
  'plugins.list': { req: Record<string, never>; res: PluginsView };
  /** Installs the latest compatible version, or `version` ("install another version"). */
  /** `acceptNewChecksum`: the new SHA-256 confirmed after an INSTALL_FAILED with details.code `checksum-changed`. */
  'plugins.install': { req: { key: string; version?: string; acceptNewChecksum?: string }; res: ActionReport };
  'plugins.update': { req: { key: string; acceptNewChecksum?: string }; res: ActionReport };
  /** Puts back a backup: the one named `backupId`, else the newest of `version`, else the newest. */
  'plugins.restore': { req: { key: string; version?: string; backupId?: string }; res: ActionReport };
  'plugins.remove': { req: { key: string }; res: ActionReport };
  /** Asks the running install or update of `key` to stop (it cannot once its files are being swapped). */
  'plugins.cancel': { req: { key: string }; res: { cancelled: boolean } };
  /** Every backup kept in the active instance (replaced versions and removed plugins), newest first. */
  'plugins.backups': { req: Record<string, never>; res: PluginBackup[] };
  'plugins.history': { req: Record<string, never>; res: HistoryEntry[] };
  /**
   * Runs GLPI's console in the active instance, when possible and offered in settings: a plugin step
   * for `key`, or `resume` (plugin:resume_execution, GLPI 11, which names no plugin); `force` runs it
   * even when not offered (the CLI's --console: the admin asked for this run).
   */
  'plugins.console': { req: ConsoleTask & { force?: boolean }; res: ConsoleRun };
  /** Every check of the network path, the key and the instance (active, or `instance`), with fixes. */
  'doctor.run': { req: { instance?: string }; res: DoctorReport };
  /**
   * The upgrade plan of an instance (active, or `instance`) for GLPI `to`: one verdict per plugin
   * from the catalogue for `to` (the profile's target version is not changed), and the checklist.
   */
  'plan.get': { req: { to: string; instance?: string }; res: Plan };
  /** Downloads and verifies the plan's archives into the local cache, so the upgrade needs no network. */
  'plan.downloadAhead': { req: { to: string; instance?: string }; res: PlanDownload[] };
  /** Stops the running "Download ahead": the archive being downloaded is not kept, the rest not started. */
  'plan.cancel': { req: Record<string, never>; res: { cancelled: boolean } };
  /** What an instance (active, or `instance`) has, as a manifest: key, exact version, folder, active, sha256. */
  'manifest.export': { req: { instance?: string }; res: Manifest };
  /** The changes that make the instance match `manifest`, one per plugin; `prune` also removes what it does not list. */
  'manifest.plan': { req: { manifest: Manifest; instance?: string; prune?: boolean }; res: ManifestPlan };
  /**
   * Makes the plan's changes in order through the install pipeline, stopping at the first failure
   * (what was done before stays done); a plan with an error line changes nothing.
   */
  'manifest.apply': {
    req: { manifest: Manifest; instance?: string; prune?: boolean; acceptNewChecksum?: string };
    res: ManifestApplyResult;
  };
  /** Attaches a manifest to an instance (null detaches it): `fleet.check` then reports its drift. */
  /** Stops the running apply before its next step (the step being made stops as its own Cancel would). */
  'manifest.cancel': { req: Record<string, never>; res: { cancelled: boolean } };
  'manifest.attach': {
    req: { instance: string; manifest: Manifest | null };
    res: { instance: string; attached: boolean };
  };

  // The Manifest dialog (renderer): a manifest's text both ways, and the one attached to an instance.
  /** Reads a manifest's text, JSON or YAML (`format`, else told by its first character): each problem with its line or field. */
  'manifest.parse': { req: { text: string; format?: ManifestFormat }; res: ManifestParse };
  /** A manifest as a file's text: indented JSON, or YAML. */
  'manifest.format': { req: { manifest: Manifest; format: ManifestFormat }; res: { text: string } };
  /** The manifest attached to an instance (active, or `instance`), or null. */
  'manifest.attached': { req: { instance?: string }; res: { instance: string; manifest: Manifest | null } };
  /**
   * Writes an offline bundle (shared/bundle.ts) to `out`, an absolute path ending with `.mdbundle` on
   * the computer running the core (the browser shell's server is local): the plugins of `instance` at their installed
   * versions, or of `manifest` (the text of a manifest, JSON or YAML; `manifestName` its file name),
   * for `glpiVersion` (default: the instance's, the manifest's, then the profile's). Needs GLPI
   * Network (catalogue, key, downloads); entitlement as for installs; pins recorded, a changed
   * archive refused unless `acceptNewChecksum` names its new SHA-256. Atomic: on failure no file.
   * Progress: `bundles.progressed` (download, write). Errors: BUNDLE_FAILED (details BundleFailure).
   */
  'bundles.create': { req: BundleCreateRequest; res: BundleCreateReport };
  /** What a bundle holds, each archive checked against bundle.json, the whole file against `sha256` if given. */
  'bundles.inspect': { req: { file: string; sha256?: string }; res: BundleInspectReport };
  /**
   * Installs or updates the instance (active, or `instance`) from a bundle, with no network at all:
   * the whole file is verified first (BUNDLE_FAILED tampered / sha256-mismatch / corrupt / truncated:
   * nothing installed), then each change goes through the install pipeline, stopping at the first
   * failure; history entries carry `source.kind: 'bundle'`. `plan`: verify and say, change nothing.
   * Progress: `bundles.progressed` (verify, install).
   */
  'bundles.import': { req: BundleImportRequest; res: BundleImportResult };

  // The Export and Import dialogs (renderer): bundle files by reference (`ref`), never by path
  // (docs/development.md "Bundles in the app"). The three channels above are the CLI's only.
  /**
   * Where the next export goes: the desktop app asks the admin in its own save dialog (null when
   * cancelled); the browser shell makes a private temporary file, which the page downloads once made
   * (`GET /api/bundle-files/<ref>`). `name` is the file name to suggest (`….mdbundle`).
   */
  'bundles.chooseSave': { req: { name: string }; res: BundleFileRef | null };
  /**
   * A bundle to import, chosen in the desktop app's own open dialog (null when cancelled). Refused
   * in the browser shell, where the page uploads the file (`POST /api/bundle-files`).
   */
  'bundles.chooseOpen': { req: Record<string, never>; res: BundleFileRef | null };
  /** What `bundles.create` would put in the bundle (versions, tiers, problems); nothing is downloaded. */
  'bundles.preview': { req: Omit<BundleCreateRequest, 'out' | 'acceptNewChecksum'>; res: BundlePreview };
  /** `bundles.create` into the file of `ref` (from `bundles.chooseSave`). */
  'bundles.export': { req: BundleExportRequest; res: BundleCreateReport };
  /** `bundles.inspect` of the file of `ref`. */
  'bundles.check': { req: { ref: string; sha256?: string }; res: BundleInspectReport };
  /** `bundles.import` of the file of `ref`. */
  'bundles.apply': { req: BundleApplyRequest; res: BundleImportResult };
  /** Forgets `ref`; a temporary file is deleted (a chosen one never is). */
  'bundles.release': { req: { ref: string }; res: { released: boolean } };
  /**
   * Stops the running create, inspect and import (the CLI's and the dialogs' alike): BUNDLE_FAILED
   * cancelled while the bundle is made or read; an import's result says which plugin it stopped at.
   */
  'bundles.cancel': { req: Record<string, never>; res: { cancelled: boolean } };
}

/** What the desktop app's menu (or a notification) asks the page to do. */
export type AppCommand = 'search' | 'doctor' | 'update-all' | 'show-installed' | 'show-key';

export interface Events {
  /** A menu command or a notification click for the page (desktop app only). */
  'app.command': { command: AppCommand };
  'key.changed': KeyStatus;
  'settings.changed': ProfileSettings;
  /** Refresh started or ended; call catalog.get when `fetchedAt` changed. */
  'catalog.changed': CatalogStatus;
  /** An action ended (or the instance changed): call plugins.list. */
  'plugins.changed': { instance: string | null };
  'plugins.progressed': ActionProgress;
  /** A step of a fleet update in one instance. */
  'fleet.progressed': { instance: string; key: string; step: string; fraction: number };
  /** An archive of "Download ahead" progressed. */
  'plan.progressed': PlanProgress;
  /** A step of `manifest.apply` progressed. */
  'manifest.progressed': { instance: string; key: string; action: string; step: string; fraction: number };
  /** A slow step of `bundles.create`, `bundles.inspect` or `bundles.import`. */
  'bundles.progressed': BundleProgress;
}

export type Channel = keyof Invokes;
export type EventName = keyof Events;
export type Req<C extends Channel> = Invokes[C]['req'];
export type Res<C extends Channel> = Invokes[C]['res'];

/** Runtime lists the compiler keeps complete; the preload imports only these. */
export const CHANNELS = Object.keys({
  'app.info': true,
  'key.status': true,
  'key.set': true,
  'key.sync': true,
  'key.forget': true,
  'settings.get': true,
  'settings.update': true,
  'settings.proxyPassword': true,
  'settings.networkRoute': true,
  'settings.caFiles': true,
  'settings.addCaFile': true,
  'settings.removeCaFile': true,
  'settings.servicesUrl': true,
  'catalog.get': true,
  'catalog.refresh': true,
  'catalog.list': true,
  'catalog.searchText': true,
  'catalog.details': true,
  'instances.list': true,
  'instances.add': true,
  'instances.remove': true,
  'instances.use': true,
  'instances.show': true,
  'fleet.check': true,
  'fleet.update': true,
  'fleet.cancel': true,
  'plugins.list': true,
  'plugins.install': true,
  'plugins.update': true,
  'plugins.restore': true,
  'plugins.remove': true,
  'plugins.cancel': true,
  'plugins.backups': true,
  'plugins.history': true,
  'plugins.console': true,
  'doctor.run': true,
  'plan.get': true,
  'plan.downloadAhead': true,
  'plan.cancel': true,
  'manifest.export': true,
  'manifest.plan': true,
  'manifest.apply': true,
  'manifest.cancel': true,
  'manifest.attach': true,
  // The Manifest dialog.
  'manifest.parse': true,
  'manifest.format': true,
  'manifest.attached': true,
  'bundles.create': true,
  'bundles.inspect': true,
  'bundles.import': true,
  // The Export and Import dialogs.
  'bundles.chooseSave': true,
  'bundles.chooseOpen': true,
  'bundles.preview': true,
  'bundles.export': true,
  'bundles.check': true,
  'bundles.apply': true,
  'bundles.release': true,
  'bundles.cancel': true,
} satisfies Record<Channel, true>) as Channel[];

/**
 * Channels whose requests name files on the computer running the core: the CLI's only. The shells
 * that host the page (Electron's IPC, the browser shell) refuse them, so that the page never names
 * a path for the core to write or read; the page names bundle files by reference instead.
 */
export const CLI_ONLY_CHANNELS: readonly Channel[] = ['bundles.create', 'bundles.inspect', 'bundles.import'];

/** The channels the page may call: every channel but the CLI's own. */
export const PAGE_CHANNELS: readonly Channel[] = CHANNELS.filter((c) => !CLI_ONLY_CHANNELS.includes(c));

export const EVENTS = Object.keys({
  'app.command': true,
  'key.changed': true,
  'settings.changed': true,
  'catalog.changed': true,
  'plugins.changed': true,
  'plugins.progressed': true,
  'fleet.progressed': true,
  'plan.progressed': true,
  'manifest.progressed': true,
  'bundles.progressed': true,
} satisfies Record<EventName, true>) as EventName[];

export function isChannel(value: string): value is Channel {
  return (CHANNELS as string[]).includes(value);
}

/** Whether `value` is one of {@link CLI_ONLY_CHANNELS}, which the shells that host the page refuse. */
export function isCliOnlyChannel(value: string): boolean {
  return (CLI_ONLY_CHANNELS as readonly string[]).includes(value);
}

/** Whether the page may call `value` (a channel, and not one of {@link CLI_ONLY_CHANNELS}). */
export function isPageChannel(value: string): value is Channel {
  return (PAGE_CHANNELS as readonly string[]).includes(value);
}

export function isEventName(value: string): value is EventName {
  return (EVENTS as string[]).includes(value);
}

/** What the preload exposes on `window.marketdesk` (contextBridge), and nothing more. */
export interface MarketdeskBridge {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  on(event: string, cb: (payload: unknown) => void): () => void;
}

/**
 * The Electron IPC names behind the bridge. The prefix keeps our channels apart from any a
 * library registers (electron-store uses its own).
 */
export const invokeChannel = (channel: string): string => `md:${channel}`;
export const eventChannel = (event: string): string => `md:event:${event}`;
