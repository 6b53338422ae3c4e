import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileWriter } from '../ports';
import { readTar, TarFormatError, TarWriter } from './bundle-tar';

const SIZES = [0, 1, 511, 512, 513, 70_000];
const body = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + n) % 256));

async function written(): Promise<{ bytes: Buffer; sha256: string }> {
  const chunks: Buffer[] = [];
  const out: FileWriter = {
    write: (c) => Promise.resolve(void chunks.push(...c.map((x) => Buffer.from(x)))),
    close: () => Promise.resolve(),
    abort: () => Promise.resolve(),
  };
  const tar = new TarWriter(out, new Date('2025-01-02T03:04:05Z'));
  for (const n of SIZES) await tar.member(`archives/m${n}-1.0.zip`, n, body(n));
  const sha256 = await tar.end();
  return { bytes: Buffer.concat(chunks), sha256 };
}

/** The bytes in slices of `size`, as a stream of that read size would give them. */
function slices(bytes: Buffer, size: number): Iterable<Uint8Array> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function read(bytes: Buffer, size: number) {
  const members: { path: string; offset: number; data: Buffer }[] = [];
  const whole = await readTar(slices(bytes, size), (m) => {
    const parts: Buffer[] = [];
    return {
      data: (c) => void parts.push(Buffer.from(c)),
      end: () => void members.push({ path: m.path, offset: m.offset, data: Buffer.concat(parts) }),
    };
  });
  return { whole, members };
}

describe('the bundle tar framing', () => {
  it('reads back every member, whatever the read size, with its offset and the whole SHA-256', async () => {
    const { bytes, sha256 } = await written();
    expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    for (const size of [1, 7, 511, 512, 4096, bytes.length]) {
      const { whole, members } = await read(bytes, size);
      expect(whole).toEqual({ bytes: bytes.length, sha256 });
      expect(members.map((m) => [m.path, m.data.length])).toEqual(SIZES.map((n) => [`archives/m${n}-1.0.zip`, n]));
      for (const m of members) expect(bytes.subarray(m.offset, m.offset + m.data.length).equals(m.data)).toBe(true);
      for (const [i, n] of SIZES.entries()) expect(members[i]?.data.equals(body(n))).toBe(true);
    }
  });

  it('is a tar file the system tar lists and unpacks', async () => {
    const { bytes } = await written();
    const dir = mkdtempSync(join(tmpdir(), 'md-tar-'));
    writeFileSync(join(dir, 'x.tar'), bytes);
    const listed = spawnSync('tar', ['tf', 'x.tar'], { cwd: dir, encoding: 'utf8' });
    expect(listed.stdout.trim().split('\n')).toEqual(SIZES.map((n) => `archives/m${n}-1.0.zip`));
    expect(spawnSync('tar', ['xf', 'x.tar'], { cwd: dir }).status).toBe(0);
    expect(readFileSync(join(dir, 'archives/m70000-1.0.zip')).equals(body(70_000))).toBe(true);
  });

  it('refuses a cut stream, a damaged header, and data after the end', async () => {
    const { bytes } = await written();
    const kind = (b: Buffer) =>
      read(b, 4096).then(
        () => 'read',
        (err: unknown) => (err instanceof TarFormatError ? err.kind : String(err)),
      );
    for (const cut of [100, 512, 600, bytes.length - 1024, bytes.length - 1])
      expect(await kind(bytes.subarray(0, cut))).toBe('truncated');
    const damaged = Buffer.from(bytes);
    damaged[10] = (damaged[10] ?? 0) ^ 1;
    expect(await kind(damaged)).toBe('corrupt');
    expect(await kind(Buffer.concat([bytes, Buffer.alloc(9216)]))).toBe('read'); // zero padding to a record
    expect(await kind(Buffer.concat([bytes, Buffer.from('more')]))).toBe('corrupt');
  });

  it('refuses a body longer or shorter than announced', async () => {
    const out: FileWriter = {
      write: () => Promise.resolve(),
      close: () => Promise.resolve(),
      abort: () => Promise.resolve(),
    };
    const tar = new TarWriter(out, new Date());
    await expect(tar.member('a', 3, body(4))).rejects.toThrow('more than the 3 bytes');
    await expect(new TarWriter(out, new Date()).member('a', 5, body(4))).rejects.toThrow('4 bytes instead of 5');
  });
});
