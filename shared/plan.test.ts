import { describe, expect, it } from 'vitest';
import type { PluginVersion } from './catalog';
import { OFFER_TIERS, catalogPlugin } from './catalog-fixtures.testkit';
import { installedPlugin } from './installed-fixtures.testkit';
import type { InstalledPlugin } from './instances';
import type { SubscriptionInfo } from './model';
import {
  absorptionOf,
  countVerdicts,
  planItems,
  planMarkdown,
  planSteps,
  verdictFor,
  type Plan,
  type VerdictContext,
} from './plan';

const sub = (offer: string): SubscriptionInfo => ({ title: offer, offer, running: true, begins: null, ends: null });
const CTX: VerdictContext = {
  to: '11.0.2',
  keyState: 'valid',
  subscription: sub('basic'),
  offers: OFFER_TIERS,
  includePrereleases: false,
};
const v = (num: string, compatibility: string[], stability = 'stable'): PluginVersion => ({
  num,
  compatibility,
  stability,
});

const installed = (key: string, version: string | null, extra: Partial<InstalledPlugin> = {}): InstalledPlugin =>
  installedPlugin(key, { version, ...extra });

const CATALOGUE = [
  catalogPlugin('sso', { versions: [v('3.0.0', ['~10.0.0', '~11.0.0']), v('3.0.1', ['~10.0.0', '~11.0.0'])] }),
  catalogPlugin('fields', { versions: [v('1.21.22', ['~10.0.0']), v('1.22.1', ['~11.0.0'])] }),
  catalogPlugin('whitelabel', {
    requiredOffers: ['advanced'],
    versions: [v('3.5.1', ['~10.0.0']), v('3.7.1', ['~11.0.0'])],
  }),
  catalogPlugin('ocs', { versions: [v('2.0.5', ['~10.0.0']), v('2.1.0-rc1', ['~11.0.0'], 'rc')] }),
  catalogPlugin('formcreator', { versions: [v('2.13.9', ['~10.0.0'])] }),
];
const entry = (key: string) => CATALOGUE.find((p) => p.key === key);

describe('verdictFor', () => {
  it('keeps: the installed version supports the target, and names a newer one for later', () => {
    const item = verdictFor(installed('sso', '3.0.0'), entry('sso'), CTX);
    expect(item).toMatchObject({ verdict: 'keeps', version: null, newer: '3.0.1' });
    expect(item.reason).toBe('Version 3.0.0 supports GLPI 11.0.2 (3.0.1 is newer, for later).');
  });

  it('needs: the newest compatible version, entitled for a free plugin', () => {
    const item = verdictFor(installed('fields', '1.21.22'), entry('fields'), CTX);
    expect(item).toMatchObject({ verdict: 'needs', version: '1.22.1', entitled: true, tier: null, entitlement: null });
    expect(item.reason).toContain('install 1.22.1, the newest that does');
  });

  it('needs: says when the tier does not entitle the key to the version', () => {
    const item = verdictFor(installed('whitelabel', '3.5.1'), entry('whitelabel'), CTX);
    expect(item).toMatchObject({ verdict: 'needs', version: '3.7.1', entitled: false });
    expect(item.tier).toEqual({ reference: 'advanced', title: 'Advanced' });
    expect(item.entitlement).toBe('Needs Advanced');
    const granted = verdictFor(installed('whitelabel', '3.5.1'), entry('whitelabel'), {
      ...CTX,
      subscription: sub('advanced'),
    });
    expect(granted.entitled).toBe(true);
  });

  it('none-yet: only a pre-release suits the target (stable only)', () => {
    const item = verdictFor(installed('ocs', '2.0.5'), entry('ocs'), CTX);
    expect(item).toMatchObject({ verdict: 'none-yet', version: null });
    expect(item.reason).toContain('Only pre-releases for GLPI 11.0.2');
    // With pre-releases on, the release candidate is the plan.
    expect(verdictFor(installed('ocs', '2.0.5'), entry('ocs'), { ...CTX, includePrereleases: true })).toMatchObject({
      verdict: 'needs',
      version: '2.1.0-rc1',
    });
  });

  it('absorbed: formcreator and genericobject from GLPI 11 on, with the migration command', () => {
    const item = verdictFor(installed('formcreator', '2.13.9'), entry('formcreator'), CTX);
    expect(item.verdict).toBe('absorbed');
    expect(item.absorbed?.command).toBe('php bin/console migration:formcreator_plugin_to_core');
    expect(verdictFor(installed('genericobject', '1.9.1'), undefined, CTX).verdict).toBe('absorbed');
    // Not before GLPI 11, and fields is not absorbed.
    expect(absorptionOf('formcreator', '10.0.18')).toBeNull();
    expect(absorptionOf('fields', '11.0.2')).toBeNull();
  });

  it('unmanaged: a folder in plugins/, a git checkout, or a plugin the catalogue does not have', () => {
    const byHand = verdictFor(
      installed('fields', '1.21.22', { location: 'plugins', glpiMin: '10.0.0', glpiMax: '10.0.99' }),
      entry('fields'),
      CTX,
    );
    expect(byHand.verdict).toBe('unmanaged');
    expect(byHand.reason).toContain('plugins/');
    expect(byHand.reason).toContain('its setup.php declares GLPI >= 10.0.0, <= 10.0.99');
    expect(verdictFor(installed('fields', '1.21.22', { vcs: '.git' }), entry('fields'), CTX).reason).toContain(
      'A .git checkout',
    );
    expect(verdictFor(installed('inhouse', '1.0.0'), undefined, CTX)).toMatchObject({
      verdict: 'unmanaged',
      reason: expect.stringContaining("Not in GLPI Network's catalogue") as unknown,
    });
  });

  it('needs: an unknown installed version still gets the newest compatible one', () => {
    expect(verdictFor(installed('fields', null), entry('fields'), CTX)).toMatchObject({
      verdict: 'needs',
      version: '1.22.1',
      reason: expect.stringContaining('The installed version is unknown') as unknown,
    });
  });
});

