/**
 * Opens an SSH connection to a GLPI server with the `ssh2` client (no `ssh` binary), checking the
 * host key the way `ssh` does (known_hosts files plus the key remembered for the instance; an
 * unknown key only when the admin confirmed its fingerprint), and names every failure with its fix:
 * DNS, refused, no answer, unknown / changed / revoked host key, authentication, the agent, the
 * private key and its passphrase.
 */
// ssh2 is CommonJS and stays outside the bundles (its native addon): Node's ESM loader does not see
// its named exports, so they are taken from the default export.
import ssh2, { type Client, type ConnectConfig, type ParsedKey } from 'ssh2';
import type { SshFailureCode } from '../../../shared/instances';
import { parseKeyBlob, verifyHostKey, type HostKeyVerdict, type KnownHostKey } from '../../core/ssh/known-hosts';
import { SshError } from '../../core/ssh/ssh-error';

const { Client: SshClient, OpenSSHAgent, utils } = ssh2;

export type SshAuth =
  /** The SSH agent: `SSH_AUTH_SOCK` (a socket path), or `pageant` on Windows. */
  | { method: 'agent'; socket: string | undefined }
  /** A private key file's content; its passphrase comes from the keychain when the admin saved it. */
  | { method: 'key'; path: string; privateKey: Buffer; passphrase?: string }
  | { method: 'password'; password: string };

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
}

export interface SshConnectOptions {
  endpoint: SshEndpoint;
  auth: SshAuth;
  /** Keys listed for this host: the known_hosts files', then the one remembered for the instance. */
  knownKeys: KnownHostKey[];
  /** A `SHA256:...` fingerprint the admin confirmed: lets in an unknown host with exactly that key. */
  acceptFingerprint?: string;
  /** For the TCP connection, the handshake and authentication together. Default 15 s. */
  timeoutMs?: number;
}

export { SshError };
export type SshErrorCode = SshFailureCode;

export interface SshConnection {
  client: Client;
  /** The server's key as presented, and how it was trusted. */
  hostKey: { type: string; key: string; fingerprint: string; trustedBy: 'known' | 'confirmed' };
  close(): void;
}

const where = (e: SshEndpoint): string => `${e.host}${e.port === 22 ? '' : ` port ${e.port}`}`;

/** Checks what can be checked before connecting: the key can be read, the agent has keys. */
async function preflight(auth: SshAuth): Promise<Partial<ConnectConfig>> {
  if (auth.method === 'password') return { password: auth.password, tryKeyboard: false };
  if (auth.method === 'key') {
    // ssh2 returns an array for a file that holds several keys (its types do not say so).
    const result: unknown = utils.parseKey(auth.privateKey, auth.passphrase);
    const parsed = (Array.isArray(result) ? (result as ParsedKey[])[0] : result) as ParsedKey | Error | undefined;
    if (!parsed || parsed instanceof Error || !parsed.isPrivateKey()) {
      if (!parsed || !(parsed instanceof Error)) {
        throw new SshError(
          'key-invalid',
          `${auth.path} holds a public key, not a private one.`,
          'Choose the private key file (e.g. ~/.ssh/id_ed25519, not the .pub), in OpenSSH or PEM format.',
        );
      }
      if (/passphrase|encrypted|decrypt|bad/i.test(parsed.message)) {
        throw new SshError(
          'key-passphrase',
          auth.passphrase
            ? `The passphrase does not open the private key ${auth.path}.`
            : `The private key ${auth.path} is protected by a passphrase, and none was given.`,
          'Enter the passphrase of this key (Marketdesk can keep it in the OS keychain), or use the SSH agent.',
        );
      }
      throw new SshError(
        'key-invalid',
        `${auth.path} is not a private key that Marketdesk can read (${parsed.message}).`,
        'Choose the private key file (e.g. ~/.ssh/id_ed25519, not the .pub), in OpenSSH or PEM format.',
      );
    }
    return { privateKey: auth.privateKey, ...(auth.passphrase ? { passphrase: auth.passphrase } : {}) };
  }
  const socket = auth.socket;
  if (!socket) {
    throw new SshError(
      'agent-unavailable',
      'No SSH agent is running for Marketdesk (SSH_AUTH_SOCK is not set).',
      'Start an agent and add your key (eval "$(ssh-agent)" && ssh-add), then start Marketdesk from that session; or choose a key file.',
    );
  }
  if (socket !== 'pageant') {
    const count = await new Promise<number>((resolve, reject) =>
      new OpenSSHAgent(socket).getIdentities((err, keys) => (err ? reject(err) : resolve(keys?.length ?? 0))),
    ).catch((err: Error) => {
      throw new SshError(
        'agent-unavailable',
        `The SSH agent at ${socket} does not answer (${err.message}).`,
        'Restart the agent (eval "$(ssh-agent)"), add your key with ssh-add, and start Marketdesk from that session.',
      );
    });
    if (count === 0) {
      throw new SshError(
        'agent-empty',
        'The SSH agent holds no key.',
        'Add the key that the server accepts: ssh-add ~/.ssh/id_ed25519 (ssh-add -l lists what the agent holds).',
      );
    }
  }
  return { agent: socket };
}

