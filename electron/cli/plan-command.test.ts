import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_KEYS } from '../../e2e/standin/standin';
import type { Plan, PlanDownload } from '../../shared/plan';
import { PLAN_EXPECTED, glpi10ForPlan } from '../core/planner/testing-plan.testkit';
import { EXIT } from './cli';
import { cliInstallation, pressCtrlC, standinPerTest } from './cli-harness.testkit';

const standin = standinPerTest();

async function ready() {
  const run = cliInstallation(() => standin().url);
  await run(['key', 'set'], DEMO_KEYS.standard);
  await run(['instance', 'add', glpi10ForPlan(), '--name', 'prod']);
  return run;
}

describe('marketdesk plan', () => {
  it('prints every verdict with its reason and the order of operations', async () => {
    const run = await ready();
    const r = await run(['plan', '--to', '11.0.2', '--instance', 'prod']);
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(r.out).toContain('Upgrade plan for prod: GLPI 10.0.18 → 11.0.2');
    expect(r.out).toMatch(/fields\s+1\.21\.22\s+Needs a new version\s+1\.22\.1/);
    expect(r.out).toMatch(/formcreator\s+2\.13\.9\s+Absorbed into GLPI's core/);
    expect(r.out).toContain('  1. Back up the database');
    expect(r.out).toContain('       php bin/console db:update');
  });

  it('--json gives the plan; --markdown the checklist', async () => {
    const run = await ready();
    const plan = (await run(['plan', '--to', '11.0.2', '--json'])).json<Plan>();
    expect(Object.fromEntries(plan.items.map((i) => [i.key, i.verdict]))).toEqual(PLAN_EXPECTED);
    const md = await run(['plan', '--to', '11.0.2', '--markdown']);
    expect(md.out).toContain('# Upgrade plan: prod, GLPI 10.0.18 → 11.0.2');
    expect(md.out).toContain('7. [ ] **Resume the plugins and reopen GLPI**');
  });

  it('--download fills the cache; a missing --to is a usage error', async () => {
    const run = await ready();
    const r = await run(['plan', '--to', '11.0.2', '--download', '--json']);
    expect(r.code, r.err).toBe(EXIT.ok);
    const downloads = r.json<{ downloads: PlanDownload[] }>().downloads;
    expect(downloads.find((d) => d.key === 'fields')).toMatchObject({ state: 'downloaded' });
    expect(downloads.find((d) => d.key === 'whitelabel')).toMatchObject({ state: 'skipped' });
    const bad = await run(['plan']);
    expect(bad.code).toBe(EXIT.other);
    expect(bad.err).toContain('Usage: marketdesk plan --to');
  });

  it('Ctrl+C stops --download: the archive being downloaded is not kept, the others not started', async () => {
    const run = await ready();
    standin().setFaults([{ fault: { mode: 'stall' }, path: '/downloads/' }]);
    const before = process.listeners('SIGINT');
    const planning = run(['plan', '--to', '11.0.2', '--download', '--json']);
    await vi.waitFor(() => expect(standin().requests.some((r) => r.path.startsWith('/downloads/'))).toBe(true));
    pressCtrlC(before);
    const r = await planning;
    expect(r.code).toBe(EXIT.other);
    const downloads = r.json<{ downloads: PlanDownload[] }>().downloads;
    const needed = downloads.filter((d) => d.state !== 'skipped');
    expect(needed.length).toBeGreaterThan(1);
    for (const d of needed) expect(d, d.key).toMatchObject({ state: 'failed', message: 'Stopped: not downloaded.' });
    // One download was started, and none of it is kept.
    expect(standin().requests.filter((x) => x.path.startsWith('/downloads/'))).toHaveLength(1);
    expect(existsSync(join(run.dataDir, 'downloads')) ? readdirSync(join(run.dataDir, 'downloads')) : []).toEqual([]);
    expect(process.listeners('SIGINT')).toEqual(before);
  });
});