describe('planItems, planSteps, planMarkdown', () => {
  const plugins = [
    installed('sso', '3.0.0'),
    installed('fields', '1.21.22'),
    installed('fields', '1.0.0', { location: 'plugins', shadowedBy: 'marketplace' }),
    installed('ocs', '2.0.5'),
    installed('formcreator', '2.13.9'),
    installed('inhouse', '1.0.0', { location: 'plugins' }),
  ];
  const items = planItems(plugins, CATALOGUE, CTX);

  it('gives one verdict per loaded plugin (a shadowed copy gets none)', () => {
    expect(items.map((i) => [i.key, i.verdict])).toEqual([
      ['fields', 'needs'],
      ['formcreator', 'absorbed'],
      ['inhouse', 'unmanaged'],
      ['ocs', 'none-yet'],
      ['sso', 'keeps'],
    ]);
    expect(countVerdicts(items)).toEqual({ keeps: 1, needs: 1, 'none-yet': 1, absorbed: 1, unmanaged: 1 });
  });

  it('orders the operations: backups, suspend, upgrade, install, migrations, resume', () => {
    const steps = planSteps({ instance: 'prod', root: '/var/www/glpi', from: '10.0.18', to: '11.0.2', items });
    expect(steps.map((s) => s.id)).toEqual([
      'backup-database',
      'backup-files',
      'suspend',
      'upgrade',
      'install',
      'migrate',
      'resume',
    ]);
    const byId = Object.fromEntries(steps.map((s) => [s.id, s]));
    expect(byId['backup-files']?.commands).toEqual(['tar -czf glpi-files-before-upgrade.tar.gz -C /var/www glpi']);
    // GLPI 10 has no suspend command: maintenance only.
    expect(byId.suspend?.commands).toEqual(['php bin/console glpi:maintenance:enable']);
    expect(byId.install?.commands).toEqual(['marketdesk install fields@1.22.1']);
    expect(byId.migrate?.commands).toEqual([
      'php bin/console db:update',
      'php bin/console plugin:install fields',
      'php bin/console plugin:activate fields',
      'php bin/console plugin:install sso',
      'php bin/console plugin:activate sso',
      'php bin/console migration:formcreator_plugin_to_core',
    ]);
    expect(byId.resume?.commands[0]).toBe('php bin/console plugin:resume_execution');
    const from11 = planSteps({ instance: 'prod', root: '/srv/glpi', from: '11.0.0', to: '11.0.2', items: [] });
    expect(from11.find((s) => s.id === 'suspend')?.commands).toContain('php bin/console plugin:suspend_execution');
  });

  it('writes the plan as Markdown with a table and a checklist', () => {
    const plan: Plan = {
      instance: 'prod',
      root: '/var/www/glpi',
      from: '10.0.18',
      to: '11.0.2',
      createdAt: '2026-01-01T00:00:00.000Z',
      catalogue: { fetchedAt: '2026-01-01T00:00:00.000Z', complete: true },
      items,
      counts: countVerdicts(items),
      steps: planSteps({ instance: 'prod', root: '/var/www/glpi', from: '10.0.18', to: '11.0.2', items }),
    };
    const md = planMarkdown(plan);
    expect(md).toContain('# Upgrade plan: prod, GLPI 10.0.18 → 11.0.2');
    expect(md).toContain('| fields (`fields`) | 1.21.22 | Needs a new version | 1.22.1 |');
    expect(md).toContain('1. [ ] **Back up the database**');
    expect(md).toContain('   php bin/console db:update');
  });
});
