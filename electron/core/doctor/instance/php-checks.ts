/** The PHP command line: its version within GLPI's bounds, and the extensions the marketplace needs. */
import * as nodePath from 'node:path';
import { versionCompare } from '../../../../shared/php-version';
import { skipped, type Check } from '../check';
import { ID, T, readText } from './common';
import type { Ctx } from './identity';
import type { PhpProbe } from './types';

/** Lowest PHP per release line when the GLPI files do not say (GLPI_MIN_PHP). */
const MIN_PHP: Record<string, string> = { '9.5': '7.2.0', '10.0': '7.4.0', '11': '8.2.0' };

interface ExtensionInfo {
  name: string;
  why: string;
  /** Debian/Ubuntu package suffix (php<ver>-<suffix>); null when Debian builds it into PHP itself. */
  debian: string | null;
  rhel: string;
}

/** The extensions GLPI's marketplace (and Marketdesk's installs through GLPI) rely on. */
export const MARKETPLACE_EXTENSIONS: readonly ExtensionInfo[] = [
  {
    name: 'curl',
    why: 'talks to GLPI Network (registration, catalogue, downloads)',
    debian: 'curl',
    rhel: 'php-common',
  },
  { name: 'bz2', why: 'unpacks .tar.bz2 plugin archives', debian: 'bz2', rhel: 'php-common' },
  { name: 'zip', why: 'unpacks .zip plugin archives', debian: 'zip', rhel: 'php-pecl-zip' },
  { name: 'zlib', why: 'unpacks .tar.gz plugin archives', debian: null, rhel: 'php-common' },
  {
    name: 'sodium',
    why: 'decrypts what GLPI stores with glpicrypt.key, the registration key included',
    debian: null,
    rhel: 'php-sodium',
  },
  { name: 'openssl', why: 'HTTPS to GLPI Network', debian: null, rhel: 'php-common' },
];

/** GLPI_MIN_PHP / GLPI_MAX_PHP from the version file (plain define lines only), else the line's floor. */
async function phpBounds(ctx: Ctx): Promise<{ min: string | null; max: string | null; source: string }> {
  const rel = ctx.info.line === '11' ? 'src/autoload/constants.php' : 'inc/define.php';
  const text = (await readText(ctx.fs, nodePath.join(ctx.root, rel))) ?? '';
  const read = (name: string) =>
    new RegExp(`^[ \\t]*define\\(\\s*['"]${name}['"]\\s*,\\s*['"]([0-9][0-9.]*)['"]\\s*\\)`, 'm').exec(text)?.[1] ??
    null;
  const min = read('GLPI_MIN_PHP');
  const max = read('GLPI_MAX_PHP');
  if (min || max) return { min: min ?? MIN_PHP[ctx.info.line] ?? null, max, source: rel };
  return { min: MIN_PHP[ctx.info.line] ?? null, max: null, source: `GLPI ${ctx.info.line} requirements` };
}

function debianPackages(version: string | null, missing: readonly ExtensionInfo[]): string {
  const mm = version ? /^(\d+\.\d+)/.exec(version)?.[1] : undefined;
  const pkgs = missing.filter((e) => e.debian !== null);
  const builtIn = missing.filter((e) => e.debian === null);
  const parts: string[] = [];
  if (pkgs.length > 0) {
    const specific = pkgs.map((e) => `php${mm ?? ''}-${e.debian}`).join(' ');
    const generic = pkgs.map((e) => `php-${e.debian}`).join(' ');
    parts.push(
      mm ? `apt install ${specific} (or ${generic} for the distribution's default PHP)` : `apt install ${generic}`,
    );
  }
  if (builtIn.length > 0)
    parts.push(
      `${builtIn.map((e) => e.name).join(', ')} ${builtIn.length === 1 ? 'is' : 'are'} built into Debian's PHP packages: a PHP without ${builtIn.length === 1 ? 'it' : 'them'} is not Debian's (reinstall php${mm ?? ''}-cli / php${mm ?? ''}-fpm or rebuild with ${builtIn.map((e) => `--with-${e.name}`).join(' ')})`,
    );
  return parts.join('; ');
}

const CLI_NOTE =
  "This is PHP's command line; GLPI's pages run the web server's PHP (mod_php or php-fpm), which may differ: GLPI shows it in Setup > General > System information.";

