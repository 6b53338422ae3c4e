/**
 * Steps 7 to 9 of detectInstance (glpi-instance.ts), from GLPI 11's SystemConfigurator and
 * Glpi\Marketplace\Controller (docs/glpi-instance-layout.md §1.3, §2.1, §4.3, §4.4): whether the
 * marketplace is enabled for the console and the web, which GLPI Network API the instance calls,
 * GLPI 11's `public/` web root, and what the web server's environment could change unseen.
 */
import * as nodePath from 'node:path';
import type { FileSystem } from './ports';
import { probe } from './glpi-instance-fs';
import type { Defined } from './glpi-instance-eval';
import type { InstanceInfo, MarketplaceMode } from './glpi-instance-types';

type Constants = Map<string, Defined>;

/** GLPI's defaults (SystemConfigurator::computeConstants). */
export const DEFAULT_NETWORK_SERVICES = 'https://services.glpi-network.com';
const DEFAULT_MARKETPLACE_ENABLE: MarketplaceMode = 3;

/** Constants GLPI 10.0 and 11 also read from the web server's environment that change what Marketdesk shows. */
const ENV_SENSITIVE = ['GLPI_CONFIG_DIR', 'GLPI_MARKETPLACE_DIR', 'GLPI_MARKETPLACE_ENABLE', 'GLPI_NETWORK_API_URL'];

/** PHP's `(int)` of a constant's literal: '3', 3, true… GLPI compares with a bit mask. */
function modeOf(value: string): MarketplaceMode | null {
  const v = value.trim().toLowerCase();
  if (v === 'true') return 1; // (int) true is 1
  if (v === 'false' || v === 'null') return 0;
  if (!/^[0-9]+$/.test(v)) return null;
  return (Number(v) & 3) as MarketplaceMode;
}

export function detectMarketplaceEnable(info: InstanceInfo, constants: Constants): void {
  const d = constants.get('GLPI_MARKETPLACE_ENABLE');
  if (!d) {
    info.marketplaceEnable = { value: DEFAULT_MARKETPLACE_ENABLE, source: 'default' };
    return;
  }
  const value = d.known && typeof d.value === 'string' ? modeOf(d.value) : null;
  if (d.known && value === null) info.problems.push(`GLPI_MARKETPLACE_ENABLE in ${d.file} is not a number from 0 to 3`);
  info.marketplaceEnable = { value, source: d.file };
}

function stringConstant(constants: Constants, name: string): { value: string | null; file: string } | null {
  const d = constants.get(name);
  if (!d) return null;
  return { value: d.known && typeof d.value === 'string' ? d.value : null, file: d.file };
}

/**
 * GLPI 11: GLPI_NETWORK_API_URL, defaulting to '{GLPI_NETWORK_SERVICES}/api'. GLPI 10.0 has no such
 * constant but builds the same base from GLPI_NETWORK_SERVICES ('{GLPI_NETWORK_SERVICES}/api/…').
 */
export function detectNetworkApiUrl(info: InstanceInfo, constants: Constants): void {
  const api = info.line === '11' || info.line === 'unknown' ? stringConstant(constants, 'GLPI_NETWORK_API_URL') : null;
  if (api) {
    info.networkApiUrl = { value: api.value, overridden: true, source: `${api.file} (GLPI_NETWORK_API_URL)` };
    return;
  }
  const services = stringConstant(constants, 'GLPI_NETWORK_SERVICES');
  if (services) {
    info.networkApiUrl = {
      value: services.value === null ? null : `${services.value.replace(/\/+$/, '')}/api`,
      overridden: true,
      source: `${services.file} (GLPI_NETWORK_SERVICES)`,
    };
    return;
  }
  info.networkApiUrl = { value: `${DEFAULT_NETWORK_SERVICES}/api`, overridden: false, source: 'default' };
}

/** A profile's GLPI Network API base: its services URL + '/api' (what GLPI_NETWORK_API_URL defaults to). */
export function servicesApiUrl(servicesUrl: string): string {
  return `${trimUrl(servicesUrl)}/api`;
}

/** The instance calls another GLPI Network API than `profileApi` (trailing slashes aside); false when unknown. */
export function networkApiDiffers(info: Pick<InstanceInfo, 'networkApiUrl'>, profileApi: string): boolean {
  const value = info.networkApiUrl.value;
  return value !== null && trimUrl(value) !== trimUrl(profileApi);
}

/**
 * The constant that sets the instance's GLPI Network API and its file, as detectNetworkApiUrl chose
 * it (GLPI_NETWORK_API_URL on 11, else GLPI_NETWORK_SERVICES); null when neither is set by a file.
 */
export function networkApiOverride(
  info: Pick<InstanceInfo, 'line' | 'overrides'>,
): { name: 'GLPI_NETWORK_API_URL' | 'GLPI_NETWORK_SERVICES'; file: string } | null {
  const find = (name: 'GLPI_NETWORK_API_URL' | 'GLPI_NETWORK_SERVICES') => {
    const o = info.overrides.find((d) => d.name === name);
    return o ? { name, file: o.file } : null;
  };
  return (
    ((info.line === '11' || info.line === 'unknown') && find('GLPI_NETWORK_API_URL')) || find('GLPI_NETWORK_SERVICES')
  );
}

function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** GLPI 11 serves only `public/` (its index.php is the single entry point). */
export async function detectWebRoot(fs: FileSystem, info: InstanceInfo): Promise<void> {
  if (info.line !== '11') return;
  const dir = nodePath.join(info.root, 'public');
  if ((await probe(fs, nodePath.join(dir, 'index.php'))) === 'file') info.webRoot = dir;
  else info.problems.push(`GLPI 11 serves ${dir} as its web root, but it has no index.php`);
}

/**
 * GLPI 10.0 and 11 first define GLPI_* constants from the web server's environment (SetEnv); nothing
 * outside the web server can read it, so this is a note, not a guess. Plugin folders cannot come from
 * there: an environment variable is a string and GLPI needs an array (GLPI 11 stops with an error).
 */
export function environmentNote(info: InstanceInfo): void {
  if (info.line !== '10.0' && info.line !== '11') return;
  info.notes.push(
    `the web server's environment (SetEnv ${ENV_SENSITIVE.join(', ')}…) wins over the files read here and cannot be seen from outside it; values shown come from the files`,
  );
}
