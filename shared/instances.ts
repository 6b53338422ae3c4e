/** GLPI instances and the plugins found in them, as every shell shows them. */

export interface InstanceRecord {
  /** Unique within a profile; letters, digits, '.', '_' and '-'. */
  name: string;
  /** The GLPI root folder (absolute). */
  root: string;
  addedAt: string;
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
