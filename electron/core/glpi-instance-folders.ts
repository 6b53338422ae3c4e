/**
 * Steps 3 to 6 of detectInstance (glpi-instance.ts): install mode, config folder, marketplace and
 * plugin folders (docs/glpi-instance-layout.md §3, §4.1) from the evaluated overrides, and whether
 * the marketplace folder is writable.
 */
import * as nodePath from 'node:path';
import type { FileSystem } from './ports';
import { probe } from './glpi-instance-fs';
import type { Defined } from './glpi-instance-eval';
import type { InstanceInfo } from './glpi-instance-types';

type Constants = Map<string, Defined>;

/** The folder a constant names, resolved against the root; `fallback` when unset, null when unknown. */
function asDir(info: InstanceInfo, constants: Constants, name: string, fallback: string | null): string | null {
  const d = constants.get(name);
  if (!d) return fallback;
  if (!d.known || typeof d.value !== 'string') {
    if (d.known) info.problems.push(`${name} in ${d.file} is not a string`);
    return null;
  }
  if (!nodePath.isAbsolute(d.value)) {
    info.problems.push(
      `${name} in ${d.file} is a relative path ('${d.value}'); PHP resolves it against its working directory, so the folder is uncertain (shown relative to the GLPI root)`,
    );
  }
  return nodePath.resolve(info.root, d.value);
}

export async function detectInstallMode(fs: FileSystem, info: InstanceInfo, constants: Constants): Promise<void> {
  const mode = constants.get('GLPI_INSTALL_MODE');
  const gitMode = (await probe(fs, nodePath.join(info.root, '.git'))) === 'dir' ? 'GIT' : 'TARBALL';
  info.installMode = mode?.known && typeof mode.value === 'string' ? mode.value : gitMode;
}

export async function detectConfigDir(fs: FileSystem, info: InstanceInfo, constants: Constants): Promise<void> {
  const { problems } = info;
  info.configDir = asDir(info, constants, 'GLPI_CONFIG_DIR', nodePath.join(info.root, 'config'));
  if (info.configDir !== null) {
    const p = await probe(fs, info.configDir);
    if (p === 'missing') problems.push(`the config folder ${info.configDir} does not exist`);
    else if (typeof p === 'object') problems.push(`cannot inspect the config folder ${info.configDir}: ${p.error}`);
  } else {
    problems.push('the config folder (GLPI_CONFIG_DIR) cannot be known without running PHP');
  }
}

/** GLPI_VAR_DIR (`<root>/files` by default); null when it cannot be known without PHP. */
export function detectVarDir(info: InstanceInfo, constants: Constants): void {
  info.varDir = asDir(info, constants, 'GLPI_VAR_DIR', nodePath.join(info.root, 'files'));
}

/** Which constant lists the plugin folders on this release line (and a warning for the other one). */
function pluginsDirsConstant(info: InstanceInfo, constants: Constants): [Defined, string] | null {
  const newName = constants.get('GLPI_PLUGINS_DIRECTORIES');
  const oldName = constants.get('PLUGINS_DIRECTORIES');
  if (info.line === '11' || info.line === 'unknown') {
    if (newName) return [newName, 'GLPI_PLUGINS_DIRECTORIES'];
    if (!oldName) return null;
    if (info.line === '11')
      info.problems.push(`PLUGINS_DIRECTORIES is deprecated in GLPI 11 (use GLPI_PLUGINS_DIRECTORIES)`);
    return [oldName, 'PLUGINS_DIRECTORIES'];
  }
  if (newName) info.problems.push(`GLPI_PLUGINS_DIRECTORIES has no effect before GLPI 11 (${newName.file})`);
  return oldName ? [oldName, 'PLUGINS_DIRECTORIES'] : null;
}

export function detectPluginDirs(info: InstanceInfo, constants: Constants): void {
  const { root, problems } = info;
  const defaultMarket = nodePath.join(root, 'marketplace');
  const market = asDir(info, constants, 'GLPI_MARKETPLACE_DIR', defaultMarket);
  if (market === null) {
    problems.push(`GLPI_MARKETPLACE_DIR cannot be known without running PHP; showing the default ${defaultMarket}`);
  }
  info.marketplaceDir = market ?? defaultMarket;
  info.pluginsDirs = [info.marketplaceDir, nodePath.join(root, 'plugins')];
  const dirs = pluginsDirsConstant(info, constants);
  if (!dirs) return;
  const [dirsDef, dirsName] = dirs;
  if (dirsDef.known && Array.isArray(dirsDef.value)) {
    // GLPI keeps the first of duplicates (array_values(array_unique(...)) in SystemConfigurator).
    info.pluginsDirs = [...new Set(dirsDef.value.map((d) => nodePath.resolve(root, d)))];
  } else {
    problems.push(
      `${dirsName} cannot be known without running PHP (or is not an array); showing the default plugin folders`,
    );
  }
}

export async function detectMarketplaceWritable(fs: FileSystem, info: InstanceInfo): Promise<void> {
  const { problems, marketplaceDir } = info;
  const mp = await probe(fs, marketplaceDir);
  if (mp === 'dir') {
    if (await fs.access(marketplaceDir, 'write')) info.marketplaceWritable = true;
    else problems.push(`the marketplace folder ${marketplaceDir} is not writable: permission denied (EACCES)`);
  } else {
    problems.push(
      mp === 'missing'
        ? `the marketplace folder ${marketplaceDir} does not exist`
        : typeof mp === 'object'
          ? `cannot inspect the marketplace folder ${marketplaceDir}: ${mp.error}`
          : `the marketplace path ${marketplaceDir} is a file, not a folder`,
    );
  }
}
