/** Who the web server user is, who this process is, and what each may do with a file. */
import * as nodePath from 'node:path';
import type { InstanceInfo } from '../../glpi-instance';
import type { FileStat, FileSystem } from '../../ports';
import { octal, readText, shellQuote, symbolic } from './common';
import type { DoctorPlatform } from './types';

interface Account {
  name: string;
  uid: number;
  gid: number;
}

export interface Identity {
  passwd: Map<number, Account>;
  groups: Map<number, { name: string; members: string[] }>;
  /** The distribution's web server user and group, when the OS release file tells it. */
  web: { name: string; group: string; distro: string } | null;
  /** That user's uid and groups, when it exists in passwd. */
  webIds: { uid: number; gids: number[] } | null;
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

export async function readIdentity(fs: FileSystem, platform: DoctorPlatform): Promise<Identity> {
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
export interface Ctx {
  root: string;
  fs: FileSystem;
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

export function userLabel(ctx: Ctx, uid: number): string {
  const a = ctx.id.passwd.get(uid);
  return a ? `${a.name} (${uid})` : String(uid);
}

export function groupLabel(ctx: Ctx, gid: number): string {
  const g = ctx.id.groups.get(gid);
  return g ? `${g.name} (${gid})` : String(gid);
}

export function ownershipDetails(ctx: Ctx, st: FileStat): Record<string, string> {
  if (!ctx.posix) return {};
  return {
    owner: userLabel(ctx, st.uid),
    group: groupLabel(ctx, st.gid),
    mode: `${octal(st.mode)} (${symbolic(st.mode)})`,
  };
}

export function selfLabel(ctx: Ctx): string {
  const u = ctx.platform.user;
  return u ? `uid ${userLabel(ctx, u.uid)}` : 'this user';
}

/** Bits for the web server user: 4 read, 2 write, 1 search; null when that user is unknown. */
function webPermits(ctx: Ctx, st: FileStat, bits: number): boolean | null {
  const w = ctx.id.webIds;
  if (!ctx.posix || !w) return null;
  if (w.uid === 0) return true;
  const mode = st.mode & 0o777;
  const granted = st.uid === w.uid ? mode >> 6 : w.gids.includes(st.gid) ? mode >> 3 : mode;
  return (granted & bits) === bits;
}

export interface Access {
  /** 'ok': the web server can; 'denied': it cannot; 'unknown': only this process could be asked. */
  verdict: 'ok' | 'denied' | 'unknown';
  /** Whether this process can (the port's answer). */
  self: boolean;
  /** Why, in plain words. */
  reason: string;
}

/** Can the web server user read (or write) `path`? */
export async function webAccess(ctx: Ctx, path: string, st: FileStat, need: 'read' | 'write'): Promise<Access> {
  const dir = st.isDirectory();
  const bits = (need === 'read' ? 4 : 2) | (dir ? 1 : 0);
  const self = await ctx.fs.access(path, need);
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
      reason: `Marketdesk (${selfLabel(ctx)}) cannot ${verb} it, and ${ctx.webText} could not be identified on ${ctx.platform.where ?? 'this machine'} to check its access`,
    };
  return {
    verdict: 'unknown',
    self,
    reason: `Marketdesk (${selfLabel(ctx)}) can ${verb} it; ${ctx.webText} could not be identified on ${ctx.platform.where ?? 'this machine'}, so its own access was not checked`,
  };
}

/**
 * What lets the web server read `path` (chown and chmod `mode` on POSIX, words on Windows), as
 * parameters of the catalogue's fixes; `config` for the config folder, where GLPI also writes.
 */
export function readAccessParams(ctx: Ctx, path: string, mode: string, config = false): ReadAccessParams {
  return {
    owner: ctx.owner,
    path,
    quoted: shellQuote(path),
    rhel: ctx.id.web ? '' : 'yes',
    mode,
    config: config ? 'yes' : '',
    posix: ctx.posix ? 'yes' : '',
  };
}

export type ReadAccessParams = Record<'owner' | 'path' | 'quoted' | 'rhel' | 'mode' | 'config' | 'posix', string>;
