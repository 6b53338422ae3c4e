/**
 * How the core reaches an instance's files and programs: this computer's for a local folder, an
 * SSH session's for a GLPI server. One session per SSH instance is kept open and shared by every
 * service until it drops (then the next use reconnects) or the core stops. Secrets (a password, a
 * key's passphrase) come from the OS keychain or, when the admin did not want them kept, from this
 * session's memory; they are handed to the redactor and never stored in the settings.
 */
import { AppError } from '../../shared/errors';
import type { InstanceRecord, SshSettings } from '../../shared/instances';
import type {
  FileSystem,
  HostInfo,
  Logger,
  ProcessRunner,
  RemoteSession,
  SecretStore,
  SshConnector,
  SshOpenRequest,
} from './ports';
import { knownHostsFiles, readKnownHosts } from './ssh/known-hosts-files';
import type { KnownHostKey } from './ssh/known-hosts';
import { SshError, sshAppError } from './ssh/ssh-error';
import { sshServer } from '../../shared/ssh-target';

/** An instance's files and programs, wherever it is. */
export interface InstanceTarget {
  fs: FileSystem;
  /** Absent: programs cannot be run (a shell without them). */
  processes: ProcessRunner | undefined;
  /** PATH and platform where php is looked for. */
  pathEnv: string | undefined;
  platform: NodeJS.Platform;
  /** `ssh://user@host` for an SSH instance, null for a local folder. */
  remote: string | null;
}

export interface InstanceAccessDeps {
  /** This computer's files (known_hosts, key files are read by the connector). */
  fs: FileSystem;
  processes?: ProcessRunner;
  host: HostInfo;
  keychain: SecretStore;
  /** Secrets the admin did not want kept: this process's memory only. */
  session: SecretStore;
  /** Absent: this shell cannot reach SSH instances. */
  connector?: SshConnector;
  /** The keychain account of an instance's SSH secret. */
  account: (instance: string) => string;
  redact: (secret: string) => void;
  logger: Logger;
  /** Per connection (TCP, handshake, authentication). Default 15 s. */
  timeoutMs?: number;
}

/** What a new SSH instance is checked with before it is saved. */
export interface SshProbe {
  name: string;
  ssh: Omit<SshSettings, 'hostKey' | 'secretSaved'> & { hostKey?: SshSettings['hostKey'] };
  secret?: string;
  acceptFingerprint?: string;
}

export class InstanceAccess {
  private readonly sessions = new Map<string, Promise<RemoteSession>>();

  constructor(private readonly d: InstanceAccessDeps) {}

  get sshAvailable(): boolean {
    return this.d.connector !== undefined;
  }

  /**
   * The instance's files and programs; `fresh` is true when an SSH connection was just opened (the
   * caller then repairs an operation a crash interrupted, as the local instances are at start).
   */
  async open(record: InstanceRecord): Promise<{ target: InstanceTarget; fresh: boolean }> {
    if (!record.ssh) {
      return { target: this.local(), fresh: false };
    }
    let pending = this.sessions.get(record.name);
    let fresh = false;
    if (!pending) {
      fresh = true;
      const ssh = record.ssh;
      pending = this.d.session
        .get(this.d.account(record.name))
        .then(async (sessionSecret) =>
          this.connect({ name: record.name, ssh, secret: sessionSecret ?? (await this.savedSecret(record)) }),
        );
      this.sessions.set(record.name, pending);
      pending.then(
        (s) => s.onClose(() => this.sessions.get(record.name) === pending && this.sessions.delete(record.name)),
        () => this.sessions.delete(record.name),
      );
    }
    const session = await pending;
    return {
      target: {
        fs: session.fs,
        processes: session.processes,
        pathEnv: session.pathEnv,
        platform: 'linux',
        remote: sshServer(record.ssh),
      },
      fresh,
    };
  }

  /** This computer's files and programs: a folder instance's target. */
  local(): InstanceTarget {
    return {
      fs: this.d.fs,
      processes: this.d.processes,
      pathEnv: this.d.host.pathEnv,
      platform: this.d.host.platform,
      remote: null,
    };
  }

