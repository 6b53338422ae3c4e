import { chownSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sftpFileSystem } from './sftp-file-system';
import type { SshConnection } from './ssh-connect';
import { openSudoSftp, sudoSftpCommand, SudoSftpError } from './sudo-sftp';
import {
  connectTestSshd,
  idsOf,
  sshdUnavailable,
  startSshd,
  sudoUnavailable,
  testSftpFileSystem,
  WEB_TEST_USER,
  type TestSshd,
} from './testing-sshd.testkit';

describe('sudoSftpCommand', () => {
  it('runs the first sftp-server found, through sudo -n, for a valid user name only', () => {
    expect(sudoSftpCommand('www-data')).toContain('exec sudo -n -u www-data -- "$p"');
    expect(() => sudoSftpCommand('www-data; rm -rf /')).toThrow(SudoSftpError);
  });
});

const why = sshdUnavailable() ?? sudoUnavailable();

describe.skipIf(why !== null)(`SFTP as the web user through sudo -n${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let conn: SshConnection;
  const web = idsOf(WEB_TEST_USER);

  beforeAll(async () => {
    sshd = await startSshd();
    conn = await connectTestSshd(sshd);
  });
  afterAll(async () => {
    conn?.close();
    await sshd?.close();
  });

  it('writes files owned by the web user where the SSH user could not', async () => {
    const marketplace = join(sshd.dir, 'marketplace');
    mkdirSync(marketplace, { mode: 0o755 });
    chownSync(marketplace, web.uid, web.gid);
    const asSsh = await testSftpFileSystem(sshd, conn);
    await expect(asSsh.writeFile(join(marketplace, 'x'), 'x')).rejects.toMatchObject({ code: 'EACCES' });
    expect(await asSsh.access(marketplace, 'write')).toBe(false);

    const asWeb = sftpFileSystem(await openSudoSftp(conn.client, WEB_TEST_USER), { uid: web.uid, gids: [web.gid] });
    expect(await asWeb.access(marketplace, 'write')).toBe(true);
    await asWeb.mkdir(join(marketplace, 'fields', 'inc'));
    await asWeb.writeFile(join(marketplace, 'fields', 'setup.php'), '<?php // 1.21.0\n');
    await asWeb.rename(join(marketplace, 'fields'), join(marketplace, 'fields2'));
    const file = join(marketplace, 'fields2', 'setup.php');
    expect(readFileSync(file, 'utf8')).toBe('<?php // 1.21.0\n');
    expect(statSync(file).uid).toBe(web.uid);
    expect(statSync(join(marketplace, 'fields2', 'inc')).uid).toBe(web.uid);
  });

  it('a user the SSH user may not become: refused at once, with the sudoers line to add', async () => {
    const err = await openSudoSftp(conn.client, 'root', 10_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SudoSftpError);
    expect((err as SudoSftpError).message).toMatch(/without a password/);
    expect((err as SudoSftpError).fix).toContain('NOPASSWD');
  });

  it('a user that does not exist: says so', async () => {
    const err = await openSudoSftp(conn.client, 'nosuchuser', 10_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SudoSftpError);
    expect((err as SudoSftpError).message).toMatch(/nosuchuser/);
  });
});
