/**
 * The doctor's SSH steps for an instance on a GLPI server (issue 12): DNS, TCP, the SSH handshake
 * and host key, authentication, and `sudo` to the web server user when the instance writes as one.
 * DNS and TCP go through the connectivity probe's sockets; the rest through one unshared SSH
 * connection as the SSH user (InstanceAccess), whose SSH_FAILED error code names the step that
 * failed. The steps stop at the first failure: the later ones are skipped, saying which one failed.
 */
import type { InstanceRecord, SshFailure, SshFailureCode, SshSettings } from '../../../shared/instances';
import { AppError } from '../../../shared/errors';
import { english, ref, type MessageRef } from '../../../shared/messages/ref';
import { formatSshTarget } from '../../../shared/ssh-target';
import { sshLabel } from '../instance-access';
import type { ProcessRunner, RemoteSession } from '../ports';
import { sha256Fingerprint } from '../ssh/known-hosts';
import { skipped, type Check } from './check';
import type { ConnectivityPort } from './connectivity';
import { isIpLiteral } from './connectivity/route';
import { shellQuote } from './instance/common';

export type SshStep = 'dns' | 'tcp' | 'host-key' | 'auth' | 'sudo';

/** In the order they run; `sudo` only for an instance that writes as another user. */
const STEPS: readonly SshStep[] = ['dns', 'tcp', 'host-key', 'auth', 'sudo'];

/** A step's title, from the catalogue (`title.ssh.<step>`). */
export function sshStepTitle(step: SshStep): string {
  return english(ref(`title.ssh.${step}`));
}

/** The step each SSH failure belongs to. A handshake that times out or breaks is the handshake's. */
export const SSH_STEP_OF: Record<SshFailureCode, SshStep> = {
  dns: 'dns',
  refused: 'tcp',
  unreachable: 'tcp',
  timeout: 'host-key',
  protocol: 'host-key',
  'host-unknown': 'host-key',
  'host-changed': 'host-key',
  'host-revoked': 'host-key',
  auth: 'auth',
  'agent-unavailable': 'auth',
  'agent-empty': 'auth',
  'key-invalid': 'auth',
  'key-passphrase': 'auth',
  sudo: 'sudo',
};

/** DNS and the TCP connection each get this long (GLPI's own connect timeout). */
export const SSH_CONNECT_STEP_MS = 5_000;

export type SshInstance = InstanceRecord & { ssh: SshSettings };

export interface SshCheckDeps {
  /** The connectivity probe's sockets (resolve, connect, close). */
  probe: ConnectivityPort<unknown>;
  /** An unshared connection as the SSH user (no sudo), with the instance's kept secret. */
  connect: () => Promise<RemoteSession>;
  stepMs?: number;
  signal?: AbortSignal;
}

/** A step's verdict: `ok` with its summary, or `failed` with a fix. */
export interface Outcome {
  state: 'ok' | 'failed';
  summary: string;
  details?: Record<string, string>;
  fix?: string;
}

export type SshOutcomes = Partial<Record<SshStep, Outcome>>;

/** Why a check after a failed SSH step was not run: "Not checked: because DNS resolution failed." */
export function notCheckedBecause(failed: SshStep | null): MessageRef {
  return ref('doctor.notChecked.ssh', { step: failed ?? 'an earlier step' });
}

/** The SSH section's checks, in order; every step after the first failure is skipped. */
export function sshSection(record: SshInstance, outcomes: SshOutcomes): Check[] {
  const steps = STEPS.filter((s) => s !== 'sudo' || record.ssh.sudoUser);
  let failed: SshStep | null = null;
  return steps.map((step) => {
    const id = `ssh.${step}`;
    const title = sshStepTitle(step);
    const o = outcomes[step];
    if (failed || !o) return skipped(id, title, notCheckedBecause(failed));
    if (o.state === 'failed') failed = step;
    return { id, title, ...o };
  });
}

/** The first step that failed, if any. */
export function failedSshStep(outcomes: SshOutcomes): SshStep | null {
  return STEPS.find((s) => outcomes[s]?.state === 'failed') ?? null;
}

