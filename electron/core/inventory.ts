import { join } from 'node:path';
import type { CatalogPlugin, PluginVersion } from '../../shared/catalog';
import { availability, keptVersions, type AvailabilityContext } from '../../shared/entitlements';
import type { InstalledPlugin, PluginLocation } from '../../shared/instances';
import { versionCompare } from '../../shared/php-version';
import type { InstanceInfo } from './glpi-instance';
import { mapLimit } from './map-limit';
import { listNames, type FileSystem } from './ports';
import { parseSetupPhp } from './setup-php';

const VCS_FOLDERS = ['.git', '.hg', '.svn'];
const FOLDERS_AT_ONCE = 8;
const KEY = /^[a-z0-9]+$/i;

/**
 * Every plugin folder of an instance, in GLPI's order (the first plugins folder holding a key
 * wins; later copies are shadowed), read statically from setup.php: PHP is never run.
 */
export async function readInventory(info: InstanceInfo, fs: FileSystem): Promise<InstalledPlugin[]> {
  const found: InstalledPlugin[] = [];
  const loadedFrom = new Map<string, PluginLocation>();
  for (const dir of info.pluginsDirs) {
    const location: PluginLocation = dir === info.marketplaceDir ? 'marketplace' : 'plugins';
    let names: string[];
    try {
      names = (await listNames(fs, dir)).sort();
    } catch {
      continue; // a missing plugins folder is an instance problem, reported by detectInstance
    }
    // Read a few folders at once (each costs round trips on an SSH instance); decide in order.
    const plugins = await mapLimit(
      names.filter((folder) => !folder.startsWith('.')),
      FOLDERS_AT_ONCE,
      async (folder) => {
        const path = join(dir, folder);
        return (await isDirectory(fs, path)) ? readPlugin(fs, path, folder, location) : null;
      },
    );
    for (const plugin of plugins) {
      if (!plugin) continue;
      const key = plugin.key.toLowerCase();
      const winner = loadedFrom.get(key);
      if (winner) plugin.shadowedBy = winner;
      else loadedFrom.set(key, location);
      found.push(plugin);
    }
  }
  return found;
}

async function readPlugin(
  fs: FileSystem,
  path: string,
  folder: string,
  location: PluginLocation,
): Promise<InstalledPlugin> {
  const plugin: InstalledPlugin = {
    key: folder,
    location,
    path,
    name: null,
    version: null,
    glpiMin: null,
    glpiMax: null,
    problem: null,
    vcs: null,
    shadowedBy: null,
    invalidKey: !KEY.test(folder),
    update: null,
    updateBlocked: null,
  };
  const [vcsFound, read] = await Promise.all([
    Promise.all(VCS_FOLDERS.map((vcs) => isDirectory(fs, join(path, vcs)))),
    fs.readText(join(path, 'setup.php')).then(
      (text) => ({ text }),
      (error: unknown) => ({ error }),
    ),
  ]);
  plugin.vcs = VCS_FOLDERS.filter((_, i) => vcsFound[i]).at(-1) ?? null;
  if ('error' in read) {
    const code = (read.error as NodeJS.ErrnoException).code;
    plugin.problem =
      code === 'ENOENT' ? 'no setup.php in this folder' : `setup.php cannot be read (${code ?? String(read.error)})`;
    return plugin;
  }
  const setup = parseSetupPhp(read.text, folder);
  plugin.name = setup.name;
  plugin.version = setup.version;
  plugin.glpiMin = setup.glpiMin;
  plugin.glpiMax = setup.glpiMax;
  if (setup.version === null)
    plugin.problem = `version unknown: ${setup.problems.join('; ') || 'setup.php gives none'}`;
  if (plugin.invalidKey)
    plugin.problem = [
      `"${folder}" is not a valid plugin key (letters and digits only): GLPI ignores this folder`,
      plugin.problem,
    ]
      .filter(Boolean)
      .join('; ');
  return plugin;
}

async function isDirectory(fs: FileSystem, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Marks updates: only a compatible catalogue version strictly newer by PHP version_compare (GLPI's
 * web UI offers any different string, even older ones), and says why none is offered otherwise.
 */
export function withUpdates(
  plugins: InstalledPlugin[],
  catalogue: readonly CatalogPlugin[],
  ctx: AvailabilityContext & { marketplaceWritable: boolean },
): InstalledPlugin[] {
  const byKey = new Map(catalogue.map((p) => [p.key.toLowerCase(), p]));
  return plugins.map((installed) => {
    const entry = byKey.get(installed.key.toLowerCase());
    if (!entry || installed.invalidKey) return installed;
    const newer = newestAbove(keptVersions(entry, ctx.glpiVersion, ctx.includePrereleases), installed.version);
    const blocked = blockReason(installed, entry, ctx, newer);
    return { ...installed, update: blocked ? null : (newer?.num ?? null), updateBlocked: blocked };
  });
}

function newestAbove(versions: PluginVersion[], current: string | null): PluginVersion | null {
  const latest = versions.at(-1) ?? null;
  if (!latest || current === null) return null;
  return versionCompare(latest.num, current) > 0 ? latest : null;
}

function blockReason(
  installed: InstalledPlugin,
  entry: CatalogPlugin,
  ctx: AvailabilityContext & { marketplaceWritable: boolean },
  newer: PluginVersion | null,
): string | null {
  if (installed.version === null) return 'the installed version is unknown, so no update can be compared';
  if (!newer) {
    const any = entry.versions.some((v) => versionCompare(v.num, installed.version ?? '') > 0);
    return any ? `no newer version is compatible with GLPI ${ctx.glpiVersion}` : null;
  }
  if (installed.vcs) return `the folder is a ${installed.vcs} checkout: update it with your version-control tool`;
  if (installed.shadowedBy) return `GLPI loads the copy in ${installed.shadowedBy}/ instead of this one`;
  if (installed.location === 'marketplace' && !ctx.marketplaceWritable) return 'the marketplace folder is not writable';
  const a = availability(entry, ctx);
  if (a.kind === 'needs-tier' || a.kind === 'not-running' || a.kind === 'no-key') return a.text;
  return null;
}
