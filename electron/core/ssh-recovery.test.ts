/**
 * Crash recovery over SSH, against a real sshd: the connection cut in the middle of an install,
 * and the client SIGKILLed in the middle of the swap. The repair runs at the next connection
 * (InstanceService.onConnected), on the server, and is written in this computer's history.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, PluginsView } from '../../shared/instances';
import { DEMO_KEYS, type Standin } from '../../e2e/standin/standin';
import { sshdUnavailable, startSshd, type TestSshd } from '../adapters/ssh/testing-sshd.testkit';
import type { CrashOrder } from './ssh-crash-child.testkit';
import { treeHash, workAreaLeftovers } from './install/testing-install.testkit';
import { keyAuth, ok, serversPerBlock, sshCore, sshRoot } from './ssh-instance.testkit';
import { glpiOnServer } from './testing-glpi.testkit';

const why = sshdUnavailable();

describe.skipIf(why !== null)(`crash recovery on a real sshd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let standin: Standin;
  serversPerBlock((s) => ({ sshd, standin } = s));

  it('the server dies during the extract step: at the next connection, no half plugin and no staging are left', async () => {
    const sshd = await startSshd(); // its own: it is killed
    try {
      await cutDuringExtract(sshd);
    } finally {
      await sshd.close();
    }
  });

  async function cutDuringExtract(sshd: TestSshd): Promise<void> {
    const glpi = glpiOnServer(sshd, 'cut');
    const marketplace = join(glpi, 'marketplace');
    const core = sshCore(standin.url, { sshTimeoutMs: 3000 });
    await core.c.keys.set(DEMO_KEYS.standard);
    ok(await core.call('instances.add', { root: sshRoot(sshd, glpi), name: 'srv', ssh: keyAuth(sshd) }));
    const before = await treeHash(marketplace, ['.marketdesk']);
    let cut = false;
    // Cut once files are being written into the staging folder on the server.
    core.c.events.on('plugins.progressed', (p: { step: string; fraction: number }) => {
      if (p.step === 'extract' && p.fraction > 0 && !cut) {
        cut = true;
        sshd.kill();
      }
    });
    const started = Date.now();
    const failed = await core.call('plugins.install', { key: 'genericobject' });
    console.info(`install with the server killed at extract: failed after ${Date.now() - started} ms`);
    expect(cut).toBe(true);
    expect(failed).toMatchObject({ ok: false, error: { code: 'INSTALL_FAILED' } });
    expect(failed).toMatchObject({ error: { details: { code: 'ECONNRESET' } } });
    if (!failed.ok) expect(failed.error.fix).toMatch(/^The connection to ssh:\/\/.* was lost during the operation/);
    // What the cut left on the server: the lock it could not release, the staging it could not remove.
    const left = await workAreaLeftovers(marketplace);
    expect(left).toContain('lock');
    expect(left.some((n) => n.startsWith('staging-'))).toBe(true);

    await sshd.restart();
    const list = ok(await core.call<PluginsView>('plugins.list'));
    expect(list.plugins.some((p) => p.key === 'genericobject')).toBe(false);
    expect(existsSync(join(marketplace, 'genericobject'))).toBe(false);
    expect(await workAreaLeftovers(marketplace)).toEqual([]);
    expect(await treeHash(marketplace, ['.marketdesk'])).toBe(before);
    // And the instance works again.
    ok(await core.call('plugins.install', { key: 'genericobject' }));
    expect(existsSync(join(marketplace, 'genericobject', 'setup.php'))).toBe(true);
  }

  it.each(['after-old-rename', 'before-new-rename', 'after-new-rename'] as const)(
    'the client is SIGKILLed mid-swap (%s): at the next connection the plugin is whole and the history says so',
    async (point) => {
      const glpi = glpiOnServer(sshd, `swap-${point}`);
      const fields = join(glpi, 'marketplace', 'fields');
      const old = await treeHash(fields);
      const order: CrashOrder = {
        root: sshRoot(sshd, glpi),
        keyFile: sshd.clientKey.path,
        fingerprint: sshd.hostKey.fingerprint,
        point,
        version: '1.21.10',
      };
      const started = Date.now();
      const child = spawnSync(
        process.execPath,
        ['--import', 'jiti/register', join(__dirname, 'ssh-crash-child.testkit.ts'), JSON.stringify(order)],
        { encoding: 'utf8', timeout: 40_000 },
      );
      console.info(`child SIGKILLed at ${point} after ${Date.now() - started} ms`);
      expect(child.stderr).toBe('');
      expect(child.signal).toBe('SIGKILL');
      expect(existsSync(join(glpi, 'marketplace', '.marketdesk', 'journal.json'))).toBe(true); // on the server

      const core = sshCore(standin.url);
      ok(await core.call('instances.add', { root: order.root, name: 'srv', ssh: keyAuth(sshd) }));
      ok(await core.call<PluginsView>('plugins.list'));
      const setup = readFileSync(join(fields, 'setup.php'), 'utf8');
      if (setup.includes("'1.21.10'")) expect(readFileSync(join(fields, 'inc', 'main.php'), 'utf8')).toContain('new');
      else expect(await treeHash(fields)).toBe(old);
      expect(await workAreaLeftovers(join(glpi, 'marketplace'))).toEqual([]);
      const history = ok(await core.call<HistoryEntry[]>('plugins.history'));
      expect(history).toEqual([
        expect.objectContaining({ key: 'fields', result: 'ok', note: expect.stringMatching(/^At start: /) as string }),
      ]);
    },
  );
});