/** Runs the SSH steps of `record` up to the first failure. Never throws for what it finds. */
export async function runSshSteps(record: SshInstance, deps: SshCheckDeps): Promise<SshOutcomes> {
  const outcomes: SshOutcomes = {};
  const { host } = record.ssh;
  const stepMs = deps.stepMs ?? SSH_CONNECT_STEP_MS;
  const dns = await dnsStep(deps, host, stepMs);
  outcomes.dns = dns.outcome;
  if (dns.outcome.state === 'failed') return outcomes;
  outcomes.tcp = await tcpStep(deps, record.ssh, dns.addresses, stepMs);
  if (outcomes.tcp.state === 'failed') return outcomes;

  let session: RemoteSession;
  try {
    session = await deps.connect();
  } catch (err) {
    return withFailure(outcomes, failureOutcome(record, err));
  }
  try {
    outcomes['host-key'] = hostKeyOk(record, session.hostKey);
    outcomes.auth = {
      state: 'ok',
      summary: `${record.ssh.user} is logged in (${AUTH_TEXT[record.ssh.auth]}); files and commands work.`,
      details: {
        user: record.ssh.user,
        method: record.ssh.auth,
        ...(record.ssh.keyFile ? { 'key file': record.ssh.keyFile } : {}),
      },
    };
    if (record.ssh.sudoUser) outcomes.sudo = await sudoStep(session.processes, record.ssh, record.ssh.sudoUser);
  } finally {
    session.close();
  }
  return outcomes;
}

/**
 * Where an error of InstanceAccess (connecting, or opening the instance's target) lands: the
 * step its SSH code names, with its message and a fix; anything else (a keychain that cannot be
 * read, no key file chosen) is the authentication's. The steps before it passed.
 */
export function failureOutcome(record: SshInstance, err: unknown): SshOutcomes {
  if (!(err instanceof AppError)) throw err;
  const failure = err.code === 'SSH_FAILED' ? (err.details as SshFailure | undefined) : undefined;
  const step: SshStep = failure ? SSH_STEP_OF[failure.code] : 'auth';
  const details: Record<string, string> = { ...(failure ? { code: failure.code } : { error: err.code }) };
  if (failure?.hostKey) {
    details.presented = `${failure.hostKey.type} ${failure.hostKey.fingerprint}`;
    if (failure.hostKey.expected.length > 0) details.expected = failure.hostKey.expected.join(', ');
  }
  const fix = failure ? sshFix(record, failure, err.fix) : err.fix;
  const outcome: Outcome = {
    state: 'failed',
    summary: err.message.replace(new RegExp(`^${escapeRegExp(record.name)}: `), ''),
    details,
    ...(fix ? { fix } : {}),
  };
  const passed: SshOutcomes = {};
  for (const before of STEPS.slice(0, STEPS.indexOf(step))) passed[before] = { state: 'ok', summary: PASSED[before] };
  return { ...passed, [step]: outcome };
}

/** `outcomes` with a failure's: its failed step replaces the one there, its passed ones fill the gaps. */
export function withFailure(outcomes: SshOutcomes, failure: SshOutcomes): SshOutcomes {
  const out = { ...outcomes };
  for (const [step, o] of Object.entries(failure) as [SshStep, Outcome][])
    if (o.state === 'failed' || !out[step]) out[step] = o;
  return out;
}

const PASSED: Record<SshStep, string> = {
  dns: 'The name resolves.',
  tcp: 'The SSH port answers.',
  'host-key': "The server's host key is the one trusted for this instance.",
  auth: 'The SSH user is logged in.',
  sudo: 'sudo works.',
};

