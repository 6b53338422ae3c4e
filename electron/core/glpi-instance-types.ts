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
   * GLPI_MARKETPLACE_ENABLE (docs/glpi-instance-layout.md §4.3): 0 off, 1 console only, 2 web only,
   * 3 both (GLPI's default); null when a file sets it in a way that needs PHP. `source` is the file
   * that sets it, or 'default'.
   */
  marketplaceEnable: { value: MarketplaceMode | null; source: string };
  /**
   * The GLPI Network API base URL this instance calls (§4.4): GLPI_NETWORK_API_URL (11), else
   * GLPI_NETWORK_SERVICES + '/api'; `overridden` when a file changes either; null value when unknown.
   */
  networkApiUrl: { value: string | null; overridden: boolean; source: string };
  /** GLPI 11's web root, `<root>/public` (§1.3), when it is there; null before 11 or when missing. */
  webRoot: string | null;
  /**
   * GLPI's data folder (GLPI_VAR_DIR, `<root>/files` by default), which GLPI requires to be out of
   * the web's reach (its .htaccess, or outside the web root); null when it cannot be known without PHP.
   * Marketdesk keeps its backups there (install/places.ts).
   */
  varDir: string | null;
  overrides: InstanceOverride[];
  /** What cannot be seen from here but may change what is shown (not a problem of the instance). */
  notes: string[];
  problems: string[];
}

/** GLPI_MARKETPLACE_ENABLE: a bit mask, 1 = console, 2 = web (Glpi\Marketplace\Controller::MP_MODE_*). */
export type MarketplaceMode = 0 | 1 | 2 | 3;
