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
import { instanceWhere, sshServer } from '../../../shared/ssh-target';
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

/** A step's verdict: `ok` with its summary, or `failed` with a fix; `refs` their catalogue references. */
export interface Outcome {
  state: 'ok' | 'failed';
  summary: string;
  details?: Record<string, string>;
  fix?: string;
  refs?: { summary?: MessageRef; fix?: MessageRef };
}

/** A verdict said through the catalogue: its English beside its references. */
function said(state: Outcome['state'], summary: MessageRef, fix?: MessageRef): Outcome {
  return {
    state,
    summary: english(summary),
    ...(fix ? { fix: english(fix) } : {}),
    refs: { summary, ...(fix ? { fix } : {}) },
  };
}

export type SshOutcomes = Partial<Record<SshStep, Outcome>>;

/** Why a check after a failed SSH step was not run: "Not checked: because DNS resolution failed." */
export function notCheckedBecause(failed: SshStep | null): MessageRef {
  return ref('doctor.notChecked.ssh', { step: failed ?? '' });
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
      ...said('ok', ref('ssh.auth.ok', { user: record.ssh.user, method: record.ssh.auth })),
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
  // The SSH adapters' message (and fix, but for the host key's) are English only: no reference.
  const fixRef = failure ? hostKeyFix(record, failure) : undefined;
  const fix = fixRef ? english(fixRef) : err.fix;
  const outcome: Outcome = {
    state: 'failed',
    summary: err.message.replace(new RegExp(`^${escapeRegExp(record.name)}: `), ''),
    details,
    ...(fix ? { fix } : {}),
    ...(fixRef ? { refs: { fix: fixRef } } : {}),
  };
  const passed: SshOutcomes = {};
  for (const before of STEPS.slice(0, STEPS.indexOf(step))) passed[before] = said('ok', ref(`ssh.passed.${before}`));
  return { ...passed, [step]: outcome };
}

/** `outcomes` with a failure's: its failed step replaces the one there, its passed ones fill the gaps. */
export function withFailure(outcomes: SshOutcomes, failure: SshOutcomes): SshOutcomes {
  const out = { ...outcomes };
  for (const [step, o] of Object.entries(failure) as [SshStep, Outcome][])
    if (o.state === 'failed' || !out[step]) out[step] = o;
  return out;
}

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
  const address = instanceWhere(record);
  const words = [
    `marketdesk instance add ${address} --name ${record.name}`,
    ...(ssh.auth !== 'agent' ? [`--auth ${ssh.auth}`] : []),
    ...(ssh.keyFile ? [`--key-file ${shellQuote(ssh.keyFile)}`] : []),
    ...(ssh.sudoUser ? [`--sudo-user ${ssh.sudoUser}`] : []),
    `--accept-host-key ${fingerprint}`,
  ];
  return words.join(' ');
}

/**
 * The fix of a host key that changed or is unknown: where the old key is and how to replace it;
 * undefined for the other failures (their fix is the adapter's).
 */
function hostKeyFix(record: SshInstance, failure: SshFailure): MessageRef | undefined {
  const v = failure.hostKey;
  if (!v || (failure.code !== 'host-changed' && failure.code !== 'host-unknown')) return undefined;
  const { host, port } = record.ssh;
  // From the key itself: the fingerprint saved beside it is only a copy.
  const mine = sha256Fingerprint(record.ssh.hostKey.key);
  const remembered = v.expected.includes(mine) || failure.code === 'host-unknown';
  const listed = v.expected.some((fp) => fp !== mine);
  return ref('ssh.hostKey.fix', {
    file: hostKeyFile(v.type),
    fingerprint: v.fingerprint,
    known: listed ? (port === 22 ? host : `'[${host}]:${port}'`) : '',
    name: record.name,
    readd: remembered ? readdCommand(record, v.fingerprint) : '',
  });
}

function hostKeyOk(record: SshInstance, presented: RemoteSession['hostKey']): Outcome {
  const remembered = presented.key === record.ssh.hostKey.key;
  const summary = ref('ssh.hostKey.ok', {
    type: presented.type,
    fingerprint: presented.fingerprint,
    remembered: remembered ? 'yes' : '',
    name: record.name,
  });
  return {
    ...said('ok', summary),
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
      outcome: { ...said('ok', ref('ssh.dns.ip', { host })), details: { host } },
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
        ...said('ok', ref('ssh.dns.ok', { host, addresses: addresses.join(', ') })),
        details: { host, addresses: addresses.join(', ') },
      },
      addresses,
    };
  } catch (err) {
    const code = codeOf(err);
    return {
      outcome: {
        ...said(
          'failed',
          code === 'ETIMEDOUT'
            ? ref('ssh.dns.timeout', { host, seconds: String(ms / 1000) })
            : ref('ssh.dns.notFound', { host, code }),
          ref('ssh.dns.fix', { host }),
        ),
        details: { host, code },
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
        ...said('ok', ref('ssh.tcp.ok', { address, port: String(ssh.port) })),
        details: { address: `${address}:${ssh.port}`, ...prefixed(tried) },
      };
    } catch (err) {
      if (deps.signal?.aborted) throw err;
      lastCode = codeOf(err);
      tried[address] = lastCode;
    }
  }
  const details = { addresses: addresses.join(', '), ...prefixed(tried) };
  const where = { host: ssh.host, port: String(ssh.port) };
  const port = { port: where.port };
  if (lastCode === 'ECONNREFUSED')
    return { ...said('failed', ref('ssh.tcp.refused', where), ref('ssh.tcp.fix.refused', port)), details };
  if (lastCode === 'EHOSTUNREACH' || lastCode === 'ENETUNREACH') {
    const summary = ref('ssh.tcp.unreachable', { host: ssh.host, code: lastCode });
    return { ...said('failed', summary, ref('ssh.tcp.fix.unreachable', port)), details };
  }
  if (lastCode === 'ETIMEDOUT') {
    const summary = ref('ssh.tcp.timeout', { ...where, seconds: String(ms / 1000) });
    return { ...said('failed', summary, ref('ssh.tcp.fix.timeout', where)), details };
  }
  const summary = ref('ssh.tcp.failed', { ...where, code: lastCode });
  return { ...said('failed', summary, ref('ssh.tcp.fix.failed', port)), details };
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
  const who = { user: ssh.user, runAs: sudoUser };
  if (r.exitCode === 0 && !r.error)
    return {
      ...said('ok', ref('ssh.sudo.ok', { ...who, command })),
      details: { command, 'run as': sudoUser },
    };
  const answer = r.output.trim().split('\n')[0]?.slice(0, 300) ?? '';
  const line = `${ssh.user} ALL=(${sudoUser}) NOPASSWD: ALL`;
  if (r.error?.code === 'ENOENT')
    return {
      ...said(
        'failed',
        ref('ssh.sudo.missing', { command, error: r.error.message }),
        ref('ssh.sudo.fix.install', { ...who, line }),
      ),
      details: { command },
    };
  const summary = r.timedOut
    ? ref('ssh.sudo.timeout', { command })
    : ref('ssh.sudo.denied', { ...who, command, said: answer, exit: String(r.exitCode ?? r.signal ?? 'unknown') });
  return {
    ...said('failed', summary, ref('ssh.sudo.fix.allow', { ...who, line })),
    details: { command, ...(answer ? { 'sudo said': answer } : {}) },
  };
}

/** The SSH section's title: `SSH connection (ssh://user@host)`. */
export function sshSectionTitle(ssh: SshSettings): MessageRef {
  return ref('doctor.section.ssh', { address: sshServer(ssh) });
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
