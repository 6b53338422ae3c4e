import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { byId, checksWithDefine, cleanupTemps, GB, healthyGlpi, runChecks } from './testing-doctor.testkit';

afterEach(cleanupTemps);

describe('checkInstance: GLPI Network address', () => {
  it('passes when the instance calls the same GLPI Network as the profile', async () => {
    const { root, owners } = healthyGlpi();
    const checks = await runChecks(root, { owners, statfs: GB, servicesUrl: 'https://services.glpi-network.com/' });
    const c = byId(checks, 'instance.glpi-network');
    expect(c).toMatchObject({ state: 'ok', title: 'GLPI Network address' });
    expect(c.summary).toBe(
      'This instance calls https://services.glpi-network.com/api, the same GLPI Network as this profile.',
    );
    expect(c.refs?.summary).toEqual({
      id: 'instance.network.ok',
      params: { api: 'https://services.glpi-network.com/api', source: '' },
    });
  });

  it('warns when GLPI_NETWORK_SERVICES in a config file differs, naming the file, both URLs and the fix', async () => {
    const { root, checks } = await checksWithDefine(
      'config/local_define.php',
      'GLPI_NETWORK_SERVICES',
      'https://mirror.example.org',
    );
    const c = byId(checks, 'instance.glpi-network');
    expect(c.state).toBe('warning');
    expect(c.summary).toBe(
      'This instance calls https://mirror.example.org/api (set in config/local_define.php (GLPI_NETWORK_SERVICES)), but this profile uses https://services.glpi-network.com/api: the catalogue and the registration Marketdesk checks are not the ones GLPI sees.',
    );
    expect(c.fix).toBe(
      `Use the same address on both sides: in Marketdesk's Settings (GLPI Network address), set the Services URL to https://mirror.example.org; or, in ${join(root, 'config', 'local_define.php')}, set GLPI_NETWORK_SERVICES to https://services.glpi-network.com, or remove it if this profile uses GLPI's default address.`,
    );
    expect(c.details).toMatchObject({
      'instance calls': 'https://mirror.example.org/api',
      'set by': 'config/local_define.php (GLPI_NETWORK_SERVICES)',
      'this profile calls': 'https://services.glpi-network.com/api',
    });
  });

  it('warns when the profile uses another address than the instance, which keeps GLPI’s default', async () => {
    const { root, owners } = healthyGlpi();
    const checks = await runChecks(root, { owners, statfs: GB, servicesUrl: 'https://standin.example.net' });
    const c = byId(checks, 'instance.glpi-network');
    expect(c.state).toBe('warning');
    expect(c.summary).toContain("(GLPI's default), but this profile uses https://standin.example.net/api");
    expect(c.fix).toContain('set the Services URL back to https://services.glpi-network.com');
    expect(c.fix).toContain(
      `add define('GLPI_NETWORK_SERVICES', 'https://standin.example.net'); to ${join(root, 'config', 'local_define.php')}`,
    );
  });

  it('passes when the override names the profile’s own address', async () => {
    const { checks } = await checksWithDefine(
      'config/local_define.php',
      'GLPI_NETWORK_SERVICES',
      'https://services.glpi-network.com/',
    );
    expect(byId(checks, 'instance.glpi-network')).toMatchObject({ state: 'ok' });
    expect(byId(checks, 'instance.glpi-network').summary).toContain(
      '(set in config/local_define.php (GLPI_NETWORK_SERVICES))',
    );
  });
});
