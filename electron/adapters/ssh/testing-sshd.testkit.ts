/**
 * Test helper: a real OpenSSH server (Debian's `openssh-server`) on 127.0.0.1, started by the test
 * itself, unprivileged, with its own host key, an authorized test key and a work folder, and
 * stopped by the test (or killed outright, to cut connections mid-transfer).
 *
 * sshd that is not root only serves its own user: as root, the server runs as the system account
 * `marketdesk-ssh` that `npm run setup` creates, and the work folder is given to it; otherwise it
 * runs as the current user. Linux only (the kill walks /proc).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { knownKeysFor } from '../../core/ssh/known-hosts';
import type { FileSystem } from '../../core/ports';
import { sftpFileSystem } from './sftp-file-system';
import { connectSsh, type SshConnection } from './ssh-connect';

export const SSHD_PATH = '/usr/sbin/sshd';
export const SSH_TEST_USER = 'marketdesk-ssh';
/** Plays www-data: `npm run setup` lets SSH_TEST_USER `sudo -n -u` it (and only it). */
export const WEB_TEST_USER = 'marketdesk-web';

/** Why the sudo tests cannot run here, or null when they can. */
export function sudoUnavailable(): string | null {
  if (process.getuid?.() !== 0)
    return 'the sudo tests need the accounts and sudoers rule that npm run setup makes as root';
  if (!existsSync('/usr/bin/sudo')) return 'sudo is missing: run npm run setup';
  if (!existsSync('/etc/sudoers.d/marketdesk-tests')) return 'the sudoers rule is missing: run npm run setup as root';
  return spawnSync('id', ['-u', WEB_TEST_USER]).status === 0 ? null : `the account ${WEB_TEST_USER} is missing`;
}

/** The uid and gid of an account of this machine. */
export function idsOf(user: string): { uid: number; gid: number } {
  const id = (flag: string): number => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout);
  return { uid: id('-u'), gid: id('-g') };
}

export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  /** The account the server runs as, and the only one it lets in. */
  user: string;
  uid: number;
  gid: number;
  /** The work folder, owned by `user` (GLPI trees go there). */
  dir: string;
  /** The host key's OpenSSH public line and its `SHA256:...` fingerprint. */
  hostKey: { publicLine: string; fingerprint: string };
  /** A private key (OpenSSH format) that the server accepts, and its public line. */
  clientKey: { path: string; privateKey: Buffer; publicLine: string };
  /** What the server wrote to stderr so far (LogLevel VERBOSE), for failure messages. */
  log(): string;
  /** SIGKILLs the server and every session process it started: connections drop mid-flight. */
  kill(): void;
  /**
   * Kills it, then starts it again on the same port and folder: with the same host key (a server
   * that came back), or a new one (`newHostKey`: a reinstalled server, or a man in the middle).
   */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  /** Stops it (SIGKILL too: it holds nothing) and removes the work folder. */
  close(): Promise<void>;
}

/** Why the real-sshd tests cannot run here, or null when they can. */
export function sshdUnavailable(): string | null {
  if (process.platform !== 'linux') return 'the real-sshd tests run on Linux only';
  if (!existsSync(SSHD_PATH)) return `${SSHD_PATH} is missing: run npm run setup (package openssh-server)`;
  if (!existsSync('/usr/bin/ssh-keygen')) return 'ssh-keygen is missing: run npm run setup (package openssh-client)';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', SSH_TEST_USER]).status !== 0)
    return `the account ${SSH_TEST_USER} is missing: run npm run setup as root`;
  return null;
}

function account(): { user: string; uid: number; gid: number } {
  if (process.getuid?.() !== 0) {
    const me = userInfo();
    return { user: me.username, uid: me.uid, gid: me.gid };
  }
  return { user: SSH_TEST_USER, ...idsOf(SSH_TEST_USER) };
}

