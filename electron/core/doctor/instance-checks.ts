/**
 * The doctor's checks of a GLPI instance (issue "The doctor", point 4): the root, the config folder
 * and its `glpicrypt.key`, `config_db.php`, the marketplace and plugins folders, free disk space,
 * and the PHP command line with the extensions the marketplace needs.
 *
 * Everything goes through ports (DoctorFs, PhpProbe, DoctorPlatform), so tests can make a file
 * unreadable or a folder unwritable even when they run as root. Permissions are judged for the web
 * server user from the owner/group/mode bits (ACLs, SELinux and parent folders are not considered);
 * this process's own access (canRead/canWrite) is reported too, and speaks for the web server when
 * Marketdesk runs as that user or as root. The key file's content is never read, only its size.
 */
import { constants as fsConstants } from 'node:fs';
import * as nodePath from 'node:path';
import { versionCompare } from '../../../shared/php-version';
import { detectInstance, type InstanceFs, type InstanceInfo } from '../glpi-instance';
import { skipped, type Check } from './check';

// ---------------------------------------------------------------------------------------------
// Ports

export interface DoctorStat {
  size: number;
  /** Type and permission bits as `fs.Stats.mode`. */
  mode: number;
  uid: number;
  gid: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface DoctorStatFs {
  /** Block size in bytes. */
  bsize: number;
  /** Blocks available to an unprivileged user. */
  bavail: number;
  /** Total blocks. */
  blocks: number;
}

/** The file-system operations the doctor needs; errors carry a Node `code` (ENOENT, EACCES…). */
export interface DoctorFs {
  stat(path: string): Promise<DoctorStat>;
  lstat(path: string): Promise<DoctorStat>;
  /** A whole small file (PHP config files, /etc/passwd); adapters may refuse big ones. */
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  /** Whether this process may read the file (a folder: list it). Never throws. */
  canRead(path: string): Promise<boolean>;
  /** Whether this process may write the file (a folder: create entries in it). Never throws. */
  canWrite(path: string): Promise<boolean>;
  /** The volume holding `path`. */
  statfs(path: string): Promise<DoctorStatFs>;
}

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
}

export interface InstanceCheckDeps {
  fs: DoctorFs;
  /** null: php is not installed here; undefined: the PHP checks were not asked for. */
  php?: PhpProbe | null;
  platform: DoctorPlatform;
}

// ---------------------------------------------------------------------------------------------
// Constants

/** GLPI 9.5+ sodium key: exactly 32 raw bytes (docs/glpi-instance-layout.md §2.3). */
export const GLPICRYPT_KEY_BYTES = 32;
export const DISK_WARNING_BYTES = 200_000_000;
export const DISK_FAILED_BYTES = 50_000_000;

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

// ---------------------------------------------------------------------------------------------
// Small helpers

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : 'unknown error';
}

function describeError(e: unknown): string {
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'ENOENT') return 'it does not exist (ENOENT)';
  return code;
}

type Probe =
  | { kind: 'file' | 'dir' | 'other'; stat: DoctorStat; link: boolean }
  | { kind: 'missing' }
  | { kind: 'error'; error: string };

async function probe(fs: DoctorFs, path: string): Promise<Probe> {
  try {
    const l = await fs.lstat(path);
    const s = l.isSymbolicLink() ? await fs.stat(path) : l;
    return { kind: s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other', stat: s, link: l.isSymbolicLink() };
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', error: describeError(e) };
  }
}

/** A path as a shell word. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

function symbolic(mode: number): string {
  const rwx = (bits: number) => `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`;
  return `${rwx((mode >> 6) & 7)}${rwx((mode >> 3) & 7)}${rwx(mode & 7)}`;
}

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${Math.round(n / 1e6)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} bytes`;
}

// ---------------------------------------------------------------------------------------------
// Who is the web server, and who are we

interface Account {
  name: string;
  uid: number;
  gid: number;
}

interface Identity {
  passwd: Map<number, Account>;
  groups: Map<number, { name: string; members: string[] }>;
  /** The distribution's web server user and group, when the OS release file tells it. */
  web: { name: string; group: string; distro: string } | null;
  /** That user's uid and groups, when it exists in passwd. */
  webIds: { uid: number; gids: number[] } | null;
}

async function readText(fs: DoctorFs, path: string): Promise<string | null> {
  try {
    return (await fs.readFile(path)).toString('utf8');
  } catch {
    return null;
  }
}

function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return out;
}

function webUserOf(osRelease: Map<string, string>): Identity['web'] {
  const ids = [osRelease.get('ID') ?? '', ...(osRelease.get('ID_LIKE') ?? '').split(/\s+/)].map((s) => s.toLowerCase());
  const distro = osRelease.get('PRETTY_NAME') ?? osRelease.get('ID') ?? 'this system';
  const has = (...names: string[]) => ids.some((id) => names.includes(id));
  if (has('debian', 'ubuntu', 'raspbian', 'linuxmint')) return { name: 'www-data', group: 'www-data', distro };
  if (has('rhel', 'centos', 'fedora', 'rocky', 'almalinux', 'ol', 'amzn'))
    return { name: 'apache', group: 'apache', distro };
  if (has('suse', 'opensuse', 'sles', 'sled')) return { name: 'wwwrun', group: 'www', distro };
  if (has('arch')) return { name: 'http', group: 'http', distro };
  return null;
}

