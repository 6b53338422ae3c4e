/** The instance checks' ports besides the FileSystem: php, and who this process is. */
import type { FileSystem } from '../../ports';

/** The PHP command line of this machine. Each method may reject (php could not be run). */
export interface PhpProbe {
  /** PHP_VERSION, e.g. "8.2.7" or "8.1.2-1ubuntu2.14". */
  version(): Promise<string>;
  /** get_loaded_extensions(), as PHP names them ("curl", "Zend OPcache"…). */
  extensions(): Promise<string[]>;
}

export interface DoctorPlatform {
  /** process.platform */
  os: NodeJS.Platform;
  /** This process's uid and groups (process.getuid/getgroups); null where there are none (Windows). */
  user: { uid: number; gids: number[] } | null;
  /** Where passwd, group and os-release are read: "/etc" (tests give a temp folder). */
  etcDir: string;
  /** Where the instance is, as sentences name it: "this machine" (the default) or "the server" (SSH). */
  where?: string;
}

export interface InstanceCheckDeps {
  fs: FileSystem;
  /** null: php is not installed here; undefined: the PHP checks were not asked for. */
  php?: PhpProbe | null;
  platform: DoctorPlatform;
  /** The profile's GLPI Network services URL (Settings), which the instance's own is compared with. */
  servicesUrl: string;
}