const AUTH_TEXT: Record<SshSettings['auth'], string> = {
  agent: 'with a key of the SSH agent',
  key: 'with its key file',
  password: 'with its password',
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The file sshd keeps a host key of this type in (Debian's layout), to read its fingerprint there. */
export function hostKeyFile(type: string): string {
  const kind = type.includes('ed25519') ? 'ed25519' : type.startsWith('ecdsa') ? 'ecdsa' : 'rsa';
  return `/etc/ssh/ssh_host_${kind}_key.pub`;
}

/** `instance add` again, as this instance was added, confirming `fingerprint`. */
function readdCommand(record: SshInstance, fingerprint: string): string {
  const { ssh } = record;
  const address = formatSshTarget({ user: ssh.user, host: ssh.host, port: ssh.port, path: record.root });
  const words = [
    `marketdesk instance add ${address} --name ${record.name}`,
    ...(ssh.auth !== 'agent' ? [`--auth ${ssh.auth}`] : []),
    ...(ssh.keyFile ? [`--key-file ${shellQuote(ssh.keyFile)}`] : []),
    ...(ssh.sudoUser ? [`--sudo-user ${ssh.sudoUser}`] : []),
    `--accept-host-key ${fingerprint}`,
  ];
  return words.join(' ');
}

/** The fix of an SSH failure: the host key ones say where the old key is and how to replace it. */
function sshFix(record: SshInstance, failure: SshFailure, given: string | undefined): string | undefined {
  const v = failure.hostKey;
  if (!v || (failure.code !== 'host-changed' && failure.code !== 'host-unknown')) return given;
  const { host, port } = record.ssh;
  const check = `On the server, read its key's fingerprint: ssh-keygen -lf ${hostKeyFile(v.type)} (or ask its administrator), and compare it with ${v.fingerprint}. If they differ, do not connect: someone may be intercepting the connection.`;
  // From the key itself: the fingerprint saved beside it is only a copy.
  const mine = sha256Fingerprint(record.ssh.hostKey.key);
  const remembered = v.expected.includes(mine) || failure.code === 'host-unknown';
  const listed = v.expected.some((fp) => fp !== mine);
  const steps = [
    ...(listed
      ? [`remove the old entry from known_hosts: ssh-keygen -R ${port === 22 ? host : `'[${host}]:${port}'`}`]
      : []),
    ...(remembered
      ? [
          `replace the key remembered for ${record.name}: marketdesk instance remove ${record.name}, then ${readdCommand(record, v.fingerprint)}`,
        ]
      : []),
  ];
  return `${check} Only if they match, ${steps.join('; then ')}.`;
}

function hostKeyOk(record: SshInstance, presented: RemoteSession['hostKey']): Outcome {
  const remembered = presented.key === record.ssh.hostKey.key;
  return {
    state: 'ok',
    summary: `The server presents its ${presented.type} key ${presented.fingerprint}, ${
      remembered ? `the one remembered for ${record.name}` : "listed in this computer's known_hosts"
    }.`,
    details: {
      type: presented.type,
      fingerprint: presented.fingerprint,
      'trusted by': remembered ? `the key remembered for ${record.name}` : 'known_hosts',
    },
  };
}

async function within<T>(
  ms: number,
  parent: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
  late: (value: T) => void,
): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' }));
    }, ms);
  });
  const work = run(controller.signal);
  work.then(
    (v) => timedOut && late(v),
    () => undefined,
  );
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onAbort);
  }
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}

async function dnsStep(
  deps: SshCheckDeps,
  host: string,
  ms: number,
): Promise<{ outcome: Outcome; addresses: string[] }> {
  if (isIpLiteral(host))
    return {
      outcome: { state: 'ok', summary: `${host} is an IP address: no DNS lookup needed.`, details: { host } },
      addresses: [host],
    };
  try {
    const addresses = await within(
      ms,
      deps.signal,
      (s) => deps.probe.resolve(host, s),
      () => undefined,
    );
    if (addresses.length === 0) throw Object.assign(new Error('no address'), { code: 'ENODATA' });
    return {
      outcome: {
        state: 'ok',
        summary: `${host} resolves to ${addresses.join(', ')}.`,
        details: { host, addresses: addresses.join(', ') },
      },
      addresses,
    };
  } catch (err) {
    const code = codeOf(err);
    return {
      outcome: {
        state: 'failed',
        summary:
          code === 'ETIMEDOUT'
            ? `No DNS answer for ${host} within ${ms / 1000} s.`
            : `${host} could not be resolved (${code}): the name does not exist, or this computer's DNS does not know it.`,
        details: { host, code },
        fix: `Check the host name of the instance (a typo, a missing domain) and this computer's DNS (try nslookup ${host}), or add the instance again with the server's IP address.`,
      },
      addresses: [],
    };
  }
}