async function readIdentity(fs: DoctorFs, platform: DoctorPlatform): Promise<Identity> {
  const id: Identity = { passwd: new Map(), groups: new Map(), web: null, webIds: null };
  if (platform.os === 'win32') return id;
  const etc = (name: string) => nodePath.join(platform.etcDir, name);
  for (const line of ((await readText(fs, etc('passwd'))) ?? '').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && /^\d+$/.test(uid ?? '') && /^\d+$/.test(gid ?? '') && !id.passwd.has(Number(uid)))
      id.passwd.set(Number(uid), { name, uid: Number(uid), gid: Number(gid) });
  }
  for (const line of ((await readText(fs, etc('group'))) ?? '').split('\n')) {
    const [name, , gid, members] = line.split(':');
    if (name && /^\d+$/.test(gid ?? '') && !id.groups.has(Number(gid)))
      id.groups.set(Number(gid), { name, members: (members ?? '').split(',').filter(Boolean) });
  }
  // os-release(5): /etc/os-release, else /usr/lib/os-release (only when reading the real /etc).
  const release =
    (await readText(fs, etc('os-release'))) ??
    (nodePath.resolve(platform.etcDir) === '/etc' ? await readText(fs, '/usr/lib/os-release') : null);
  id.web = release === null ? null : webUserOf(parseOsRelease(release));
  const account = id.web ? [...id.passwd.values()].find((a) => a.name === id.web!.name) : undefined;
  if (account) {
    const gids = new Set([account.gid]);
    for (const [gid, g] of id.groups) if (g.members.includes(account.name)) gids.add(gid);
    id.webIds = { uid: account.uid, gids: [...gids] };
  }
  return id;
}

/** Everything a check needs to speak about permissions. */
interface Ctx {
  root: string;
  fs: DoctorFs;
  platform: DoctorPlatform;
  id: Identity;
  info: InstanceInfo;
  posix: boolean;
  /** "www-data", or "the web server user (www-data or apache)". */
  webText: string;
  /** "www-data:www-data" (or the Debian pair with a RHEL note when unknown). */
  owner: string;
  /** `sudo -u www-data ` */
  sudo: string;
}

function userLabel(ctx: Ctx, uid: number): string {
  const a = ctx.id.passwd.get(uid);
  return a ? `${a.name} (${uid})` : String(uid);
}

function groupLabel(ctx: Ctx, gid: number): string {
  const g = ctx.id.groups.get(gid);
  return g ? `${g.name} (${gid})` : String(gid);
}

function ownershipDetails(ctx: Ctx, st: DoctorStat): Record<string, string> {
  if (!ctx.posix) return {};
  return {
    owner: userLabel(ctx, st.uid),
    group: groupLabel(ctx, st.gid),
    mode: `${octal(st.mode)} (${symbolic(st.mode)})`,
  };
}

function selfLabel(ctx: Ctx): string {
  const u = ctx.platform.user;
  return u ? `uid ${userLabel(ctx, u.uid)}` : 'this user';
}

/** Bits for the web server user: 4 read, 2 write, 1 search; null when that user is unknown. */
function webPermits(ctx: Ctx, st: DoctorStat, bits: number): boolean | null {
  const w = ctx.id.webIds;
  if (!ctx.posix || !w) return null;
  if (w.uid === 0) return true;
  const mode = st.mode & 0o777;
  const granted = st.uid === w.uid ? mode >> 6 : w.gids.includes(st.gid) ? mode >> 3 : mode;
  return (granted & bits) === bits;
}

interface Access {
  /** 'ok': the web server can; 'denied': it cannot; 'unknown': only this process could be asked. */
  verdict: 'ok' | 'denied' | 'unknown';
  /** Whether this process can (the port's answer). */
  self: boolean;
  /** Why, in plain words. */
  reason: string;
}

/** Can the web server user read (or write) `path`? */
async function webAccess(ctx: Ctx, path: string, st: DoctorStat, need: 'read' | 'write'): Promise<Access> {
  const dir = st.isDirectory();
  const bits = (need === 'read' ? 4 : 2) | (dir ? 1 : 0);
  const self = need === 'read' ? await ctx.fs.canRead(path) : await ctx.fs.canWrite(path);
  const web = webPermits(ctx, st, bits);
  const verb = need === 'read' ? (dir ? 'open' : 'read') : 'write into';
  const u = ctx.platform.user;
  const selfSpeaks = u !== null && (u.uid === 0 || (ctx.id.webIds !== null && u.uid === ctx.id.webIds.uid));
  if (web === false)
    return {
      verdict: 'denied',
      self,
      reason: `its owner, group and mode do not let ${ctx.webText} ${verb} it`,
    };
  if (web === true) {
    if (!self && selfSpeaks)
      return {
        verdict: 'denied',
        self,
        reason: `the mode allows it, but ${selfLabel(ctx)} was refused: an ACL, a SELinux/AppArmor label or a read-only or network mount stands in the way`,
      };
    return { verdict: 'ok', self, reason: `${ctx.webText} can ${verb} it` };
  }
  if (!self)
    return {
      verdict: 'unknown',
      self,
      reason: `Marketdesk (${selfLabel(ctx)}) cannot ${verb} it, and ${ctx.webText} could not be identified on this machine to check its access`,
    };
  return {
    verdict: 'unknown',
    self,
    reason: `Marketdesk (${selfLabel(ctx)}) can ${verb} it; ${ctx.webText} could not be identified on this machine, so its own access was not checked`,
  };
}

