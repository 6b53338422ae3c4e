/** What detectInstance (glpi-instance.ts) learns about a GLPI root folder. */
export type GlpiLine = '9.5' | '10.0' | '11' | 'unknown';

export interface InstanceOverride {
  name: string;
  /** Strings as is; arrays as JSON; numbers and booleans as their PHP literal. */
  value: string;
  /** Relative to the root when inside it (forward slashes), else absolute. */
  file: string;
}

export interface InstanceInfo {
  root: string;
  version: string | null;
  /** Which file the version came from, e.g. "inc/define.php (GLPI_VERSION)". */
  versionSource: string;
  /** The version/ (or older .version/) folder, when present. */
  crossCheck: { file: string; version: string | null; agrees: boolean } | null;
  line: GlpiLine;
  installMode: string;
  marketplaceDir: string;
  /** Priority order: the first folder holding a plugin key wins. */
  pluginsDirs: string[];
  marketplaceWritable: boolean;
  configDir: string | null;
  /**
   * GLPI's data folder (GLPI_VAR_DIR, `<root>/files` by default), which GLPI requires to be out of
   * the web's reach (its .htaccess, or outside the web root); null when it cannot be known without PHP.
   * Marketdesk keeps its backups there (install/places.ts).
   */
  varDir: string | null;
  overrides: InstanceOverride[];
  problems: string[];
}
