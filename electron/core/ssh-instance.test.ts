/**
 * An SSH instance end to end: the whole core, its handlers and the production connector against a
 * real OpenSSH server holding a GLPI tree; plugin archives from the stand-in.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  ActionReport,
  ConsoleRun,
  HistoryEntry,
  InstanceRecord,
  InstanceSummary,
  PluginsView,
} from '../../shared/instances';
import { DEMO_KEYS, type Standin } from '../../e2e/standin/standin';
import { sshdUnavailable, type TestSshd } from '../adapters/ssh/testing-sshd.testkit';
import { workAreaLeftovers } from './install/testing-install.testkit';
import { keyAuth, ok, serversPerBlock, sshCore, sshRoot } from './ssh-instance.testkit';
import { chownTo, glpiOnServer } from './testing-glpi.testkit';

const why = sshdUnavailable();

describe.skipIf(why !== null)(`an SSH instance on a real sshd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let standin: Standin;
  serversPerBlock((s) => ({ sshd, standin } = s));

  const records = (core: ReturnType<typeof sshCore>) =>
    core.store.get<InstanceRecord[]>('profiles.default.instances') ?? [];

  it('an unknown host is refused with its fingerprint until exactly that one is confirmed; nothing secret is saved', async () => {
    const glpi = glpiOnServer(sshd, 'add');
    const core = sshCore(standin.url);
    const root = sshRoot(sshd, glpi);
    const unknown = await core.call('instances.add', {
      root,
      name: 'srv',
      ssh: keyAuth(sshd, { acceptHostKey: undefined }),
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: {
        code: 'SSH_FAILED',
        details: { code: 'host-unknown', hostKey: { fingerprint: sshd.hostKey.fingerprint } },
      },
    });
    const wrong = await core.call('instances.add', {
      root,
      name: 'srv',
      ssh: keyAuth(sshd, { acceptHostKey: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'SSH_FAILED', details: { code: 'host-unknown' } } });
    expect(records(core)).toEqual([]);

    // A key with a passphrase, kept in the keychain: the settings never hold it.
    const locked = join(core.home, '.ssh', 'id_locked');
    await fsp.copyFile(sshd.clientKey.path, locked);
    await fsp.chmod(locked, 0o600);
    expect(spawnSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'correct horse battery', '-f', locked]).status).toBe(0);
    const added = await core.call<InstanceSummary>('instances.add', {
      root,
      name: 'srv',
      ssh: keyAuth(sshd, { keyFile: locked, secret: 'correct horse battery', saveSecret: true }),
    });
    expect(added).toMatchObject({ ok: true, value: { name: 'srv', active: true, version: '10.0.18' } });
    const [record] = records(core);
    expect(record?.ssh).toMatchObject({
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      auth: 'key',
      keyFile: locked,
      secretSaved: true,
      hostKey: { type: 'ssh-ed25519', fingerprint: sshd.hostKey.fingerprint },
    });
    const settings = JSON.stringify(core.store.data);
    expect(settings).not.toContain('correct horse');
    expect(settings).not.toMatch(/password|passphrase|secret"/i);
    expect(settings).not.toContain(sshd.clientKey.privateKey.toString('utf8').split('\n')[1]);
    expect(await core.keychain.get(`${core.c.settings.installId()}/default/ssh/srv`)).toBe('correct horse battery');
    // The next connection (a fresh core sharing the keychain would do the same) reads it from there.
    core.c.instances.access.closeAll();
    expect(ok(await core.call<PluginsView>('plugins.list')).instance).toMatchObject({ name: 'srv' });
  });

  it('a host listed in known_hosts, plain or hashed, is trusted without confirmation', async () => {
    const glpi = glpiOnServer(sshd, 'known');
    for (const hashed of [false, true]) {
      const core = sshCore(standin.url);
      const file = join(core.home, '.ssh', 'known_hosts');
      writeFileSync(file, `[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicLine}\n`);
      if (hashed) {
        expect(spawnSync('ssh-keygen', ['-H', '-f', file]).status).toBe(0);
        expect(readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
      }
      const added = await core.call<InstanceSummary>('instances.add', {
        root: sshRoot(sshd, glpi),
        ssh: keyAuth(sshd, { acceptHostKey: undefined }),
      });
      expect(added, hashed ? 'hashed entry' : 'plain entry').toMatchObject({ ok: true, value: { version: '10.0.18' } });
      expect(records(core)[0]?.ssh?.hostKey.fingerprint).toBe(sshd.hostKey.fingerprint);
    }
  });

  it('lists, installs a .tar.bz2 release, updates, restores and removes, on the server; the history stays here', async () => {
    const glpi = glpiOnServer(sshd, 'plugins');
    // GLPI's data folder, where backups go: out of the web's reach, on the same file system (renames).
    mkdirSync(join(glpi, 'files'));
    chownTo(join(glpi, 'files'), sshd);
    const marketplace = join(glpi, 'marketplace');
    const core = sshCore(standin.url);
    await core.c.keys.set(DEMO_KEYS.standard);
    ok(await core.call('instances.add', { root: sshRoot(sshd, glpi), name: 'srv', ssh: keyAuth(sshd) }));

    const list = ok(await core.call<PluginsView>('plugins.list'));
    expect(list.instance).toMatchObject({ name: 'srv', version: '10.0.18', marketplaceWritable: true });
    expect(list.catalogue).toBe(true);
    const where = list.plugins.map((p) => `${p.location}/${p.key} ${p.version ?? '?'}`);
    expect(where).toEqual(
      expect.arrayContaining(['marketplace/fields 1.21.0', 'plugins/tag 2.9.0', 'plugins/escalade 2.9.9']),
    );
    expect(list.plugins.find((p) => p.key === 'fields' && p.location === 'marketplace')?.update).toBeTruthy();

    // The lock lives on the server during the install, and nothing of it in the local data folder.
    const seen: string[] = [];
    core.c.events.on('plugins.progressed', (p: { step: string }) => {
      if (p.step === 'extract' && !seen.includes('extract')) {
        seen.push('extract');
        if (existsSync(join(marketplace, '.marketdesk', 'lock'))) seen.push('lock on the server');
        if (existsSync(join(core.dataDir, '.marketdesk'))) seen.push('lock here');
      }
    });
    const installed = ok(await core.call<ActionReport>('plugins.install', { key: 'genericobject' }));
    expect(seen).toEqual(['extract', 'lock on the server']);
    expect(installed).toMatchObject({ action: 'install', key: 'genericobject', from: null });
    const downloads = standin.requests.filter((r) => r.path.startsWith('/downloads/')).map((r) => r.path);
    expect(downloads.at(-1)).toMatch(/genericobject.*\.tar\.bz2$/);
    const setup = join(marketplace, 'genericobject', 'setup.php');
    expect(readFileSync(setup, 'utf8')).toContain(installed.to);
    expect(statSync(setup).uid).toBe(sshd.uid); // written over SFTP by the SSH user
    expect(existsSync(join(marketplace, '.marketdesk', 'lock'))).toBe(false);

    const updated = ok(await core.call<ActionReport>('plugins.update', { key: 'fields' }));
    expect(updated).toMatchObject({ action: 'update', from: '1.21.0' });
    expect(readFileSync(join(marketplace, 'fields', 'setup.php'), 'utf8')).toContain(updated.to);
    const kept = readdirSync(join(glpi, 'files', '_marketdesk', 'backups', 'fields'));
    expect(kept).toHaveLength(1);
    expect(
      readFileSync(join(glpi, 'files', '_marketdesk', 'backups', 'fields', kept[0]!, 'setup.php'), 'utf8'),
    ).toContain("'1.21.0'");
    expect(existsSync(join(marketplace, '.marketdesk', 'backups', 'fields'))).toBe(false);
    const restored = ok(await core.call<ActionReport>('plugins.restore', { key: 'fields' }));
    expect(restored).toMatchObject({ action: 'restore', to: '1.21.0' });
    expect(readFileSync(join(marketplace, 'fields', 'setup.php'), 'utf8')).toContain("'1.21.0'");
    ok(await core.call('plugins.remove', { key: 'genericobject' }));
    expect(existsSync(join(marketplace, 'genericobject'))).toBe(false);
    expect(await workAreaLeftovers(marketplace)).toEqual([]);

    const history = ok(await core.call<HistoryEntry[]>('plugins.history'));
    expect(history.map((h) => `${h.action} ${h.key} ${h.result}`)).toEqual([
      'install genericobject ok',
      'update fields ok',
      'restore fields ok',
      'remove genericobject ok',
    ]);
    expect(existsSync(join(core.dataDir, 'history', 'srv.jsonl'))).toBe(true);

    // The key never leaves the desktop: no file on the server and nothing the server logged holds it.
    const onServer = readdirSync(sshd.dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .filter((e) => readFileSync(join(e.parentPath, e.name)).includes(DEMO_KEYS.standard));
    expect(onServer.map((e) => e.name)).toEqual([]);
    expect(sshd.log()).not.toContain(DEMO_KEYS.standard);
  });

  it("runs GLPI's console on the server, over SSH exec", async () => {
    const glpi = glpiOnServer(sshd, 'console');
    mkdirSync(join(glpi, 'bin'), { recursive: true });
    writeFileSync(join(glpi, 'bin', 'console'), '<?php // GLPI console\n');
    const php = join(glpi, 'bin', 'php');
    writeFileSync(php, '#!/bin/sh\necho "as=$(id -un) cwd=$(pwd) args=$*"\nexit 0\n', { mode: 0o755 });
    chownTo(glpi, sshd);
    const core = sshCore(standin.url);
    await core.c.keys.set(DEMO_KEYS.standard);
    ok(await core.call('instances.add', { root: sshRoot(sshd, glpi), name: 'srv', ssh: keyAuth(sshd) }));
    ok(await core.call('settings.update', { glpiConsole: { offer: true, php, user: 'glpi-admin' } }));
    // This php answers no JSON to `bin/console list`: GLPI's commands and plugin states are unknown, and said so.
    expect(ok(await core.call<PluginsView>('plugins.list')).console).toEqual({
      offered: true,
      available: true,
      reason: null,
      glpi: {
        commands: null,
        plugins: null,
        notes: [expect.stringMatching(/^GLPI's console commands could not be listed: /) as string],
        resume: { offered: false, ready: false, reason: null },
      },
    });
    const run = ok(await core.call<ConsoleRun>('plugins.console', { key: 'fields', action: 'install' }));
    expect(run).toMatchObject({ ok: true, exitCode: 0 });
    expect(run.output).toContain(`as=${sshd.user} cwd=${glpi}`);
    expect(run.output).toContain('args=bin/console plugin:install --no-interaction --username=glpi-admin fields');
  });
});
