/** What every instance check shares: titles and ids, file probes, and the wording of modes and sizes. */
import type { FileStat, FileSystem } from '../../ports';

/** Files the doctor reads whole (PHP config files, /etc/passwd, os-release) are small. */
export const DOCTOR_READ_LIMIT = 1_048_576;

export const T = {
  root: 'GLPI root',
  config: 'Config folder',
  key: 'Security key (glpicrypt.key)',
  configDb: 'Database settings (config_db.php)',
  marketplace: 'Marketplace folder',
  plugins: 'Plugins folder',
  pluginFolders: 'Plugin folders',
  network: 'GLPI Network address',
  disk: 'Free disk space',
  phpVersion: 'PHP version',
  phpExtensions: 'PHP extensions',
} as const;

export const ID = {
  root: 'instance.root',
  config: 'instance.config-dir',
  key: 'instance.glpicrypt-key',
  configDb: 'instance.config-db',
  marketplace: 'instance.marketplace-dir',
  plugins: 'instance.plugins-dir',
  pluginFolders: 'instance.plugin-folders',
  network: 'instance.glpi-network',
  disk: 'instance.disk-space',
  phpVersion: 'php.version',
  phpExtensions: 'php.extensions',
} as const;

export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : 'unknown error';
}

export function describeError(e: unknown): string {
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'ENOENT') return 'it does not exist (ENOENT)';
  return code;
}

export type Probe =
  | { kind: 'file' | 'dir' | 'other'; stat: FileStat; link: boolean }
  | { kind: 'missing' }
  | { kind: 'error'; error: string };

export async function probe(fs: FileSystem, path: string): Promise<Probe> {
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

/** Why a path that should be a folder is not one, as parameters of the catalogue's messages about it. */
export function notAFolder(p: Exclude<Probe, { kind: 'dir' }>): { what: string; error: string } {
  return {
    what: p.kind === 'missing' ? 'missing' : p.kind === 'error' ? 'error' : 'other',
    error: p.kind === 'error' ? p.error : '',
  };
}

/** A path as a shell word. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

export function symbolic(mode: number): string {
  const rwx = (bits: number) => `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`;
  return `${rwx((mode >> 6) & 7)}${rwx((mode >> 3) & 7)}${rwx(mode & 7)}`;
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${Math.round(n / 1e6)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} bytes`;
}

/** A small text file, or null when it cannot be read. */
export async function readText(fs: FileSystem, path: string): Promise<string | null> {
  try {
    return new TextDecoder().decode(await fs.readFile(path, { maxBytes: DOCTOR_READ_LIMIT }));
  } catch {
    return null;
  }
}