/** The file sshd keeps a host key of this type in (Debian's layout). */
function hostKeyFile(type: string): string {
  const kind = type.includes('ed25519') ? 'ed25519' : type.startsWith('ecdsa') ? 'ecdsa' : 'rsa';
  return `/etc/ssh/ssh_host_${kind}_key.pub`;
}

function hostKeyError(e: SshEndpoint, v: HostKeyVerdict): SshError {
  const type = v.kind === 'trusted' ? 'ssh-ed25519' : v.type;
  const check = `Compare it with the fingerprint read on the server itself (ssh-keygen -lf ${hostKeyFile(type)}) or given by its administrator`;
  if (v.kind === 'changed') {
    return new SshError(
      'host-changed',
      `The host key of ${where(e)} has CHANGED: it presents ${v.fingerprint}, but ${v.source} lists ${v.expected.join(', ')}. This can be a reinstalled server, or someone intercepting the connection; Marketdesk does not connect.`,
      `${check}. Only if it matches ${v.fingerprint}, remove the old entry (ssh-keygen -R ${e.port === 22 ? e.host : `'[${e.host}]:${e.port}'`}) and connect again.`,
      v,
    );
  }
  if (v.kind === 'revoked') {
    return new SshError(
      'host-revoked',
      `The host key of ${where(e)} (${v.fingerprint}) is marked @revoked in ${v.source}; Marketdesk does not connect.`,
      'Ask the server administrator why this key was revoked and which key the server should present now.',
      v,
    );
  }
  return new SshError(
    'host-unknown',
    `${where(e)} is not a known host. Its ${type} key fingerprint is ${v.fingerprint}.`,
    `${check}. If it matches, trust it (CLI: --accept-host-key ${v.fingerprint}); Marketdesk remembers it for this instance.`,
    v,
  );
}

function networkError(e: SshEndpoint, err: NodeJS.ErrnoException & { level?: string }): SshError {
  const code = err.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new SshError(
      'dns',
      `The name ${e.host} could not be resolved (${code}).`,
      "Check the host name (a typo, a missing domain) and this computer's DNS, or use the server's IP address.",
    );
  }
  if (code === 'ECONNREFUSED') {
    return new SshError(
      'refused',
      `${e.host} refused the connection on port ${e.port}: no SSH server listens there.`,
      `Check the port (sshd's Port in /etc/ssh/sshd_config) and that sshd runs: systemctl status ssh.`,
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new SshError(
      'unreachable',
      `${e.host} cannot be reached from this computer (${code}).`,
      'Check the VPN or the route to the server, and a firewall between this computer and it.',
    );
  }
  if (code === 'ETIMEDOUT' || /timed out/i.test(err.message)) {
    return new SshError(
      'timeout',
      `${where(e)} did not answer the SSH handshake in time.`,
      `A firewall may drop the traffic to port ${e.port}, or the server is down or overloaded. Check: nc -vz ${e.host} ${e.port}.`,
    );
  }
  if (err.level === 'client-authentication') {
    return new SshError(
      'auth',
      `${where(e)} refused the login of ${e.user} (${err.message}).`,
      `Check the user name and that the server accepts this key or password for ${e.user} (its ~/.ssh/authorized_keys; sshd's log says why: journalctl -u ssh).`,
    );
  }
  return new SshError(
    'protocol',
    `The SSH connection to ${where(e)} failed: ${err.message}.`,
    "Try again; if it persists, check the server's sshd log.",
  );
}

export async function connectSsh(options: SshConnectOptions): Promise<SshConnection> {
  const { endpoint } = options;
  const credentials = await preflight(options.auth);
  const client = new SshClient();
  let verdict: HostKeyVerdict | undefined;
  let presented: { type: string; key: string } | undefined;
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    readyTimeout: options.timeoutMs ?? 15_000,
    keepaliveInterval: 10_000,
    keepaliveCountMax: 3,
    ...credentials,
    hostVerifier: (blob: Buffer): boolean => {
      try {
        presented = parseKeyBlob(blob);
      } catch {
        return false;
      }
      verdict = verifyHostKey(presented, options.knownKeys);
      return (
        verdict.kind === 'trusted' || (verdict.kind === 'unknown' && verdict.fingerprint === options.acceptFingerprint)
      );
    },
  };
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    // Stays for the connection's life: later errors (a cut connection) surface through the
    // operation that was running, and ssh2 may emit more than one error while closing.
    client.on('error', (err: NodeJS.ErrnoException & { level?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      if (verdict && verdict.kind !== 'trusted' && /verification|denied/i.test(err.message)) {
        reject(hostKeyError(endpoint, verdict));
      } else reject(networkError(endpoint, err));
    });
    client.once('ready', () => {
      settled = true;
      resolve();
    });
    try {
      client.connect(config);
    } catch (err) {
      settled = true;
      reject(
        new SshError(
          'protocol',
          `The SSH connection could not start: ${(err as Error).message}.`,
          'Check the instance settings.',
        ),
      );
    }
  });
  return {
    client,
    hostKey: {
      ...presented!,
      fingerprint: verdict!.fingerprint,
      trustedBy: verdict!.kind === 'trusted' ? 'known' : 'confirmed',
    },
    close: () => client.end(),
  };
}
