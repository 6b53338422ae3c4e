import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentDoctorPlatform, DOCTOR_READ_LIMIT, nodeDoctorFs } from './doctor-fs';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'md-doctor-fs-'));
  temps.push(d);
  return d;
}

describe('nodeDoctorFs', () => {
  it('stats files, folders and links', async () => {
    const dir = tempDir();
    const file = join(dir, 'glpicrypt.key');
    writeFileSync(file, Buffer.alloc(32), { mode: 0o640 });
    symlinkSync(file, join(dir, 'link'));
    const s = await nodeDoctorFs.stat(file);
    expect([s.size, s.mode & 0o777, s.isFile(), s.isDirectory(), typeof s.uid, typeof s.gid]).toEqual([
      32,
      0o640,
      true,
      false,
      'number',
      'number',
    ]);
    expect((await nodeDoctorFs.lstat(join(dir, 'link'))).isSymbolicLink()).toBe(true);
    expect((await nodeDoctorFs.stat(join(dir, 'link'))).isFile()).toBe(true);
    expect((await nodeDoctorFs.stat(dir)).isDirectory()).toBe(true);
    expect(await nodeDoctorFs.readdir(dir)).toEqual(expect.arrayContaining(['glpicrypt.key', 'link']));
    await expect(nodeDoctorFs.stat(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads small files only', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'small'), 'hello');
    writeFileSync(join(dir, 'big'), Buffer.alloc(DOCTOR_READ_LIMIT + 1));
    expect((await nodeDoctorFs.readFile(join(dir, 'small'))).toString()).toBe('hello');
    await expect(nodeDoctorFs.readFile(join(dir, 'big'))).rejects.toMatchObject({ code: 'EFBIG' });
  });

  it('answers access questions without throwing', async () => {
    const dir = tempDir();
    expect(await nodeDoctorFs.canRead(dir)).toBe(true);
    expect(await nodeDoctorFs.canWrite(dir)).toBe(true);
    expect(await nodeDoctorFs.canRead(join(dir, 'missing'))).toBe(false);
    expect(await nodeDoctorFs.canWrite(join(dir, 'missing'))).toBe(false);
  });

  it('measures the volume', async () => {
    const s = await nodeDoctorFs.statfs(tempDir());
    expect(s.bsize).toBeGreaterThan(0);
    expect(s.blocks).toBeGreaterThan(0);
    expect(s.bavail).toBeGreaterThanOrEqual(0);
  });
});

describe('currentDoctorPlatform', () => {
  it('describes this process', () => {
    const p = currentDoctorPlatform();
    expect(p.os).toBe(process.platform);
    expect(p.etcDir).toBe('/etc');
    if (process.platform !== 'win32') expect(p.user?.uid).toBe(process.getuid?.());
  });
});
