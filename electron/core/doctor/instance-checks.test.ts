import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeDoctorFs } from '../../adapters/doctor/doctor-fs';
import { fakeGlpi } from '../testing-glpi.testkit';
import type { Check } from './check';
import {
  checkInstance,
  type DoctorFs,
  type DoctorPlatform,
  type DoctorStat,
  type DoctorStatFs,
  type PhpProbe,
} from './instance-checks';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tempDir(prefix = 'md-doctor-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

function write(path: string, content: string | Buffer): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

const OS_RELEASE = {
  debian: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n',
  rocky: 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n',
  unknown: 'NAME="Something"\nID=somethingelse\n',
};

/** A stand-in for /etc: passwd, group and os-release. */
function etcDir(release: keyof typeof OS_RELEASE = 'debian'): string {
  const d = tempDir('md-etc-');
  write(
    join(d, 'passwd'),
    [
      'root:x:0:0:root:/root:/bin/bash',
      'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin',
      'apache:x:48:48:Apache:/usr/share/httpd:/sbin/nologin',
      'alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash',
      '',
    ].join('\n'),
  );
  write(join(d, 'group'), ['root:x:0:', 'www-data:x:33:', 'apache:x:48:', 'alice:x:1000:', ''].join('\n'));
  write(join(d, 'os-release'), OS_RELEASE[release]);
  return d;
}

interface Faults {
  /** Paths this process may not read / write (the port answers false). */
  unreadable?: string[];
  unwritable?: string[];
  /** Owner, group and permission bits to report instead of the real ones. */
  owners?: Record<string, { perm: number; uid: number; gid: number }>;
  statfs?: DoctorStatFs | Error;
}

/** The node port with injected faults; records which files were read. */
function faultyFs(faults: Faults = {}): DoctorFs & { reads: string[] } {
  const reads: string[] = [];
  const over = (path: string, s: DoctorStat): DoctorStat => {
    const o = faults.owners?.[path];
    return o ? { ...s, mode: (s.mode & ~0o7777) | o.perm, uid: o.uid, gid: o.gid } : s;
  };
  return {
    reads,
    stat: async (path) => over(path, await nodeDoctorFs.stat(path)),
    lstat: async (path) => over(path, await nodeDoctorFs.lstat(path)),
    readFile: (path) => {
      reads.push(path);
      return nodeDoctorFs.readFile(path);
    },
    readdir: (path) => nodeDoctorFs.readdir(path),
    canRead: (path) => (faults.unreadable?.includes(path) ? Promise.resolve(false) : nodeDoctorFs.canRead(path)),
    canWrite: (path) => (faults.unwritable?.includes(path) ? Promise.resolve(false) : nodeDoctorFs.canWrite(path)),
    statfs: (path) => {
      if (faults.statfs instanceof Error) return Promise.reject(faults.statfs);
      return faults.statfs ? Promise.resolve(faults.statfs) : nodeDoctorFs.statfs(path);
    },
  };
}

const ALL_EXTENSIONS = ['Core', 'date', 'curl', 'bz2', 'zip', 'zlib', 'sodium', 'openssl', 'json', 'Zend OPcache'];

function fakePhp(version: string, extensions: string[] = ALL_EXTENSIONS): PhpProbe {
  return { version: () => Promise.resolve(version), extensions: () => Promise.resolve(extensions) };
}

const WWW = { uid: 33, gid: 33 };
const GB = { bsize: 4096, bavail: 2_000_000, blocks: 10_000_000 };

/** A GLPI 10.0.18 root whose key and folders are owned the way a Debian install wants them. */
function healthyGlpi(): { root: string; key: string; owners: NonNullable<Faults['owners']> } {
  const root = fakeGlpi();
  temps.push(root);
  const key = join(root, 'config', 'glpicrypt.key');
  write(key, Buffer.alloc(32, 7));
  return {
    root,
    key,
    owners: {
      [key]: { perm: 0o640, ...WWW },
      [join(root, 'config')]: { perm: 0o750, ...WWW },
      [join(root, 'marketplace')]: { perm: 0o755, ...WWW },
    },
  };
}

function platform(etc: string, uid = 0): DoctorPlatform {
  return { os: 'linux', user: { uid, gids: [uid] }, etcDir: etc };
}

function byId(checks: Check[], id: string): Check {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${checks.map((x) => x.id).join(', ')}`);
  return c;
}

describe('checkInstance', () => {
  it('passes every check on a healthy instance, without ever reading the key', async () => {
    const { root, key, owners } = healthyGlpi();
    const fs = faultyFs({ owners, statfs: GB });
    const checks = await checkInstance(root, { fs, php: fakePhp('8.2.7'), platform: platform(etcDir()) });
    expect(checks.map((c) => [c.id, c.state])).toEqual([
      ['instance.root', 'ok'],
      ['instance.config-dir', 'ok'],
      ['instance.glpicrypt-key', 'ok'],
      ['instance.config-db', 'ok'],
      ['instance.marketplace-dir', 'ok'],
      ['instance.plugins-dir', 'ok'],
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
    const checks = await checkInstance(root, { fs: faultyFs(), php: null, platform: platform(etcDir()) });
    expect(byId(checks, 'instance.root')).toMatchObject({ state: 'failed' });
    expect(byId(checks, 'instance.root').summary).toContain('not a GLPI folder');
    expect(
      checks.slice(1).every((c) => c.state === 'skipped' && c.summary === 'the GLPI root was not recognised'),
    ).toBe(true);
    expect(checks).toHaveLength(9);
  });

  describe('glpicrypt.key', () => {
    it('is missing: restore from backup first, change_key as the last resort, secrets to re-enter', async () => {
      const { root, key, owners } = healthyGlpi();
      unlinkSync(key);
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
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
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      const k = byId(checks, 'instance.glpicrypt-key');
      expect(k.summary).toContain('A legacy glpi.key (GLPI 9.4.6–9.4.x) is in the same folder');
      expect(k.details?.['legacy glpi.key']).toBe(`${join(root, 'config', 'glpi.key')} (6 bytes)`);
      expect(k.fix).toContain('php bin/console glpi:security:change_key (GLPI before 10.0.6');
    });

    it('is empty', async () => {
      const { root, key, owners } = healthyGlpi();
      write(key, '');
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
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
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      const k = byId(checks, 'instance.glpicrypt-key');
      expect(k.state).toBe('failed');
      expect(k.summary).toContain(`is ${size} bytes; GLPI 9.5+ needs exactly 32 raw bytes`);
      expect(k.summary).not.toContain('line break');
      expect(k.fix).toMatch(/^Restore glpicrypt.key from the backup/);
    });

    it('says when the 33rd byte is a newline an editor added', async () => {
      const { root, key, owners } = healthyGlpi();
      write(key, Buffer.concat([Buffer.alloc(32, 1), Buffer.from('\n')]));
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      expect(byId(checks, 'instance.glpicrypt-key').summary).toContain(`truncate -s 32 ${key}`);
    });

    it('is unreadable for the web server user Marketdesk runs as (through the port)', async () => {
      const { root, key, owners } = healthyGlpi();
      const fs = faultyFs({ owners, statfs: GB, unreadable: [key] });
      const checks = await checkInstance(root, { fs, platform: platform(etcDir(), 33) });
      const k = byId(checks, 'instance.glpicrypt-key');
      expect(k.state).toBe('failed');
      expect(k.summary).toContain('not readable by the web server');
      expect(k.summary).toContain('an ACL, a SELinux/AppArmor label');
      expect(k.fix).toBe(`chown www-data:www-data ${key} and chmod 640 ${key}`);
    });

    it('is unreadable for www-data by its owner and mode', async () => {
      const { root, key, owners } = healthyGlpi();
      owners[key] = { perm: 0o600, uid: 0, gid: 0 };
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      const k = byId(checks, 'instance.glpicrypt-key');
      expect(k.state).toBe('failed');
      expect(k.summary).toContain('do not let www-data read it');
      expect(k.details).toMatchObject({ owner: 'root (0)', group: 'root (0)', mode: '0600 (rw-------)' });
      expect(k.fix).toBe(`chown www-data:www-data ${key} and chmod 640 ${key}`);
    });

    it('is fine when only Marketdesk (another user) cannot read it', async () => {
      const { root, key, owners } = healthyGlpi();
      const fs = faultyFs({ owners, statfs: GB, unreadable: [key] });
      const checks = await checkInstance(root, { fs, platform: platform(etcDir(), 1000) });
      const k = byId(checks, 'instance.glpicrypt-key');
      expect(k.state).toBe('ok');
      expect(k.details?.Marketdesk).toBe('cannot read it (it does not need to)');
    });

    it('warns when every local user can read it', async () => {
      const { root, key, owners } = healthyGlpi();
      owners[key] = { perm: 0o644, uid: 0, gid: 0 };
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      const k = byId(checks, 'instance.glpicrypt-key');
      expect(k.state).toBe('warning');
      expect(k.summary).toContain('also by every local user (mode 0644)');
      expect(k.fix).toBe(`chown www-data:www-data ${key} and chmod 640 ${key}`);
    });

    it('names apache on a RHEL-like system', async () => {
      const { root, key, owners } = healthyGlpi();
      owners[key] = { perm: 0o600, uid: 0, gid: 0 };
      const checks = await checkInstance(root, {
        fs: faultyFs({ owners, statfs: GB }),
        platform: platform(etcDir('rocky')),
      });
      const k = byId(checks, 'instance.glpicrypt-key');
      expect(k.summary).toContain('do not let apache read it');
      expect(k.fix).toBe(`chown apache:apache ${key} and chmod 640 ${key}`);
    });

    it('says "the web server user (www-data or apache)" when the system is not recognised', async () => {
      const { root, key, owners } = healthyGlpi();
      const fs = faultyFs({ owners, statfs: GB, unreadable: [key] });
      const checks = await checkInstance(root, { fs, platform: platform(etcDir('unknown'), 1000) });
      const k = byId(checks, 'instance.glpicrypt-key');
      expect(k.state).toBe('warning');
      expect(k.summary).toContain('the web server user (www-data or apache) could not be identified');
      expect(k.fix).toContain(`chown www-data:www-data ${key} (apache:apache on RHEL-likes) and chmod 640 ${key}`);
    });
  });

  describe('config folder', () => {
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
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
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
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
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
      const { root, owners } = healthyGlpi();
      const gone = join(tempDir(), 'nowhere');
      write(join(root, 'inc', 'downstream.php'), `<?php\ndefine('GLPI_CONFIG_DIR', '${gone}');\n`);
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
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
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      const c = byId(checks, 'instance.config-dir');
      expect(c.state).toBe('warning');
      expect(c.details?.['note 1']).toContain('cannot be evaluated without running PHP');
      expect(byId(checks, 'instance.glpicrypt-key').summary).toBe('the config folder is unknown');
    });

    it('reports a missing config_db.php as not installed', async () => {
      const { root, owners } = healthyGlpi();
      rmSync(join(root, 'config', 'config_db.php'));
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      expect(byId(checks, 'instance.config-db')).toMatchObject({ state: 'warning' });
      expect(byId(checks, 'instance.config-db').summary).toContain('GLPI is not installed yet');
    });
  });

  describe('marketplace and plugins folders', () => {
    it('fails when Marketdesk cannot write into marketplace/ (through the port)', async () => {
      const { root, owners } = healthyGlpi();
      const market = join(root, 'marketplace');
      const fs = faultyFs({ owners, statfs: GB, unwritable: [market] });
      const checks = await checkInstance(root, { fs, platform: platform(etcDir(), 1000) });
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
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      const m = byId(checks, 'instance.marketplace-dir');
      expect(m.state).toBe('warning');
      expect(m.summary).toContain("GLPI's own marketplace page cannot install or update plugins");
      expect(m.fix).toContain(`chown -R www-data:www-data ${market}`);
    });

    it('names GLPI_MARKETPLACE_DIR and its file when the folder is moved and missing', async () => {
      const { root, owners } = healthyGlpi();
      const moved = join(tempDir(), 'plugins-market');
      write(join(root, 'config', 'local_define.php'), `<?php\ndefine('GLPI_MARKETPLACE_DIR', '${moved}');\n`);
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      const m = byId(checks, 'instance.marketplace-dir');
      expect(m.state).toBe('failed');
      expect(m.details?.['chosen by']).toBe('GLPI_MARKETPLACE_DIR in config/local_define.php');
      expect(m.fix).toContain(`mkdir ${moved} && chown www-data:www-data ${moved} && chmod 755 ${moved}`);
      expect(m.fix).toContain(`change GLPI_MARKETPLACE_DIR in ${join(root, 'config', 'local_define.php')}`);
    });

    it('warns when plugins/ is missing', async () => {
      const { root, owners } = healthyGlpi();
      rmSync(join(root, 'plugins'), { recursive: true });
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs: GB }), platform: platform(etcDir()) });
      expect(byId(checks, 'instance.plugins-dir')).toMatchObject({ state: 'warning' });
    });
  });

  describe('disk space', () => {
    it.each([
      [120_000_000, 'warning', '120 MB free'],
      [30_000_000, 'failed', 'Only 30 MB free'],
      [5_000_000_000, 'ok', '5.0 GB free'],
    ])('%i bytes free is %s', async (free, state, text) => {
      const { root, owners } = healthyGlpi();
      const statfs = { bsize: 1000, bavail: free / 1000, blocks: 1e9 };
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs }), platform: platform(etcDir()) });
      const d = byId(checks, 'instance.disk-space');
      expect(d.state).toBe(state);
      expect(d.summary).toContain(text);
      expect(d.summary).toContain(join(root, 'marketplace'));
    });

    it('warns when the volume cannot be measured', async () => {
      const { root, owners } = healthyGlpi();
      const statfs = Object.assign(new Error('ENOSYS'), { code: 'ENOSYS' });
      const checks = await checkInstance(root, { fs: faultyFs({ owners, statfs }), platform: platform(etcDir()) });
      expect(byId(checks, 'instance.disk-space')).toMatchObject({ state: 'warning' });
    });
  });

  describe('php', () => {
    async function phpChecks(php: PhpProbe | null | undefined, define?: string): Promise<[Check, Check]> {
      const { root, owners } = healthyGlpi();
      if (define) write(join(root, 'inc', 'define.php'), define);
      const checks = await checkInstance(root, {
        fs: faultyFs({ owners, statfs: GB }),
        php,
        platform: platform(etcDir()),
      });
      return [byId(checks, 'php.version'), byId(checks, 'php.extensions')];
    }

    it('is skipped when php is not installed', async () => {
      const [v, e] = await phpChecks(null);
      expect(v).toEqual({
        id: 'php.version',
        title: 'PHP version',
        state: 'skipped',
        summary: 'php is not installed on this machine',
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
      const checks = await checkInstance(root, {
        fs: faultyFs({ owners, statfs: GB }),
        php: fakePhp('8.1.27'),
        platform: platform(etcDir()),
      });
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
});