export async function phpChecks(ctx: Ctx, php: PhpProbe | null | undefined): Promise<Check[]> {
  if (php === undefined)
    return [
      skipped(ID.phpVersion, T.phpVersion, 'the PHP checks were not asked for'),
      skipped(ID.phpExtensions, T.phpExtensions, 'the PHP checks were not asked for'),
    ];
  if (php === null)
    return [
      skipped(ID.phpVersion, T.phpVersion, `php is not installed on ${ctx.platform.where ?? 'this machine'}`),
      skipped(ID.phpExtensions, T.phpExtensions, `php is not installed on ${ctx.platform.where ?? 'this machine'}`),
    ];
  let version: string;
  try {
    version = (await php.version()).trim();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return [
      {
        id: ID.phpVersion,
        title: T.phpVersion,
        state: 'failed',
        summary: `php could not be run: ${why}`,
        fix: 'Check that the php command works in a terminal (php -v).',
      },
      skipped(ID.phpExtensions, T.phpExtensions, 'php could not be run'),
    ];
  }
  return [await phpVersionCheck(ctx, version), await phpExtensionsCheck(php, version)];
}

/** The version against GLPI_MIN_PHP / GLPI_MAX_PHP (or the release line's floor). */
async function phpVersionCheck(ctx: Ctx, version: string): Promise<Check> {
  const bounds = await phpBounds(ctx);
  const glpi = ctx.info.version ? `GLPI ${ctx.info.version}` : 'GLPI';
  const details: Record<string, string> = { 'php version': version, note: CLI_NOTE };
  if (bounds.min)
    details['GLPI needs'] = `PHP >= ${bounds.min}${bounds.max ? ` and < ${bounds.max}` : ''} (${bounds.source})`;
  const upgrade = bounds.min
    ? `Install PHP ${bounds.min} or later${bounds.max ? ` (below ${bounds.max})` : ''} for the web server and the command line: Debian/Ubuntu through the distribution's php packages (or packages.sury.org for other versions), RHEL-likes with \`dnf module enable php:<version>\` or Remi's repository.`
    : '';
  const base = { id: ID.phpVersion, title: T.phpVersion, details };
  if (!/^\d+\.\d+/.test(version))
    return {
      ...base,
      state: 'warning',
      summary: `php reported "${version.slice(0, 40)}", which is not a PHP version.`,
    };
  if (bounds.min === null)
    return {
      ...base,
      state: 'warning',
      summary: `PHP ${version}; the GLPI version is unknown, so its requirement was not checked.`,
    };
  if (versionCompare(version, bounds.min) < 0)
    return {
      ...base,
      state: 'failed',
      summary: `PHP ${version} is too old for ${glpi}, which needs PHP ${bounds.min} or later.`,
      fix: upgrade,
    };
  if (bounds.max !== null && versionCompare(version, bounds.max) >= 0)
    return {
      ...base,
      state: 'failed',
      summary: `PHP ${version} is too recent for ${glpi}, which refuses PHP ${bounds.max} and later.`,
      fix: `Upgrade GLPI to a release that supports PHP ${version}, or run GLPI with an older PHP. ${upgrade}`,
    };
  return {
    ...base,
    state: 'ok',
    summary: `PHP ${version} suits ${glpi} (PHP ${bounds.min} or later${bounds.max ? `, below ${bounds.max}` : ''}).`,
  };
}

/** The extensions the marketplace needs, with the packages that bring the missing ones. */
async function phpExtensionsCheck(php: PhpProbe, version: string): Promise<Check> {
  let loaded: string[];
  try {
    loaded = await php.extensions();
  } catch (e) {
    return {
      id: ID.phpExtensions,
      title: T.phpExtensions,
      state: 'failed',
      summary: `php's extensions could not be listed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const have = new Set(loaded.map((e) => e.trim().toLowerCase()));
  const missing = MARKETPLACE_EXTENSIONS.filter((e) => !have.has(e.name));
  const details: Record<string, string> = { note: CLI_NOTE };
  for (const e of MARKETPLACE_EXTENSIONS) details[e.name] = `${have.has(e.name) ? 'loaded' : 'MISSING'}: ${e.why}`;
  if (missing.length === 0)
    return {
      id: ID.phpExtensions,
      title: T.phpExtensions,
      state: 'ok',
      summary: `All the extensions the marketplace needs are loaded (${MARKETPLACE_EXTENSIONS.map((e) => e.name).join(', ')}).`,
      details,
    };
  const rhel = [...new Set(missing.map((e) => e.rhel))].join(' ');
  return {
    id: ID.phpExtensions,
    title: T.phpExtensions,
    state: 'failed',
    summary: `Missing PHP extension${missing.length > 1 ? 's' : ''}: ${missing.map((e) => `${e.name} (${e.why})`).join('; ')}.`,
    details,
    fix: `Debian/Ubuntu: ${debianPackages(version, missing)}. RHEL-likes: dnf install ${rhel}. Then restart the web server or php-fpm.`,
  };
}
