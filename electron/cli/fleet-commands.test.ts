import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FleetReport, FleetUpdateResult, InstanceRecord } from '../../shared/instances';
import { DEMO_KEYS } from '../../e2e/standin/standin';
import { sshdUnavailable, startSshd, type TestSshd } from '../adapters/ssh/testing-sshd.testkit';
import { fakeGlpi, glpiOnServer } from '../core/testing-glpi.testkit';
import { EXIT } from './cli';
import { cliInstallation, pressCtrlC, sshAddArgs, standinPerTest } from './cli-harness.testkit';
import { sshRoot } from '../core/ssh-instance.testkit';

const standin = standinPerTest();
const noSshd = sshdUnavailable();
let sshd: TestSshd | undefined;
afterEach(async () => {
  await sshd?.close();
  sshd = undefined;
});

describe('marketdesk instance add ssh:// and fleet', () => {
  it.skipIf(noSshd)(`adds an SSH instance only once its fingerprint is confirmed (${noSshd ?? ''})`, async () => {
    sshd = await startSshd();
    const run = cliInstallation(() => standin().url);
    const root = glpiOnServer(sshd);
    const address = sshRoot(sshd, root);
    const auth = ['--key-file', sshd.clientKey.path, '--name', 'web1'];

    const unknown = await run(['instance', 'add', address, ...auth]);
    expect(unknown.code).toBe(EXIT.other);
    expect(unknown.err).toContain(
      `is not a known host. Its ssh-ed25519 key fingerprint is ${sshd.hostKey.fingerprint}`,
    );
    expect(unknown.err).toContain(`--accept-host-key ${sshd.hostKey.fingerprint}`);
    expect((await run(['instance', 'list', '--json'])).json()).toEqual([]);

    const wrong = await run(['instance', 'add', address, ...auth, '--accept-host-key', `SHA256:${'A'.repeat(43)}`]);
    expect(wrong.code).toBe(EXIT.other);
    expect((await run(['instance', 'list', '--json'])).json()).toEqual([]);

    const added = await run(['instance', 'add', address, ...auth, '--accept-host-key', sshd.hostKey.fingerprint]);
    expect(added.err).toBe('');
    expect(added.out).toMatch(/Added "web1": GLPI 10\.0\.18 \(10\.0, TARBALL\), marketplace writable/);
    // Remembered: the next command connects without asking.
    const [listed] = (await run(['instance', 'list', '--json'])).json<InstanceRecord[]>();
    expect(listed).toMatchObject({ name: 'web1', root, ssh: { host: '127.0.0.1', port: sshd.port } });
    expect(listed?.ssh?.hostKey.fingerprint).toBe(sshd.hostKey.fingerprint);
    const plugins = await run(['plugins', '--json']);
    expect(plugins.json<{ key: string }[]>().map((p) => p.key)).toContain('fields');
  });

  it.skipIf(noSshd)(
    'checks every instance, says which one is unreachable and why, and updates across them',
    async () => {
      sshd = await startSshd();
      const run = cliInstallation(() => standin().url);
      await run(['key', 'set'], DEMO_KEYS.standard);
      const local = fakeGlpi();
      await run(['instance', 'add', local, '--name', 'local1']);
      const root = glpiOnServer(sshd);
      const add = await run(sshAddArgs(sshd, root, 'web1'));
      expect(add.code).toBe(EXIT.ok);

      const fleet = await run(['fleet', '--json']);
      const report = fleet.json<FleetReport>();
      expect(report.catalogue).toBe(true);
      expect(report.rows.map((r) => [r.name, r.kind, r.reachable, r.version])).toEqual([
        ['local1', 'local', true, '10.0.18'],
        ['web1', 'ssh', true, '10.0.18'],
      ]);
      const web1 = report.rows[1]!;
      expect(web1.where).toBe(sshRoot(sshd, root));
      expect(web1.updates.map((u) => u.key)).toContain('fields');

      const updated = await run(['fleet', 'update', 'fields', 'local1', 'web1', '--json']);
      expect(updated.code).toBe(EXIT.ok);
      const results = updated.json<FleetUpdateResult[]>();
      expect(results.map((r) => [r.instance, r.key, r.ok, r.from])).toEqual([
        ['local1', 'fields', true, '1.21.0'],
        ['web1', 'fields', true, '1.21.0'],
      ]);
      const to = results[1]!.to!;
      expect(readFileSync(join(root, 'marketplace', 'fields', 'setup.php'), 'utf8')).toContain(to);
      expect(readFileSync(join(local, 'marketplace', 'fields', 'setup.php'), 'utf8')).toContain(to);
      expect(existsSync(join(root, 'marketplace', '.marketdesk', 'backups', 'fields'))).toBe(true);

      // The server goes away: the fleet still answers, with the reason and its fix.
      sshd.kill();
      const down = await run(['fleet']);
      expect(down.code).toBe(EXIT.other);
      expect(down.out).toMatch(/local1 .* ok/);
      expect(down.out).toMatch(/web1 .* unreachable: SSH_FAILED/);
      expect(down.err).toContain('refused the connection');
      expect(down.err).toMatch(/Fix: Check the port/);
    },
  );

  it('refuses fleet update without a plugin or instances', async () => {
    const run = cliInstallation(() => standin().url);
    const r = await run(['fleet', 'update', 'fields']);
    expect(r.code).toBe(EXIT.other);
    expect(r.err).toContain('Usage: marketdesk fleet');
  });

  it('Ctrl+C stops a fleet update: the update whose download hangs is not made, the next instance not touched', async () => {
    const run = cliInstallation(() => standin().url);
    await run(['key', 'set'], DEMO_KEYS.standard);
    const [a, b] = [fakeGlpi(), fakeGlpi()];
    expect((await run(['instance', 'add', a, '--name', 'a'])).code).toBe(EXIT.ok);
    expect((await run(['instance', 'add', b, '--name', 'b'])).code).toBe(EXIT.ok);
    standin().setFaults([{ fault: { mode: 'stall' }, path: '/downloads/fields/' }]);
    const before = process.listeners('SIGINT');
    const updating = run(['fleet', 'update', 'fields', 'a', 'b', '--json']);
    await vi.waitFor(() => expect(standin().requests.some((r) => r.path.startsWith('/downloads/fields/'))).toBe(true));
    pressCtrlC(before);
    const r = await updating;
    expect(r.code).toBe(EXIT.other);
    expect(r.json<FleetUpdateResult[]>().map((x) => [x.instance, x.key, x.ok, x.message])).toEqual([
      ['a', 'fields', false, 'Stopped: nothing was changed here.'],
      ['b', 'fields', false, 'Stopped: nothing was changed here.'],
    ]);
    const setup = (root: string) => readFileSync(join(root, 'marketplace', 'fields', 'setup.php'), 'utf8');
    expect(setup(a)).toContain("'1.21.0'");
    expect(setup(b)).toContain("'1.21.0'");
    expect(standin().requests.filter((x) => x.path.startsWith('/downloads/fields/'))).toHaveLength(1);
    expect(process.listeners('SIGINT')).toEqual(before);
  });
});
