/** File-system probes of glpi-instance.ts: what is at a path, and a file-system error in words. */
import type { FileSystem } from './ports';

export type Probe = 'file' | 'dir' | 'missing' | { error: string };

export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

export function describeError(e: unknown): string {
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'ENOENT') return 'it does not exist (ENOENT)';
  return code;
}

export async function probe(fs: FileSystem, path: string): Promise<Probe> {
  try {
    const s = await fs.stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : { error: 'not a regular file or folder' };
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    return { error: describeError(e) };
  }
}
