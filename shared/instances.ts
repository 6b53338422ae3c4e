/** GLPI instances and the plugins found in them, as every shell shows them. */
import type { MessageRef } from './messages/ref';
import type { DriftItem } from './manifest-plan';

export interface InstanceRecord {
  /** Unique within a profile; letters, digits, '.', '_' and '-'. */
  name: string;
  /** The GLPI root folder (absolute; on the server for an SSH instance). */
  root: string;
  addedAt: string;
  /** Set for a GLPI server reached over SSH; absent for a folder of this computer. */
  ssh?: SshSettings;
}

export type SshAuthMethod = 'agent' | 'key' | 'password';

/** How an SSH instance is reached. Nothing secret: passwords and passphrases live in the keychain. */
export interface SshSettings {
  host: string;
  port: number;
  user: string;
  auth: SshAuthMethod;
  /** The private key file on this computer (auth 'key'). */
  keyFile?: string;
  /** The password (auth 'password') or the key's passphrase is kept in the OS keychain. */
  secretSaved: boolean;
  /** Files are written and the console run as this user through `sudo -n -u` (e.g. www-data). */
  sudoUser?: string;
  /** The host key trusted for this instance when it was added (type, base64 blob, fingerprint). */
  hostKey: { type: string; key: string; fingerprint: string };
}

/** What `instances.add` takes for an SSH instance, besides its ssh:// address in `root`. */
export interface SshAddOptions {
  auth: SshAuthMethod;
  keyFile?: string;
  /** The password or the key's passphrase, when one is needed. */
  secret?: string;
  /** Keep `secret` in the OS keychain (a password always is); otherwise for this session only. */
  saveSecret?: boolean;
  sudoUser?: string;
  /** A `SHA256:...` fingerprint the admin confirmed for an unknown host. */
  acceptHostKey?: string;
}

export type SshFailureCode =
  | 'dns'
  | 'refused'
  | 'unreachable'
  | 'timeout'
  | 'host-unknown'
  | 'host-changed'
  | 'host-revoked'
  | 'auth'
  | 'agent-unavailable'
  | 'agent-empty'
  | 'key-invalid'
  | 'key-passphrase'
  | 'sudo'
  | 'protocol';

/** The details of an SSH_FAILED error. */
export interface SshFailure {
  code: SshFailureCode;
  /** Host key failures: the presented key's fingerprint and what was expected. */
  hostKey?: { type: string; fingerprint: string; expected: string[] };
}

export type PluginLocation = 'marketplace' | 'plugins';

/** A plugin folder found in one of the instance's plugin folders. */
export interface InstalledPlugin {
  /** The folder name, which GLPI uses as the plugin key. */
  key: string;
  location: PluginLocation;
  path: string;
  name: string | null;
  /** From setup.php; null when it cannot be read statically (see `problem`). */
  version: string | null;
  glpiMin: string | null;
  glpiMax: string | null;
  /** Why the version (or anything else about the folder) is unknown or wrong. */
  problem: string | null;
  /** A version-control folder (.git, .hg, .svn) inside: Marketdesk never overwrites it. */
  vcs: string | null;
  /** Another copy of the same key in a folder GLPI reads first: this one is not loaded. */
  shadowedBy: PluginLocation | null;
  /** The folder name is not a valid plugin key (GLPI 11: letters and digits only). */
  invalidKey: boolean;
  /** A strictly newer compatible catalogue version, or null. */
  update: string | null;
  /** Why no update is offered although the catalogue has the plugin, when that is the case. */
  updateBlocked: string | null;
}

/** What the app shows of an instance: its record and what was detected in its files. */
export interface InstanceSummary extends InstanceRecord {
  active: boolean;
  version: string | null;
  versionSource: string;
  line: string;
  installMode: string;
  marketplaceDir: string;
  marketplaceWritable: boolean;
  /** GLPI_MARKETPLACE_ENABLE: 0 off, 1 console only, 2 web only, 3 both (default); null when unknown. */
  marketplaceEnable?: { value: 0 | 1 | 2 | 3 | null; source: string };
  /** The GLPI Network API base the instance calls, whether a file overrides it, and whether it
   * differs from this profile's (`profileApi`: its services URL + '/api'). */
  networkApiUrl?: {
    value: string | null;
    overridden: boolean;
    source: string;
    differsFromProfile: boolean;
    profileApi: string;
  };
  /** GLPI 11's web root (`<root>/public`), or null. */
  webRoot?: string | null;
  /** What cannot be seen from here (the web server's environment), not a problem. */
  notes?: string[];
  problems: string[];
}