function keygen(file: string, comment: string): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr.toString()}`);
}

export function fingerprintOf(publicKeyFile: string): string {
  const r = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyFile], { encoding: 'utf8' });
  const fp = /SHA256:[A-Za-z0-9+/]+/.exec(r.stdout)?.[0];
  if (!fp) throw new Error(`ssh-keygen -l failed: ${r.stderr}`);
  return fp;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Every process below `pid` (children, grandchildren, ...), from /proc. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

export interface SshdOptions {
  /** Extra sshd_config lines (e.g. `PasswordAuthentication yes`). */
  config?: string[];
}

export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  const why = sshdUnavailable();
  if (why) throw new Error(why);
  const { user, uid, gid } = account();
  const dir = await fsp.mkdtemp(join(tmpdir(), 'md-sshd-'));
  const etc = join(dir, 'etc');
  const work = join(dir, 'work');
  await fsp.mkdir(etc);
  await fsp.mkdir(work);
  keygen(join(etc, 'host_key'), 'marketdesk-test-host');
  keygen(join(etc, 'client_key'), 'marketdesk-test-client');
  const clientPublic = (await fsp.readFile(join(etc, 'client_key.pub'), 'utf8')).trim();
  await fsp.writeFile(join(etc, 'authorized_keys'), `${clientPublic}\n`);
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(etc, 'host_key')}`,
    `PidFile ${join(etc, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(etc, 'authorized_keys')}`,
    `AllowUsers ${user}`,
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin no',
    'MaxStartups 200',
    'MaxSessions 50',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    ...(options.config ?? []),
  ];
  await fsp.writeFile(join(etc, 'sshd_config'), `${config.join('\n')}\n`);
  if (process.getuid?.() === 0) {
    // The server reads its keys and config as `user`; the test (root) keeps full access anyway.
    spawnSync('chown', ['-R', `${uid}:${gid}`, dir]);
    await fsp.chmod(join(etc, 'host_key'), 0o600);
  }
  await fsp.chmod(dir, 0o755);

  let server = await spawnSshd(etc, uid, gid);
  const hostKey = async (): Promise<TestSshd['hostKey']> => ({
    publicLine: (await fsp.readFile(join(etc, 'host_key.pub'), 'utf8')).trim(),
    fingerprint: fingerprintOf(join(etc, 'host_key.pub')),
  });
  let closed = false;
  const sshd: TestSshd = {
    host: '127.0.0.1',
    port,
    user,
    uid,
    gid,
    dir: work,
    hostKey: await hostKey(),
    clientKey: {
      path: join(etc, 'client_key'),
      privateKey: await fsp.readFile(join(etc, 'client_key')),
      publicLine: clientPublic,
    },
    log: () => server.log(),
    kill: () => server.kill(),
    async restart(options = {}) {
      server.kill();
      if (options.newHostKey) {
        await fsp.rm(join(etc, 'host_key'));
        await fsp.rm(join(etc, 'host_key.pub'));
        keygen(join(etc, 'host_key'), 'marketdesk-test-host');
        if (process.getuid?.() === 0)
          spawnSync('chown', [`${uid}:${gid}`, join(etc, 'host_key'), join(etc, 'host_key.pub')]);
        sshd.hostKey = await hostKey();
      }
      server = await spawnSshd(etc, uid, gid);
    },
    async close() {
      if (closed) return;
      closed = true;
      server.kill();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
  return sshd;
}

/** One sshd process on the config in `etc`, once it listens. */
async function spawnSshd(etc: string, uid: number, gid: number): Promise<{ log(): string; kill(): void }> {
  const child: ChildProcess = spawn(SSHD_PATH, ['-D', '-e', '-f', join(etc, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(process.getuid?.() === 0 ? { uid, gid } : {}),
    env: { PATH: '/usr/bin:/bin' },
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (log.length < 200_000) log += chunk.toString('utf8');
  });
  const killAll = (): void => {
    if (child.pid === undefined) return;
    for (const pid of [...descendants(child.pid), child.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`sshd did not start within 10 s:\n${log}`)), 10_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      killAll();
      reject(err);
    };
    child.once('exit', (code) => fail(new Error(`sshd exited with ${code}:\n${log}`)));
    child.once('error', fail);
    const poll = setInterval(() => {
      if (!/Server listening on 127\.0\.0\.1/.test(log)) return;
      clearInterval(poll);
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve();
    }, 20);
  });
  return { log: () => log, kill: killAll };
}

/** A connection to `sshd` as its user, with its test key, the host key known. */
export function connectTestSshd(sshd: TestSshd): Promise<SshConnection> {
  return connectSsh({
    endpoint: { host: sshd.host, port: sshd.port, user: sshd.user },
    auth: { method: 'key', path: sshd.clientKey.path, privateKey: sshd.clientKey.privateKey },
    knownKeys: knownKeysFor(`[${sshd.host}]:${sshd.port} ${sshd.hostKey.publicLine}`, sshd.host, sshd.port, 'test'),
  });
}

/** The FileSystem port over SFTP on `conn`, as `sshd`'s user, writing through several channels as the app does. */
export async function testSftpFileSystem(sshd: TestSshd, conn: SshConnection): Promise<FileSystem> {
  const openChannel = (): Promise<SFTPWrapper> =>
    new Promise<SFTPWrapper>((resolve, reject) => conn.client.sftp((err, s) => (err ? reject(err) : resolve(s))));
  return sftpFileSystem(await openChannel(), { uid: sshd.uid, gids: [sshd.gid] }, { openChannel });
}
