/**
 * SFTP as another user of the GLPI server: `sudo -n -u <web user> <sftp-server>` started on an
 * exec channel, with ssh2's own SFTP client speaking over it. GLPI's files usually belong to the
 * web server's user; this lets Marketdesk write them as that user, through the same
 * {@link sftpFileSystem}, when the admin's SSH user may `sudo` to it without a password.
 *
 * ssh2 builds its SFTP client only for the `sftp` subsystem; the client class itself only needs
 * a way to send channel data and to close, which the exec channel provides. `-n`: sudo never
 * waits for a password; when one would be needed it fails at once and says so on stderr.
 */
import { createRequire } from 'node:module';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';

const require = createRequire(import.meta.url);
type SftpClass = new (
  client: unknown,
  chanInfo: unknown,
  cfg: Record<string, unknown>,
) => SFTPWrapper & { push(data: Buffer | null): void; _init(): void };
const { SFTP } = require('ssh2/lib/protocol/SFTP.js') as { SFTP: SftpClass };

/** Where Debian, Ubuntu (openssh-sftp-server) and RHEL (openssh-server) install sftp-server. */
export const SFTP_SERVER_PATHS = ['/usr/lib/openssh/sftp-server', '/usr/libexec/openssh/sftp-server'] as const;

const USER = /^[a-z_][a-z0-9_.-]{0,31}\$?$/i;

export class SudoSftpError extends Error {
  override readonly name = 'SudoSftpError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** The command line run on the server: the first sftp-server that exists, through sudo -n. */
export function sudoSftpCommand(user: string): string {
  if (!USER.test(user)) throw new SudoSftpError(`"${user}" is not a valid user name.`, 'Check the web server user.');
  const candidates = SFTP_SERVER_PATHS.join(' ');
  return `for p in ${candidates}; do [ -x "$p" ] && exec sudo -n -u ${user} -- "$p"; done; echo "marketdesk: no sftp-server found in ${candidates}" >&2; exit 127`;
}

export function openSudoSftp(client: Client, user: string, timeoutMs = 15_000): Promise<SFTPWrapper> {
  const command = sudoSftpCommand(user);
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      attach(client, channel, user, timeoutMs).then(resolve, reject);
    });
  });
}

function attach(client: Client, channel: ClientChannel, user: string, timeoutMs: number): Promise<SFTPWrapper> {
  const remoteIdentRaw = (client as unknown as { _protocol: { _remoteIdentRaw: string } })._protocol._remoteIdentRaw;
  const transport = {
    _protocol: {
      _remoteIdentRaw: remoteIdentRaw,
      channelData: (_id: number, data: Buffer) => channel.write(data),
      channelClose: () => channel.end(),
    },
  };
  const sftp = new SFTP(
    transport,
    {
      type: 'sftp',
      incoming: { id: 0, window: Number.MAX_SAFE_INTEGER, packetSize: 32768, state: 'open' },
      // The exec channel does the SSH flow control; this side never waits for window.
      outgoing: { id: 0, window: Number.MAX_SAFE_INTEGER, packetSize: 32768, state: 'open' },
    },
    {},
  );
  let stderr = '';
  channel.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString('utf8');
  });
  channel.on('data', (d: Buffer) => sftp.push(d));
  channel.on('end', () => sftp.push(null));
  channel.on('close', () => sftp.emit('close'));
  return new Promise((resolve, reject) => {
    const fail = (message: string): void => {
      clearTimeout(timer);
      channel.close();
      reject(explain(user, message, stderr));
    };
    const timer = setTimeout(() => fail('no answer'), timeoutMs);
    channel.once('close', () => fail('the command ended'));
    sftp.once('ready', () => {
      clearTimeout(timer);
      channel.removeAllListeners('close');
      channel.on('close', () => sftp.emit('close'));
      resolve(sftp);
    });
    sftp._init();
  });
}

function explain(user: string, what: string, stderr: string): SudoSftpError {
  const said = stderr.trim().split('\n')[0] ?? '';
  if (/password is required|a terminal is required|not allowed|may not run|not in the sudoers/i.test(said)) {
    return new SudoSftpError(
      `The SSH user may not run the SFTP server as ${user} without a password (sudo said: ${said}).`,
      `On the server, allow it in a sudoers file (visudo -f /etc/sudoers.d/marketdesk): <ssh user> ALL=(${user}) NOPASSWD: ${SFTP_SERVER_PATHS[0]}, /usr/bin/php`,
    );
  }
  if (/sudo: (command )?not found|sudo: No such file/i.test(said) || /no sftp-server found/.test(said)) {
    return new SudoSftpError(
      `The server cannot run the SFTP server as ${user}: ${said}.`,
      'Install sudo and the OpenSSH SFTP server on the GLPI server (Debian: apt install sudo openssh-sftp-server).',
    );
  }
  if (/unknown user/i.test(said)) {
    return new SudoSftpError(
      `There is no user ${user} on the server (sudo said: ${said}).`,
      'Check the web server user (www-data on Debian, apache on RHEL).',
    );
  }
  return new SudoSftpError(
    `The SFTP server as ${user} did not start (${what}${said ? `; it said: ${said}` : ''}).`,
    'Check that sudo works for the SSH user: sudo -n -u <user> true',
  );
}
