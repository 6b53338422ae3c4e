/**
 * A GLPI server reached over SSH, as the admin writes it: `ssh://user@host[:port]/var/www/glpi`
 * (IPv6 in brackets: `ssh://admin@[2001:db8::5]:2222/srv/glpi`). Pure, for every shell.
 */
export interface SshTarget {
  user: string;
  host: string;
  port: number;
  /** The GLPI root on the server: absolute, normalised, no trailing slash. */
  path: string;
}

export class SshTargetError extends Error {
  override readonly name = 'SshTargetError';
}

const USER = /^[a-z_][a-z0-9_.-]{0,31}\$?$/i;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const IPV6 = /^[0-9a-f:.]+$/i;

export function parseSshTarget(text: string): SshTarget {
  const m = /^ssh:\/\/(?:([^@/]*)@)?(\[[^\]]*\]|[^:/]*)(?::([^/]*))?(\/.*)?$/i.exec(text.trim());
  if (!m) {
    throw new SshTargetError(`"${text}" is not an SSH address: write ssh://user@host[:port]/path/to/glpi.`);
  }
  const [, user = '', rawHost = '', rawPort, path = ''] = m;
  if (!user) throw new SshTargetError(`Name the SSH user: ssh://user@${rawHost || 'host'}${path || '/path/to/glpi'}.`);
  if (!USER.test(user)) throw new SshTargetError(`"${user}" is not a valid user name.`);
  const bracketed = rawHost.startsWith('[');
  const host = bracketed ? rawHost.slice(1, -1) : rawHost;
  if (!host) throw new SshTargetError('The SSH address has no host.');
  if (bracketed ? !IPV6.test(host) || !host.includes(':') : !HOSTNAME.test(host)) {
    throw new SshTargetError(`"${host}" is not a valid host name or address.`);
  }
  let port = 22;
  if (rawPort !== undefined) {
    port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
    if (!(port >= 1 && port <= 65535)) throw new SshTargetError(`"${rawPort}" is not a port number (1-65535).`);
  }
  if (!path || path === '/') {
    throw new SshTargetError('Give the GLPI folder on the server, e.g. ssh://user@host/var/www/glpi.');
  }
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new SshTargetError('The GLPI folder may not contain "..".');
  if (/[\0\n\r]/.test(path)) throw new SshTargetError('The GLPI folder contains a control character.');
  return { user, host, port, path: `/${parts.join('/')}` };
}

/** Where an instance is, as `instance add` takes it: its folder, or its server's `ssh://` address. */
export function instanceWhere(i: { root: string; ssh?: Pick<SshTarget, 'user' | 'host' | 'port'> }): string {
  return i.ssh ? formatSshTarget({ user: i.ssh.user, host: i.ssh.host, port: i.ssh.port, path: i.root }) : i.root;
}

/** `ssh://user@host[:port]` (no folder), how the server is named in messages. */
export function sshServer(t: Pick<SshTarget, 'user' | 'host' | 'port'>): string {
  return formatSshTarget({ user: t.user, host: t.host, port: t.port, path: '' });
}

export function formatSshTarget(t: SshTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `ssh://${t.user}@${host}${t.port === 22 ? '' : `:${t.port}`}${t.path}`;
}
