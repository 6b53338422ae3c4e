import { EventEmitter } from 'node:events';
import { chmodSync, chownSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, win32 } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNames, writeFileAtomic, type FileSystem } from '../../core/ports';
import type { SFTPWrapper } from 'ssh2';
import { remotePath, sftpFileSystem, WRITE_CHANNELS } from './sftp-file-system';
import type { SshConnection } from './ssh-connect';
import { connectTestSshd, testSftpFileSystem, sshdUnavailable, startSshd, type TestSshd } from './testing-sshd.testkit';

const why = sshdUnavailable();

describe.skipIf(why !== null)(`sftpFileSystem on a real sshd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let conn: SshConnection;
  let fs: FileSystem;
  let n = 0;

  beforeAll(async () => {
    sshd = await startSshd();
    conn = await connectTestSshd(sshd);
    fs = await testSftpFileSystem(sshd, conn);
  });
  afterAll(async () => {
    conn?.close();
    await sshd?.close();
  });

  /** A fresh folder on the server, owned by the SSH user. */
  const dir = async (): Promise<string> => {
    const d = join(sshd.dir, `t${n++}`);
    await fs.mkdir(d);
    return d;
  };
  /** A file the test (root or the same user) puts there behind SFTP's back, owned by the SSH user. */
  const put = (path: string, data: string | Buffer, mode = 0o644): void => {
    writeFileSync(path, data, { mode });
    chmodSync(path, mode);
    if (process.getuid?.() === 0) chownSync(path, sshd.uid, sshd.gid);
  };

  it('stats files, folders and links', async () => {
    const d = await dir();
    const file = join(d, 'glpicrypt.key');
    put(file, Buffer.alloc(32), 0o640);
    symlinkSync(file, join(d, 'link'));
    const s = await fs.stat(file);
    expect([s.size, s.mode & 0o777, s.isFile(), s.isDirectory(), s.uid, s.gid]).toEqual([
      32,
      0o640,
      true,
      false,
      sshd.uid,
      sshd.gid,
    ]);
    expect((await fs.lstat(join(d, 'link'))).isSymbolicLink()).toBe(true);
    expect((await fs.stat(join(d, 'link'))).isFile()).toBe(true);
    expect((await fs.stat(d)).isDirectory()).toBe(true);
    expect(await fs.readdir(d)).toEqual(
      expect.arrayContaining([
        { name: 'glpicrypt.key', type: 'file' },
        { name: 'link', type: 'symlink' },
      ]),
    );
    expect((await listNames(fs, d)).sort()).toEqual(['glpicrypt.key', 'link']);
    expect(await fs.realpath(join(d, 'link'))).toBe(await fs.realpath(file));
    await expect(fs.stat(join(d, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads whole files, refusing those over maxBytes, in ranges and streamed', async () => {
    const d = await dir();
    put(join(d, 'small'), 'hello');
    const big = Buffer.alloc(700_000, 7);
    big.write('end', big.length - 3);
    put(join(d, 'big'), big);
    expect(Buffer.from(await fs.readFile(join(d, 'small'), { maxBytes: 1024 })).toString()).toBe('hello');
    expect(await fs.readText(join(d, 'small'))).toBe('hello');
    await expect(fs.readFile(join(d, 'big'), { maxBytes: 1024 })).rejects.toMatchObject({ code: 'EFBIG' });
    expect(Buffer.from(await fs.readFile(join(d, 'big'))).equals(big)).toBe(true);
    const chunks: Uint8Array[] = [];
    for await (const c of fs.readStream(join(d, 'big'))) chunks.push(c);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
    expect(Buffer.from(await fs.readRange(join(d, 'big'), big.length - 3, 10)).toString()).toBe('end');
  });

  it('writes, exclusively when asked, appends, streams and replaces atomically', async () => {
    const d = await dir();
    const file = join(d, 'lock');
    await fs.writeFile(file, 'one', { exclusive: true, mode: 0o600 });
    await expect(fs.writeFile(file, 'two', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await fs.appendFile(file, '+more');
    expect(readFileSync(file, 'utf8')).toBe('one+more');
    const w = await fs.openWriter(join(d, 'streamed'));
    await w.write([Buffer.from('ab')]);
    const large = Buffer.alloc(1_500_000, 1);
    await w.write([new Uint8Array([99]), Buffer.from('de'), large]);
    await w.close();
    expect(readFileSync(join(d, 'streamed')).equals(Buffer.concat([Buffer.from('abcde'), large]))).toBe(true);
    const aborted = await fs.openWriter(join(d, 'aborted'));
    await aborted.write([Buffer.from('x')]);
    await aborted.abort();
    await aborted.abort();
    await writeFileAtomic(fs, join(d, 'streamed'), 'new', { tag: 't' });
    expect(readFileSync(join(d, 'streamed'), 'utf8')).toBe('new');
    expect((await listNames(fs, d)).sort()).toEqual(['aborted', 'lock', 'streamed']);
  });

  it('spreads files written at once over up to WRITE_CHANNELS channels; a channel that cannot open is not asked again', async () => {
    const d = await dir();
    const opened: SFTPWrapper[] = [];
    const openChannel = (): Promise<SFTPWrapper> =>
      new Promise((resolve, reject) =>
        conn.client.sftp((err, s) => (err ? reject(err) : (opened.push(s), resolve(s)))),
      );
    const spread = sftpFileSystem(await openChannel(), { uid: sshd.uid, gids: [sshd.gid] }, { openChannel });
    const data = (i: number): Buffer => Buffer.alloc(300_000 + i, i);
    const writers = await Promise.all(
      Array.from({ length: WRITE_CHANNELS * 2 }, (_, i) => spread.openWriter(join(d, `f${i}`), { exclusive: true })),
    );
    await Promise.all(writers.map((w, i) => w.write([data(i)])));
    await Promise.all(writers.map((w) => w.close()));
    expect(opened).toHaveLength(WRITE_CHANNELS);
    writers.forEach((_, i) => expect(readFileSync(join(d, `f${i}`)).equals(data(i))).toBe(true));
    for (const s of opened) s.end();

    let asked = 0;
    const single = sftpFileSystem(
      await openChannel(),
      { uid: sshd.uid, gids: [sshd.gid] },
      {
        openChannel: () => {
          asked++;
          return Promise.reject(new Error('no more sessions'));
        },
      },
    );
    const two = await Promise.all([single.openWriter(join(d, 'g1')), single.openWriter(join(d, 'g2'))]);
    const third = await single.openWriter(join(d, 'g3'));
    for (const w of [...two, third]) {
      await w.write([Buffer.from('x')]);
      await w.close();
    }
    expect(asked).toBe(1);
    expect(await single.readText(join(d, 'g3'))).toBe('x');
  });

  it('renames (replacing a file atomically), removes recursively and makes folders', async () => {
    const d = await dir();
    await fs.mkdir(join(d, 'a', 'b'));
    await fs.mkdir(join(d, 'a', 'b'));
    await fs.writeFile(join(d, 'a', 'b', 'f'), 'x');
    await fs.rename(join(d, 'a'), join(d, 'c'));
    expect(await fs.readText(join(d, 'c', 'b', 'f'))).toBe('x');
    await fs.writeFile(join(d, 'g'), 'new');
    await fs.rename(join(d, 'g'), join(d, 'c', 'b', 'f'));
    expect(await fs.readText(join(d, 'c', 'b', 'f'))).toBe('new');
    await expect(fs.mkdir(join(d, 'c', 'b', 'f'))).rejects.toMatchObject({ code: 'EEXIST' });
    await fs.syncDir(d);
    await fs.rm(join(d, 'c'));
    await fs.rm(join(d, 'missing'));
    expect(await listNames(fs, d)).toEqual([]);
  });

  it("takes the paths a Windows desktop joins (backslashes, a drive letter) as the server's", async () => {
    const d = await dir();
    // What node:path.win32.resolve gives on a Windows desktop: the current drive, then backslashes.
    const w = `C:${win32.resolve(d)}`;
    await fs.mkdir(win32.join(w, 'a'));
    await fs.writeFile(win32.join(w, 'a', 'setup.php'), '<?php // a\\b stays as written');
    await fs.rename(win32.join(w, 'a'), win32.join(w, 'b'));
    expect(readFileSync(join(d, 'b', 'setup.php'), 'utf8')).toBe('<?php // a\\b stays as written');
    expect(await listNames(fs, win32.join(w, 'b'))).toEqual(['setup.php']);
  });

  it('answers access questions from the mode bits, without throwing', async () => {
    const d = await dir();
    expect(await fs.access(d, 'read')).toBe(true);
    expect(await fs.access(d, 'write')).toBe(true);
    expect(await fs.access(join(d, 'missing'), 'read')).toBe(false);
    const ro = join(d, 'ro');
    await fs.mkdir(ro);
    chmodSync(ro, 0o555);
    expect(await fs.access(ro, 'write')).toBe(process.getuid?.() === 0 && sshd.uid === 0);
    await expect(fs.writeFile(join(ro, 'x'), 'x')).rejects.toMatchObject({ code: 'EACCES' });
    chmodSync(ro, 0o755);
  });

  it('measures the volume', async () => {
    const s = await fs.statfs(sshd.dir);
    expect(s.bsize).toBeGreaterThan(0);
    expect(s.blocks).toBeGreaterThan(0);
    expect(s.bavail).toBeGreaterThanOrEqual(0);
  });

  it('fails at once, rather than waiting forever, once the server is gone', async () => {
    const own = await startSshd();
    const c = await connectTestSshd(own);
    const remote = await testSftpFileSystem(own, c);
    await remote.stat(own.dir);
    own.kill();
    await new Promise<void>((resolve) => c.client.once('close', () => resolve()));
    const started = Date.now();
    await expect(remote.stat(own.dir)).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(remote.mkdir(join(own.dir, 'after'))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(Date.now() - started).toBeLessThan(1000);
    await own.close();
  });
});

describe('a channel that dies with a request unanswered', () => {
  /** A channel whose requests are never answered (as ssh2's own follow-up reads once the server died). */
  function silentChannel(): { channel: SFTPWrapper; asked: string[]; answers: ((err?: Error) => void)[] } {
    const asked: string[] = [];
    const answers: ((err?: Error) => void)[] = [];
    const emitter = new EventEmitter();
    const channel = Object.assign(emitter, {
      readdir: (path: string, cb: (err?: Error) => void) => (asked.push(path), answers.push(cb)),
      stat: (path: string, cb: (err?: Error) => void) => (asked.push(path), answers.push(cb)),
    });
    return { channel: channel as unknown as SFTPWrapper, asked, answers };
  }

  it('fails the requests still waiting with ECONNRESET when the channel ends, and answers each only once', async () => {
    const { channel, asked, answers } = silentChannel();
    const fs = sftpFileSystem(channel, { uid: 0, gids: [0] });
    const listing = fs.readdir('/var/www/glpi/marketplace/.marketdesk/staging-1');
    const stat = fs.stat('/var/www/glpi/marketplace');
    expect(asked).toHaveLength(2);
    (channel as unknown as EventEmitter).emit('close');
    await expect(listing).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(stat).rejects.toMatchObject({ code: 'ECONNRESET' });
    // A late answer from ssh2 changes nothing (a promise settles once; the callback is not run twice).
    answers.forEach((answer) => answer(new Error('No response from server')));
    await expect(fs.stat('/after')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(asked).toHaveLength(2);
  });
});

describe('remotePath: the paths a Windows desktop joins', () => {
  it('turns backslashes into slashes and drops the drive letter node:path.win32 adds to a POSIX root', () => {
    expect(remotePath(`C:${win32.join(win32.resolve('/var/www/glpi'), 'marketplace', 'fields')}`)).toBe(
      '/var/www/glpi/marketplace/fields',
    );
    expect(remotePath('/var/www/glpi/marketplace')).toBe('/var/www/glpi/marketplace');
    expect(remotePath('relative\\setup.php')).toBe('relative/setup.php');
  });
});
