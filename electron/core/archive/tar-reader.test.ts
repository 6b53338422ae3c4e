/**
 * The tar reader against what real tars write (GNU tar in its four formats, built here from a
 * folder made by the test) and against node-tar's Parser, which read our archives before it; then
 * the damaged headers it must refuse rather than guess.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/seeded-random';
import { ArchiveError } from './archive-error';
import { buildTar, tarEntry, type TarEntrySpec } from './fixtures.testkit';
import { TarReader, type TarHeader } from './tar-reader';

interface Read {
  path: string;
  type: string;
  size: number;
  linkpath?: string;
  data: string;
}

/** Every entry the reader reports, `archive` pushed in pieces of `piece` bytes. */
function read(archive: Buffer, piece = archive.length): Read[] {
  const entries: Read[] = [];
  let current: { header: TarHeader; parts: Buffer[] } | null = null;
  const reader = new TarReader({
    entry: (header) => (current = { header, parts: [] }),
    data: (view) => current!.parts.push(Buffer.from(view)),
    end: () => {
      const { header, parts } = current!;
      entries.push({
        path: header.path,
        type: header.type,
        size: header.size,
        ...(header.linkpath ? { linkpath: header.linkpath } : {}),
        data: Buffer.concat(parts).toString('latin1'),
      });
      current = null;
    },
  });
  for (let at = 0; at < archive.length; at += piece) reader.push(archive.subarray(at, at + piece));
  reader.finish();
  return entries;
}

/** What node-tar's Parser reports for the same archive. */
async function readWithNodeTar(archive: Buffer): Promise<Read[]> {
  const entries: Read[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry: ReadEntry) => {
      const parts: Buffer[] = [];
      entry.on('data', (c: Buffer) => parts.push(c));
      entry.on('end', () =>
        entries.push({
          path: entry.path,
          type: entry.type,
          size: entry.size ?? 0,
          ...(entry.linkpath ? { linkpath: entry.linkpath } : {}),
          data: Buffer.concat(parts).toString('latin1'),
        }),
      );
    });
    parser.on('error', reject);
    parser.on('end', resolve);
    parser.end(archive);
  });
  return entries;
}

const refusal = (archive: Buffer, piece?: number): ArchiveError => {
  try {
    read(archive, piece);
  } catch (err) {
    if (err instanceof ArchiveError) return err;
    throw err;
  }
  throw new Error('the archive was read');
};

