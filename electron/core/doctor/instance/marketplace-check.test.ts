import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTemps, byId, GB, healthyGlpi, tempDir, runChecks, checksWithDefine } from './testing-doctor.testkit';

afterEach(cleanupTemps);

describe('checkInstance: marketplace and plugins folders', () => {
  it('fails when Marketdesk cannot write into marketplace/ (through the port)', async () => {
    const { root, owners } = healthyGlpi();
    const market = join(root, 'marketplace');
    const checks = await runChecks(root, { owners, statfs: GB, unwritable: [market], uid: 1000 });
    const m = byId(checks, 'instance.marketplace-dir');
    expect(m.state).toBe('failed');
    expect(m.summary).toContain(`Marketdesk cannot write into the marketplace folder ${market}`);
    expect(m.fix).toContain(`chown -R www-data:www-data ${market} and chmod -R u+rwX ${market}`);
    expect(m.fix).toContain('GLPI_MARKETPLACE_DIR');
    expect(m.fix).toContain('run it as www-data (sudo -u www-data marketdesk …) or as root');
    expect(m.details?.Marketdesk).toBe('cannot write into it (uid alice (1000))');
  });

  it('warns when only the web server cannot write into it', async () => {
    const { root, owners } = healthyGlpi();
    const market = join(root, 'marketplace');
    owners[market] = { perm: 0o755, uid: 0, gid: 0 };
    const checks = await runChecks(root, { owners, statfs: GB });
    const m = byId(checks, 'instance.marketplace-dir');
    expect(m.state).toBe('warning');
    expect(m.summary).toContain("GLPI's own marketplace page cannot install or update plugins");
    expect(m.fix).toContain(`chown -R www-data:www-data ${market}`);
  });

  it('names GLPI_MARKETPLACE_DIR and its file when the folder is moved and missing', async () => {
    const moved = join(tempDir(), 'plugins-market');
    const { root, checks } = await checksWithDefine('config/local_define.php', 'GLPI_MARKETPLACE_DIR', moved);
    const m = byId(checks, 'instance.marketplace-dir');
    expect(m.state).toBe('failed');
    expect(m.details?.['chosen by']).toBe('GLPI_MARKETPLACE_DIR in config/local_define.php');
    expect(m.fix).toContain(`mkdir ${moved} && chown www-data:www-data ${moved} && chmod 755 ${moved}`);
    expect(m.fix).toContain(`change GLPI_MARKETPLACE_DIR in ${join(root, 'config', 'local_define.php')}`);
  });

  it('warns when plugins/ is missing', async () => {
    const { root, owners } = healthyGlpi();
    rmSync(join(root, 'plugins'), { recursive: true });
    const checks = await runChecks(root, { owners, statfs: GB });
    expect(byId(checks, 'instance.plugins-dir')).toMatchObject({ state: 'warning' });
  });
});
