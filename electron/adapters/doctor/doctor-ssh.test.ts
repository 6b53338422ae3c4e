/**
 * The doctor of an SSH instance against a real OpenSSH server (issue 12): the SSH steps pass and
 * the instance checks read the GLPI tree on the server, as the SSH user; a server presenting
 * another key than the one remembered stops at the host key step, with nothing else tried.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check, DoctorReport } from '../../../shared/doctor';
import type { InstanceRecord } from '../../../shared/instances';
import type { Channel, Req, Res } from '../../../shared/ipc/contract';
import { dispatch } from '../../core/dispatch';
import { sha256Fingerprint } from '../../core/ssh/known-hosts';
import { MemoryStore, memoryLogger } from '../../core/testing.testkit';
import { glpiOnServer } from '../../core/testing-glpi.testkit';
import { nativeBunzip2 } from '../native-bunzip2';
import { nodeFileSystem } from '../node-file-system';
import { nodeHostInfo } from '../node-host';
import { nodeProcessRunner } from '../process-runner';
import { nodeSshConnector } from '../ssh/ssh-connector';
import { sshdUnavailable, startSshd, sudoUnavailable, WEB_TEST_USER, type TestSshd } from '../ssh/testing-sshd.testkit';
import { nodeDoctorPorts } from './doctor-ports';
import { nodeTestCore } from '../../core/testing-core.testkit';

const why = sshdUnavailable();
const sudoWhy = why ?? sudoUnavailable();
const root = process.getuid?.() === 0;

/** A core like the CLI's, with SSH, whose GLPI Network is a closed local port (refused at once). */
function testCore() {
  const store = new MemoryStore();
  const system = { fs: nodeFileSystem, host: nodeHostInfo(), processes: nodeProcessRunner, bzip2: nativeBunzip2 };
  const logger = memoryLogger();
  const core = nodeTestCore(
    {
      store,
      logger,
      dataDir: mkdtempSync(join(tmpdir(), 'md-doctor-ssh-')),
      ...system,
      shell: 'cli',
      ssh: nodeSshConnector({}),
      doctor: nodeDoctorPorts(system),
    },
    { keychainFix: 'Start gnome-keyring.', limits: { timeoutMs: 1_000 } },
  );
  const call = async <C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> => {
    const envelope = await dispatch(core.handlers, channel, req, logger);
    if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
    return envelope.value as Res<C>;
  };
  return { core, store, call };
}

const checksOf = (report: DoctorReport, section: string) =>
  new Map<string, Check>((report.sections.find((s) => s.id === section)?.checks ?? []).map((c) => [c.id, c]));

