import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { knownHostsFiles, readKnownHosts } from './known-hosts-files';

const dir = mkdtempSync(join(tmpdir(), 'md-kh-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIDvL2y0gZtr0Cd6a3d8lR5d1xjQwQb0nqZL9lWv7g0gG';

describe('known_hosts files', () => {
  it('are the ones ssh reads by default, per platform', () => {
    expect(knownHostsFiles('linux', '/home/admin')).toEqual([
      '/home/admin/.ssh/known_hosts',
      '/home/admin/.ssh/known_hosts2',
      '/etc/ssh/ssh_known_hosts',
      '/etc/ssh/ssh_known_hosts2',
    ]);
    expect(knownHostsFiles('win32', 'C:\\Users\\admin', 'D:\\ProgramData')).toEqual([
      'C:\\Users\\admin\\.ssh\\known_hosts',
      'D:\\ProgramData\\ssh\\ssh_known_hosts',
    ]);
  });

  it('gathers the keys of every file in order; a missing file is no key, an unreadable one is reported', async () => {
    const user = join(dir, 'known_hosts');
    const global = join(dir, 'ssh_known_hosts');
    const locked = join(dir, 'locked');
    writeFileSync(user, `glpi ssh-ed25519 ${KEY}\nother ssh-ed25519 ${KEY}\n`);
    writeFileSync(global, `[glpi]:2222 ssh-ed25519 ${KEY}\nglpi,glpi.lan ssh-ed25519 ${KEY}\n`);
    writeFileSync(locked, 'x');
    chmodSync(locked, 0o000);
    const files = [user, join(dir, 'missing'), global, locked];
    const r = await readKnownHosts(nodeFileSystem, files, 'glpi', 22);
    expect(r.keys.map((k) => k.source)).toEqual([`${user}:1`, `${global}:2`]);
    // root reads anything: the unreadable case only shows for an ordinary user.
    expect(r.unreadable).toEqual(process.getuid?.() === 0 ? [] : [{ file: locked, code: 'EACCES' }]);
    expect((await readKnownHosts(nodeFileSystem, files, 'glpi', 2222)).keys.map((k) => k.source)).toEqual([
      `${global}:1`,
    ]);
  });

  it('reports a folder where a file should be', async () => {
    const r = await readKnownHosts(nodeFileSystem, [dir], 'glpi', 22);
    expect(r.keys).toEqual([]);
    expect(r.unreadable.map((u) => u.file)).toEqual([dir]);
  });
});
