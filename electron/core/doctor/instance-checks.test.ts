import { afterEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { checkInstance } from './instance-checks';
import {
  cleanupTemps,
  faultyDoctorFs,
  type Faults,
  byId,
  etcDir,
  fakePhp,
  GB,
  healthyGlpi,
  platform,
  runChecks,
  tempDir,
} from './instance/testing-doctor.testkit';

afterEach(cleanupTemps);

const faultyFs = (faults: Faults = {}) => faultyDoctorFs(nodeFileSystem, faults);

describe('checkInstance', () => {
  it('passes every check on a healthy instance, without ever reading the key', async () => {
    const { root, key, owners } = healthyGlpi();
    const fs = faultyFs({ owners, statfs: GB });
    const checks = await checkInstance(root, {
      fs,
      php: fakePhp('8.2.7'),
      platform: platform(etcDir()),
      servicesUrl: 'https://services.glpi-network.com',
    });
    expect(checks.map((c) => [c.id, c.state])).toEqual([
      ['instance.root', 'ok'],
      ['instance.config-dir', 'ok'],
      ['instance.glpicrypt-key', 'ok'],
      ['instance.config-db', 'ok'],
      ['instance.marketplace-dir', 'ok'],
      ['instance.plugins-dir', 'ok'],
      // The shared tree keeps a fields-master folder, two copies of fields and a folder without setup.php.
      ['instance.plugin-folders', 'warning'],
      ['instance.glpi-network', 'ok'],
      ['instance.disk-space', 'ok'],
      ['php.version', 'ok'],
      ['php.extensions', 'ok'],
    ]);
    const rootCheck = byId(checks, 'instance.root');
    expect(rootCheck.summary).toBe('GLPI 10.0.18 (from inc/define.php, GLPI_VERSION).');
    expect(rootCheck.details?.['version from']).toBe('inc/define.php (GLPI_VERSION)');
    const k = byId(checks, 'instance.glpicrypt-key');
    expect(k.summary).toContain('32 bytes, readable by www-data');
    expect(k.details).toMatchObject({ owner: 'www-data (33)', group: 'www-data (33)', mode: '0640 (rw-r-----)' });
    expect(fs.reads).not.toContain(key);
    expect(byId(checks, 'instance.disk-space').summary).toContain('8.2 GB free');
  });

  it('fails and skips the rest when the folder is not GLPI', async () => {
    const root = tempDir();
    const checks = await runChecks(root, { php: null });
    expect(byId(checks, 'instance.root')).toMatchObject({ state: 'failed' });
    expect(byId(checks, 'instance.root').summary).toContain('not a GLPI folder');
    expect(
      checks.slice(1).every((c) => c.state === 'skipped' && c.summary === 'the GLPI root was not recognised'),
    ).toBe(true);
    expect(checks).toHaveLength(11);
  });
});
