import type { DoctorPorts } from './doctor/doctor-service';
import type { ProxyEnv } from './proxy';
import type { Handlers } from './dispatch';
import type { EventHub } from './event-hub';
import type {
  Bzip2Spawner,
  BufferCollector,
  Clock,
  FileSystem,
  HostInfo,
  HttpClient,
  KeyValueStore,
  Logger,
  PacRunner,
  ProcessRunner,
  SecretStore,
  SshConnector,
} from './ports';

/** Everything a shell must hand the core. */
export interface CorePorts {
  /** The OS keychain (keytar). */
  secrets: SecretStore;
  store: KeyValueStore;
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  /** The data folder: caches live under it. */
  dataDir: string;
  /** The files of the data folder and of the GLPI instances (install pipeline, inventory, doctor). */
  fs: FileSystem;
  /** This machine: host name, process, user, PATH. */
  host: HostInfo;
  /** Marketdesk's own version, sent in the User-Agent. */
  appVersion: string;
  shell: 'electron' | 'browser' | 'cli';
  profile: string;
  /** GLPI_NETWORK_SERVICES from the environment, if set. */
  servicesUrlFromEnv?: string;
  /** The OS/UI language (e.g. fr_FR) used when the profile has none. */
  systemLanguage: string;
  /** Hands the secret to the logger's redactor as soon as the core learns it. */
  redact(secret: string): void;
  /** HTTPS_PROXY / NO_PROXY & co. for "system" proxy mode in the Node shells; {} in Electron (Chromium decides). */
  proxyEnv?: ProxyEnv;
  /** Runs GLPI's console (php bin/console) when the admin asks; absent: the step is not offered. */
  processes?: ProcessRunner;
  /** Opens SSH sessions to GLPI servers; absent: SSH instances cannot be used in this shell. */
  ssh?: SshConnector;
  /** Starts the system's bzip2 to unpack .tar.bz2 archives; absent, the JavaScript decoder does. */
  bzip2?: Bzip2Spawner;
  /** Frees an install's short-lived buffers as they pile up; absent, the runtime's own pace. */
  collectBuffers?: BufferCollector;
  /** The doctor's sockets, file system and php probe; absent: `doctor.run` says it is not available. */
  doctor?: DoctorPorts;
  /**
   * Node shells: reads a PAC script, directly (not through the proxy it decides), and runs it in a
   * sandbox. Electron leaves PAC to Chromium.
   */
  pac?: { fetch: (url: string) => Promise<string>; run: PacRunner };
  /** False while the machine is offline (Electron's net.isOnline); scheduled checks then wait. */
  online?: () => boolean;
  /**
   * Asks the admin yes or no in a dialog of the shell's own, which the page cannot draw or answer
   * (Electron main's message box; the CLI's command line). Absent (browser shell): the changes that
   * need it are refused.
   */
  confirm?: (request: ConfirmRequest) => Promise<boolean>;
  /** Lets the admin pick a file in the shell's own dialog; null when cancelled. Absent like `confirm`. */
  pickFile?: (request: PickFileRequest) => Promise<string | null>;
  /**
   * Lets the admin choose where to save a file in the shell's own dialog (it confirms replacing one);
   * null when cancelled. Electron main only: elsewhere the browser shell's page downloads the file.
   */
  pickSaveFile?: (request: SaveFileRequest) => Promise<string | null>;
}

/** A yes/no question for the admin: `detail` quotes exactly what would change (the URL, the file). */
export interface ConfirmRequest {
  title: string;
  detail: string;
  /** The label of the button that says yes (the other one cancels, and is the default). */
  confirmLabel?: string;
}

export interface PickFileRequest {
  title: string;
  /** Electron's FileFilter: a name and extensions without the dot ('pem', 'crt'; '*' for any). */
  filters: { name: string; extensions: string[] }[];
}

export interface SaveFileRequest {
  title: string;
  /** The file name offered (the dialog starts in the folder it last showed). */
  defaultName: string;
  filters: PickFileRequest['filters'];
}

export interface AppCore {
  handlers: Handlers;
  events: EventHub;
  /**
   * Starts the schedules (periodic key re-validation). Not called by one-shot CLI commands.
   * Resolves once what a window asks for first is in memory (the catalogue's list, read from the
   * cache); the rest goes on in the background.
   */
  start(): Promise<void>;
  stop(): void;
}
