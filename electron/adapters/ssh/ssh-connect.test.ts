import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownKeysFor, type KnownHostKey } from '../../core/ssh/known-hosts';
import { connectSsh, SshError, type SshAuth, type SshConnectOptions } from './ssh-connect';
import { sshdUnavailable, startSshd, type TestSshd } from './testing-sshd.testkit';

const why = sshdUnavailable();

describe.skipIf(why !== null)(`SSH connections to a real sshd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let dir: string;
  let agent: ChildProcess | undefined;
  let known: KnownHostKey[];

  beforeAll(async () => {
    sshd = await startSshd();
    dir = await fsp.mkdtemp(join(tmpdir(), 'md-ssh-connect-'));
    known = knownKeysFor(`[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicLine}`, '127.0.0.1', sshd.port, 'kh');
  });
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await sshd?.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const key: () => SshAuth = () => ({
    method: 'key',
    path: sshd.clientKey.path,
    privateKey: sshd.clientKey.privateKey,
  });
  const options = (extra: Partial<SshConnectOptions> = {}): SshConnectOptions => ({
    endpoint: { host: sshd.host, port: sshd.port, user: sshd.user },
    auth: key(),
    knownKeys: known,
    timeoutMs: 8000,
    ...extra,
  });
  const refused = async (o: SshConnectOptions): Promise<SshError> => {
    const err = await connectSsh(o).then(
      (c) => {
        c.close();
        return new Error('connected');
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SshError);
    return err as SshError;
  };

  it('connects with a key to a host listed in known_hosts', async () => {
    const c = await connectSsh(options());
    expect(c.hostKey).toMatchObject({ fingerprint: sshd.hostKey.fingerprint, trustedBy: 'known' });
    c.close();
  });

  it('an unknown host is refused with its fingerprint, and let in once exactly that one is confirmed', async () => {
    const err = await refused(options({ knownKeys: [] }));
    expect(err.code).toBe('host-unknown');
    expect(err.message).toContain(sshd.hostKey.fingerprint);
    expect(err.fix).toContain(`--accept-host-key ${sshd.hostKey.fingerprint}`);
    expect((await refused(options({ knownKeys: [], acceptFingerprint: 'SHA256:not-this-one' }))).code).toBe(
      'host-unknown',
    );
    const c = await connectSsh(options({ knownKeys: [], acceptFingerprint: sshd.hostKey.fingerprint }));
    expect(c.hostKey.trustedBy).toBe('confirmed');
    c.close();
  });

  it('a changed host key is refused, plainly, with both fingerprints and how to check', async () => {
    const other = join(dir, 'other');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const line = `[127.0.0.1]:${sshd.port} ${(await fsp.readFile(`${other}.pub`, 'utf8')).trim()}`;
    const err = await refused(
      options({
        knownKeys: knownKeysFor(line, '127.0.0.1', sshd.port, '~/.ssh/known_hosts'),
        acceptFingerprint: sshd.hostKey.fingerprint, // a confirmation never overrides a changed key
      }),
    );
    expect(err.code).toBe('host-changed');
    expect(err.message).toMatch(/has CHANGED/);
    expect(err.message).toContain(sshd.hostKey.fingerprint);
    expect(err.message).toContain('~/.ssh/known_hosts:1');
    expect(err.fix).toContain(`ssh-keygen -R '[127.0.0.1]:${sshd.port}'`);
  });

  it('a key the server does not accept → auth', async () => {
    const other = join(dir, 'stranger');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const err = await refused(options({ auth: { method: 'key', path: other, privateKey: await fsp.readFile(other) } }));
    expect(err.code).toBe('auth');
    expect(err.message).toContain(`refused the login of ${sshd.user}`);
  });

  it('a wrong password → auth', async () => {
    expect((await refused(options({ auth: { method: 'password', password: 'not-the-password' } }))).code).toBe('auth');
  });

  it('a key with a passphrase: none given, or a wrong one → key-passphrase; the right one connects', async () => {
    const locked = join(dir, 'locked');
    await fsp.copyFile(sshd.clientKey.path, locked);
    await fsp.chmod(locked, 0o600);
    expect(spawnSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'correct horse', '-f', locked]).status).toBe(0);
    const privateKey = await fsp.readFile(locked);
    const none = await refused(options({ auth: { method: 'key', path: locked, privateKey } }));
    expect(none.code).toBe('key-passphrase');
    expect(none.message).toMatch(/protected by a passphrase/);
    const wrong = await refused(options({ auth: { method: 'key', path: locked, privateKey, passphrase: 'nope' } }));
    expect(wrong.code).toBe('key-passphrase');
    const c = await connectSsh(
      options({ auth: { method: 'key', path: locked, privateKey, passphrase: 'correct horse' } }),
    );
    c.close();
  });

  it('a file that is not a private key → key-invalid', async () => {
    const err = await refused(
      options({ auth: { method: 'key', path: 'id.pub', privateKey: Buffer.from(sshd.clientKey.publicLine) } }),
    );
    expect(err.code).toBe('key-invalid');
  });

  it('the agent: none running, one with no identities, then one holding the key', async () => {
    expect((await refused(options({ auth: { method: 'agent', socket: undefined } }))).code).toBe('agent-unavailable');
    const socket = join(dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await fsp.stat(socket).catch(() => null)); i++)
      await new Promise((r) => setTimeout(r, 20));
    const empty = await refused(options({ auth: { method: 'agent', socket } }));
    expect(empty.code).toBe('agent-empty');
    expect(empty.fix).toContain('ssh-add');
    const added = spawnSync('ssh-add', [sshd.clientKey.path], { env: { SSH_AUTH_SOCK: socket }, encoding: 'utf8' });
    expect(added.status, added.stderr).toBe(0);
    const c = await connectSsh(options({ auth: { method: 'agent', socket } }));
    c.close();
    expect((await refused(options({ auth: { method: 'agent', socket: join(dir, 'nothing.sock') } }))).code).toBe(
      'agent-unavailable',
    );
  });

  it('network failures: refused port, a name that does not resolve, a server that never answers', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const r = await refused(options({ endpoint: { host: '127.0.0.1', port: closed, user: 'x' } }));
    expect(r.code).toBe('refused');
    expect((await refused(options({ endpoint: { host: 'glpi.invalid', port: 22, user: 'x' } }))).code).toBe('dns');

    const sockets: Socket[] = [];
    const silent: Server = createServer((sock) => void sockets.push(sock));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const t = await refused(options({ endpoint: { host: '127.0.0.1', port, user: 'x' }, timeoutMs: 1500 }));
    expect(t.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
    sockets.forEach((s) => s.destroy());
    silent.close();
  });
});
