import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Check } from '../check';
import type { PhpProbe } from '../instance-checks';
import {
  cleanupTemps,
  ALL_EXTENSIONS,
  byId,
  fakePhp,
  GB,
  healthyGlpi,
  write,
  runChecks,
} from './testing-doctor.testkit';

afterEach(cleanupTemps);

describe('checkInstance: php', () => {
  async function phpChecks(php: PhpProbe | null | undefined, define?: string): Promise<[Check, Check]> {
    const { root, owners } = healthyGlpi();
    if (define) write(join(root, 'inc', 'define.php'), define);
    const checks = await runChecks(root, { owners, statfs: GB, php });
    return [byId(checks, 'php.version'), byId(checks, 'php.extensions')];
  }

  it('is skipped when php is not installed', async () => {
    const [v, e] = await phpChecks(null);
    expect(v).toEqual({
      id: 'php.version',
      title: 'PHP version',
      state: 'skipped',
      summary: 'php is not installed on this machine',
      refs: { summary: { id: 'php.notInstalled', params: { where: '' } } },
    });
    expect(e.summary).toBe('php is not installed on this machine');
  });

  it('fails on a PHP too old for GLPI 10', async () => {
    const [v, e] = await phpChecks(fakePhp('7.3.33'));
    expect(v.state).toBe('failed');
    expect(v.summary).toBe('PHP 7.3.33 is too old for GLPI 10.0.18, which needs PHP 7.4.0 or later.');
    expect(e.state).toBe('ok');
  });

  it('uses GLPI_MIN_PHP and GLPI_MAX_PHP from inc/define.php when they are there', async () => {
    const define =
      "<?php\ndefine('GLPI_VERSION', '10.0.18');\ndefine('GLPI_MIN_PHP', '7.4.0');\ndefine('GLPI_MAX_PHP', '8.4.0');\n";
    const [tooNew] = await phpChecks(fakePhp('8.4.1'), define);
    expect(tooNew.state).toBe('failed');
    expect(tooNew.summary).toContain('refuses PHP 8.4.0 and later');
    const [fine] = await phpChecks(fakePhp('8.1.2-1ubuntu2.14'), define);
    expect(fine.state).toBe('ok');
    expect(fine.details?.['GLPI needs']).toBe('PHP >= 7.4.0 and < 8.4.0 (inc/define.php)');
  });

  it('needs PHP 8.2 for GLPI 11', async () => {
    const { root, owners } = healthyGlpi();
    rmSync(join(root, 'inc'), { recursive: true });
    rmSync(join(root, 'version'), { recursive: true });
    write(join(root, 'src', 'autoload', 'constants.php'), "<?php\ndefine('GLPI_VERSION', '11.0.1');\n");
    const checks = await runChecks(root, { owners, statfs: GB, php: fakePhp('8.1.27') });
    expect(byId(checks, 'php.version').summary).toBe(
      'PHP 8.1.27 is too old for GLPI 11.0.1, which needs PHP 8.2.0 or later.',
    );
  });

  it('names the Debian and RHEL packages of the missing bz2 and zip', async () => {
    const [, e] = await phpChecks(
      fakePhp(
        '8.2.7',
        ALL_EXTENSIONS.filter((x) => x !== 'bz2' && x !== 'zip'),
      ),
    );
    expect(e.state).toBe('failed');
    expect(e.summary).toBe(
      'Missing PHP extensions: bz2 (unpacks .tar.bz2 plugin archives); zip (unpacks .zip plugin archives).',
    );
    expect(e.fix).toBe(
      "Debian/Ubuntu: apt install php8.2-bz2 php8.2-zip (or php-bz2 php-zip for the distribution's default PHP). RHEL-likes: dnf install php-common php-pecl-zip. Then restart the web server or php-fpm.",
    );
    expect(e.details?.bz2).toMatch(/^MISSING/);
    expect(e.details?.curl).toMatch(/^loaded/);
  });

  it('says sodium is built into Debian PHP', async () => {
    const [, e] = await phpChecks(
      fakePhp(
        '8.2.7',
        ALL_EXTENSIONS.filter((x) => x !== 'sodium'),
      ),
    );
    expect(e.fix).toContain("sodium is built into Debian's PHP packages");
    expect(e.fix).toContain('dnf install php-sodium');
  });

  it('fails when php cannot be run, and skips the extensions', async () => {
    const broken: PhpProbe = {
      version: () => Promise.reject(new Error('/usr/bin/php did not answer within 10 s')),
      extensions: () => Promise.reject(new Error('unused')),
    };
    const [v, e] = await phpChecks(broken);
    expect(v).toMatchObject({
      state: 'failed',
      summary: 'php could not be run: /usr/bin/php did not answer within 10 s',
    });
    expect(e).toMatchObject({ state: 'skipped', summary: 'php could not be run' });
  });
});
