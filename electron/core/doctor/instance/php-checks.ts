/** The PHP command line: its version within GLPI's bounds, and the extensions the marketplace needs. */
import * as nodePath from 'node:path';
import { versionCompare } from '../../../../shared/php-version';
import { ref } from '../../../../shared/messages/ref';
import { refCheck, skipped, type Check } from '../check';
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
      skipped(ID.phpVersion, T.phpVersion, ref('php.notAsked')),
      skipped(ID.phpExtensions, T.phpExtensions, ref('php.notAsked')),
    ];
  if (php === null)
    return [
      skipped(ID.phpVersion, T.phpVersion, ref('php.notInstalled', { where: ctx.platform.where ?? '' })),
      skipped(ID.phpExtensions, T.phpExtensions, ref('php.notInstalled', { where: ctx.platform.where ?? '' })),
    ];
  let version: string;
  try {
    version = (await php.version()).trim();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return [
      refCheck(
        { id: ID.phpVersion, title: T.phpVersion, state: 'failed' },
        ref('php.cannotRun', { error: why }),
        ref('php.fix.cannotRun'),
      ),
      skipped(ID.phpExtensions, T.phpExtensions, ref('php.cannotRunWhy')),
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
  const base = { id: ID.phpVersion, title: T.phpVersion, details };
  if (!/^\d+\.\d+/.test(version))
    return refCheck({ ...base, state: 'warning' }, ref('php.notAVersion', { reported: version.slice(0, 40) }));
  if (bounds.min === null) return refCheck({ ...base, state: 'warning' }, ref('php.glpiUnknown', { version }));
  const range = { min: bounds.min, max: bounds.max ?? '' };
  if (versionCompare(version, bounds.min) < 0)
    return refCheck(
      { ...base, state: 'failed' },
      ref('php.tooOld', { version, glpi, min: bounds.min }),
      ref('php.fix.upgrade', range),
    );
  if (bounds.max !== null && versionCompare(version, bounds.max) >= 0)
    return refCheck(
      { ...base, state: 'failed' },
      ref('php.tooRecent', { version, glpi, max: bounds.max }),
      ref('php.fix.tooRecent', { version, ...range }),
    );
  return refCheck({ ...base, state: 'ok' }, ref('php.suits', { version, glpi, ...range }));
}

/** The extensions the marketplace needs, with the packages that bring the missing ones. */
async function phpExtensionsCheck(php: PhpProbe, version: string): Promise<Check> {
  let loaded: string[];
  try {
    loaded = await php.extensions();
  } catch (e) {
    return refCheck(
      { id: ID.phpExtensions, title: T.phpExtensions, state: 'failed' },
      ref('php.extensionsUnlisted', { error: e instanceof Error ? e.message : String(e) }),
    );
  }
  const have = new Set(loaded.map((e) => e.trim().toLowerCase()));
  const missing = MARKETPLACE_EXTENSIONS.filter((e) => !have.has(e.name));
  const details: Record<string, string> = { note: CLI_NOTE };
  for (const e of MARKETPLACE_EXTENSIONS) details[e.name] = `${have.has(e.name) ? 'loaded' : 'MISSING'}: ${e.why}`;
  if (missing.length === 0)
    return refCheck(
      { id: ID.phpExtensions, title: T.phpExtensions, state: 'ok', details },
      ref('php.extensionsOk', { list: MARKETPLACE_EXTENSIONS.map((e) => e.name).join(', ') }),
    );
  const rhel = [...new Set(missing.map((e) => e.rhel))].join(' ');
  return refCheck(
    { id: ID.phpExtensions, title: T.phpExtensions, state: 'failed', details },
    ref('php.extensionsMissing', {
      count: String(missing.length),
      list: missing.map((e) => `${e.name} (${e.why})`).join('; '),
    }),
    ref('php.fix.extensions', { debian: debianPackages(version, missing), rhel }),
  );
}
