/**
 * What an admin meets when an SSH instance goes wrong, through the whole core against real sshd
 * servers: a changed host key, refused credentials, a folder the SSH user may not write (and the
 * same through sudo as the web user), a server that never answers, alone and in a fleet check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetReport, InstanceRecord, PluginsView } from '../../shared/instances';
import { DEMO_KEYS, startStandin, type Standin } from '../../e2e/standin/standin';
import {
  idsOf,
  sshdUnavailable,
  startSshd,
  sudoUnavailable,
  WEB_TEST_USER,
  type TestSshd,
} from '../adapters/ssh/testing-sshd.testkit';
import { treeHash, workAreaLeftovers } from './install/testing-install.testkit';
import { keyAuth, ok, sshCore, sshRoot } from './ssh-instance.testkit';
import { glpiOnServer, fakeGlpi } from './testing-glpi.testkit';

const why = sshdUnavailable();
const noSudo = why ?? sudoUnavailable();

/** A TCP server on 127.0.0.1 that accepts and never says a word (a hung sshd, a black-holing firewall). */
async function silentServer(port = 0): Promise<{ port: number; close(): void }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => void sockets.push(s));
  // A port just freed by a SIGKILLed server may take a moment to be released.
  for (let attempt = 1; ; attempt++) {
    const err = await new Promise<Error | null>((resolve) => {
      server.once('error', resolve);
      server.listen(port, '127.0.0.1', () => resolve(null));
    });
    if (!err) break;
    if (attempt === 50) throw err;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      sockets.forEach((s) => s.destroy());
      server.close();
    },
  };
}

