import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_KEYS, startStandin, type Standin } from '../../../e2e/standin/standin';
import type { Envelope } from '../../../shared/errors';
import type { Plan, PlanDownload, PlanProgress } from '../../../shared/plan';
import { dispatch } from '../dispatch';
import { memoryLogger } from '../testing.testkit';
import { PLAN_EXPECTED, glpi10ForPlan } from './testing-plan.testkit';
import { nodeTestCore } from '../testing-core.testkit';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin({ quiet: true });
});
afterEach(async () => {
  await standin.close();
});

async function core() {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-plan-'));
  const c = nodeTestCore({ dataDir, servicesUrlFromEnv: standin.url });
  await c.keys.set(DEMO_KEYS.standard);
  const call = async <T>(channel: string, payload: unknown = {}) => {
    const r = (await dispatch(c.handlers, channel, payload, memoryLogger())) as Envelope<T>;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  await call('instances.add', { root: glpi10ForPlan(), name: 'prod' });
  return { c, call, dataDir };
}

describe('plan.get and plan.downloadAhead', () => {
  it('plans GLPI 10.0.18 → 11.0.2 from the catalogue for 11.0.2, without changing the profile target', async () => {
    const { c, call } = await core();
    const target = c.settings.get().glpiVersion;
    const plan = await call<Plan>('plan.get', { to: '11.0.2', instance: 'prod' });
    expect(Object.fromEntries(plan.items.map((i) => [i.key, i.verdict]))).toEqual(PLAN_EXPECTED);
    expect(plan).toMatchObject({ instance: 'prod', from: '10.0.18', to: '11.0.2' });
    const byKey = Object.fromEntries(plan.items.map((i) => [i.key, i]));
    expect(byKey.fields).toMatchObject({ version: '1.22.1', entitled: true });
    expect(byKey.whitelabel).toMatchObject({ version: '3.7.1', entitled: false, tier: { reference: 'advanced' } });
    expect(byKey.formcreator?.absorbed?.command).toBe('php bin/console migration:formcreator_plugin_to_core');
    expect(plan.steps.find((s) => s.id === 'install')?.commands).toEqual(['marketdesk install fields@1.22.1']);
    // Asked as a GLPI 11.0.2 instance asks; the profile still targets its own version.
    const agents = standin.requests.filter((r) => r.path.includes('/plugins')).map((r) => r.headers['user-agent']);
    expect(agents.some((a) => a?.startsWith('GLPI/11.0.2 '))).toBe(true);
    expect(c.settings.get().glpiVersion).toBe(target);
  });

  it('refuses a target that is not a version', async () => {
    const { c } = await core();
    const r = await dispatch(c.handlers, 'plan.get', { to: 'eleven' }, memoryLogger());
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('downloads ahead the entitled archives, verified, into the cache, with progress; again: from the cache', async () => {
    const { c, call, dataDir } = await core();
    const progress: PlanProgress[] = [];
    c.events.on('plan.progressed', (p) => void progress.push(p));
    const results = await call<PlanDownload[]>('plan.downloadAhead', { to: '11.0.2' });
    expect(results.map((r) => [r.key, r.version, r.state])).toEqual([
      ['fields', '1.22.1', 'downloaded'],
      ['whitelabel', '3.7.1', 'skipped'],
    ]);
    expect(results[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(dataDir, 'downloads', 'fields-1.22.1.tar.bz2'))).toBe(true);
    expect(existsSync(join(dataDir, 'downloads', 'fields-1.22.1.tar.bz2.json'))).toBe(true);
    expect(progress.filter((p) => p.key === 'fields').at(-1)?.fraction).toBe(1);
    const archiveHits = () => standin.requests.filter((r) => r.path.startsWith('/downloads/')).length;
    const before = archiveHits();
    const again = await call<PlanDownload[]>('plan.downloadAhead', { to: '11.0.2' });
    expect(again[0]).toMatchObject({ key: 'fields', state: 'cached', sha256: results[0]?.sha256 });
    expect(archiveHits()).toBe(before);
  });
});