describe.skipIf(why !== null)(`the doctor of an SSH instance on a real sshd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let glpi: string;

  beforeAll(async () => {
    sshd = await startSshd();
    glpi = glpiOnServer(sshd);
    chmodSync(glpi, 0o755); // mkdtemp's 0700 would keep the web user out
    const key = join(glpi, 'config', 'glpicrypt.key');
    writeFileSync(key, Buffer.alloc(32, 7));
    if (root) {
      // Owned by root, 0600: this process could read it, the SSH user on the server cannot.
      spawnSync('chown', ['0:0', key]);
      chmodSync(key, 0o600);
    }
  }, 30_000);

  afterAll(async () => {
    await sshd?.close();
  });

  async function addInstance(t: ReturnType<typeof testCore>, sudoUser?: string): Promise<void> {
    await t.call('instances.add', {
      root: `ssh://${sshd.user}@127.0.0.1:${sshd.port}${glpi}`,
      name: 'server',
      ssh: {
        auth: 'key',
        keyFile: sshd.clientKey.path,
        acceptHostKey: sshd.hostKey.fingerprint,
        ...(sudoUser ? { sudoUser } : {}),
      },
    });
  }

  /** Changes the saved instance as a hand-edited settings file would. */
  function editSsh(t: ReturnType<typeof testCore>, change: Partial<NonNullable<InstanceRecord['ssh']>>): void {
    const records = t.store.get<InstanceRecord[]>('profiles.default.instances') ?? [];
    t.store.set(
      'profiles.default.instances',
      records.map((r) => ({ ...r, ssh: { ...r.ssh!, ...change } })),
    );
  }

  it('passes DNS, TCP, the host key and authentication, then checks the GLPI tree on the server', async () => {
    const t = testCore();
    try {
      await addInstance(t);
      const report = await t.call('doctor.run', { instance: 'server' });
      expect(report.sections.map((s) => s.id)).toEqual(['network', 'key', 'ssh', 'instance']);
      const ssh = checksOf(report, 'ssh');
      expect([...ssh.keys()]).toEqual(['ssh.dns', 'ssh.tcp', 'ssh.host-key', 'ssh.auth']);
      for (const c of ssh.values()) expect(c.state, `${c.id}: ${c.summary}`).toBe('ok');
      expect(ssh.get('ssh.host-key')?.summary).toContain(`${sshd.hostKey.fingerprint}, the one remembered for server`);
      expect(report.sections.find((s) => s.id === 'ssh')?.title).toBe(
        `SSH connection (ssh://${sshd.user}@127.0.0.1:${sshd.port})`,
      );

      const instance = checksOf(report, 'instance');
      expect(instance.get('instance.root')?.state).toBe('ok');
      expect(instance.get('instance.glpicrypt-key')?.summary).toMatch(/32 bytes/);
      if (root)
        expect(instance.get('instance.glpicrypt-key')?.details?.Marketdesk).toBe(
          'cannot read it (it does not need to)',
        );
      expect(instance.get('instance.disk-space')?.state).not.toBe('skipped');
      expect(report.markdown).toContain('## SSH connection');
    } finally {
      t.core.stop();
    }
  }, 60_000);

  it('stops at the host key when the server presents another key than the one remembered', async () => {
    const t = testCore();
    try {
      await addInstance(t);
      // The instance remembers another ed25519 key: the server's own is then a changed key.
      const [type, blob] = sshd.clientKey.publicLine.split(' ') as [string, string];
      const records = t.store.get<InstanceRecord[]>('profiles.default.instances') ?? [];
      t.store.set(
        'profiles.default.instances',
        records.map((r) => ({
          ...r,
          ssh: { ...r.ssh!, hostKey: { type, key: blob, fingerprint: sha256Fingerprint(blob) } },
        })),
      );
      const report = await t.call('doctor.run', { instance: 'server' });
      const ssh = checksOf(report, 'ssh');
      expect(ssh.get('ssh.dns')?.state).toBe('ok');
      expect(ssh.get('ssh.tcp')?.state).toBe('ok');
      const hostKey = ssh.get('ssh.host-key');
      expect(hostKey?.state).toBe('failed');
      expect(hostKey?.details?.code).toBe('host-changed');
      expect(hostKey?.summary).toContain(`has CHANGED: it presents ${sshd.hostKey.fingerprint}`);
      expect(hostKey?.fix).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
      expect(hostKey?.fix).toContain(`--accept-host-key ${sshd.hostKey.fingerprint}`);
      expect(ssh.get('ssh.auth')?.state).toBe('skipped');
      const instance = checksOf(report, 'instance');
      expect([...instance.values()].every((c) => c.state === 'skipped')).toBe(true);
      expect(instance.get('instance.root')?.summary).toBe('Not checked: because SSH handshake and host key failed.');
    } finally {
      t.core.stop();
    }
  }, 60_000);

  it.skipIf(sudoWhy !== null)(
    `checks sudo to the web user: allowed, then refused with the sudoers line${sudoWhy ? ` (skipped: ${sudoWhy})` : ''}`,
    async () => {
      const t = testCore();
      try {
        await addInstance(t, WEB_TEST_USER);
        const allowed = checksOf(await t.call('doctor.run', { instance: 'server' }), 'ssh');
        expect(allowed.get('ssh.sudo')?.state, allowed.get('ssh.sudo')?.summary).toBe('ok');
        expect(allowed.get('ssh.sudo')?.summary).toContain(`sudo -n -u ${WEB_TEST_USER} true works`);

        editSsh(t, { sudoUser: 'root' });
        const report = await t.call('doctor.run', { instance: 'server' });
        const refused = checksOf(report, 'ssh').get('ssh.sudo');
        expect(refused?.state).toBe('failed');
        expect(refused?.summary).toContain(`${sshd.user} may not act as root without a password`);
        expect(refused?.fix).toContain(`add the line: ${sshd.user} ALL=(root) NOPASSWD: ALL`);
        expect(checksOf(report, 'instance').get('instance.root')?.state).toBe('skipped');
      } finally {
        t.core.stop();
      }
    },
    60_000,
  );
});
