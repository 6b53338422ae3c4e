/**
 * The known_hosts files `ssh` reads (ssh_config(5) UserKnownHostsFile and GlobalKnownHostsFile
 * defaults), read through the FileSystem port: a missing file is no key; an unreadable one is
 * reported, not fatal (the admin can still confirm the fingerprint).
 */
import type { FileSystem } from '../ports';
import { knownKeysFor, type KnownHostKey } from './known-hosts';

export function knownHostsFiles(platform: NodeJS.Platform, home: string, programData?: string): string[] {
  if (platform === 'win32') {
    return [`${home}\\.ssh\\known_hosts`, `${programData ?? 'C:\\ProgramData'}\\ssh\\ssh_known_hosts`];
  }
  return [
    `${home}/.ssh/known_hosts`,
    `${home}/.ssh/known_hosts2`,
    '/etc/ssh/ssh_known_hosts',
    '/etc/ssh/ssh_known_hosts2',
  ];
}

export interface KnownHostsRead {
  keys: KnownHostKey[];
  /** Files that exist but could not be read, with why. */
  unreadable: { file: string; code: string }[];
}

/** At most this much of one file is read (a known_hosts of 10,000 hosts is about 1 MB). */
const MAX_BYTES = 16 * 1024 * 1024;

export async function readKnownHosts(
  fs: FileSystem,
  files: string[],
  host: string,
  port: number,
): Promise<KnownHostsRead> {
  const out: KnownHostsRead = { keys: [], unreadable: [] };
  for (const file of files) {
    let text: string;
    try {
      text = Buffer.from(await fs.readFile(file, { maxBytes: MAX_BYTES })).toString('utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      if (code !== 'ENOENT' && code !== 'ENOTDIR') out.unreadable.push({ file, code });
      continue;
    }
    out.keys.push(...knownKeysFor(text, host, port, file));
  }
  return out;
}
