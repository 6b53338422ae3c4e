/**
 * Static inspection of a GLPI root folder (docs/glpi-instance-layout.md): version, release line,
 * install mode, config and plugin folders, without ever running PHP. PHP files are read as text
 * and only plain constant definitions are evaluated (glpi-instance-eval.ts); anything that would
 * need PHP (getenv, ternaries, function calls, interpolation, conditions we cannot decide) is
 * reported in `problems`, not guessed.
 */
import * as nodePath from 'node:path';
import type { FileSystem } from './ports';
import { probe } from './glpi-instance-fs';
import { evaluateOverrides, type Value } from './glpi-instance-eval';
import {
  detectConfigDir,
  detectInstallMode,
  detectMarketplaceWritable,
  detectPluginDirs,
  detectVarDir,
} from './glpi-instance-folders';
import {
  DEFAULT_NETWORK_SERVICES,
  detectMarketplaceEnable,
  detectNetworkApiUrl,
  detectWebRoot,
  environmentNote,
} from './glpi-instance-services';
import type { InstanceInfo } from './glpi-instance-types';
import { detectVersion } from './glpi-instance-version';

export type { GlpiLine, InstanceInfo, InstanceOverride, MarketplaceMode } from './glpi-instance-types';
export { extractGlpiVersion } from './glpi-instance-version';

function valueText(v: Value): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Inspects a GLPI root folder. Never throws for a file-system problem: it lands in `problems`. */
export async function detectInstance(root: string, fs: FileSystem): Promise<InstanceInfo> {
  root = nodePath.resolve(root);
  const problems: string[] = [];
  const defaultMarket = nodePath.join(root, 'marketplace');
  const info: InstanceInfo = {
    root,
    version: null,
    versionSource: 'none',
    crossCheck: null,
    line: 'unknown',
    installMode: 'TARBALL',
    marketplaceDir: defaultMarket,
    pluginsDirs: [defaultMarket, nodePath.join(root, 'plugins')],
    marketplaceWritable: false,
    configDir: null,
    marketplaceEnable: { value: 3, source: 'default' },
    networkApiUrl: { value: `${DEFAULT_NETWORK_SERVICES}/api`, overridden: false, source: 'default' },
    webRoot: null,
    varDir: nodePath.join(root, 'files'),
    overrides: [],
    notes: [],
    problems,
  };

  const rootProbe = await probe(fs, root);
  if (rootProbe !== 'dir') {
    problems.push(
      rootProbe === 'missing'
        ? `the folder ${root} does not exist`
        : typeof rootProbe === 'object'
          ? `cannot open ${root}: ${rootProbe.error}`
          : `${root} is a file, not a folder`,
    );
    return info;
  }
  // 1. Version and release line (docs/glpi-instance-layout.md §1.7).
  if (!(await detectVersion(fs, info))) return info;
  // 2. Overrides: config/local_define.php, then inc/downstream.php; first definition wins.
  const constants = await evaluateOverrides(fs, root, problems);
  for (const [name, d] of constants) {
    if (d.known) info.overrides.push({ name, value: valueText(d.value), file: d.file });
  }
  // 3. Install mode (docs/glpi-instance-layout.md §3).
  await detectInstallMode(fs, info, constants);
  // 4. Config folder.
  await detectConfigDir(fs, info, constants);
  // 4b. Data folder (GLPI_VAR_DIR).
  detectVarDir(info, constants);
  // 5. Marketplace and plugin folders (docs/glpi-instance-layout.md §4.1).
  detectPluginDirs(info, constants);
  // 6. Can we write into the marketplace folder?
  await detectMarketplaceWritable(fs, info);
  // 7-9. Marketplace mode, GLPI Network API, GLPI 11's web root (§4.3, §4.4, §1.3); what stays unseen (§2.1).
  detectMarketplaceEnable(info, constants);
  detectNetworkApiUrl(info, constants);
  await detectWebRoot(fs, info);
  environmentNote(info);
  return info;
}