async function tcpStep(deps: SshCheckDeps, ssh: SshSettings, addresses: string[], ms: number): Promise<Outcome> {
  const tried: Record<string, string> = {};
  const t0 = Date.now();
  let lastCode = 'ETIMEDOUT';
  for (const address of addresses) {
    const left = ms - (Date.now() - t0);
    if (left <= 0) break;
    try {
      const conn = await within(
        left,
        deps.signal,
        (s) => deps.probe.connect(address, ssh.port, s),
        (late) => deps.probe.close(late),
      );
      deps.probe.close(conn);
      return {
        state: 'ok',
        summary: `Connected to ${address} port ${ssh.port}.`,
        details: { address: `${address}:${ssh.port}`, ...prefixed(tried) },
      };
    } catch (err) {
      if (deps.signal?.aborted) throw err;
      lastCode = codeOf(err);
      tried[address] = lastCode;
    }
  }
  const where = `${ssh.host} port ${ssh.port}`;
  const details = { addresses: addresses.join(', '), ...prefixed(tried) };
  const firewall = `a firewall between this computer and the server must let TCP port ${ssh.port} through`;
  if (lastCode === 'ECONNREFUSED')
    return {
      state: 'failed',
      summary: `${where} refused the connection: no SSH server listens there.`,
      details,
      fix: `Check the port of the instance (sshd's Port in /etc/ssh/sshd_config on the server) and that sshd runs there: systemctl status ssh. Otherwise ${firewall}.`,
    };
  if (lastCode === 'EHOSTUNREACH' || lastCode === 'ENETUNREACH')
    return {
      state: 'failed',
      summary: `${ssh.host} cannot be reached from this computer (${lastCode}).`,
      details,
      fix: `Check the VPN or the route to the server; ${firewall}.`,
    };
  if (lastCode === 'ETIMEDOUT')
    return {
      state: 'failed',
      summary: `No answer from ${where} within ${ms / 1000} s: a firewall probably drops the traffic, or the server is down.`,
      details,
      fix: `Check that the server is up, and that ${firewall} (try: nc -vz ${ssh.host} ${ssh.port}).`,
    };
  return {
    state: 'failed',
    summary: `Connecting to ${where} failed (${lastCode}).`,
    details,
    fix: `Check the network between this computer and the server; ${firewall}.`,
  };
}

function prefixed(tried: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tried).map(([a, code]) => [`failed ${a}`, code]));
}

/** `sudo -n -u <user> true` on the server, as the SSH user: what the instance's files and php need. */
async function sudoStep(processes: ProcessRunner, ssh: SshSettings, sudoUser: string): Promise<Outcome> {
  const r = await processes.run({
    file: 'sudo',
    args: ['-n', '-u', sudoUser, 'true'],
    cwd: '/',
    timeoutMs: 10_000,
    maxOutputBytes: 4096,
  });
  const command = `sudo -n -u ${sudoUser} true`;
  if (r.exitCode === 0 && !r.error)
    return {
      state: 'ok',
      summary: `${ssh.user} may act as ${sudoUser} without a password (${command} works).`,
      details: { command, 'run as': sudoUser },
    };
  const said = r.output.trim().split('\n')[0]?.slice(0, 300) ?? '';
  const line = `${ssh.user} ALL=(${sudoUser}) NOPASSWD: ALL`;
  if (r.error?.code === 'ENOENT')
    return {
      state: 'failed',
      summary: `sudo is not installed on the server (${command}: ${r.error.message}).`,
      details: { command },
      fix: `Install sudo on the server (Debian: apt install sudo), then allow ${ssh.user} to act as ${sudoUser}: visudo -f /etc/sudoers.d/marketdesk and add the line: ${line}`,
    };
  return {
    state: 'failed',
    summary: r.timedOut
      ? `${command} did not finish within 10 s on the server.`
      : `${ssh.user} may not act as ${sudoUser} without a password: ${command} said ${said ? `"${said}"` : `nothing (exit ${r.exitCode ?? r.signal ?? 'unknown'})`}.`,
    details: { command, ...(said ? { 'sudo said': said } : {}) },
    fix: `On the server, as root, run visudo -f /etc/sudoers.d/marketdesk and add the line: ${line} (Marketdesk runs sftp-server, id and php as ${sudoUser}); or remove "run as" from the instance to work as ${ssh.user}.`,
  };
}

/** The SSH section's title: `SSH connection (ssh://user@host)`. */
export function sshSectionTitle(ssh: SshSettings): MessageRef {
  return ref('doctor.section.ssh', { address: sshLabel(ssh) });
}

/**
 * Who the instance's files are read and written as on the server (`id` through the target's
 * runner: the SSH user, or the web user through sudo), for the permission checks; null when `id`
 * does not answer (the checks then judge from the permission bits alone).
 */
export async function remoteUser(processes: ProcessRunner): Promise<{ uid: number; gids: number[] } | null> {
  const r = await processes.run({ file: 'id', args: [], cwd: '/', timeoutMs: 10_000, maxOutputBytes: 4096 });
  const uid = /uid=(\d+)/.exec(r.output);
  if (r.exitCode !== 0 || !uid) return null;
  const groups = /groups=(\S+)/.exec(r.output)?.[1] ?? '';
  const gids = groups
    .split(',')
    .map((g) => Number(/^\d+/.exec(g)?.[0]))
    .filter((g) => Number.isInteger(g));
  return { uid: Number(uid[1]), gids };
}
