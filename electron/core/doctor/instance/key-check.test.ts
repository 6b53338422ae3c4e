import { rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTemps, byId, GB, healthyGlpi, write, runChecks, type RunOptions } from './testing-doctor.testkit';

afterEach(cleanupTemps);

type Healthy = ReturnType<typeof healthyGlpi>;

/** The key check of a healthy GLPI root after `change` (which may return more run options). */
async function keyCheck(change: (glpi: Healthy) => RunOptions | void) {
  const glpi = healthyGlpi();
  const options = change(glpi) ?? {};
  const checks = await runChecks(glpi.root, { owners: glpi.owners, statfs: GB, ...options });
  return { ...glpi, k: byId(checks, 'instance.glpicrypt-key') };
}

/** A change that makes the key root:root with mode `perm`. */
function rootOwned(perm: number, options: RunOptions = {}) {
  return ({ key, owners }: Healthy): RunOptions => {
    owners[key] = { perm, uid: 0, gid: 0 };
    return options;
  };
}

describe('checkInstance: glpicrypt.key', () => {
  it('is missing: restore from backup first, change_key as the last resort, secrets to re-enter', async () => {
    const { root, key, owners } = healthyGlpi();
    unlinkSync(key);
    const checks = await runChecks(root, { owners, statfs: GB });
    const k = byId(checks, 'instance.glpicrypt-key');
    expect(k.state).toBe('failed');
    expect(k.summary).toContain(`${key} is missing`);
    expect(k.summary).not.toContain('glpi.key (GLPI 9.4.6');
    expect(k.fix).toMatch(/^Restore glpicrypt.key from the backup/);
    expect(k.fix).toContain(`cd ${root} && sudo -u www-data php bin/console security:change_key`);
    expect(k.fix).toContain('`glpi:security:change_key` before');
    for (const secret of ['mail collector', 'LDAP', 'SMTP', 'proxy', 'inventory', 'GLPI Network registration key'])
      expect(k.fix).toContain(secret);
    expect(k.fix).not.toContain('mv '); // nothing to move aside
  });

  it('names the legacy glpi.key when it is there, and the old command before GLPI 10.0.6', async () => {
    const { root, key, owners } = healthyGlpi();
    unlinkSync(key);
    write(join(root, 'config', 'glpi.key'), 'legacy');
    write(join(root, 'inc', 'define.php'), "<?php\ndefine('GLPI_VERSION', '10.0.5');\n");
    rmSync(join(root, 'version'), { recursive: true });
    const checks = await runChecks(root, { owners, statfs: GB });
    const k = byId(checks, 'instance.glpicrypt-key');
    expect(k.summary).toContain('A legacy glpi.key (GLPI 9.4.6–9.4.x) is in the same folder');
    expect(k.details?.['legacy glpi.key']).toBe(`${join(root, 'config', 'glpi.key')} (6 bytes)`);
    expect(k.fix).toContain('php bin/console glpi:security:change_key (GLPI before 10.0.6');
  });

  it('is empty', async () => {
    const { root, key, owners } = healthyGlpi();
    write(key, '');
    const checks = await runChecks(root, { owners, statfs: GB });
    const k = byId(checks, 'instance.glpicrypt-key');
    expect(k.state).toBe('failed');
    expect(k.summary).toContain('is empty');
    expect(k.details?.size).toBe('0 bytes');
    expect(k.fix).toContain(`mv ${key} ${key}.broken`);
    expect(k.fix).toContain('security:change_key');
  });

  it.each([31, 33])('has the wrong size (%i bytes)', async (size) => {
    const { root, key, owners } = healthyGlpi();
    write(key, Buffer.alloc(size, 1));
    const checks = await runChecks(root, { owners, statfs: GB });
    const k = byId(checks, 'instance.glpicrypt-key');
    expect(k.state).toBe('failed');
    expect(k.summary).toContain(`is ${size} bytes; GLPI 9.5+ needs exactly 32 raw bytes`);
    expect(k.summary).not.toContain('line break');
    expect(k.fix).toMatch(/^Restore glpicrypt.key from the backup/);
  });

  it('says when the 33rd byte is a newline an editor added', async () => {
    const { root, key, owners } = healthyGlpi();
    write(key, Buffer.concat([Buffer.alloc(32, 1), Buffer.from('\n')]));
    const checks = await runChecks(root, { owners, statfs: GB });
    expect(byId(checks, 'instance.glpicrypt-key').summary).toContain(`truncate -s 32 ${key}`);
  });

  it('is unreadable for the web server user Marketdesk runs as (through the port)', async () => {
    const { key, k } = await keyCheck(({ key }) => ({ unreadable: [key], uid: 33 }));
    expect(k.state).toBe('failed');
    expect(k.summary).toContain('not readable by the web server');
    expect(k.summary).toContain('an ACL, a SELinux/AppArmor label');
    expect(k.fix).toBe(`chown www-data:www-data ${key} and chmod 640 ${key}`);
  });

  it('is unreadable for www-data by its owner and mode', async () => {
    const { key, k } = await keyCheck(rootOwned(0o600));
    expect(k.state).toBe('failed');
    expect(k.summary).toContain('do not let www-data read it');
    expect(k.details).toMatchObject({ owner: 'root (0)', group: 'root (0)', mode: '0600 (rw-------)' });
    expect(k.fix).toBe(`chown www-data:www-data ${key} and chmod 640 ${key}`);
  });

  it('is fine when only Marketdesk (another user) cannot read it', async () => {
    const { k } = await keyCheck(({ key }) => ({ unreadable: [key], uid: 1000 }));
    expect(k.state).toBe('ok');
    expect(k.details?.Marketdesk).toBe('cannot read it (it does not need to)');
  });

  it('warns when every local user can read it', async () => {
    const { key, k } = await keyCheck(rootOwned(0o644));
    expect(k.state).toBe('warning');
    expect(k.summary).toContain('also by every local user (mode 0644)');
    expect(k.fix).toBe(`chown www-data:www-data ${key} and chmod 640 ${key}`);
  });

  it('names apache on a RHEL-like system', async () => {
    const { key, k } = await keyCheck(rootOwned(0o600, { release: 'rocky' }));
    expect(k.summary).toContain('do not let apache read it');
    expect(k.fix).toBe(`chown apache:apache ${key} and chmod 640 ${key}`);
  });

  it('says "the web server user (www-data or apache)" when the system is not recognised', async () => {
    const { key, k } = await keyCheck(({ key }) => ({ unreadable: [key], uid: 1000, release: 'unknown' }));
    expect(k.state).toBe('warning');
    expect(k.summary).toContain('the web server user (www-data or apache) could not be identified');
    expect(k.fix).toContain(`chown www-data:www-data ${key} (apache:apache on RHEL-likes) and chmod 640 ${key}`);
  });
});
