import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanupTemps,
  byId,
  GB,
  healthyGlpi,
  tempDir,
  write,
  WWW,
  runChecks,
  checksWithDefine,
} from './testing-doctor.testkit';

afterEach(cleanupTemps);

describe('checkInstance: config folder', () => {
  it('follows GLPI_CONFIG_DIR from config/local_define.php', async () => {
    const { root, owners } = healthyGlpi();
    const moved = tempDir('md-conf-');
    write(join(root, 'config', 'local_define.php'), `<?php\ndefine('GLPI_CONFIG_DIR', '${moved}');\n`);
    rmSync(join(root, 'config', 'config_db.php'));
    rmSync(join(root, 'config', 'glpicrypt.key'));
    write(join(moved, 'config_db.php'), '<?php class DB {}');
    write(join(moved, 'glpicrypt.key'), Buffer.alloc(32));
    owners[join(moved, 'glpicrypt.key')] = { perm: 0o640, ...WWW };
    owners[moved] = { perm: 0o750, ...WWW };
    const checks = await runChecks(root, { owners, statfs: GB });
    const c = byId(checks, 'instance.config-dir');
    expect(c.state).toBe('ok');
    expect(c.details?.path).toBe(moved);
    expect(c.details?.['chosen by']).toBe('set by GLPI_CONFIG_DIR in config/local_define.php');
    expect(byId(checks, 'instance.glpicrypt-key')).toMatchObject({ state: 'ok' });
    expect(byId(checks, 'instance.glpicrypt-key').details?.path).toBe(join(moved, 'glpicrypt.key'));
    expect(byId(checks, 'instance.config-db').summary).toBe(
      `${join(moved, 'config_db.php')} is present: GLPI is installed.`,
    );
  });

  it('finds the /etc/glpi layout of packaged installs through inc/downstream.php', async () => {
    const { root, owners } = healthyGlpi();
    const etcGlpi = tempDir('md-etc-glpi-'); // stands in for /etc/glpi
    write(
      join(root, 'inc', 'downstream.php'),
      `<?php
define('GLPI_CONFIG_DIR', '${etcGlpi}');
if (file_exists(GLPI_CONFIG_DIR . '/local_define.php')) {
 require_once GLPI_CONFIG_DIR . '/local_define.php';
}
`,
    );
    write(join(etcGlpi, 'local_define.php'), "<?php\ndefine('GLPI_VAR_DIR', '/var/lib/glpi/files');\n");
    write(join(etcGlpi, 'config_db.php'), '<?php class DB {}');
    write(join(etcGlpi, 'glpicrypt.key'), Buffer.alloc(31));
    rmSync(join(root, 'config'), { recursive: true });
    owners[etcGlpi] = { perm: 0o750, uid: 0, gid: 33 };
    const checks = await runChecks(root, { owners, statfs: GB });
    const c = byId(checks, 'instance.config-dir');
    expect(c.state).toBe('ok');
    expect(c.summary).toContain(etcGlpi);
    expect(c.details?.['chosen by']).toBe(
      'set by GLPI_CONFIG_DIR in inc/downstream.php (the layout of packaged installs, like /etc/glpi)',
    );
    expect(c.details).toMatchObject({ owner: 'root (0)', group: 'www-data (33)', mode: '0750 (rwxr-x---)' });
    const k = byId(checks, 'instance.glpicrypt-key');
    expect(k.state).toBe('failed');
    expect(k.summary).toContain(`${join(etcGlpi, 'glpicrypt.key')} is 31 bytes`);
    expect(byId(checks, 'instance.config-db').state).toBe('ok');
  });

  it('fails when GLPI_CONFIG_DIR names a folder that does not exist, and skips the files in it', async () => {
    const gone = join(tempDir(), 'nowhere');
    const { root, checks } = await checksWithDefine('inc/downstream.php', 'GLPI_CONFIG_DIR', gone);
    const c = byId(checks, 'instance.config-dir');
    expect(c.state).toBe('failed');
    expect(c.summary).toContain(`${gone} (set by GLPI_CONFIG_DIR in inc/downstream.php`);
    expect(c.fix).toContain(`Correct GLPI_CONFIG_DIR in ${join(root, 'inc', 'downstream.php')}`);
    expect(byId(checks, 'instance.glpicrypt-key')).toMatchObject({
      state: 'skipped',
      summary: `the config folder ${gone} does not exist`,
    });
    expect(byId(checks, 'instance.config-db').state).toBe('skipped');
  });

  it('warns when GLPI_CONFIG_DIR needs PHP to be evaluated', async () => {
    const { root, owners } = healthyGlpi();
    write(
      join(root, 'inc', 'downstream.php'),
      "<?php\ndefine('GLPI_CONFIG_DIR', getenv('GLPI_CONFIG') ?: '/etc/glpi');\n",
    );
    const checks = await runChecks(root, { owners, statfs: GB });
    const c = byId(checks, 'instance.config-dir');
    expect(c.state).toBe('warning');
    expect(c.details?.['note 1']).toContain('cannot be evaluated without running PHP');
    expect(byId(checks, 'instance.glpicrypt-key').summary).toBe('the config folder is unknown');
  });

  it('reports a missing config_db.php as not installed', async () => {
    const { root, owners } = healthyGlpi();
    rmSync(join(root, 'config', 'config_db.php'));
    const checks = await runChecks(root, { owners, statfs: GB });
    expect(byId(checks, 'instance.config-db')).toMatchObject({ state: 'warning' });
    expect(byId(checks, 'instance.config-db').summary).toContain('GLPI is not installed yet');
  });
});
