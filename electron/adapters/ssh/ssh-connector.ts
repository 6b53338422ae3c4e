/**
 * The core's {@link SshConnector}: one SSH connection to a GLPI server, with its files over SFTP
 * (as the SSH user, or as the web server's user through `sudo -n -u`) and its programs over exec.
 * The private key file is read here, on this computer; the agent is SSH_AUTH_SOCK (Pageant on
 * Windows when no socket is set).
 */
import { readFile } from 'node:fs/promises';
import type { Client, SFTPWrapper } from 'ssh2';
import type { RemoteSession, SshConnector, SshOpenRequest } from '../../core/ports';
import { SshError } from '../../core/ssh/ssh-error';
import { sftpFileSystem, type RemoteIds } from './sftp-file-system';
import { connectSsh, type SshAuth } from './ssh-connect';
import { sshProcessRunner } from './ssh-process-runner';
import { openSudoSftp, SudoSftpError } from './sudo-sftp';

/** What a non-interactive SSH session's PATH usually is on Debian and RHEL (php is looked for there). */
export const REMOTE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

async function resolveAuth(
  auth: SshOpenRequest['auth'],
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): Promise<SshAuth> {
  if (auth.method === 'password') return auth;
  if (auth.method === 'agent') {
    return { method: 'agent', socket: env.SSH_AUTH_SOCK || (platform === 'win32' ? 'pageant' : undefined) };
  }
  let privateKey: Buffer;
  try {
    privateKey = await readFile(auth.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new SshError(
      'key-invalid',
      `The private key file ${auth.path} cannot be read (${code}).`,
      code === 'ENOENT'
        ? 'Check the path of the key file (e.g. ~/.ssh/id_ed25519), or use the SSH agent.'
        : 'Make the key file readable by the user running Marketdesk (chmod 600, owned by you).',
    );
  }
  return { method: 'key', path: auth.path, privateKey, ...(auth.passphrase ? { passphrase: auth.passphrase } : {}) };
}

function plainSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    client.sftp((err, sftp) =>
      err
        ? reject(
            new SshError(
              'protocol',
              `The server does not offer SFTP (${err.message}).`,
              'Enable the SFTP subsystem in sshd_config (Subsystem sftp /usr/lib/openssh/sftp-server) and restart sshd.',
            ),
          )
        : resolve(sftp),
    ),
  );
}

/** Who the files are written as: `id -u` and `id -G` on the server, through sudo when it is used. */
async function remoteIds(processes: RemoteSession['processes'], sudoUser: string | undefined): Promise<RemoteIds> {
  const r = await processes.run({ file: 'id', args: [], cwd: '/', timeoutMs: 10_000, maxOutputBytes: 4096 });
  const uid = /uid=(\d+)/.exec(r.output);
  const groups = /groups=([^\s]+)/.exec(r.output);
  if (r.exitCode !== 0 || !uid) {
    const said = r.output.trim().split('\n')[0] ?? r.error?.message ?? '';
    throw new SshError(
      sudoUser ? 'sudo' : 'protocol',
      sudoUser
        ? `The SSH user may not act as ${sudoUser} without a password (sudo said: ${said || 'nothing'}).`
        : `"id" did not run on the server (${said || `exit ${r.exitCode}`}).`,
      sudoUser
        ? `On the server, allow it in a sudoers file (visudo -f /etc/sudoers.d/marketdesk): <ssh user> ALL=(${sudoUser}) NOPASSWD: ALL; or leave "run as" empty to write as the SSH user.`
        : 'Check that the SSH user has a normal login shell (not nologin) on the server.',
    );
  }
  const gids = (groups?.[1] ?? '')
    .split(',')
    .map((g) => Number(/^\d+/.exec(g)?.[0]))
    .filter((g) => Number.isInteger(g));
  return { uid: Number(uid[1]), gids };
}

export function nodeSshConnector(env: NodeJS.ProcessEnv = process.env, platform = process.platform): SshConnector {
  return async (req) => {
    const auth = await resolveAuth(req.auth, env, platform);
    const conn = await connectSsh({
      endpoint: req.endpoint,
      auth,
      knownKeys: req.knownKeys,
      ...(req.acceptFingerprint ? { acceptFingerprint: req.acceptFingerprint } : {}),
      ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}),
    });
    try {
      const processes = sshProcessRunner(conn.client, req.sudoUser ? { sudoUser: req.sudoUser } : {});
      const ids = await remoteIds(processes, req.sudoUser);
      const sudoUser = req.sudoUser;
      const openChannel = (): Promise<SFTPWrapper> =>
        sudoUser ? openSudoSftp(conn.client, sudoUser) : plainSftp(conn.client);
      const sftp = await openChannel();
      let closed = false;
      const listeners: (() => void)[] = [];
      conn.client.once('close', () => {
        closed = true;
        for (const l of listeners.splice(0)) l();
      });
      return {
        fs: sftpFileSystem(sftp, ids, { openChannel }),
        processes,
        hostKey: { type: conn.hostKey.type, key: conn.hostKey.key, fingerprint: conn.hostKey.fingerprint },
        pathEnv: REMOTE_PATH,
        onClose: (listener) => (closed ? listener() : listeners.push(listener)),
        close: () => conn.close(),
      };
    } catch (err) {
      conn.close();
      if (err instanceof SudoSftpError) throw new SshError('sudo', err.message, err.fix);
      throw err;
    }
  };
}