/** Everything detected in an instance's folder: `instances.show`, `marketdesk instance show`. */
export interface InstanceDetails extends InstanceRecord {
  active: boolean;
  info: {
    root: string;
    version: string | null;
    versionSource: string;
    /** The version/ (or older .version/) folder, when present. */
    crossCheck: { file: string; version: string | null; agrees: boolean } | null;
    line: string;
    installMode: string;
    marketplaceDir: string;
    /** Priority order: the first folder holding a plugin key wins. */
    pluginsDirs: string[];
    marketplaceWritable: boolean;
    configDir: string | null;
    /** GLPI constants overridden in config files (`value` as PHP would print it). */
    overrides: { name: string; value: string; file: string }[];
    marketplaceEnable?: { value: 0 | 1 | 2 | 3 | null; source: string };
    networkApiUrl?: { value: string | null; overridden: boolean; source: string };
    webRoot?: string | null;
    /** What cannot be seen from here (the web server's environment), not a problem. */
    notes?: string[];
    problems: string[];
  };
  /** The instance's GLPI Network API differs from this profile's services URL (`+ '/api'`). */
  networkApiDiffers?: boolean;
}

export interface InstanceList {
  instances: InstanceRecord[];
  active: string | null;
}

/** The Installed view: the active instance and its plugins (with updates when a catalogue exists). */
export interface PluginsView {
  instance: InstanceSummary | null;
  plugins: InstalledPlugin[];
  /** False when updates could not be checked (no valid key, or no catalogue yet). */
  catalogue: boolean;
  updates: number;
  /** What the start-up check repaired (an interrupted install rolled back or finished), if anything. */
  recovery?: string | null;
  /** Whether the "run in GLPI's console" step is offered, and if not possible, why. */
  console?: { offered: boolean; available: boolean; reason: string | null; glpi?: ConsoleGlpiState };
}

/** A plugin state as Plugin::getState() names it in `plugin:list` ('unknown': another label). */
export type ConsolePluginState =
  | 'new'
  | 'activated'
  | 'not-installed'
  | 'to-update'
  | 'to-configure'
  | 'not-activated'
  | 'to-clean'
  | 'replaced'
  | 'unknown';

/** One plugin as GLPI's database knows it (`bin/console plugin:list --format json`). */
export interface ConsolePlugin {
  key: string;
  name: string | null;
  version: string | null;
  state: ConsolePluginState;
  /** The label GLPI printed (English unless the console runs in another language). */
  stateLabel: string;
  /** GLPI counts it as installed from the marketplace (a folder in GLPI_MARKETPLACE_DIR). */
  marketplace: boolean;
  /** Where the database and the files disagree, or null. */
  mismatch: string | null;
}

/** What GLPI's own console says, when it is offered and can run (never required). */
export interface ConsoleGlpiState {
  /** From `bin/console list --format=json` (cached for the session); null when unreadable. */
  commands: string[] | null;
  /** From `plugin:list --format json` where the command exists; null otherwise (see `notes`). */
  plugins: ConsolePlugin[] | null;
  /** Why something could not be read. */
  notes: string[];
  /**
   * `plugin:resume_execution` (GLPI 11): offered when the console has it; `ready` when every plugin
   * is up to date in GLPI's database (nothing "to update", no disagreement, database up to date).
   */
  resume: { offered: boolean; ready: boolean; reason: string | null };
}

/** What GLPI's console is asked to run: a plugin step, or plugin:resume_execution (which names no plugin). */
export type ConsoleTask = { action: 'install' | 'activate'; key: string } | { action: 'resume' };

/** One run of `php bin/console plugin:install|activate <key>` or `plugin:resume_execution`. */
export interface ConsoleRun {
  /** What was run, shell-quoted, to run it again by hand. */
  commandLine: string;
  ok: boolean;
  exitCode: number | null;
  output: string;
  truncated: boolean;
  message: string;
  fix?: string;
}

export type PluginAction = 'install' | 'update' | 'restore' | 'remove';

/** The outcome of an action, with what the admin must do next in GLPI. */
export interface ActionReport {
  action: PluginAction;
  key: string;
  from: string | null;
  to: string | null;
  message: string;
  /** What to do in GLPI afterwards (install/enable, or run the update, or uninstall). */
  next: string;
  /** Install and update: the SHA-256 of the archive that was checked and unpacked. */
  sha256?: string;
  /** Install and update: what the pre-flight guard found in the plugin folders without blocking the action. */
  warnings?: PluginFolderFinding[];
  /** Install and update: the archive differed from the pinned one and the admin confirmed the new checksum. */
  checksumChange?: { from: string; to: string };
}

