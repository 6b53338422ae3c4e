import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listNames, writeFileAtomic } from '../core/ports';
import { nodeFileSystem as fs } from './node-file-system';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'md-node-fs-'));
  temps.push(d);
  return d;
}

describe('nodeFileSystem', () => {
  it('stats files, folders and links', async () => {
    const dir = tempDir();
    const file = join(dir, 'glpicrypt.key');
    writeFileSync(file, Buffer.alloc(32), { mode: 0o640 });
    symlinkSync(file, join(dir, 'link'));
    const s = await fs.stat(file);
    expect([s.size, s.mode & 0o777, s.isFile(), s.isDirectory(), typeof s.uid, typeof s.gid]).toEqual([
      32,
      0o640,
      true,
      false,
      'number',
      'number',
    ]);
    expect((await fs.lstat(join(dir, 'link'))).isSymbolicLink()).toBe(true);
    expect((await fs.stat(join(dir, 'link'))).isFile()).toBe(true);
    expect((await fs.stat(dir)).isDirectory()).toBe(true);
    expect(await fs.readdir(dir)).toEqual(
      expect.arrayContaining([
        { name: 'glpicrypt.key', type: 'file' },
        { name: 'link', type: 'symlink' },
      ]),
    );
    expect((await listNames(fs, dir)).sort()).toEqual(['glpicrypt.key', 'link']);
    expect(await fs.realpath(join(dir, 'link'))).toBe(await fs.realpath(file));
    await expect(fs.stat(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads whole files, refusing those over maxBytes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'small'), 'hello');
    writeFileSync(join(dir, 'big'), Buffer.alloc(1025));
    expect(Buffer.from(await fs.readFile(join(dir, 'small'), { maxBytes: 1024 })).toString()).toBe('hello');
    expect(await fs.readText(join(dir, 'small'))).toBe('hello');
    await expect(fs.readFile(join(dir, 'big'), { maxBytes: 1024 })).rejects.toMatchObject({ code: 'EFBIG' });
    expect((await fs.readFile(join(dir, 'big'))).length).toBe(1025);
    const chunks: Uint8Array[] = [];
    for await (const c of fs.readStream(join(dir, 'big'))) chunks.push(c);
    expect(Buffer.concat(chunks).length).toBe(1025);
  });

  it('writes, exclusively when asked, appends and streams', async () => {
    const dir = tempDir();
    const file = join(dir, 'lock');
    await fs.writeFile(file, 'one', { exclusive: true, mode: 0o600 });
    await expect(fs.writeFile(file, 'two', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe('one');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    await fs.appendFile(file, '+more');
    expect(readFileSync(file, 'utf8')).toBe('one+more');
    const w = await fs.openWriter(join(dir, 'streamed'));
    await w.write([Buffer.from('ab')]);
    await w.write([new Uint8Array([99]), Buffer.from('de')]);
    await w.close();
    expect(readFileSync(join(dir, 'streamed'), 'utf8')).toBe('abcde');
    expect(Buffer.from(await fs.readRange(join(dir, 'streamed'), 1, 3)).toString()).toBe('bcd');
    expect(Buffer.from(await fs.readRange(join(dir, 'streamed'), 3, 10)).toString()).toBe('de');
    // Into the caller's buffer, when it is big enough: a view of it.
    const into = Buffer.alloc(8);
    const read = await fs.readRange(join(dir, 'streamed'), 2, 8, into);
    expect([Buffer.from(read).toString(), read.buffer === into.buffer]).toEqual(['cde', true]);
    const small = await fs.readRange(join(dir, 'streamed'), 0, 5, Buffer.alloc(2));
    expect(Buffer.from(small).toString()).toBe('abcde');
    await writeFileAtomic(fs, join(dir, 'streamed'), 'new', { tag: 't' });
    expect(readFileSync(join(dir, 'streamed'), 'utf8')).toBe('new');
    expect((await listNames(fs, dir)).sort()).toEqual(['lock', 'streamed']);
  });

  it('renames, removes recursively and makes folders', async () => {
    const dir = tempDir();
    await fs.mkdir(join(dir, 'a', 'b'));
    await fs.mkdir(join(dir, 'a', 'b'));
    await fs.writeFile(join(dir, 'a', 'b', 'f'), 'x');
    await fs.rename(join(dir, 'a'), join(dir, 'c'));
    expect(await fs.readText(join(dir, 'c', 'b', 'f'))).toBe('x');
    await fs.syncDir(dir);
    await fs.rm(join(dir, 'c'));
    await fs.rm(join(dir, 'missing'));
    expect(await listNames(fs, dir)).toEqual([]);
  });

  it('answers access questions without throwing', async () => {
    const dir = tempDir();
    expect(await fs.access(dir, 'read')).toBe(true);
    expect(await fs.access(dir, 'write')).toBe(true);
    expect(await fs.access(join(dir, 'missing'), 'read')).toBe(false);
    expect(await fs.access(join(dir, 'missing'), 'write')).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'syncTree: files written without an fsync each are made durable at once; a missing folder is an error',
    async () => {
      const dir = tempDir();
      await fs.mkdir(join(dir, 'staging', 'inc'));
      const writer = await fs.openWriter(join(dir, 'staging', 'inc', 'a.php'), { exclusive: true, deferSync: true });
      await writer.write([Buffer.from('<?php')]);
      await writer.close();
      await fs.syncTree!(join(dir, 'staging'));
      expect(readFileSync(join(dir, 'staging', 'inc', 'a.php'), 'utf8')).toBe('<?php');
      // `sync -f` fails there, and so does the fsync of each file it falls back to.
      await expect(fs.syncTree!(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );

  it('measures the volume', async () => {
    const s = await fs.statfs(tempDir());
    expect(s.bsize).toBeGreaterThan(0);
    expect(s.blocks).toBeGreaterThan(0);
    expect(s.bavail).toBeGreaterThanOrEqual(0);
  });
});