const work = mkdtempSync(join(tmpdir(), 'md-tar-reader-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A plugin folder with names long enough for every format's tricks, and sizes around blocks. */
function sourceTree(): string {
  const root = join(work, 'src');
  rmSync(root, { recursive: true, force: true });
  const deep = join(root, 'plugin', 'front', 'a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60));
  mkdirSync(deep, { recursive: true });
  mkdirSync(join(root, 'plugin', 'empty'));
  writeFileSync(join(root, 'plugin', 'setup.php'), '<?php\n');
  writeFileSync(join(deep, `${'d'.repeat(90)}.php`), 'x'.repeat(513));
  writeFileSync(join(root, 'plugin', 'front', 'zero.txt'), '');
  writeFileSync(join(root, 'plugin', 'front', 'été.php'), 'é'.repeat(256));
  for (const size of [1, 511, 512, 513, 100_000])
    writeFileSync(join(root, 'plugin', `f${size}.bin`), Buffer.alloc(size, size % 251));
  return root;
}

describe('TarReader', () => {
  const hasTar = spawnSync('tar', ['--version']).status === 0;

  for (const format of ['gnu', 'pax', 'ustar', 'v7'] as const) {
    it.skipIf(!hasTar)(`reads GNU tar's ${format} format as node-tar does, whatever the pieces`, async () => {
      const root = sourceTree();
      const made = spawnSync('tar', ['-c', `--format=${format}`, '--sort=name', '-C', root, 'plugin'], {
        maxBuffer: 64 * 1024 * 1024,
      });
      // v7 and ustar cannot hold every name: GNU tar says so; those archives are still read.
      expect(made.stdout.length).toBeGreaterThan(0);
      const expected = await readWithNodeTar(made.stdout);
      expect(expected.length).toBeGreaterThan(8);
      for (const piece of [1, 7, 512, 4096, made.stdout.length]) expect(read(made.stdout, piece)).toEqual(expected);
      if (format !== 'v7' && format !== 'ustar')
        expect(expected.map((e) => e.path)).toContain(
          `plugin/front/${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(60)}/${'d'.repeat(90)}.php`,
        );
    });
  }

  it('reads pax records (path, linkpath, size) and GNU long names, and skips global headers', () => {
    const pax = (records: Record<string, string>): Buffer => {
      const body = Object.entries(records)
        .map(([k, v]) => {
          const text = ` ${k}=${v}\n`;
          let n = Buffer.byteLength(text) + 1;
          while (String(n).length + Buffer.byteLength(text) !== n) n++;
          return `${n}${text}`;
        })
        .join('');
      return Buffer.from(body);
    };
    const long = `plugin/${'x'.repeat(150)}.php`;
    const meta = (path: string, type: TarEntrySpec['type'], data: Buffer | string): TarEntrySpec => ({
      path,
      type,
      data,
      size: Buffer.byteLength(data),
    });
    const archive = buildTar([
      meta('pax_global_header', 'GlobalExtendedHeader', pax({ comment: 'abc' })),
      meta('PaxHeader/1', 'ExtendedHeader', pax({ path: 'plugin/é long.php', size: '3' })),
      { path: 'short', data: 'abc' },
      meta('././@LongLink', 'NextFileHasLongPath', `${long}\0`),
      { path: 'cut', data: 'long' },
      meta('././@LongLink', 'NextFileHasLongLinkpath', `plugin/${'t'.repeat(120)}\0`),
      { path: 'plugin/link', type: 'SymbolicLink', linkpath: 'short' },
    ]);
    expect(read(archive)).toEqual([
      { path: 'plugin/é long.php', type: 'File', size: 3, data: 'abc' },
      { path: long, type: 'File', size: 4, data: 'long' },
      { path: 'plugin/link', type: 'SymbolicLink', size: 0, linkpath: `plugin/${'t'.repeat(120)}`, data: '' },
    ]);
  });

  it('reads a base-256 size, an old-style folder (a file named with a slash) and a lone zero block', () => {
    const big = tarEntry({ path: 'plugin/b.bin', size: 3 });
    big.fill(0, 124, 136);
    big[124] = 0x80;
    big[135] = 3;
    fixChecksum(big);
    const archive = Buffer.concat([
      tarEntry({ path: 'plugin/', type: 'OldFile' }),
      Buffer.alloc(512),
      big.subarray(0, 512),
      Buffer.from('xyz'),
      Buffer.alloc(509),
      Buffer.alloc(1024),
      Buffer.from('anything after the end marker is ignored'),
    ]);
    expect(read(archive, 100)).toEqual([
      { path: 'plugin/', type: 'Directory', size: 0, data: '' },
      { path: 'plugin/b.bin', type: 'File', size: 3, data: 'xyz' },
    ]);
  });

  it('names type flags it does not know, so that they are refused and never skipped', () => {
    const sparse = tarEntry({ path: 'plugin/s', data: 'x' });
    sparse[156] = 'S'.charCodeAt(0);
    const odd = tarEntry({ path: 'plugin/q', data: '' });
    odd[156] = 'Q'.charCodeAt(0);
    fixChecksum(sparse);
    fixChecksum(odd);
    expect(read(Buffer.concat([sparse, odd, Buffer.alloc(1024)])).map((e) => e.type)).toEqual([
      'SparseFile',
      'type "Q"',
    ]);
  });

  it('refuses what it cannot read exactly', () => {
    const good = (): Buffer => tarEntry({ path: 'plugin/a.php', data: 'hello' });
    const damaged = (edit: (header: Buffer) => void, fix = true): Buffer => {
      const entry = good();
      edit(entry);
      if (fix) fixChecksum(entry);
      return Buffer.concat([entry, Buffer.alloc(1024)]);
    };
    expect(refusal(damaged((h) => (h[0] = 0x71), false)).message).toMatch(/checksum/);
    expect(refusal(damaged((h) => h.write('12x', 124, 'latin1'))).message).toMatch(/size field that is not a number/);
    expect(refusal(damaged((h) => (h[124] = 0xff))).message).toMatch(/negative or too large/);
    expect(refusal(damaged((h) => h.fill(0, 0, 100))).message).toMatch(/without a name/);

    const paxOf = (body: string): Buffer =>
      Buffer.concat([
        tarEntry({ path: 'p', type: 'ExtendedHeader', data: body, size: body.length }),
        good(),
        Buffer.alloc(1024),
      ]);
    expect(refusal(paxOf('13 path=abc\n')).message).toMatch(/malformed pax record/);
    expect(refusal(paxOf('11 path=abc')).message).toMatch(/malformed pax record/);
    expect(refusal(paxOf('0xd path=abc\n')).message).toMatch(/malformed pax record/);
    expect(refusal(paxOf('11 size=-1\n')).message).toMatch(/pax size/);
    const hugeMeta = tarEntry({ path: 'p', type: 'NextFileHasLongPath', size: 2 * 1024 * 1024 });
    expect(refusal(Buffer.concat([hugeMeta.subarray(0, 512), Buffer.alloc(4096)])).message).toMatch(/L header/);

    const whole = Buffer.concat([good(), Buffer.alloc(1024)]);
    for (const cut of [100, 512, 514]) {
      const err = refusal(whole.subarray(0, cut), 64);
      expect(err.code).toBe('truncated');
    }
    // Stopping between entries, without the end marker, is what some writers do: accepted.
    expect(read(good())).toHaveLength(1);
    expect(refusal(Buffer.alloc(0)).code).toBe('corrupt');
  });
});

describe('TarReader on damaged bytes', () => {
  it('flipped bytes and cuts anywhere: each entry gets exactly its size, and only ArchiveErrors are thrown', () => {
    const random = mulberry32(15);
    const base = buildTar([
      { path: 'plugin/', type: 'Directory' },
      { path: 'plugin/setup.php', data: '<?php\n' },
      ...Array.from({ length: 12 }, (_, i) => ({
        path: `plugin/inc/${'n'.repeat(i * 9)}${i}.php`,
        data: 'x'.repeat(i * 300),
      })),
    ]);
    let refused = 0;
    let entries = 0;
    for (let round = 0; round < 400; round++) {
      const damaged = Buffer.from(base.subarray(0, 512 + Math.floor(random() * (base.length - 512))));
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
        const at = Math.floor(random() * damaged.length);
        damaged[at] = damaged[at]! ^ (1 << Math.floor(random() * 8));
      }
      // Checked as each entry ends, also in archives refused further on.
      let size = 0;
      let got = 0;
      const reader = new TarReader({
        entry: (header) => ((size = header.size), (got = 0)),
        data: (view) => (got += view.length),
        end: () => {
          expect(got).toBe(size);
          entries++;
        },
      });
      try {
        const piece = 1 + Math.floor(random() * 2000);
        for (let at = 0; at < damaged.length; at += piece) reader.push(damaged.subarray(at, at + piece));
        reader.finish();
      } catch (err) {
        expect(err).toBeInstanceOf(ArchiveError);
        refused++;
      }
    }
    // Most damage is seen (checksums, cuts inside entries); some lands in data, which tar cannot see.
    expect(refused).toBeGreaterThan(200);
    expect(entries).toBeGreaterThan(400);
  });
});

/** Recomputes a header's checksum after the test edited it. */
function fixChecksum(entry: Buffer): void {
  entry.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += entry[i]!;
  entry.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}
