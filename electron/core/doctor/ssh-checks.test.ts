import { describe, expect, it } from 'vitest';
import type { SshFailureCode } from '../../../shared/instances';
import { AppError } from '../../../shared/errors';
import type { ProcessRequest, ProcessResult, ProcessRunner } from '../ports';
import { SshError, sshAppError } from '../ssh/ssh-error';
import type { HostKeyVerdict } from '../ssh/known-hosts';
import type { Check } from './check';
import type { ConnectivityPort } from './connectivity';
import {
  failedSshStep,
  remoteUser,
  runSshSteps,
  sshSection,
  SSH_STEP_OF,
  type SshCheckDeps,
  type SshInstance,
} from './ssh-checks';
import { fakeSession, REMEMBERED, sshRecord } from './ssh-checks.testkit';

function record(over: Partial<SshInstance['ssh']> = {}): SshInstance {
  return sshRecord({ keyFile: '/home/me/.ssh/id_ed25519', ...over });
}

function ok(over: Partial<ProcessResult> = {}): ProcessResult {
  return { exitCode: 0, signal: null, output: '', truncated: false, timedOut: false, ...over };
}

function runner(answer: (req: ProcessRequest) => ProcessResult): ProcessRunner & { seen: ProcessRequest[] } {
  const seen: ProcessRequest[] = [];
  return {
    seen,
    run: (req) => {
      seen.push(req);
      return Promise.resolve(answer(req));
    },
  };
}

function session(processes: ProcessRunner = runner(() => ok()), hostKey = REMEMBERED): ReturnType<typeof fakeSession> {
  return fakeSession(processes, hostKey);
}

type Err = Error & { code: string };
const errno = (code: string): Err => Object.assign(new Error(code), { code });

function probe(
  over: { resolve?: () => Promise<string[]>; connect?: () => Promise<unknown> } = {},
): ConnectivityPort<unknown> & { connects: string[]; closed: number } {
  const p = {
    connects: [] as string[],
    closed: 0,
    resolve: over.resolve ?? (() => Promise.resolve(['192.0.2.10'])),
    connect: (address: string, port: number) => {
      p.connects.push(`${address}:${port}`);
      return over.connect ? over.connect() : Promise.resolve({});
    },
    close: () => {
      p.closed += 1;
    },
  } as unknown as ConnectivityPort<unknown> & { connects: string[]; closed: number };
  return p;
}

function sshFailed(code: SshFailureCode, verdict?: HostKeyVerdict): AppError {
  return sshAppError(new SshError(code, `what ${code} says`, `fix for ${code}`, verdict), 'prod');
}

async function doctor(r: SshInstance, deps: Partial<SshCheckDeps>): Promise<Map<string, Check>> {
  const outcomes = await runSshSteps(r, {
    probe: deps.probe ?? probe(),
    connect: deps.connect ?? (() => Promise.resolve(session())),
    stepMs: deps.stepMs ?? 1_000,
  });
  return new Map(sshSection(r, outcomes).map((c) => [c.id, c]));
}

const states = (checks: Map<string, Check>) => Object.fromEntries([...checks].map(([id, c]) => [id, c.state]));