describe.skipIf(why !== null)(`SSH failures on real sshd servers${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let standin: Standin;
  const cleanup: (() => unknown)[] = [];
  beforeAll(async () => {
    [sshd, standin] = await Promise.all([startSshd(), startStandin({ quiet: true })]);
  });
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
    await Promise.all([sshd?.close(), standin?.close()]);
  });

  const sshFailure = (e: { ok: boolean; error?: { code: string; details?: unknown } }) =>
    e.ok ? 'connected' : `${e.error?.code} ${(e.error?.details as { code?: string } | undefined)?.code ?? ''}`;

  it('a changed host key is refused with both fingerprints, and nothing is written', async () => {
    const moved = await startSshd();
    cleanup.push(() => moved.close());
    const glpi = glpiOnServer(moved);
    const core = sshCore(standin.url);
    await core.c.keys.set(DEMO_KEYS.standard);
    ok(await core.call('instances.add', { root: sshRoot(moved, glpi), name: 'srv', ssh: keyAuth(moved) }));
    const remembered = moved.hostKey.fingerprint;
    const before = await treeHash(glpi);
    const settings = JSON.stringify(core.store.data);

    core.c.instances.access.closeAll();
    await moved.restart({ newHostKey: true });
    expect(moved.hostKey.fingerprint).not.toBe(remembered);
    for (const [channel, payload] of [
      ['plugins.list', {}],
      ['plugins.install', { key: 'genericobject' }],
    ] as const) {
      const refused = await core.call(channel, payload);
      expect(refused, channel).toMatchObject({
        ok: false,
        error: {
          code: 'SSH_FAILED',
          details: {
            code: 'host-changed',
            hostKey: { fingerprint: moved.hostKey.fingerprint, expected: [remembered] },
          },
        },
      });
      if (!refused.ok) expect(refused.error.message).toContain(moved.hostKey.fingerprint);
    }
    expect(await treeHash(glpi)).toBe(before);
    expect(JSON.stringify(core.store.data)).toBe(settings);
  });

  it('refused credentials: a key the server does not know, a key file that is none, a wrong password, an empty agent', async () => {
    const glpi = glpiOnServer(sshd, 'auth');
    const dir = mkdtempSync(join(tmpdir(), 'md-ssh-auth-'));
    cleanup.push(() => fsp.rm(dir, { recursive: true, force: true }));
    const stranger = join(dir, 'stranger');
    await new Promise((r) => spawn('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]).on('exit', r));
    const socket = join(dir, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    cleanup.push(() => agent.kill('SIGKILL'));
    for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));

    const add = (core: ReturnType<typeof sshCore>, ssh: object) =>
      core.call('instances.add', {
        root: sshRoot(sshd, glpi),
        ssh: { acceptHostKey: sshd.hostKey.fingerprint, ...ssh },
      });
    const core = sshCore(standin.url);
    expect(sshFailure(await add(core, { auth: 'key', keyFile: stranger }))).toBe('SSH_FAILED auth');
    expect(sshFailure(await add(core, { auth: 'key', keyFile: `${stranger}.pub` }))).toBe('SSH_FAILED key-invalid');
    expect(sshFailure(await add(core, { auth: 'key', keyFile: join(dir, 'missing') }))).toBe('SSH_FAILED key-invalid');
    // The test sshd runs unprivileged: it cannot check passwords (no /etc/shadow), so only a refused one is tested.
    expect(sshFailure(await add(core, { auth: 'password', secret: 'not-the-password' }))).toBe('SSH_FAILED auth');
    expect(sshFailure(await add(core, { auth: 'agent' }))).toBe('SSH_FAILED agent-unavailable');
    const withAgent = sshCore(standin.url, { env: { SSH_AUTH_SOCK: socket } });
    const empty = await add(withAgent, { auth: 'agent' });
    expect(sshFailure(empty)).toBe('SSH_FAILED agent-empty');
    if (!empty.ok) expect(empty.error.fix).toContain('ssh-add');
    expect(core.store.get<InstanceRecord[]>('profiles.default.instances') ?? []).toEqual([]);
    expect(JSON.stringify(core.store.data)).not.toContain('not-the-password');
  });

  it('a marketplace/ the SSH user may not write: the install fails naming the folder, nothing changes', async () => {
    const glpi = glpiOnServer(sshd, 'readonly');
    const marketplace = join(glpi, 'marketplace');
    chmodSync(marketplace, 0o555);
    const core = sshCore(standin.url);
    await core.c.keys.set(DEMO_KEYS.standard);
    ok(await core.call('instances.add', { root: sshRoot(sshd, glpi), name: 'srv', ssh: keyAuth(sshd) }));
    expect(ok(await core.call<PluginsView>('plugins.list')).instance).toMatchObject({ marketplaceWritable: false });
    const before = await treeHash(glpi);
    const failed = await core.call('plugins.install', { key: 'genericobject' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'INSTALL_FAILED', details: { code: 'EACCES' } } });
    if (!failed.ok) {
      expect(failed.error.message).toContain(marketplace);
      expect(failed.error.fix).toMatch(/^On the server, the account Marketdesk logs in as \(ssh:\/\/.*"Run as"/);
    }
    expect(await treeHash(glpi)).toBe(before);
  });

  it.skipIf(noSudo !== null)(
    `with sudoUser, writes as the web user a tree the SSH user cannot${noSudo ? ` (skipped: ${noSudo})` : ''}`,
    async () => {
      const web = idsOf(WEB_TEST_USER);
      const glpi = glpiOnServer(sshd, 'web', web);
      chmodSync(glpi, 0o755); // as www-data's trees are: readable by others, writable by it only
      const marketplace = join(glpi, 'marketplace');
      const core = sshCore(standin.url);
      await core.c.keys.set(DEMO_KEYS.standard);
      ok(await core.call('instances.add', { root: sshRoot(sshd, glpi), name: 'as-ssh', ssh: keyAuth(sshd) }));
      const before = await treeHash(glpi);
      expect(await core.call('plugins.install', { key: 'genericobject' })).toMatchObject({
        ok: false,
        error: { code: 'INSTALL_FAILED', details: { code: 'EACCES' } },
      });
      expect(await treeHash(glpi)).toBe(before);

      // The same address is one instance: the admin sets "Run as" by adding it again in another profile here.
      const asWeb = sshCore(standin.url);
      await asWeb.c.keys.set(DEMO_KEYS.standard);
      ok(
        await asWeb.call('instances.add', {
          root: sshRoot(sshd, glpi),
          name: 'as-web',
          ssh: keyAuth(sshd, { sudoUser: WEB_TEST_USER }),
        }),
      );
      ok(await asWeb.call('plugins.install', { key: 'genericobject' }));
      const setup = join(marketplace, 'genericobject', 'setup.php');
      expect(statSync(setup)).toMatchObject({ uid: web.uid, gid: web.gid });
      expect(statSync(join(marketplace, 'genericobject'))).toMatchObject({ uid: web.uid });
      expect(await workAreaLeftovers(marketplace)).toEqual([]);
    },
  );

  it('a server that never answers: adding it times out quickly', async () => {
    const silent = await silentServer();
    cleanup.push(() => silent.close());
    const core = sshCore(standin.url, { sshTimeoutMs: 1500 });
    const started = Date.now();
    const r = await core.call('instances.add', {
      root: `ssh://${sshd.user}@127.0.0.1:${silent.port}/var/www/glpi`,
      ssh: keyAuth(sshd),
    });
    const ms = Date.now() - started;
    expect(sshFailure(r)).toBe('SSH_FAILED timeout');
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(4000);
    console.info(`add to a silent server: failed after ${ms} ms (timeout 1500 ms)`);
  });

  it('fleet.check: healthy rows with their data, dead servers unreachable with their reason, within one timeout', async () => {
    const dying = await startSshd();
    cleanup.push(() => dying.close());
    const core = sshCore(standin.url, { sshTimeoutMs: 1500, fleetTimeoutMs: 5000 });
    await core.c.keys.set(DEMO_KEYS.standard);
    for (const name of ['a', 'b'])
      ok(
        await core.call('instances.add', {
          root: sshRoot(sshd, glpiOnServer(sshd, `fleet-${name}`)),
          name,
          ssh: keyAuth(sshd),
        }),
      );
    ok(await core.call('instances.add', { root: fakeGlpi(), name: 'local' }));
    for (const name of ['dead-1', 'dead-2'])
      ok(
        await core.call('instances.add', {
          root: sshRoot(dying, glpiOnServer(dying, name)),
          name,
          ssh: keyAuth(dying),
        }),
      );
    // The server hangs: its port accepts and says nothing.
    dying.kill();
    core.c.instances.access.closeAll();
    const silent = await silentServer(dying.port);
    cleanup.push(() => silent.close());

    const started = Date.now();
    const report = ok(await core.call<FleetReport>('fleet.check'));
    const ms = Date.now() - started;
    const rows = Object.fromEntries(report.rows.map((r) => [r.name, r]));
    expect(report.catalogue).toBe(true);
    for (const name of ['a', 'b', 'local']) {
      expect(rows[name], name).toMatchObject({ reachable: true, error: null, version: '10.0.18' });
      expect(rows[name]!.plugins).toBeGreaterThan(3);
      expect(rows[name]!.updates.map((u) => u.key)).toContain('fields');
    }
    for (const name of ['dead-1', 'dead-2']) {
      expect(rows[name], name).toMatchObject({ reachable: false, kind: 'ssh', version: null });
      expect(rows[name]!.error?.message).toMatch(/did not answer|No answer|timed out/i);
      expect(rows[name]!.error?.fix).toBeTruthy();
    }
    console.info(
      `fleet.check of 3 healthy + 2 silent instances: ${ms} ms (per-instance rows: ${report.rows.map((r) => `${r.name} ${r.ms} ms`).join(', ')})`,
    );
    expect(ms).toBeLessThan(1500 + 2500); // one connection timeout and some work, not the sum of both
  });
});
