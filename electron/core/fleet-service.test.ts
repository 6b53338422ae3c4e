/** fleet.update across SSH instances (a real sshd) and a local one, through the handlers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FleetUpdateResult, HistoryEntry } from '../../shared/instances';
import { DEMO_KEYS, type Standin } from '../../e2e/standin/standin';
import { sshdUnavailable, type TestSshd } from '../adapters/ssh/testing-sshd.testkit';
import { keyAuth, ok, serversPerBlock, sshCore, sshRoot } from './ssh-instance.testkit';
import { glpiOnServer, fakeGlpi } from './testing-glpi.testkit';

const why = sshdUnavailable();

describe.skipIf(why !== null)(`fleet.update on a real sshd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let standin: Standin;
  serversPerBlock((s) => ({ sshd, standin } = s));

  it('updates a plugin in two SSH instances and a local one: one result each, each history records it', async () => {
    const core = sshCore(standin.url);
    await core.c.keys.set(DEMO_KEYS.standard);
    const roots: Record<string, string> = {
      'ssh-a': glpiOnServer(sshd, 'fleet-a'),
      'ssh-b': glpiOnServer(sshd, 'fleet-b'),
      local: fakeGlpi(),
    };
    for (const [name, root] of Object.entries(roots))
      ok(
        await core.call('instances.add', {
          root: name === 'local' ? root : sshRoot(sshd, root),
          name,
          ...(name === 'local' ? {} : { ssh: keyAuth(sshd) }),
        }),
      );
    const progress = new Set<string>();
    core.c.events.on('fleet.progressed', (p: { instance: string; step: string }) =>
      progress.add(`${p.instance} ${p.step}`),
    );

    const started = Date.now();
    const results = ok(
      await core.call<FleetUpdateResult[]>('fleet.update', { names: Object.keys(roots), key: 'fields' }),
    );
    console.info(`fleet.update of fields in 2 SSH + 1 local instances: ${Date.now() - started} ms`);
    expect(results.map((r) => [r.instance, r.key, r.ok, r.from])).toEqual([
      ['ssh-a', 'fields', true, '1.21.0'],
      ['ssh-b', 'fields', true, '1.21.0'],
      ['local', 'fields', true, '1.21.0'],
    ]);
    const to = results[0]!.to!;
    expect(to).not.toBe('1.21.0');
    for (const [name, root] of Object.entries(roots)) {
      expect(readFileSync(join(root, 'marketplace', 'fields', 'setup.php'), 'utf8'), name).toContain(to);
      expect(progress, name).toContain(`${name} swap`);
      const history = await core.c.plugins.history(name);
      expect(
        history.map((h: HistoryEntry) => [h.action, h.key, h.from, h.to, h.result]),
        name,
      ).toEqual([['update', 'fields', '1.21.0', to, 'ok']]);
    }

    // Once more: nothing left to update anywhere, and each instance says so.
    const again = ok(await core.call<FleetUpdateResult[]>('fleet.update', { names: Object.keys(roots) }));
    expect(again.filter((r) => r.key === 'fields')).toEqual([]);
    expect(new Set(again.map((r) => r.instance))).toEqual(new Set(Object.keys(roots)));
  });
});