/** `details` of INSTALL_FAILED with code `checksum-changed`: both checksums, for the confirmation. */
export interface ChecksumChangedDetails {
  step: 'download';
  code: 'checksum-changed';
  key: string;
  version: string;
  pinned: string;
  received: string;
}

/** What the pre-flight guard checks (electron/core/install/guard.ts, docs/development.md "Pre-flight guard"). */
export type PluginFolderProblem =
  'duplicate' | 'nested' | 'branch-name' | 'archive' | 'vcs' | 'no-setup-php' | 'php-syntax' | 'php-unchecked';

/** Something in GLPI's plugin folders (or in a plugin about to be put there) that crashes or confuses GLPI. */
export interface PluginFolderFinding {
  id: PluginFolderProblem;
  /** `blocks`: the install or update it concerns is refused; `warns`: reported, the action goes on. */
  severity: 'blocks' | 'warns';
  /** The plugin key concerned (as GLPI would see it, or as its setup.php declares it); null when unknown. */
  key: string | null;
  path: string;
  message: string;
  /** The exact fix, with the command where there is one. */
  fix: string;
  /** The same texts as catalogue references (shared/messages), for the shells to render in their language. */
  refs: { message: MessageRef; fix: MessageRef };
}

/** A kept copy of a plugin folder, in GLPI's data folder (`<GLPI_VAR_DIR>/_marketdesk/backups/`, install/places.ts). */
export interface PluginBackup {
  key: string;
  /** The backup's folder name: what `plugins.restore` takes as `backupId`. */
  id: string;
  /** From the backup's setup.php; null when unreadable. */
  version: string | null;
  createdAt: string;
  /** The plugin folder is in marketplace/ now (false: the plugin was removed). */
  installed: boolean;
}

/** Progress of a running action, for progress bars. */
export interface ActionProgress {
  key: string;
  action: PluginAction;
  step: string;
  fraction: number;
}

/** One line of an instance's history. */
export interface HistoryEntry {
  at: string;
  /** The OS user who ran Marketdesk. */
  user: string;
  action: PluginAction;
  key: string;
  from: string | null;
  to: string | null;
  sha256: string | null;
  result: 'ok' | 'failed';
  error?: { step: string; message: string };
  note?: string;
  /** The archive's SHA-256 differed from the pinned one and the admin confirmed the new one. */
  checksumChange?: { from: string; to: string; confirmedBy: 'admin' };
  /** Where the archive came from when not from GLPI Network: an offline bundle (path and whole-file SHA-256). */
  source?: { kind: 'bundle'; file: string; sha256: string };
}

/** One instance in the Fleet view: `fleet.check`, `marketdesk fleet`. */
export interface FleetRow {
  name: string;
  /** The folder, or `ssh://user@host[:port]/path`. */
  where: string;
  kind: 'local' | 'ssh';
  active: boolean;
  /** The instance answered (its folder could be read, or its server connected). */
  reachable: boolean;
  /** Why it could not be checked: the message, its fix, and the error code (SSH_FAILED, TIMEOUT...). */
  error: { code: string; message: string; fix: string | null } | null;
  version: string | null;
  /** Plugins found in its plugin folders. */
  plugins: number;
  /** Strictly newer compatible versions of its plugins (empty without a catalogue). */
  updates: { key: string; from: string | null; to: string }[];
  /** What detection found wrong (the instance's `problems`), plus marketplace/ not writable. */
  problems: string[];
  /** When this row was checked, and how long it took. */
  checkedAt: string;
  ms: number;
  /**
   * How the instance differs from the manifest attached to it (`marketdesk manifest attach`):
   * empty when it matches, null (or absent) when no manifest is attached or it could not be read.
   */
  drift?: DriftItem[] | null;
}

export interface FleetReport {
  rows: FleetRow[];
  /** False when updates could not be checked (no valid key, or no catalogue). */
  catalogue: boolean;
}

/** One result per instance (and plugin) of a fleet update. */
export interface FleetUpdateResult {
  instance: string;
  key: string;
  ok: boolean;
  from: string | null;
  to: string | null;
  /** What happened, or why it failed. */
  message: string;
  fix?: string;
  /** The version's archive changed since it was pinned: both checksums, to confirm the new one. */
  checksumChanged?: ChecksumChangedDetails;
}