  /** Opens a connection that is not shared (adding an instance, the doctor); the caller closes it. */
  async connect(probe: SshProbe): Promise<RemoteSession> {
    const { connector } = this.d;
    if (!connector)
      throw new AppError('INVALID_INPUT', 'This shell cannot reach GLPI servers over SSH.', {
        fix: 'Use the desktop app, the browser shell or the CLI.',
      });
    const { ssh } = probe;
    // Known to the log's redactor before anything can fail and be logged.
    if (probe.secret) this.d.redact(probe.secret);
    try {
      const request: SshOpenRequest = {
        endpoint: { host: ssh.host, port: ssh.port, user: ssh.user },
        auth: this.auth(ssh, probe.secret),
        knownKeys: await this.knownKeys(probe.name, ssh),
        ...(probe.acceptFingerprint ? { acceptFingerprint: probe.acceptFingerprint } : {}),
        ...(ssh.sudoUser ? { sudoUser: ssh.sudoUser } : {}),
        timeoutMs: this.d.timeoutMs ?? 15_000,
      };
      return await connector(request);
    } catch (err) {
      if (err instanceof SshError) throw sshAppError(err, probe.name);
      throw err;
    }
  }

  /**
   * An unshared connection to a saved SSH instance with its kept secret, as the SSH user only (no
   * `sudo`): the doctor checks sudo on its own. The caller closes it.
   */
  async connectAsSshUser(record: InstanceRecord & { ssh: SshSettings }): Promise<RemoteSession> {
    const { sudoUser: _sudoUser, ...ssh } = record.ssh;
    const secret = (await this.d.session.get(this.d.account(record.name))) ?? (await this.savedSecret(record));
    return this.connect({ name: record.name, ssh, ...(secret ? { secret } : {}) });
  }

  /** Keeps an SSH instance's password or passphrase: in the keychain, or for this session only. */
  async keepSecret(name: string, secret: string | undefined, inKeychain: boolean): Promise<void> {
    const account = this.d.account(name);
    if (!secret) return;
    this.d.redact(secret);
    await (inKeychain ? this.d.keychain : this.d.session).set(account, secret);
  }

  /** Closes the instance's session and forgets its secrets (the instance was removed). */
  async forget(name: string): Promise<void> {
    this.close(name);
    const account = this.d.account(name);
    await this.d.session.delete(account);
    await this.d.keychain.delete(account).catch(() => false);
  }

  close(name: string): void {
    const pending = this.sessions.get(name);
    this.sessions.delete(name);
    void pending?.then(
      (s) => s.close(),
      () => undefined,
    );
  }

  closeAll(): void {
    for (const name of [...this.sessions.keys()]) this.close(name);
  }

  private async savedSecret(record: InstanceRecord): Promise<string | undefined> {
    if (!record.ssh?.secretSaved) return undefined;
    const secret = await this.d.keychain.get(this.d.account(record.name)).catch((err: unknown) => {
      throw new AppError(
        'KEYCHAIN_UNAVAILABLE',
        `The SSH ${record.ssh?.auth === 'password' ? 'password' : 'passphrase'} of ${record.name} is in the OS keychain, which cannot be read: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    if (secret) this.d.redact(secret);
    return secret ?? undefined;
  }

  private auth(ssh: SshProbe['ssh'], secret: string | undefined): SshOpenRequest['auth'] {
    if (ssh.auth === 'password') {
      if (!secret)
        throw new SshError(
          'auth',
          `No password is kept for ${ssh.user}@${ssh.host}.`,
          'Enter the password again (it is kept in the OS keychain), or use a key or the SSH agent.',
        );
      return { method: 'password', password: secret };
    }
    if (ssh.auth === 'key') {
      if (!ssh.keyFile) throw new AppError('INVALID_INPUT', 'Choose the private key file for this SSH instance.');
      return { method: 'key', path: ssh.keyFile, ...(secret ? { passphrase: secret } : {}) };
    }
    return { method: 'agent' };
  }

  private async knownKeys(name: string, ssh: SshProbe['ssh']): Promise<KnownHostKey[]> {
    const read = await readKnownHosts(
      this.d.fs,
      knownHostsFiles(this.d.host.platform, this.d.host.home),
      ssh.host,
      ssh.port,
    );
    for (const u of read.unreadable)
      this.d.logger.warn('A known_hosts file cannot be read', { file: u.file, code: u.code });
    const remembered: KnownHostKey[] = ssh.hostKey
      ? [{ type: ssh.hostKey.type, key: ssh.hostKey.key, revoked: false, source: `the key remembered for ${name}` }]
      : [];
    return [...read.keys, ...remembered];
  }
}