// ---------------------------------------------------------------------------------------------
// The bridge to detectInstance

function denied(path: string): Error {
  return Object.assign(new Error(`EACCES: permission denied, access '${path}'`), { code: 'EACCES' });
}

/** detectInstance's port, served by the doctor's (so injected faults reach it too). */
export function instanceFsOf(fs: DoctorFs): InstanceFs {
  return {
    readFile: async (path) => (await fs.readFile(path)).toString('utf8'),
    stat: (path) => fs.stat(path),
    readdir: (path) => fs.readdir(path),
    access: async (path, mode = fsConstants.F_OK) => {
      if (mode & fsConstants.W_OK && !(await fs.canWrite(path))) throw denied(path);
      if (mode & fsConstants.R_OK && !(await fs.canRead(path))) throw denied(path);
      if (mode === fsConstants.F_OK) await fs.stat(path);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The checks

const T = {
  root: 'GLPI root',
  config: 'Config folder',
  key: 'Security key (glpicrypt.key)',
  configDb: 'Database settings (config_db.php)',
  marketplace: 'Marketplace folder',
  plugins: 'Plugins folder',
  disk: 'Free disk space',
  phpVersion: 'PHP version',
  phpExtensions: 'PHP extensions',
} as const;

const ID = {
  root: 'instance.root',
  config: 'instance.config-dir',
  key: 'instance.glpicrypt-key',
  configDb: 'instance.config-db',
  marketplace: 'instance.marketplace-dir',
  plugins: 'instance.plugins-dir',
  disk: 'instance.disk-space',
  phpVersion: 'php.version',
  phpExtensions: 'php.extensions',
} as const;

/** Runs every instance check on the GLPI folder `root`. Never throws for what it inspects. */
export async function checkInstance(root: string, deps: InstanceCheckDeps): Promise<Check[]> {
  root = nodePath.resolve(root);
  const { fs, platform } = deps;
  const checks: Check[] = [];

  const rootProbe = await probe(fs, root);
  const here = async (rel: string) => probe(fs, nodePath.join(root, rel));
  const markers =
    rootProbe.kind === 'dir' ? [await here('inc/define.php'), await here('src/autoload/constants.php')] : [];
  if (rootProbe.kind !== 'dir' || !markers.some((p) => p.kind === 'file')) {
    const why =
      rootProbe.kind === 'missing'
        ? `${root} does not exist`
        : rootProbe.kind === 'error'
          ? `${root} cannot be opened: ${rootProbe.error}`
          : rootProbe.kind !== 'dir'
            ? `${root} is not a folder`
            : markers.some((p) => p.kind === 'error')
              ? `${root} cannot be inspected: ${markers
                  .map((p) => (p.kind === 'error' ? p.error : ''))
                  .filter(Boolean)
                  .join('; ')}`
              : `${root} is not a GLPI folder: neither inc/define.php (9.5, 10.0) nor src/autoload/constants.php (11) is there`;
    checks.push({
      id: ID.root,
      title: T.root,
      state: 'failed',
      summary: why,
      details: { root },
      fix: 'Choose the GLPI root folder: the one holding inc/ (or src/ for GLPI 11), plugins/ and marketplace/.',
    });
    for (const [name, checkId] of Object.entries(ID).slice(1))
      checks.push(skipped(checkId, T[name as keyof typeof T], 'the GLPI root was not recognised'));
    return checks;
  }

  const info = await detectInstance(root, instanceFsOf(fs));
  const id = await readIdentity(fs, platform);
  const webText = id.web ? id.web.name : 'the web server user (www-data or apache)';
  const ctx: Ctx = {
    root,
    fs,
    platform,
    id,
    info,
    posix: platform.os !== 'win32',
    webText,
    owner: id.web ? `${id.web.name}:${id.web.group}` : 'www-data:www-data',
    sudo: `sudo -u ${id.web?.name ?? 'www-data'} `,
  };

  checks.push(rootCheck(ctx));
  const config = await configCheck(ctx);
  checks.push(config.check);
  checks.push(...(await configFileChecks(ctx, config.usable)));
  const market = await marketplaceCheck(ctx);
  checks.push(market.check);
  checks.push(await pluginsCheck(ctx));
  checks.push(await diskCheck(ctx, market.exists ? info.marketplaceDir : root));
  checks.push(...(await phpChecks(ctx, deps.php)));
  return checks;
}

/** Fixes that name www-data need a word for RHEL-likes when the distribution is unknown. */
function rhelNote(ctx: Ctx): string {
  return ctx.id.web ? '' : ' (apache:apache on RHEL-likes)';
}

function rootCheck(ctx: Ctx): Check {
  const { info } = ctx;
  const details: Record<string, string> = {
    root: info.root,
    version: info.version ?? 'unknown',
    'version from': info.versionSource,
    'release line': info.line,
    'install mode': info.installMode,
  };
  if (info.crossCheck) details['version/ folder'] = info.crossCheck.file;
  for (const o of info.overrides) details[o.name] = `${o.value} (${o.file})`;
  // What the config and marketplace checks report themselves is left to them.
  info.problems
    .filter((p) => !/GLPI_CONFIG_DIR|config folder|marketplace folder|marketplace path/.test(p))
    .forEach((p, i) => (details[`note ${i + 1}`] = p));
  const source = info.versionSource.replace(/ \((.*)\)$/, ', $1');
  if (info.version === null)
    return {
      id: ID.root,
      title: T.root,
      state: 'warning',
      summary: `A GLPI folder${info.line === 'unknown' ? '' : ` (${info.line} layout)`}, but its version is unknown: ${info.versionSource}.`,
      details,
      fix: 'Check that the GLPI files are complete and readable (an interrupted upgrade leaves a partial tree).',
    };
  if (info.line === 'unknown')
    return {
      id: ID.root,
      title: T.root,
      state: 'warning',
      summary: `GLPI ${info.version} (from ${source}) is not a supported release line (9.5, 10.0, 11).`,
      details,
    };
  if (info.crossCheck && !info.crossCheck.agrees)
    return {
      id: ID.root,
      title: T.root,
      state: 'warning',
      summary: `GLPI ${info.version} (from ${source}), but ${info.crossCheck.file} disagrees: files of two releases are mixed.`,
      details,
      fix: 'Finish or redo the upgrade: extract the whole release over the tree and remove leftovers of the old one.',
    };
  return {
    id: ID.root,
    title: T.root,
    state: 'ok',
    summary: `GLPI ${info.version} (from ${source}).`,
    details,
  };
}

function overrideOf(info: InstanceInfo, name: string) {
  return info.overrides.find((o) => o.name === name) ?? null;
}

/** Whether the config folder can be used by the checks of the files inside it. */
type ConfigUse = { dir: string } | { why: string };

async function configCheck(ctx: Ctx): Promise<{ check: Check; usable: ConfigUse }> {
  const { info, root } = ctx;
  const def = overrideOf(info, 'GLPI_CONFIG_DIR');
  const details: Record<string, string> = {};
  const notes = (): void => {
    info.problems.filter((p) => p.includes('GLPI_CONFIG_DIR')).forEach((p, i) => (details[`note ${i + 1}`] = p));
    if (info.line !== '9.5')
      details['not visible here'] =
        'GLPI 10 and 11 also read GLPI_CONFIG_DIR from the web server environment (SetEnv, fastcgi_param); such a setting wins over these files and cannot be seen from here';
  };
  if (info.configDir === null) {
    notes();
    return {
      check: {
        id: ID.config,
        title: T.config,
        state: 'warning',
        summary: 'GLPI_CONFIG_DIR is set in a way that needs PHP to evaluate, so the config folder is unknown.',
        details,
        fix: "Write GLPI_CONFIG_DIR as a plain string (define('GLPI_CONFIG_DIR', '/etc/glpi');) in inc/downstream.php or config/local_define.php, or check the folder by hand.",
      },
      usable: { why: 'the config folder is unknown' },
    };
  }
  const dir = info.configDir;
  details.path = dir;
  const packaged = def?.file === 'inc/downstream.php';
  const fhs = /^\/etc\/glpi(\/config)?\/?$/.test(dir);
  const how = def
    ? `set by GLPI_CONFIG_DIR in ${def.file}${packaged ? (fhs ? ' (the /etc/glpi layout of Debian/RPM packages)' : ' (the layout of packaged installs, like /etc/glpi)') : ''}`
    : 'the default';
  details['chosen by'] = how;
  if (def?.file === 'config/local_define.php')
    details['local_define.php'] =
      `GLPI only reads ${nodePath.join(root, 'config', 'local_define.php')}, even with the config folder moved`;
  notes();
  const where = def ? `GLPI_CONFIG_DIR in ${nodePath.join(root, def.file)}` : null;

  const p = await probe(ctx.fs, dir);
  if (p.kind !== 'dir') {
    const what =
      p.kind === 'missing'
        ? 'does not exist'
        : p.kind === 'error'
          ? `cannot be inspected: ${p.error}`
          : 'is not a folder';
    return {
      check: {
        id: ID.config,
        title: T.config,
        state: 'failed',
        summary: `The config folder ${dir} (${how}) ${what}.`,
        details,
        fix: where
          ? `Correct ${where}, or restore the folder it names from a backup (it holds config_db.php and glpicrypt.key).`
          : `Restore ${dir} from a backup: it holds config_db.php and glpicrypt.key.`,
      },
      usable: { why: `the config folder ${dir} ${what}` },
    };
  }
  Object.assign(details, ownershipDetails(ctx, p.stat));
  if (p.link) details.link = 'a symbolic link';
  const access = await webAccess(ctx, dir, p.stat, 'read');
  details['web server'] = access.reason;
  details.Marketdesk = access.self ? 'can open it' : 'cannot open it';
  const fixPerm = ctx.posix
    ? `chown ${ctx.owner} ${shellQuote(dir)}${rhelNote(ctx)} and chmod 750 ${shellQuote(dir)} (GLPI also writes there: cache.php, glpicrypt.key)`
    : `Give the account the web server runs as read access to ${dir}.`;
  const usable: ConfigUse = { dir };
  if (access.verdict === 'denied')
    return {
      check: {
        id: ID.config,
        title: T.config,
        state: 'failed',
        summary: `The config folder ${dir} (${how}) is not readable by the web server: ${access.reason}.`,
        details,
        fix: fixPerm,
      },
      usable,
    };
  if (access.verdict === 'unknown' && !access.self)
    return {
      check: {
        id: ID.config,
        title: T.config,
        state: 'warning',
        summary: `The config folder ${dir} (${how}) is there, but ${access.reason}.`,
        details,
        fix: fixPerm,
      },
      usable,
    };
  return {
    check: {
      id: ID.config,
      title: T.config,
      state: 'ok',
      summary: `${dir} (${how}), readable${access.verdict === 'unknown' ? ' by Marketdesk (the web server user is unknown)' : ` by ${ctx.webText}`}.`,
      details,
    },
    usable,
  };
}

/** The console command that regenerates the key, for the detected version. */
function changeKeyCommand(info: InstanceInfo): { command: string; note: string } {
  const modern = 'security:change_key';
  const legacy = 'glpi:security:change_key';
  if (info.version === null) return { command: modern, note: ` (GLPI 10.0.6+ and 11; \`${legacy}\` before 10.0.6)` };
  return versionCompare(info.version, '10.0.6') >= 0
    ? { command: modern, note: ` (GLPI 10.0.6+ and 11; \`${legacy}\` before)` }
    : { command: legacy, note: ` (GLPI before 10.0.6; \`${modern}\` from 10.0.6)` };
}

const SECRETS_TO_REENTER =
  'mail collector passwords, LDAP directory passwords, the SMTP password (and OAuth secrets), the proxy password, SNMP/inventory credentials, plugin secrets, and the GLPI Network registration key (Setup > General > GLPI Network)';

async function configFileChecks(ctx: Ctx, use: ConfigUse): Promise<Check[]> {
  if ('why' in use) return [skipped(ID.key, T.key, use.why), skipped(ID.configDb, T.configDb, use.why)];
  return [await keyCheck(ctx, use.dir), await configDbCheck(ctx, use.dir)];
}

async function keyCheck(ctx: Ctx, dir: string): Promise<Check> {
  const { info, root } = ctx;
  if (info.version !== null && versionCompare(info.version, '9.5.0') < 0)
    return skipped(ID.key, T.key, `GLPI ${info.version} predates glpicrypt.key (GLPI 9.5)`);
  const path = nodePath.join(dir, 'glpicrypt.key');
  const q = shellQuote(path);
  const details: Record<string, string> = { path };
  const legacy = await probe(ctx.fs, nodePath.join(dir, 'glpi.key'));
  const legacyNote =
    legacy.kind === 'file'
      ? ` A legacy glpi.key (GLPI 9.4.6–9.4.x) is in the same folder: GLPI 9.5+ only uses it to decrypt values written before 9.5; it cannot stand in for glpicrypt.key.`
      : '';
  if (legacy.kind === 'file')
    details['legacy glpi.key'] =
      `${nodePath.join(dir, 'glpi.key')} (${legacy.stat.size} byte${legacy.stat.size === 1 ? '' : 's'})`;
  const perms = ctx.posix ? ` Then: chown ${ctx.owner} ${q}${rhelNote(ctx)} and chmod 640 ${q}.` : '';
  const { command, note } = changeKeyCommand(info);
  const regenerate = (moveAside: boolean) =>
    `Last resort, without a backup: ${moveAside ? `move the damaged file aside (mv ${q} ${shellQuote(`${path}.broken`)}), as the command stops when it cannot read the current key; then ` : ''}cd ${shellQuote(root)} && ${ctx.posix ? ctx.sudo : ''}php bin/console ${command}${note}. It writes a new key; every secret GLPI stored with the old one is lost and must be entered again: ${SECRETS_TO_REENTER}.`;
  const restore = `Restore glpicrypt.key from the backup taken with this database (preferred: without the original key, the passwords GLPI stored encrypted cannot be decrypted).${perms}`;

  const p = await probe(ctx.fs, path);
  if (p.kind === 'missing')
    return {
      id: ID.key,
      title: T.key,
      state: 'failed',
      summary: `${path} is missing: GLPI cannot decrypt the passwords it stored (the registration key included), so GLPI Network will say the registration is not valid.${legacyNote}`,
      details,
      fix: `${restore} ${regenerate(false)}`,
    };
  if (p.kind !== 'file')
    return {
      id: ID.key,
      title: T.key,
      state: 'failed',
      summary:
        p.kind === 'error' ? `${path} cannot be inspected: ${p.error}.` : `${path} is not a regular file.${legacyNote}`,
      details,
      fix:
        p.kind === 'error'
          ? `Check the permissions of ${dir} (${ctx.webText} needs to open it).`
          : `${restore} ${regenerate(true)}`,
    };

  const st = p.stat;
  details.size = `${st.size} bytes`;
  if (p.link) details.link = 'a symbolic link';
  Object.assign(details, ownershipDetails(ctx, st));
  if (st.size !== GLPICRYPT_KEY_BYTES) {
    let hint = '';
    if (st.size === GLPICRYPT_KEY_BYTES + 1 && (await ctx.fs.canRead(path))) {
      const last = await ctx.fs.readFile(path).then(
        (b) => b[b.length - 1],
        () => undefined,
      );
      if (last === 0x0a)
        hint = ` Its last byte is a line break (an editor or echo added it): removing it (truncate -s ${GLPICRYPT_KEY_BYTES} ${q}) gives the original key back.`;
    } else if (st.size === 44 || st.size === 45) {
      hint = ' 44 bytes is the size of a base64-encoded key: it must be stored decoded (raw bytes).';
    }
    return {
      id: ID.key,
      title: T.key,
      state: 'failed',
      summary:
        st.size === 0
          ? `${path} is empty: GLPI cannot decrypt the passwords it stored (the registration key included).${legacyNote}`
          : `${path} is ${st.size} bytes; GLPI 9.5+ needs exactly ${GLPICRYPT_KEY_BYTES} raw bytes (a sodium key), so it refuses this one.${hint}${legacyNote}`,
      details,
      fix: `${restore} ${regenerate(true)}`,
    };
  }

  const access = await webAccess(ctx, path, st, 'read');
  details['web server'] = access.reason;
  details.Marketdesk = access.self ? 'can read it (it does not need to)' : 'cannot read it (it does not need to)';
  const permFix = ctx.posix
    ? `chown ${ctx.owner} ${q}${rhelNote(ctx)} and chmod 640 ${q}`
    : `Give the account the web server runs as read access to ${path}.`;
  if (access.verdict === 'denied')
    return {
      id: ID.key,
      title: T.key,
      state: 'failed',
      summary: `${path} is ${GLPICRYPT_KEY_BYTES} bytes but not readable by the web server: ${access.reason}. GLPI cannot decrypt the passwords it stored (the registration key included).`,
      details,
      fix: permFix,
    };
  if (access.verdict === 'unknown' && !access.self)
    return {
      id: ID.key,
      title: T.key,
      state: 'warning',
      summary: `${path} is ${GLPICRYPT_KEY_BYTES} bytes, but ${access.reason}.`,
      details,
      fix: `Make sure ${ctx.webText} can read it: ${permFix}.`,
    };
  if (ctx.posix && (st.mode & 0o004) !== 0)
    return {
      id: ID.key,
      title: T.key,
      state: 'warning',
      summary: `${path} is ${GLPICRYPT_KEY_BYTES} bytes and readable by ${access.verdict === 'ok' ? ctx.webText : 'Marketdesk'}, but also by every local user (mode ${octal(st.mode)}): anyone with it and a database dump can decrypt GLPI's stored passwords.`,
      details,
      fix: permFix,
    };
  return {
    id: ID.key,
    title: T.key,
    state: 'ok',
    summary: `${path}: ${GLPICRYPT_KEY_BYTES} bytes, ${access.verdict === 'ok' ? `readable by ${ctx.webText}` : 'readable by Marketdesk (the web server user is unknown)'}.`,
    details,
  };
}

async function configDbCheck(ctx: Ctx, dir: string): Promise<Check> {
  const path = nodePath.join(dir, 'config_db.php');
  const p = await probe(ctx.fs, path);
  if (p.kind === 'file')
    return {
      id: ID.configDb,
      title: T.configDb,
      state: 'ok',
      summary: `${path} is present: GLPI is installed.`,
      details: { path, ...ownershipDetails(ctx, p.stat) },
    };
  if (p.kind === 'missing')
    return {
      id: ID.configDb,
      title: T.configDb,
      state: 'warning',
      summary: `${path} is missing: GLPI is not installed yet, or this is not the config folder GLPI uses.`,
      details: { path },
      fix: "Finish GLPI's installation (its web installer or console), or point GLPI_CONFIG_DIR to the folder that holds config_db.php.",
    };
  return {
    id: ID.configDb,
    title: T.configDb,
    state: 'failed',
    summary: p.kind === 'error' ? `${path} cannot be inspected: ${p.error}.` : `${path} is not a regular file.`,
    details: { path },
  };
}

async function marketplaceCheck(ctx: Ctx): Promise<{ check: Check; exists: boolean }> {
  const { info } = ctx;
  const dir = info.marketplaceDir;
  const q = shellQuote(dir);
  const def = overrideOf(info, 'GLPI_MARKETPLACE_DIR');
  const details: Record<string, string> = {
    path: dir,
    'chosen by': def ? `GLPI_MARKETPLACE_DIR in ${def.file}` : 'the default',
  };
  const defineHint = def
    ? `or change GLPI_MARKETPLACE_DIR in ${nodePath.join(ctx.root, def.file)} to a folder ${ctx.webText} can write`
    : `or define GLPI_MARKETPLACE_DIR (in inc/downstream.php or config/local_define.php) as a folder ${ctx.webText} can write`;
  const p = await probe(ctx.fs, dir);
  if (p.kind !== 'dir') {
    const what =
      p.kind === 'missing'
        ? 'does not exist'
        : p.kind === 'error'
          ? `cannot be inspected: ${p.error}`
          : 'is not a folder';
    return {
      check: {
        id: ID.marketplace,
        title: T.marketplace,
        state: 'failed',
        summary: `The marketplace folder ${dir} ${what}: plugins cannot be installed from the marketplace.`,
        details,
        fix: ctx.posix
          ? `mkdir ${q} && chown ${ctx.owner} ${q}${rhelNote(ctx)} && chmod 755 ${q}, ${defineHint}.`
          : `Create ${dir} and let the web server's account write into it, ${defineHint}.`,
      },
      exists: false,
    };
  }
  Object.assign(details, ownershipDetails(ctx, p.stat));
  if (p.link) details.link = 'a symbolic link';
  const access = await webAccess(ctx, dir, p.stat, 'write');
  details['web server'] = access.reason;
  details.Marketdesk = access.self ? 'can write into it' : `cannot write into it (${selfLabel(ctx)})`;
  const permFix = ctx.posix
    ? `chown -R ${ctx.owner} ${q}${rhelNote(ctx)} and chmod -R u+rwX ${q}, ${defineHint}`
    : `Let the web server's account write into ${dir}, ${defineHint}`;
  const u = ctx.platform.user;
  const runAs =
    ctx.posix && u && u.uid !== 0 && (!ctx.id.webIds || u.uid !== ctx.id.webIds.uid)
      ? ` Marketdesk runs as ${selfLabel(ctx)}: run it as ${ctx.id.web?.name ?? 'the web server user'} (${ctx.sudo}marketdesk …) or as root to install plugins.`
      : '';
  if (!access.self)
    return {
      check: {
        id: ID.marketplace,
        title: T.marketplace,
        state: 'failed',
        summary: `Marketdesk cannot write into the marketplace folder ${dir}, so it cannot install or update plugins there.${access.verdict === 'denied' ? ` Nor can the web server: ${access.reason}.` : ''}`,
        details,
        fix: `${permFix}.${runAs}`,
      },
      exists: true,
    };
  if (access.verdict === 'denied')
    return {
      check: {
        id: ID.marketplace,
        title: T.marketplace,
        state: 'warning',
        summary: `Marketdesk can write into ${dir}, but ${access.reason}: GLPI's own marketplace page cannot install or update plugins.`,
        details,
        fix: `${permFix}.`,
      },
      exists: true,
    };
  return {
    check: {
      id: ID.marketplace,
      title: T.marketplace,
      state: 'ok',
      summary: `${dir} is writable by Marketdesk${access.verdict === 'ok' ? ` and ${ctx.webText}` : ' (the web server user is unknown)'}.`,
      details,
    },
    exists: true,
  };
}

async function pluginsCheck(ctx: Ctx): Promise<Check> {
  const dir = nodePath.join(ctx.root, 'plugins');
  const details: Record<string, string> = { path: dir };
  ctx.info.pluginsDirs.forEach((d, i) => (details[`plugin folder ${i + 1}`] = d));
  const p = await probe(ctx.fs, dir);
  if (p.kind === 'dir') {
    Object.assign(details, ownershipDetails(ctx, p.stat));
    return { id: ID.plugins, title: T.plugins, state: 'ok', summary: `${dir} is present.`, details };
  }
  if (p.kind === 'missing')
    return {
      id: ID.plugins,
      title: T.plugins,
      state: 'warning',
      summary: `${dir} does not exist: GLPI releases ship it (plugins installed by hand go there).`,
      details,
      fix: ctx.posix
        ? `mkdir ${shellQuote(dir)} && chown ${ctx.owner} ${shellQuote(dir)}${rhelNote(ctx)}`
        : `Create ${dir}.`,
    };
  return {
    id: ID.plugins,
    title: T.plugins,
    state: 'failed',
    summary: p.kind === 'error' ? `${dir} cannot be inspected: ${p.error}.` : `${dir} is not a folder.`,
    details,
  };
}

async function diskCheck(ctx: Ctx, path: string): Promise<Check> {
  let s: DoctorStatFs;
  try {
    s = await ctx.fs.statfs(path);
  } catch (e) {
    return {
      id: ID.disk,
      title: T.disk,
      state: 'warning',
      summary: `The free space of the volume holding ${path} could not be measured: ${describeError(e)}.`,
      details: { path },
    };
  }
  const free = s.bavail * s.bsize;
  const details = { path, free: formatBytes(free), size: formatBytes(s.blocks * s.bsize) };
  const fix = `Free some space on the volume holding ${path} (df -h ${shellQuote(path)}): old backups, logs under files/_log, files/_tmp, or unused plugin archives.`;
  if (free < DISK_FAILED_BYTES)
    return {
      id: ID.disk,
      title: T.disk,
      state: 'failed',
      summary: `Only ${formatBytes(free)} free on the volume holding ${path}: a plugin install (download, unpacking, backup of the old version) needs more than ${formatBytes(DISK_FAILED_BYTES)}.`,
      details,
      fix,
    };
  if (free < DISK_WARNING_BYTES)
    return {
      id: ID.disk,
      title: T.disk,
      state: 'warning',
      summary: `${formatBytes(free)} free on the volume holding ${path}: below ${formatBytes(DISK_WARNING_BYTES)}, large plugins or several installs may fail.`,
      details,
      fix,
    };
  return {
    id: ID.disk,
    title: T.disk,
    state: 'ok',
    summary: `${formatBytes(free)} free on the volume holding ${path}.`,
    details,
  };
}

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

async function phpChecks(ctx: Ctx, php: PhpProbe | null | undefined): Promise<Check[]> {
  if (php === undefined)
    return [
      skipped(ID.phpVersion, T.phpVersion, 'the PHP checks were not asked for'),
      skipped(ID.phpExtensions, T.phpExtensions, 'the PHP checks were not asked for'),
    ];
  if (php === null)
    return [
      skipped(ID.phpVersion, T.phpVersion, 'php is not installed on this machine'),
      skipped(ID.phpExtensions, T.phpExtensions, 'php is not installed on this machine'),
    ];
  const cliNote =
    "This is PHP's command line; GLPI's pages run the web server's PHP (mod_php or php-fpm), which may differ: GLPI shows it in Setup > General > System information.";
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
  const checks: Check[] = [];
  const bounds = await phpBounds(ctx);
  const glpi = ctx.info.version ? `GLPI ${ctx.info.version}` : 'GLPI';
  const details: Record<string, string> = { 'php version': version, note: cliNote };
  if (bounds.min)
    details['GLPI needs'] = `PHP >= ${bounds.min}${bounds.max ? ` and < ${bounds.max}` : ''} (${bounds.source})`;
  const upgrade = bounds.min
    ? `Install PHP ${bounds.min} or later${bounds.max ? ` (below ${bounds.max})` : ''} for the web server and the command line: Debian/Ubuntu through the distribution's php packages (or packages.sury.org for other versions), RHEL-likes with \`dnf module enable php:<version>\` or Remi's repository.`
    : '';
  if (!/^\d+\.\d+/.test(version)) {
    checks.push({
      id: ID.phpVersion,
      title: T.phpVersion,
      state: 'warning',
      summary: `php reported "${version.slice(0, 40)}", which is not a PHP version.`,
      details,
    });
  } else if (bounds.min === null) {
    checks.push({
      id: ID.phpVersion,
      title: T.phpVersion,
      state: 'warning',
      summary: `PHP ${version}; the GLPI version is unknown, so its requirement was not checked.`,
      details,
    });
  } else if (versionCompare(version, bounds.min) < 0) {
    checks.push({
      id: ID.phpVersion,
      title: T.phpVersion,
      state: 'failed',
      summary: `PHP ${version} is too old for ${glpi}, which needs PHP ${bounds.min} or later.`,
      details,
      fix: upgrade,
    });
  } else if (bounds.max !== null && versionCompare(version, bounds.max) >= 0) {
    checks.push({
      id: ID.phpVersion,
      title: T.phpVersion,
      state: 'failed',
      summary: `PHP ${version} is too recent for ${glpi}, which refuses PHP ${bounds.max} and later.`,
      details,
      fix: `Upgrade GLPI to a release that supports PHP ${version}, or run GLPI with an older PHP. ${upgrade}`,
    });
  } else {
    checks.push({
      id: ID.phpVersion,
      title: T.phpVersion,
      state: 'ok',
      summary: `PHP ${version} suits ${glpi} (PHP ${bounds.min} or later${bounds.max ? `, below ${bounds.max}` : ''}).`,
      details,
    });
  }

  let loaded: string[];
  try {
    loaded = await php.extensions();
  } catch (e) {
    checks.push({
      id: ID.phpExtensions,
      title: T.phpExtensions,
      state: 'failed',
      summary: `php's extensions could not be listed: ${e instanceof Error ? e.message : String(e)}`,
    });
    return checks;
  }
  const have = new Set(loaded.map((e) => e.trim().toLowerCase()));
  const missing = MARKETPLACE_EXTENSIONS.filter((e) => !have.has(e.name));
  const extDetails: Record<string, string> = { note: cliNote };
  for (const e of MARKETPLACE_EXTENSIONS) extDetails[e.name] = `${have.has(e.name) ? 'loaded' : 'MISSING'}: ${e.why}`;
  if (missing.length === 0) {
    checks.push({
      id: ID.phpExtensions,
      title: T.phpExtensions,
      state: 'ok',
      summary: `All the extensions the marketplace needs are loaded (${MARKETPLACE_EXTENSIONS.map((e) => e.name).join(', ')}).`,
      details: extDetails,
    });
    return checks;
  }
  const rhel = [...new Set(missing.map((e) => e.rhel))].join(' ');
  checks.push({
    id: ID.phpExtensions,
    title: T.phpExtensions,
    state: 'failed',
    summary: `Missing PHP extension${missing.length > 1 ? 's' : ''}: ${missing.map((e) => `${e.name} (${e.why})`).join('; ')}.`,
    details: extDetails,
    fix: `Debian/Ubuntu: ${debianPackages(version, missing)}. RHEL-likes: dnf install ${rhel}. Then restart the web server or php-fpm.`,
  });
  return checks;
}
