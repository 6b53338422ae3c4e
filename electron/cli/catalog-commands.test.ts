import { describe, expect, it } from 'vitest';
import { HOSTILE_PLUGIN_KEY } from '../../e2e/standin/catalog-data';
import { DEMO_KEYS } from '../../e2e/standin/standin';
import { EXIT } from './cli';
import { cliInstallation, standinPerTest } from './cli-harness.testkit';

const standin = standinPerTest();

const installation = () => cliInstallation(() => standin().url);

interface PluginJson {
  key: string;
  availability: string;
  reason: string;
  tier: string | null;
  latest: string | null;
  versions?: { num: string; fits: boolean }[];
}

describe('marketdesk catalog and entitlements', () => {
  it('exit 5 without a key and 2 with an invalid one, sending no marketplace request', async () => {
    const run = installation();
    expect((await run(['catalog', 'list'])).code).toBe(EXIT.noKey);
    await run(['key', 'set', '--force'], DEMO_KEYS.invalid);
    const r = await run(['catalog', 'list']);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.err).toMatch(/not valid/);
    expect(standin().requests.filter((q) => q.path.startsWith('/api/marketplace'))).toHaveLength(0);
  });

  it('lists the whole catalogue with availability and tier for a Basic key', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.basic);
    const r = await run(['catalog', 'list', '--json']);
    expect(r.code).toBe(EXIT.ok);
    const list = r.json<PluginJson[]>();
    expect(list.length).toBeGreaterThanOrEqual(150);
    const byKey = new Map(list.map((p) => [p.key, p]));
    expect(byKey.get('fields')).toMatchObject({ availability: 'included', tier: null });
    expect(byKey.get('cmdb')).toMatchObject({ availability: 'included', tier: 'basic' });
    expect(byKey.get('metabase')).toMatchObject({
      availability: 'needs-tier',
      tier: 'standard',
      reason: 'Needs Standard',
    });
    expect(byKey.get('whitelabel')).toMatchObject({ availability: 'needs-tier', tier: 'advanced' });
    // The human table says the same.
    const table = (await run(['catalog', 'list'])).out;
    expect(table).toMatch(/^KEY\s+NAME\s+VERSION\s+TIER\s+AVAILABILITY/);
    expect(table).toMatch(/metabase .*Standard\s+Needs Standard/);
  });

  it('searches by words, ranking key and name matches first', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.standard);
    const r = await run(['catalog', 'search', 'fields', '--json']);
    const keys = r.json<PluginJson[]>().map((p) => p.key);
    expect(keys[0]).toBe('fields');
    expect((await run(['catalog', 'search', 'zzzz-nothing', '--json'])).json()).toEqual([]);
    expect((await run(['catalog', 'search'])).code).toBe(EXIT.other);
  });

  it('shows one plugin with every version and whether it fits the target GLPI', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.standard);
    const r = await run(['catalog', 'show', 'fields', '--json']);
    expect(r.code).toBe(EXIT.ok);
    const plugin = r.json<PluginJson>();
    expect(plugin.versions?.length).toBeGreaterThan(0);
    expect(plugin.versions?.every((v) => typeof v.fits === 'boolean')).toBe(true);
    expect(plugin.latest).toBe(plugin.versions?.filter((v) => v.fits).at(-1)?.num);
    expect((await run(['catalog', 'show', 'fields'])).out).toMatch(/FITS GLPI 10\.0\.18/);
    const missing = await run(['catalog', 'show', 'nosuchplugin']);
    expect(missing.code).toBe(EXIT.other);
    expect(missing.err).toMatch(/No plugin "nosuchplugin"/);
  });

  it('--glpi-version asks GLPI Network for that version, for this command only', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.standard);
    const r = await run(['catalog', 'show', 'fields', '--glpi-version', '11.0.1', '--json']);
    expect(r.code).toBe(EXIT.ok);
    const uas = standin()
      .requests.filter((q) => q.path.startsWith('/api/marketplace/plugins'))
      .map((q) => q.headers['user-agent']);
    expect(uas).toContain('GLPI/11.0.1 (installation-mode:TARBALL; marketdesk/0.1.0)');
    await run(['catalog', 'refresh']);
    expect(standin().requests.at(-1)?.headers['user-agent']).toMatch(/^GLPI\/10\.0\.18 /);
    expect((await run(['catalog', 'list', '--glpi-version', 'ten'])).code).toBe(EXIT.other);
  });

  it('refresh exits 4 with the cause when GLPI Network is down, and lists keep working from the cache', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.advanced);
    expect((await run(['catalog', 'refresh'])).code).toBe(EXIT.ok);
    standin().setFaults([{ fault: { mode: 'status', status: 503 }, path: '/api/marketplace' }]);
    const r = await run(['catalog', 'refresh', '--json']);
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.json<{ failure: { cause: string } }>().failure.cause).toBe('http');
    const list = await run(['catalog', 'list', '--json']);
    expect(list.code).toBe(EXIT.ok);
    expect(list.json<PluginJson[]>().some((p) => p.key === HOSTILE_PLUGIN_KEY)).toBe(true);
  });

  it('entitlements: tiers with counts, the current one marked, and a CSV', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.basic);
    const r = await run(['entitlements', '--json']);
    const map = r.json<{
      tiers: { offer: { reference: string }; count: number; current: boolean }[];
      nextTierAdds: string[];
    }>();
    expect(map.tiers.map((t) => t.offer.reference)).toEqual(['registered', 'basic', 'standard', 'advanced']);
    expect(map.tiers.find((t) => t.current)?.offer.reference).toBe('basic');
    const [registered, basic, standard, advanced] = map.tiers.map((t) => t.count);
    expect(basic).toBeGreaterThan(registered ?? 0);
    expect(standard).toBeGreaterThan(basic ?? 0);
    expect(advanced).toBeGreaterThan(standard ?? 0);
    expect(map.nextTierAdds.sort()).toEqual(['metabase', 'scim', 'webhookpro']);
    const csv = (await run(['entitlements', '--csv'])).out.split(/\r?\n/);
    expect(csv[0]).toBe('key,name,Registered,Basic,Standard,Advanced,required_offers');
    expect(csv.find((l) => l.startsWith('metabase,'))).toMatch(/,no,no,yes,yes,/);
  });
});
