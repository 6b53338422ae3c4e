/**
 * Issue 10: ordinary plugin releases, shaped like the real ones (hundreds of PHP, JS, CSS and
 * translation files plus pictures; 0.3-5 MB compressed; ratios 1.5-12), extract in all three
 * formats, with both bzip2 decoders, whatever the read size. Before the fix the native decoder
 * refused every .tar.bz2 of them as a decompression bomb.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArchive } from '../../../e2e/standin/archive-writers';
import type { ArchiveFormat } from '../../../e2e/standin/catalog-types';
import type { ArchiveEntry } from '../../../e2e/standin/plugin-files';
import { REAL_SHAPES, releaseEntries, type SourceShape } from '../../../e2e/standin/source-tree';
import { nativeBzip2Path } from '../../adapters/native-bunzip2';
import type { Bzip2Decoder } from './extract.js';
import { extractLocal as extractArchive } from './local-extract.testkit.js';

const SHAPES: Record<string, SourceShape> = {
  ...REAL_SHAPES,
  // Text only: the upper end of what real releases reach (ratio ~11.6 in bzip2).
  sourceonly: { textFiles: 420, textBytes: 5_000_000, binaryFiles: 0, binaryBytes: 0 },
};
const FORMATS: readonly ArchiveFormat[] = ['tar.bz2', 'tar.gz', 'zip'];
const KB = 1024;

interface Built {
  key: string;
  entries: ArchiveEntry[];
  /** Path → sha256 of every file. */
  expected: Map<string, string>;
  files: Partial<Record<ArchiveFormat, string>>;
  unpacked: number;
}

let root: string;
const built: Built[] = [];
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'md-real-shaped-'));
  for (const [key, shape] of Object.entries(SHAPES)) {
    const entries = releaseEntries(key, shape);
    const expected = new Map(entries.filter((e) => e.type === 'file').map((e) => [e.path, sha(e.data)]));
    const unpacked = entries.reduce((n, e) => n + e.data.length, 0);
    const b: Built = { key, entries, expected, files: {}, unpacked };
    for (const format of FORMATS) {
      const file = path.join(root, `${key}.${format}`);
      await fsp.writeFile(file, await buildArchive(format, entries));
      b.files[format] = file;
    }
    built.push(b);
  }
}, 120_000);

afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

async function hashTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const d of await fsp.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!d.isFile()) continue;
    const full = path.join(d.parentPath, d.name);
    out.set(path.relative(dir, full).split(path.sep).join('/'), sha(await fsp.readFile(full)));
  }
  return out;
}

describe('real-shaped plugin archives', () => {
  it('are shaped like real releases: hundreds of files, 0.3-5 MB compressed, ratios 1.5-12', async () => {
    expect(nativeBzip2Path()).not.toBeNull();
    const ratios: number[] = [];
    for (const b of built) {
      expect(b.expected.size).toBeGreaterThan(200);
      for (const format of FORMATS) {
        const size = (await fsp.stat(b.files[format]!)).size;
        expect(size).toBeGreaterThan(300 * KB);
        expect(size).toBeLessThan(5 * KB * KB);
        ratios.push(b.unpacked / size);
      }
    }
    expect(Math.min(...ratios)).toBeGreaterThan(1.4);
    expect(Math.min(...ratios)).toBeLessThan(2);
    expect(Math.max(...ratios)).toBeGreaterThan(7);
    expect(Math.max(...ratios)).toBeLessThan(12);
  });

  const decoders: [ArchiveFormat, Bzip2Decoder | 'zlib'][] = [
    ['tar.bz2', 'native'],
    ['tar.bz2', 'js'],
    ['tar.gz', 'zlib'],
    ['zip', 'zlib'],
  ];
  // 0: the whole file at once.
  const chunks = [8 * KB, 64 * KB, KB * KB, 0];
  const cases = decoders.flatMap(([format, decoder]) =>
    chunks.map((chunk) => ({ format, decoder, chunk, read: chunk ? `${chunk / KB} KiB` : 'the whole file' })),
  );

  it.each(cases)(
    '$format ($decoder), reading $read at a time: every shape extracts whole',
    async (c) => {
      for (const b of built) {
        const file = b.files[c.format]!;
        const staging = await fsp.mkdtemp(path.join(root, 'staging-'));
        const readChunkBytes = c.chunk || (await fsp.stat(file)).size;
        const result = await extractArchive(file, staging, {
          key: b.key,
          readChunkBytes,
          ...(c.decoder === 'zlib' ? {} : { bzip2Decoder: c.decoder }),
        });
        expect(result.format).toBe(c.format);
        if (c.decoder !== 'zlib') expect(result.bzip2Decoder).toBe(c.decoder);
        expect(result.entries).toBe(b.entries.length);
        const got = await hashTree(staging);
        expect(got.size).toBe(b.expected.size);
        expect(got).toEqual(b.expected);
        await fsp.rm(staging, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it('refuses a read size that is not a positive number of bytes', async () => {
    const staging = await fsp.mkdtemp(path.join(root, 'staging-'));
    await expect(
      extractArchive(built[0]!.files['tar.gz']!, staging, { key: built[0]!.key, readChunkBytes: 0 }),
    ).rejects.toMatchObject({ code: 'io' });
  });
});
