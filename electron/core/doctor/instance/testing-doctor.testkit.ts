/** Test support for the instance checks: temporary GLPI roots and /etc stand-ins, a FileSystem with faults. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../adapters/node-file-system';
import type { FileStat, FileSystem, VolumeStat } from '../../ports';
import { DEFAULT_NETWORK_SERVICES } from '../../glpi-instance-services';
import { fakeGlpi } from '../../testing-glpi.testkit';
import type { Check } from '../check';
import { checkInstance } from '../instance-checks';
import type { DoctorPlatform, PhpProbe } from './types';

const temps: string[] = [];
/** Removes the temporary folders made so far (each test file's afterEach). */
export function cleanupTemps(): void {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
}

export function tempDir(prefix = 'md-doctor-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

export function write(path: string, content: string | Buffer): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

export const OS_RELEASE = {
  debian: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n',
  rocky: 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n',
  unknown: 'NAME="Something"\nID=somethingelse\n',
};

/** A stand-in for /etc: passwd, group and os-release. */
export function etcDir(release: keyof typeof OS_RELEASE = 'debian'): string {
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

export interface Faults {
  /** Paths this process may not read / write (the port answers false). */
  unreadable?: string[];
  unwritable?: string[];
  /** Owner, group and permission bits to report instead of the real ones. */
  owners?: Record<string, { perm: number; uid: number; gid: number }>;
  statfs?: VolumeStat | Error;
}

/** `base` with injected faults; records which files were read. */
export function faultyDoctorFs(base: FileSystem, faults: Faults = {}): FileSystem & { reads: string[] } {
  const reads: string[] = [];
  const over = (path: string, s: FileStat): FileStat => {
    const o = faults.owners?.[path];
    return o ? { ...s, mode: (s.mode & ~0o7777) | o.perm, uid: o.uid, gid: o.gid } : s;
  };
  const denied = (path: string, need: string): boolean =>
    (need === 'read' && (faults.unreadable?.includes(path) ?? false)) ||
    (need === 'write' && (faults.unwritable?.includes(path) ?? false));
  return {
    ...base,
    reads,
    stat: async (path) => over(path, await base.stat(path)),
    lstat: async (path) => over(path, await base.lstat(path)),
    readFile: (path, options) => {
      reads.push(path);
      return base.readFile(path, options);
    },
    readText: (path) => {
      reads.push(path);
      return base.readText(path);
    },
    access: (path, need) => (denied(path, need) ? Promise.resolve(false) : base.access(path, need)),
    statfs: (path) => {
      if (faults.statfs instanceof Error) return Promise.reject(faults.statfs);
      return faults.statfs ? Promise.resolve(faults.statfs) : base.statfs(path);
    },
  };
}

export const ALL_EXTENSIONS = [
  'Core',
  'date',
  'curl',
  'bz2',
  'zip',
  'zlib',
  'sodium',
  'openssl',
  'json',
  'Zend OPcache',
];

export function fakePhp(version: string, extensions: string[] = ALL_EXTENSIONS): PhpProbe {
  return { version: () => Promise.resolve(version), extensions: () => Promise.resolve(extensions) };
}

export const WWW = { uid: 33, gid: 33 };
export const GB = { bsize: 4096, bavail: 2_000_000, blocks: 10_000_000 };

/** A GLPI 10.0.18 root whose key and folders are owned the way a Debian install wants them. */
export function healthyGlpi(): { root: string; key: string; owners: NonNullable<Faults['owners']> } {
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

export function platform(etc: string, uid = 0): DoctorPlatform {
  return { os: 'linux', user: { uid, gids: [uid] }, etcDir: etc };
}

export function byId(checks: Check[], id: string): Check {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${checks.map((x) => x.id).join(', ')}`);
  return c;
}

export interface RunOptions extends Faults {
  /** Left out: the PHP checks are not asked for. */
  php?: PhpProbe | null;
  /** Who this process is (default root). */
  uid?: number;
  /** Which /etc/os-release the stand-in /etc holds (default debian). */
  release?: keyof typeof OS_RELEASE;
  /** The profile's GLPI Network services URL (default GLPI's own). */
  servicesUrl?: string;
}

/** checkInstance on `root` through the real file system with `faults`, as `uid`, with a stand-in /etc. */
export function runChecks(root: string, options: RunOptions = {}): Promise<Check[]> {
  const { php, uid, release, servicesUrl, ...faults } = options;
  const fs = faultyDoctorFs(nodeFileSystem, faults);
  return checkInstance(root, {
    fs,
    platform: platform(etcDir(release), uid),
    servicesUrl: servicesUrl ?? DEFAULT_NETWORK_SERVICES,
    ...(php === undefined ? {} : { php }),
  });
}

/** A healthy GLPI root whose `file` (relative to the root) is `define('<name>', '<value>');`, and its checks. */
export async function checksWithDefine(file: string, name: string, value: string) {
  const glpi = healthyGlpi();
  write(join(glpi.root, ...file.split('/')), `<?php\ndefine('${name}', '${value}');\n`);
  return { ...glpi, checks: await runChecks(glpi.root, { owners: glpi.owners, statfs: GB }) };
}