describe('the SSH steps of the doctor', () => {
  it('passes every step of a reachable server, and closes its connection', async () => {
    const s = session();
    const p = probe();
    const checks = await doctor(record(), { probe: p, connect: () => Promise.resolve(s) });
    expect(states(checks)).toEqual({ 'ssh.dns': 'ok', 'ssh.tcp': 'ok', 'ssh.host-key': 'ok', 'ssh.auth': 'ok' });
    expect(checks.get('ssh.dns')?.summary).toBe('glpi.example.org resolves to 192.0.2.10.');
    expect(p.connects).toEqual(['192.0.2.10:2222']);
    expect(p.closed).toBe(1);
    expect(checks.get('ssh.host-key')?.summary).toContain(`${REMEMBERED.fingerprint}, the one remembered for prod`);
    expect(checks.get('ssh.auth')?.summary).toContain('admin is logged in (with its key file)');
    expect(s.closed).toBe(1);
  });

  it('says when the key was trusted through known_hosts rather than remembered', async () => {
    const other = { type: 'ssh-ed25519', key: 'AAAAother', fingerprint: 'SHA256:other' };
    const checks = await doctor(record(), { connect: () => Promise.resolve(session(undefined, other)) });
    expect(checks.get('ssh.host-key')?.details?.['trusted by']).toBe('known_hosts');
  });

  it('stops at DNS: the later steps are skipped, saying why, and nothing connects', async () => {
    let connected = false;
    const checks = await doctor(record(), {
      probe: probe({ resolve: () => Promise.reject(errno('ENOTFOUND')) }),
      connect: () => {
        connected = true;
        return Promise.resolve(session());
      },
    });
    expect(states(checks)).toEqual({
      'ssh.dns': 'failed',
      'ssh.tcp': 'skipped',
      'ssh.host-key': 'skipped',
      'ssh.auth': 'skipped',
    });
    expect(checks.get('ssh.dns')?.fix).toContain('nslookup glpi.example.org');
    expect(checks.get('ssh.auth')?.summary).toBe('Not checked: because DNS resolution failed.');
    expect(checks.get('ssh.auth')?.refs?.summary).toEqual({
      id: 'doctor.notChecked.ssh',
      params: { step: 'dns' },
    });
    expect(connected).toBe(false);
  });

  it('gives up on a DNS server that does not answer, within the step limit', async () => {
    const checks = await doctor(record(), {
      probe: probe({ resolve: () => new Promise(() => undefined) }),
      stepMs: 50,
    });
    expect(checks.get('ssh.dns')?.summary).toBe('No DNS answer for glpi.example.org within 0.05 s.');
  });

  it('needs no DNS for an IP address', async () => {
    const p = probe({ resolve: () => Promise.reject(new Error('not asked')) });
    const checks = await doctor(record({ host: '192.0.2.7' }), { probe: p });
    expect(checks.get('ssh.dns')?.state).toBe('ok');
    expect(p.connects).toEqual(['192.0.2.7:2222']);
  });

  it.each([
    ['ECONNREFUSED', /refused the connection/, /systemctl status ssh/],
    ['EHOSTUNREACH', /cannot be reached/, /VPN or the route/],
    ['ETIMEDOUT', /No answer from glpi.example.org port 2222/, /nc -vz glpi.example.org 2222/],
  ])('stops at TCP on %s, with its own fix', async (code, summary, fix) => {
    const checks = await doctor(record(), { probe: probe({ connect: () => Promise.reject(errno(code)) }) });
    expect(states(checks)).toMatchObject({ 'ssh.dns': 'ok', 'ssh.tcp': 'failed', 'ssh.host-key': 'skipped' });
    expect(checks.get('ssh.tcp')?.summary).toMatch(summary);
    expect(checks.get('ssh.tcp')?.fix).toMatch(fix);
  });

  const codes = Object.keys(SSH_STEP_OF) as SshFailureCode[];
  it.each(codes)(
    'puts the connection failure %s on its step, the earlier ones passed, the later skipped',
    async (code) => {
      const r = record({ sudoUser: 'www-data' });
      const checks = await doctor(r, { connect: () => Promise.reject(sshFailed(code)) });
      const order = ['dns', 'tcp', 'host-key', 'auth', 'sudo'];
      const at = order.indexOf(SSH_STEP_OF[code]);
      expect(states(checks)).toEqual(
        Object.fromEntries(order.map((s, i) => [`ssh.${s}`, i < at ? 'ok' : i === at ? 'failed' : 'skipped'])),
      );
      const failed = checks.get(`ssh.${SSH_STEP_OF[code]}`);
      expect(failed?.summary).toBe(`what ${code} says`);
      expect(failed?.fix).toBe(`fix for ${code}`);
      expect(failed?.details?.code).toBe(code);
    },
  );

  it('maps the agent and key failures to authentication, host key failures to the host key', () => {
    expect(SSH_STEP_OF['agent-empty']).toBe('auth');
    expect(SSH_STEP_OF['key-passphrase']).toBe('auth');
    expect(SSH_STEP_OF['host-changed']).toBe('host-key');
    expect(SSH_STEP_OF.refused).toBe('tcp');
  });

  it('on a changed key remembered for the instance: compare on the server, then add it again with the new one', async () => {
    const verdict: HostKeyVerdict = {
      kind: 'changed',
      type: 'ssh-ed25519',
      fingerprint: 'SHA256:new',
      expected: [REMEMBERED.fingerprint],
      source: 'the key remembered for prod',
    };
    const checks = await doctor(record({ sudoUser: 'www-data' }), {
      connect: () => Promise.reject(sshFailed('host-changed', verdict)),
    });
    const c = checks.get('ssh.host-key');
    expect(c?.state).toBe('failed');
    expect(c?.details).toMatchObject({ presented: 'ssh-ed25519 SHA256:new', expected: REMEMBERED.fingerprint });
    expect(c?.fix).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
    expect(c?.fix).toContain('compare it with SHA256:new');
    expect(c?.fix).toContain(
      'Only if they match, replace the key remembered for prod: marketdesk instance remove prod, then marketdesk instance add ssh://admin@glpi.example.org:2222/var/www/glpi --name prod --auth key --key-file /home/me/.ssh/id_ed25519 --sudo-user www-data --accept-host-key SHA256:new.',
    );
    expect(c?.fix).not.toContain('ssh-keygen -R');
    expect(checks.get('ssh.auth')?.summary).toContain('because SSH handshake and host key failed');
  });

  it('on a changed key listed in known_hosts: ssh-keygen -R only once the fingerprints match', async () => {
    const verdict: HostKeyVerdict = {
      kind: 'changed',
      type: 'ecdsa-sha2-nistp256',
      fingerprint: 'SHA256:new',
      expected: ['SHA256:inknownhosts'],
      source: '~/.ssh/known_hosts:3',
    };
    const checks = await doctor(record(), { connect: () => Promise.reject(sshFailed('host-changed', verdict)) });
    const fix = checks.get('ssh.host-key')?.fix ?? '';
    expect(fix).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ecdsa_key.pub');
    expect(fix).toMatch(
      /If they differ, do not connect.*Only if they match, remove the old entry from known_hosts: ssh-keygen -R '\[glpi.example.org\]:2222'\.$/,
    );
  });

  it('blames authentication for what is not an SSH failure (a keychain that cannot be read)', async () => {
    const checks = await doctor(record(), {
      connect: () =>
        Promise.reject(
          new AppError(
            'KEYCHAIN_UNAVAILABLE',
            'The SSH passphrase of prod is in the OS keychain, which cannot be read: locked',
          ),
        ),
    });
    expect(checks.get('ssh.auth')?.state).toBe('failed');
    expect(checks.get('ssh.auth')?.details?.error).toBe('KEYCHAIN_UNAVAILABLE');
    expect(checks.get('ssh.host-key')?.state).toBe('ok');
  });

  describe('sudo, when the instance writes as another user', () => {
    it('runs sudo -n -u <user> true as the SSH user', async () => {
      const r = runner(() => ok());
      const checks = await doctor(record({ sudoUser: 'www-data' }), { connect: () => Promise.resolve(session(r)) });
      expect(r.seen.map((q) => [q.file, ...q.args].join(' '))).toEqual(['sudo -n -u www-data true']);
      expect(checks.get('ssh.sudo')?.state).toBe('ok');
      expect(checks.get('ssh.sudo')?.summary).toContain('admin may act as www-data without a password');
    });

    it('quotes what sudo said and gives the sudoers line to add', async () => {
      const r = runner(() => ok({ exitCode: 1, output: 'sudo: a password is required\n' }));
      const checks = await doctor(record({ sudoUser: 'www-data' }), { connect: () => Promise.resolve(session(r)) });
      const c = checks.get('ssh.sudo');
      expect(c?.state).toBe('failed');
      expect(c?.summary).toContain('said "sudo: a password is required"');
      expect(c?.fix).toContain(
        'visudo -f /etc/sudoers.d/marketdesk and add the line: admin ALL=(www-data) NOPASSWD: ALL',
      );
      expect(failedSshStep({ sudo: { state: 'failed', summary: '' } })).toBe('sudo');
    });

    it('says when sudo is not installed', async () => {
      const r = runner(() =>
        ok({ exitCode: 127, error: { code: 'ENOENT', message: 'sudo was not found on the server.' } }),
      );
      const checks = await doctor(record({ sudoUser: 'www-data' }), { connect: () => Promise.resolve(session(r)) });
      expect(checks.get('ssh.sudo')?.fix).toMatch(/^Install sudo on the server/);
    });

    it('is not a step without a sudo user', async () => {
      const checks = await doctor(record(), {});
      expect(checks.has('ssh.sudo')).toBe(false);
    });
  });

  it('reads who the files are read as on the server from id', async () => {
    const r = runner(() => ok({ output: 'uid=33(www-data) gid=33(www-data) groups=33(www-data),4(adm)\n' }));
    expect(await remoteUser(r)).toEqual({ uid: 33, gids: [33, 4] });
    expect(await remoteUser(runner(() => ok({ exitCode: 1, output: 'sudo: a password is required' })))).toBeNull();
  });
});
