import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { InstallError } from './errors';
import { ChecksumChanged, normalizeSha256, PinStore, pinsFile } from './pins';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const at = new Date('2026-01-02T03:04:05Z');

function store(): { pins: PinStore; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'md-pinstore-'));
  return { pins: new PinStore(nodeFileSystem, dir), dir };
}

describe('PinStore', () => {
  it('pins a version once: later records keep the first checksum unless replacing', async () => {
    const { pins } = store();
    expect(await pins.check('fields', '1.0', A)).toEqual({ kind: 'new' });
    await pins.record({ key: 'fields', version: '1.0', sha256: A, source: 'http://x/a.tgz', at });
    expect(await pins.check('fields', '1.0', A)).toMatchObject({ kind: 'same' });
    await pins.record({ key: 'fields', version: '1.0', sha256: B, source: 'http://x/a.tgz', at });
    expect((await pins.get('fields', '1.0'))?.sha256).toBe(A);
    await pins.record({ key: 'fields', version: '1.0', sha256: B, source: 'bundle:x', at }, { replace: true });
    expect(await pins.get('fields', '1.0')).toEqual({
      sha256: B,
      firstSeen: at.toISOString(),
      source: 'bundle:x',
      replaced: [{ sha256: A, until: at.toISOString() }],
    });
    await expect(pins.record({ key: 'fields', version: '2', sha256: 'nope', source: '', at })).rejects.toThrow(
      TypeError,
    );
  });

  it('refuses other bytes unless that exact checksum was confirmed', async () => {
    const { pins } = store();
    await pins.record({ key: 'fields', version: '1.0', sha256: A, source: 'u', at });
    const refusal = await pins.check('fields', '1.0', B).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(InstallError);
    expect(refusal).toMatchObject({ code: 'checksum-changed', step: 'download' });
    expect((refusal as InstallError).cause).toEqual(new ChecksumChanged('fields', '1.0', A, B));
    expect((refusal as Error).message).toContain(A);
    expect((refusal as Error).message).toContain(B);
    await expect(pins.check('fields', '1.0', B, C)).rejects.toThrow(/The checksum you confirmed/);
    expect(await pins.check('fields', '1.0', B, ` ${B.toUpperCase()} `)).toMatchObject({ kind: 'accepted' });
  });

  it('records concurrent pins without losing any, atomically', async () => {
    const { pins, dir } = store();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => pins.record({ key: `p${i}`, version: '1', sha256: A, source: 'u', at })),
    );
    expect(Object.keys(await pins.all()).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `p${i}@1`));
    expect(JSON.parse(readFileSync(pinsFile(dir), 'utf8'))).toMatchObject({ format: 1 });
  });

  it('fails closed on a pin file it cannot read', async () => {
    const { pins, dir } = store();
    writeFileSync(pinsFile(dir), '{"format": 7}');
    await expect(pins.check('fields', '1.0', A)).rejects.toMatchObject({ code: 'pins-unreadable' });
    writeFileSync(pinsFile(dir), 'not json');
    await expect(pins.get('fields', '1.0')).rejects.toMatchObject({ code: 'pins-unreadable' });
  });

  it('normalizes a pasted SHA-256', () => {
    expect(normalizeSha256(` ${A.toUpperCase()}\n`)).toBe(A);
    expect(normalizeSha256('abc')).toBeNull();
  });
});
