import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectFormat } from './archive-format.js';
import { nativeBunzip2, nativeBzip2Path } from '../../adapters/native-bunzip2';
import { nodeFileSystem } from '../../adapters/node-file-system';
import type { FileSystem, NewFile } from '../ports.js';
import {
  ArchiveError,
  extractArchiveStream,
  type Bzip2Decoder,
  type ExtractCaps,
  type ExtractResult,
} from './extract.js';
import { extractLocal as extractArchive, type LocalExtractOptions } from './local-extract.testkit.js';
import {
  buildTar,
  buildZip,
  bzip2,
  deflatedZeros,
  gzip,
  pseudoRandom,
  tarEntry,
  writeBzip2Stream,
  writeGzipStream,
  zeroTarStream,
  type TarEntrySpec,
  type ZipEntrySpec,
} from './fixtures.testkit.js';

const KEY = 'myplugin';
let root: string;
let staging: string;
let canary: string;

beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'md-archive-'));
  staging = path.join(root, 'staging');
  canary = path.join(root, 'canary');
  await fsp.mkdir(staging);
  await fsp.mkdir(canary);
  await fsp.writeFile(path.join(canary, 'keep.txt'), 'keep');
});

afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

/** Everything under root except staging/ — must be exactly the canary and the archive files. */
async function outsideSnapshot(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const d of await fsp.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name);
      if (full === staging) continue;
      out.push(path.relative(root, full));
      if (d.isDirectory() && !d.isSymbolicLink()) await walk(full);
    }
  };
  await walk(root);
  return out.sort();
}

async function writeArchive(name: string, data: Buffer): Promise<string> {
  const file = path.join(root, name);
  await fsp.writeFile(file, data);
  return file;
}

async function expectRefused(
  file: string,
  code: string,
  caps?: Partial<ExtractCaps>,
  extraOutside: string[] = [],
  options: Omit<LocalExtractOptions, 'key' | 'caps'> = {},
): Promise<ArchiveError> {
  const before = await outsideSnapshot();
  let caught: unknown;
  try {
    await extractArchive(file, staging, { key: KEY, ...(caps ? { caps } : {}), ...options });
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ArchiveError);
  const err = caught as ArchiveError;
  expect({ code: err.code, message: err.message }).toMatchObject({ code });
  expect(err.message.length).toBeGreaterThan(10);
  expect(await outsideSnapshot()).toEqual(before);
  expect(await fsp.readFile(path.join(canary, 'keep.txt'), 'utf8')).toBe('keep');
  expect((await fsp.readdir(canary)).sort()).toEqual(['keep.txt']);
  for (const p of extraOutside) expect(existsSync(p)).toBe(false);
  // Never a symlink anywhere in the staging dir.
  expect(await hasLinks(staging)).toBe(false);
  // A native bzip2 is killed and gone by the time the extraction fails.
  expect(bzip2Children()).toEqual([]);
  return err;
}

/** Live or zombie bzip2 processes whose parent is this process (Linux /proc; [] elsewhere). */
function bzip2Children(): number[] {
  if (!existsSync('/proc/self/stat')) return [];
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (m && m[1] === 'bzip2' && Number(m[2]) === process.pid) found.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function hasLinks(dir: string): Promise<boolean> {
  for (const d of await fsp.readdir(dir, { withFileTypes: true })) {
    if (d.isSymbolicLink()) return true;
    if (d.isDirectory() && (await hasLinks(path.join(dir, d.name)))) return true;
  }
  return false;
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const d of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) total += await dirBytes(full);
    else total += (await fsp.lstat(full)).size;
  }
  return total;
}

const ok = (extra: TarEntrySpec[] = []): TarEntrySpec[] => [
  { path: `${KEY}/`, type: 'Directory' },
  { path: `${KEY}/setup.php`, data: '<?php\n' },
  ...extra,
];
const okZip = (extra: ZipEntrySpec[] = []): ZipEntrySpec[] => [
  { name: `${KEY}/` },
  { name: `${KEY}/setup.php`, data: '<?php\n' },
  ...extra,
];

type Fmt = 'tar.gz' | 'tar.bz2';
const compress = (fmt: Fmt, tar: Buffer): Buffer => (fmt === 'tar.gz' ? gzip(tar) : bzip2(tar));

/** Every .tar.bz2 case runs through both decoders: the system bzip2 (child process) and the JS one. */
const TAR_VARIANTS: { name: string; fmt: Fmt; options: { bzip2Decoder?: Bzip2Decoder } }[] = [
  { name: 'tar.gz', fmt: 'tar.gz', options: {} },
  { name: 'tar.bz2 (native)', fmt: 'tar.bz2', options: { bzip2Decoder: 'native' } },
  { name: 'tar.bz2 (js)', fmt: 'tar.bz2', options: { bzip2Decoder: 'js' } },
];

describe('bzip2 decoders', () => {
  it('a native bzip2 exists here, so the "native" cases do not silently run the JS decoder', () => {
    expect(nativeBzip2Path()).not.toBeNull();
  });

  it.each(['native', 'js'] as const)('%s: the result names the decoder that ran', async (decoder) => {
    const file = await writeArchive('archive', bzip2(buildTar(ok())));
    const res = await extractArchive(file, staging, { key: KEY, bzip2Decoder: decoder });
    expect(res).toMatchObject({ format: 'tar.bz2', bzip2Decoder: decoder });
  });

  it.each(['native', 'js'] as const)('%s: trailing bytes after the bzip2 data → corrupt', async (decoder) => {
    const file = await writeArchive('archive', Buffer.concat([bzip2(buildTar(ok())), Buffer.from('trailing garbage')]));
    await expectRefused(file, 'corrupt', undefined, [], { bzip2Decoder: decoder });
  });

  it('aborting a native extraction mid-way → aborted, and bzip2 is gone', async () => {
    const file = path.join(root, 'big.tar.bz2');
    await writeBzip2Stream(
      (function* () {
        yield tarEntry({ path: `${KEY}/`, type: 'Directory' });
        yield tarEntry({ path: `${KEY}/setup.php`, data: '<?php\n' });
        yield tarEntry({ path: `${KEY}/random.bin`, data: pseudoRandom(4 * 1024 * 1024, 5) });
        yield Buffer.alloc(1024);
      })(),
      file,
    );
    const ac = new AbortController();
    await expectRefused(file, 'aborted', undefined, [], {
      bzip2Decoder: 'native',
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
  });
});

describe('detectFormat (ARC-1)', () => {
  it('detects by magic bytes only', () => {
    expect(detectFormat(gzip(Buffer.from('x')))).toBe('tar.gz');
    expect(detectFormat(bzip2(Buffer.from('x')))).toBe('tar.bz2');
    expect(detectFormat(buildZip(okZip()))).toBe('zip');
    expect(detectFormat(buildTar(ok()))).toBe('tar');
    expect(detectFormat(pseudoRandom(512))).toBeNull();
    expect(detectFormat(new Uint8Array())).toBeNull();
    expect(detectFormat(Buffer.from('BZh0'))).toBeNull();
  });
});

describe('valid archives extract with normalised modes (ARC-4, ARC-5)', () => {
  const hostileModes: TarEntrySpec[] = [
    { path: `${KEY}/`, type: 'Directory', mode: 0o7777, uid: 0, gid: 0, uname: 'root', gname: 'root' },
    { path: `${KEY}/setup.php`, data: '<?php\n// setup\n', mode: 0o4777, uid: 0, gid: 0 },
    { path: `${KEY}/inc/`, type: 'Directory', mode: 0o777, uid: 0 },
    { path: `${KEY}/inc/deep/`, type: 'Directory', mode: 0o700 },
    { path: `${KEY}/inc/deep/class.php`, data: '<?php class X {}\n', mode: 0o6755, uid: 0 },
    { path: `${KEY}/locales/fr_FR.po`, data: 'msgid ""\n', mode: 0o600 },
  ];

  async function checkTree(res: ExtractResult, fmt: string): Promise<void> {
    expect(res).toMatchObject({ format: fmt, topFolder: KEY });
    expect(res.entries).toBeGreaterThanOrEqual(5);
    expect(await fsp.readdir(staging)).toEqual([KEY]);
    expect(await fsp.readFile(path.join(staging, KEY, 'setup.php'), 'utf8')).toBe('<?php\n// setup\n');
    expect(await fsp.readFile(path.join(staging, KEY, 'inc/deep/class.php'), 'utf8')).toBe('<?php class X {}\n');
    for (const f of ['setup.php', 'inc/deep/class.php', 'locales/fr_FR.po']) {
      const st = await fsp.stat(path.join(staging, KEY, f));
      expect(st.isFile()).toBe(true);
      expect((st.mode & 0o7777).toString(8)).toBe('644');
      expect(st.uid).toBe(process.getuid!());
    }
    for (const d of ['', 'inc', 'inc/deep', 'locales']) {
      const st = await fsp.stat(path.join(staging, KEY, d));
      expect(st.isDirectory()).toBe(true);
      expect((st.mode & 0o7777).toString(8)).toBe('755');
    }
    expect(await outsideSnapshot()).toEqual(['archive', 'canary', 'canary/keep.txt']);
  }

  it.each(TAR_VARIANTS)('$name', async ({ fmt, options }) => {
    const file = await writeArchive('archive', compress(fmt, buildTar(hostileModes)));
    const progress: number[] = [];
    const res = await extractArchive(file, staging, { key: KEY, onProgress: (b) => progress.push(b), ...options });
    await checkTree(res, fmt);
    expect(res.bytes).toBe(15 + 17 + 9);
    expect(progress.at(-1)).toBe((await fsp.stat(file)).size);
  });

  it('zip', async () => {
    const file = await writeArchive(
      'archive',
      buildZip([
        { name: `${KEY}/`, unixMode: 0o047777 },
        { name: `${KEY}/setup.php`, data: '<?php\n// setup\n', unixMode: 0o104777 },
        { name: `${KEY}/inc/deep/class.php`, data: '<?php class X {}\n', unixMode: 0o106755, method: 0 },
        { name: `${KEY}/locales/fr_FR.po`, data: 'msgid ""\n', unixMode: 0o100600 },
        { name: `${KEY}/inc/`, unixMode: 0o040700 },
      ]),
    );
    await checkTree(await extractArchive(file, staging, { key: KEY }), 'zip');
  });

  it('plain tar (ustar magic) is accepted too', async () => {
    const file = await writeArchive('archive', buildTar(hostileModes));
    await checkTree(await extractArchive(file, staging, { key: KEY }), 'tar');
  });
});

describe('format detection in extractArchive (ARC-1)', () => {
  it('a .zip renamed .tar.gz is extracted as a zip', async () => {
    const file = await writeArchive('plugin.tar.gz', buildZip(okZip()));
    expect((await extractArchive(file, staging, { key: KEY })).format).toBe('zip');
  });
  it('random bytes → unknown-format', async () => {
    await expectRefused(await writeArchive('plugin.zip', pseudoRandom(4096)), 'unknown-format');
  });
  it('an empty file → unknown-format', async () => {
    await expectRefused(await writeArchive('plugin.zip', Buffer.alloc(0)), 'unknown-format');
  });
  it('gzip of something that is not a tar → corrupt', async () => {
    await expectRefused(await writeArchive('a', gzip(gzip(buildTar(ok())))), 'corrupt');
  });
});

describe('hostile tar entries (ARC-2), tar.gz and tar.bz2', () => {
  const outsideFile = (): string => path.join(root, 'canary', 'pwned');
  const cases: [string, () => TarEntrySpec[], string][] = [
    ['../ path', () => ok([{ path: `${KEY}/../../canary/pwned`, data: 'x' }]), 'path-traversal'],
    ['leading ../', () => [{ path: '../canary/pwned', data: 'x' }], 'path-traversal'],
    ['absolute path', () => ok([{ path: outsideFile(), data: 'x' }]), 'absolute-path'],
    ['////absolute path', () => ok([{ path: `////${outsideFile()}`, data: 'x' }]), 'absolute-path'],
    ['drive path C:\\x', () => ok([{ path: 'C:\\x', data: 'x' }]), 'drive-path'],
    ['drive path C:/x', () => ok([{ path: 'C:/x', data: 'x' }]), 'drive-path'],
    ['drive-relative c:../x', () => ok([{ path: 'c:../pwned', data: 'x' }]), 'drive-path'],
    ['backslash', () => ok([{ path: `${KEY}\\..\\..\\canary\\pwned`, data: 'x' }]), 'backslash'],
    [
      'symlink pointing out',
      () => ok([{ path: `${KEY}/out`, type: 'SymbolicLink', linkpath: path.join(root, 'canary') }]),
      'link',
    ],
    [
      'relative symlink pointing out',
      () => ok([{ path: `${KEY}/out`, type: 'SymbolicLink', linkpath: '../../canary' }]),
      'link',
    ],
    [
      'hardlink pointing out',
      () => ok([{ path: `${KEY}/hl`, type: 'Link', linkpath: path.join(root, 'canary', 'keep.txt') }]),
      'link',
    ],
    ['harmless hardlink inside', () => ok([{ path: `${KEY}/hl`, type: 'Link', linkpath: `${KEY}/setup.php` }]), 'link'],
    [
      'symlink then a file through it (same name)',
      () =>
        ok([
          { path: `${KEY}/dir`, type: 'SymbolicLink', linkpath: path.join(root, 'canary') },
          { path: `${KEY}/dir/pwned`, data: 'x' },
        ]),
      'link',
    ],
    [
      'character device',
      () => ok([{ path: `${KEY}/null`, type: 'CharacterDevice', devmaj: 1, devmin: 3 }]),
      'special-file',
    ],
    ['block device', () => ok([{ path: `${KEY}/sda`, type: 'BlockDevice', devmaj: 8, devmin: 0 }]), 'special-file'],
    ['FIFO', () => ok([{ path: `${KEY}/fifo`, type: 'FIFO' }]), 'special-file'],
    // node-tar skipped the types it did not know: the plugin came out without that file.
    ['GNU sparse file', () => ok([{ path: `${KEY}/sparse.bin`, type: 'SparseFile' }]), 'special-file'],
    ['GNU dump folder', () => ok([{ path: `${KEY}/dump`, type: 'GNUDumpDir' }]), 'special-file'],
    [
      'two top folders',
      () =>
        ok([
          { path: 'other/', type: 'Directory' },
          { path: 'other/x.php', data: 'x' },
        ]),
      'two-top-folders',
    ],
    ['a top-level file next to the folder', () => ok([{ path: 'README.md', data: 'x' }]), 'two-top-folders'],
    [
      'wrong top folder',
      () => [
        { path: 'otherplugin/', type: 'Directory' },
        { path: 'otherplugin/setup.php', data: '<?php' },
      ],
      'wrong-top-folder',
    ],
    [
      'top folder differing in case',
      () => [
        { path: 'MyPlugin/', type: 'Directory' },
        { path: 'MyPlugin/setup.php', data: '<?php' },
      ],
      'wrong-top-folder',
    ],
    [
      'sibling-prefix folder (decompress#111)',
      () => ok([{ path: `${KEY}_config/x.php`, data: 'x' }]),
      'two-top-folders',
    ],
    [
      'no setup.php',
      () => [
        { path: `${KEY}/`, type: 'Directory' },
        { path: `${KEY}/hook.php`, data: '<?php' },
      ],
      'no-setup-php',
    ],
    ['setup.php is a folder', () => [{ path: `${KEY}/setup.php/`, type: 'Directory' }], 'no-setup-php'],
    ['empty archive', () => [], 'empty'],
    [
      'deep nesting (40 levels)',
      () => ok([{ path: `${KEY}/${Array.from({ length: 40 }, (_, i) => `d${i}`).join('/')}/f.php`, data: 'x' }]),
      'too-deep',
    ],
  ];

  for (const { name, fmt, options } of TAR_VARIANTS) {
    it.each(cases.map(([n, e, c]) => [n, c, e] as const))(`${name}: %s → %s`, async (_name, code, entries) => {
      const file = await writeArchive('archive', compress(fmt, buildTar(entries())));
      await expectRefused(file, code, undefined, [outsideFile(), path.join(root, 'pwned')], options);
    });
  }

  it('an oversized file is refused from its header before any byte is written', async () => {
    const file = await writeArchive(
      'archive',
      gzip(buildTar(ok([{ path: `${KEY}/big.bin`, data: Buffer.alloc(2048) }]))),
    );
    await expectRefused(file, 'file-too-large', { maxFileBytes: 1024 });
    expect(existsSync(path.join(staging, KEY, 'big.bin'))).toBe(false);
  });

  it('total size cap → too-large', async () => {
    const files = Array.from({ length: 5 }, (_, i) => ({ path: `${KEY}/f${i}`, data: Buffer.alloc(1000, 1) }));
    await expectRefused(await writeArchive('a', gzip(buildTar(ok(files)))), 'too-large', { maxTotalBytes: 3000 });
  });

  it('the rule is refuse, not skip: a good archive with one bad entry extracts nothing after it', async () => {
    const entries = ok([
      { path: `${KEY}/../x`, data: 'x' },
      { path: `${KEY}/after.php`, data: 'x' },
    ]);
    await expectRefused(await writeArchive('a', gzip(buildTar(entries))), 'path-traversal');
    expect(existsSync(path.join(staging, KEY, 'after.php'))).toBe(false);
  });
});

describe('hostile zip entries (ARC-2)', () => {
  const outsideFile = (): string => path.join(root, 'canary', 'pwned');
  const cases: [string, () => ZipEntrySpec[], string][] = [
    ['../ path', () => okZip([{ name: `${KEY}/../../canary/pwned`, data: 'x' }]), 'path-traversal'],
    ['absolute path', () => okZip([{ name: outsideFile(), data: 'x' }]), 'absolute-path'],
    ['drive path C:\\x', () => okZip([{ name: 'C:\\x', data: 'x' }]), 'drive-path'],
    ['drive path C:/x', () => okZip([{ name: 'C:/x', data: 'x' }]), 'drive-path'],
    ['backslash', () => okZip([{ name: `${KEY}\\..\\..\\canary\\pwned`, data: 'x' }]), 'backslash'],
    ['NUL in name', () => okZip([{ name: `${KEY}/a\u0000b`, data: 'x' }]), 'invalid-name'],
    [
      'symlink (external attributes 0o120777)',
      () => okZip([{ name: `${KEY}/out`, data: '../../canary', unixMode: 0o120777 }]),
      'link',
    ],
    [
      'symlink then a file through it',
      () =>
        okZip([
          { name: `${KEY}/dir`, data: path.join(root, 'canary'), unixMode: 0o120777 },
          { name: `${KEY}/dir/pwned`, data: 'x' },
        ]),
      'link',
    ],
    ['FIFO', () => okZip([{ name: `${KEY}/fifo`, unixMode: 0o010644 }]), 'special-file'],
    ['duplicate file', () => okZip([{ name: `${KEY}/setup.php`, data: 'again' }]), 'duplicate-entry'],
    ['two top folders', () => okZip([{ name: 'other/x.php', data: 'x' }]), 'two-top-folders'],
    ['wrong top folder', () => [{ name: 'other/' }, { name: 'other/setup.php', data: '<?php' }], 'wrong-top-folder'],
    ['no setup.php', () => [{ name: `${KEY}/` }, { name: `${KEY}/hook.php`, data: '<?php' }], 'no-setup-php'],
    [
      'deep nesting (40 levels)',
      () => okZip([{ name: `${KEY}/${Array.from({ length: 40 }, (_, i) => `d${i}`).join('/')}/f.php`, data: 'x' }]),
      'too-deep',
    ],
    [
      'lying declared size (bigger data than declared)',
      () => okZip([{ name: `${KEY}/a`, data: Buffer.alloc(5000, 7), declaredSize: 10 }]),
      'corrupt',
    ],
    [
      'lying declared size (smaller data than declared)',
      () => okZip([{ name: `${KEY}/a`, data: 'abc', declaredSize: 1000 }]),
      'corrupt',
    ],
  ];
  it.each(cases.map(([n, e, c]) => [n, c, e] as const))('zip: %s → %s', async (_name, code, entries) => {
    await expectRefused(await writeArchive('archive', buildZip(entries())), code, undefined, [outsideFile()]);
  });

  it('per-file cap on declared size', async () => {
    const file = await writeArchive('a', buildZip(okZip([{ name: `${KEY}/big`, data: Buffer.alloc(4096, 3) }])));
    await expectRefused(file, 'file-too-large', { maxFileBytes: 1024 });
    expect(existsSync(path.join(staging, KEY, 'big'))).toBe(false);
  });
});

describe('entry count caps (ARC-3)', () => {
  it('tar.gz with 100,000 empty files → too-many-entries', async () => {
    const parts: Buffer[] = [tarEntry({ path: `${KEY}/`, type: 'Directory' })];
    for (let i = 0; i < 100_000; i++) parts.push(tarEntry({ path: `${KEY}/f${i}`, size: 0 }));
    parts.push(Buffer.alloc(1024));
    const file = await writeArchive('a', gzip(Buffer.concat(parts)));
    const err = await expectRefused(file, 'too-many-entries');
    expect(err.message).toContain('20000');
  }, 60_000);

  it('zip with 30,000 entries → too-many-entries (from the central directory, before extracting)', async () => {
    const entries: ZipEntrySpec[] = okZip();
    for (let i = 0; i < 30_000; i++) entries.push({ name: `${KEY}/f${i}`, method: 0 });
    await expectRefused(await writeArchive('a', buildZip(entries)), 'too-many-entries');
    expect(existsSync(path.join(staging, KEY))).toBe(false);
  }, 60_000);
});

describe('decompression bombs (ARC-3): 1 GB of zeros, stopped early while streaming', () => {
  const GB = 1024 * 1024 * 1024;
  const PER_FILE = 50 * 1024 * 1024; // under the 100 MB per-file cap: only the ratio can stop it

  it('gzip bomb → bomb', async () => {
    const file = path.join(root, 'bomb.tar.gz');
    await writeGzipStream(zeroTarStream(KEY, GB / PER_FILE, PER_FILE), file);
    const err = await expectRefused(file, 'bomb');
    expect(err.message).toMatch(/decompression bomb/);
    expect(await dirBytes(staging)).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);

  it.each(['native', 'js'] as const)(
    'bzip2 bomb (%s decoder) → bomb',
    async (decoder) => {
      const file = path.join(root, 'bomb.tar.bz2');
      await writeBzip2Stream(zeroTarStream(KEY, GB / PER_FILE, PER_FILE), file);
      expect((await fsp.stat(file)).size).toBeLessThan(64 * 1024);
      await expectRefused(file, 'bomb', undefined, [], { bzip2Decoder: decoder });
      expect(await dirBytes(staging)).toBeLessThan(64 * 1024 * 1024);
    },
    180_000,
  );

  it('zip bomb → bomb', async () => {
    const chunk = deflatedZeros(PER_FILE);
    const entries = okZip(
      Array.from({ length: GB / PER_FILE }, (_, i) => ({ name: `${KEY}/zero${i}.bin`, precompressed: chunk })),
    );
    const err = await expectRefused(await writeArchive('bomb.zip', buildZip(entries)), 'bomb');
    expect(err.entry).toBe(`${KEY}/zero0.bin`);
    expect(await dirBytes(staging)).toBeLessThan(1024 * 1024);
  }, 120_000);

  it('zip bomb with a lying small declared size → stopped by the byte count', async () => {
    const chunk = deflatedZeros(PER_FILE);
    const entries = okZip([{ name: `${KEY}/zero.bin`, precompressed: { ...chunk, size: 100 } }]);
    await expectRefused(await writeArchive('bomb.zip', buildZip(entries)), 'corrupt');
    expect(await dirBytes(staging)).toBeLessThan(1024 * 1024);
  });

  it('a single 1 GB file (gzip) → file-too-large from the header', async () => {
    const file = path.join(root, 'big.tar.gz');
    await writeGzipStream(zeroTarStream(KEY, 1, 200 * 1024 * 1024), file);
    await expectRefused(file, 'file-too-large');
  }, 60_000);

  it('with the ratio check disabled the total cap still stops it → too-large', async () => {
    const file = path.join(root, 'bomb.tar.gz');
    await writeGzipStream(zeroTarStream(KEY, 8, 1024 * 1024), file);
    await expectRefused(file, 'too-large', { maxRatio: Infinity, maxTotalBytes: 3 * 1024 * 1024 });
  });
});

describe('corrupt and truncated archives (ARC-7): clean errors, no hang', () => {
  const body = (): TarEntrySpec[] =>
    ok(
      Array.from({ length: 12 }, (_, i) => ({
        path: `${KEY}/inc/file${i}.php`,
        data: Buffer.concat([Buffer.from(`<?php // ${i}\n`), pseudoRandom(3000, i + 1)]),
      })),
    );
  const valid: Record<string, () => Buffer> = {
    'tar.gz': () => gzip(buildTar(body())),
    'tar.bz2 (native)': () => bzip2(buildTar(body())),
    'tar.bz2 (js)': () => bzip2(buildTar(body())),
    zip: () =>
      buildZip(
        okZip(
          Array.from({ length: 12 }, (_, i) => ({
            name: `${KEY}/inc/file${i}.php`,
            data: Buffer.concat([Buffer.from(`<?php // ${i}\n`), pseudoRandom(3000, i + 1)]),
          })),
        ),
      ),
  };

  const decoderOf = (fmt: string): Omit<LocalExtractOptions, 'key'> =>
    fmt.endsWith('(js)') ? { bzip2Decoder: 'js' } : fmt.endsWith('(native)') ? { bzip2Decoder: 'native' } : {};

  for (const fmt of Object.keys(valid)) {
    it(`${fmt}: the unmodified fixture extracts`, async () => {
      const res = await extractArchive(await writeArchive('a', valid[fmt]!()), staging, {
        key: KEY,
        ...decoderOf(fmt),
      });
      expect(res.entries).toBe(fmt === 'zip' ? 14 : 14);
    });

    it.each([0.1, 0.3, 0.5, 0.8, 0.97])(
      `${fmt}: truncated at %f → truncated/corrupt`,
      async (frac) => {
        const buf = valid[fmt]!();
        const cut = buf.subarray(0, Math.floor(buf.length * frac));
        const err = await expectRefused(
          await writeArchive('a', cut),
          fmt === 'zip' ? 'corrupt' : 'truncated',
          undefined,
          [],
          decoderOf(fmt),
        );
        expect(['truncated', 'corrupt']).toContain(err.code);
      },
      10_000,
    );

    it.each([0.15, 0.35, 0.55, 0.75, 0.9])(
      `${fmt}: bit flipped at %f → corrupt`,
      async (frac) => {
        const buf = Buffer.from(valid[fmt]!());
        const at = Math.floor(buf.length * frac);
        buf[at] = buf[at]! ^ 0x10;
        await expectRefused(await writeArchive('a', buf), 'corrupt', undefined, [], decoderOf(fmt));
      },
      10_000,
    );
  }

  it('many random flips and cuts never hang or throw anything but ArchiveError', async () => {
    for (const fmt of Object.keys(valid)) {
      const base = valid[fmt]!();
      for (let i = 0; i < 20; i++) {
        const rnd = pseudoRandom(8, i * 7919 + fmt.length);
        const buf = Buffer.from(
          base.subarray(0, Math.max(16, Math.floor(base.length * (0.5 + (rnd[0]! / 255) * 0.5)))),
        );
        for (let k = 1; k < 4; k++) {
          const at = 10 + ((rnd.readUInt16LE(k * 2 - 2) * 31) % (buf.length - 10));
          buf[at] = buf[at]! ^ (1 << (rnd[k]! % 8));
        }
        await fsp.rm(staging, { recursive: true, force: true });
        await fsp.mkdir(staging);
        const file = await writeArchive('fuzz', buf);
        const res = await extractArchive(file, staging, { key: KEY, ...decoderOf(fmt) }).catch((e: unknown) => e);
        if (!(res instanceof ArchiveError)) {
          // Rare: a flip in stored padding/unchecked bytes leaves a valid archive.
          expect(res).toMatchObject({ topFolder: KEY });
        }
      }
    }
  }, 60_000);
});

describe('misc', () => {
  it('refuses an invalid key and a non-empty staging dir', async () => {
    const file = await writeArchive('a', gzip(buildTar(ok())));
    await expect(extractArchive(file, staging, { key: 'my-plugin' })).rejects.toMatchObject({ code: 'invalid-key' });
    await fsp.writeFile(path.join(staging, 'x'), 'x');
    await expect(extractArchive(file, staging, { key: KEY })).rejects.toMatchObject({ code: 'io' });
  });

  it('an aborted signal → aborted', async () => {
    const file = await writeArchive('a', gzip(buildTar(ok())));
    const ac = new AbortController();
    ac.abort();
    await expect(extractArchive(file, staging, { key: KEY, signal: ac.signal })).rejects.toMatchObject({
      code: 'aborted',
    });
  });

  it('does not leak file descriptors across failures', async () => {
    const fds = async (): Promise<number> => (await fsp.readdir('/proc/self/fd')).length;
    const bomb = path.join(root, 'bomb.tar.gz');
    await writeGzipStream(zeroTarStream(KEY, 4, 40 * 1024 * 1024), bomb);
    const bad = await writeArchive('bad', gzip(buildTar(ok([{ path: `${KEY}/../x`, data: 'x' }]))));
    // bzip2 through the native decoder: its three pipes must be closed too.
    const bzBomb = path.join(root, 'bomb.tar.bz2');
    await writeBzip2Stream(zeroTarStream(KEY, 4, 40 * 1024 * 1024), bzBomb);
    // zip: failing in the middle of an entry's data (more data than declared), and on a later entry.
    const zipLying = await writeArchive(
      'lying.zip',
      buildZip(okZip([{ name: `${KEY}/a`, data: pseudoRandom(3 * 1024 * 1024, 9), declaredSize: 1024 * 1024 }])),
    );
    const zipBad = await writeArchive('bad.zip', buildZip(okZip([{ name: `${KEY}/../x`, data: 'x' }])));
    const before = await fds();
    const runs: [string, Bzip2Decoder][] = [
      [bomb, 'native'],
      [bad, 'native'],
      [bzBomb, 'native'],
      [bzBomb, 'js'],
      [zipLying, 'native'],
      [zipBad, 'native'],
    ];
    for (let i = 0; i < 5; i++) {
      for (const [f, bzip2Decoder] of runs) {
        await fsp.rm(staging, { recursive: true, force: true });
        await fsp.mkdir(staging);
        await expect(extractArchive(f, staging, { key: KEY, bzip2Decoder })).rejects.toBeInstanceOf(ArchiveError);
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await fds()).toBeLessThanOrEqual(before);
  }, 60_000);
});

describe('zip, read from its file in pieces (issue 15)', () => {
  /** Text-like bytes (compressible about 3x, far from a bomb), `len` long. */
  const textLike = (len: number): Buffer => {
    const random = pseudoRandom(len, 77);
    for (let i = 0; i < len; i++) random[i] = 97 + (random[i]! % 6);
    return random;
  };

  /** The same zip with its central directory's records in reverse order (the data stays put). */
  const reverseDirectory = (zip: Buffer): Buffer => {
    const end = zip.lastIndexOf(Buffer.from('PK\u0005\u0006', 'latin1'));
    const start = zip.readUInt32LE(end + 16);
    const records: Buffer[] = [];
    // assembleZip writes no extra field and no comment: each record is 46 bytes and its name.
    for (let at = start; at < end; at += 46 + zip.readUInt16LE(at + 28)) {
      records.push(zip.subarray(at, at + 46 + zip.readUInt16LE(at + 28)));
    }
    return Buffer.concat([zip.subarray(0, start), ...records.reverse(), zip.subarray(end)]);
  };

  it('large entries go through in bounded pieces: no read or write near the size of the archive', async () => {
    const deflated = textLike(24 * 1024 * 1024);
    const stored = pseudoRandom(6 * 1024 * 1024, 3);
    const file = await writeArchive(
      'large.zip',
      buildZip(
        okZip([
          { name: `${KEY}/big.txt`, data: deflated },
          { name: `${KEY}/stored.bin`, data: stored, method: 0 },
          { name: `${KEY}/small.php`, data: '<?php // small' },
        ]),
      ),
    );
    const reads: number[] = [];
    const writes: number[] = [];
    const archiveFs: Pick<FileSystem, 'readRange' | 'stat'> = {
      stat: (p) => nodeFileSystem.stat(p),
      readRange: async (p, at, length) => {
        const data = await nodeFileSystem.readRange(p, at, length);
        reads.push(data.length);
        return data;
      },
    };
    const fs: FileSystem = {
      ...nodeFileSystem,
      openWriter: async (p, options) => {
        const writer = await nodeFileSystem.openWriter(p, options);
        return {
          ...writer,
          write: (chunks) => (writes.push(chunks.reduce((n, c) => n + c.length, 0)), writer.write(chunks)),
        };
      },
    };
    const res = await extractArchive(file, staging, { key: KEY, fs, archiveFs, readChunkBytes: 64 * 1024 });
    expect(res.bytes).toBe(deflated.length + stored.length + 6 + 14);
    expect((await fsp.readFile(path.join(staging, KEY, 'big.txt'))).equals(deflated)).toBe(true);
    expect((await fsp.readFile(path.join(staging, KEY, 'stored.bin'))).equals(stored)).toBe(true);
    expect(Math.max(...reads)).toBeLessThanOrEqual(64 * 1024);
    // What waits for the disk is capped (8 MiB, plus one inflated piece): never a whole large entry.
    expect(Math.max(...writes)).toBeLessThanOrEqual(8 * 1024 * 1024 + 256 * 1024);
    expect(writes.length).toBeGreaterThan(3);
  }, 60_000);

  it('hundreds of entries straddling small reads, listed in another order than their data, come out byte for byte', async () => {
    // Deflated and stored, from empty to 40 KiB: each read piece (1,000 bytes) holds parts of
    // several entries, and many entries span pieces, so a reused read buffer shows any view kept
    // too long (its CRC-32 would fail).
    const entries: ZipEntrySpec[] = Array.from({ length: 300 }, (_, i) => ({
      name: `${KEY}/d${i % 7}/f${i}.${i % 3 === 0 ? 'bin' : 'php'}`,
      data: i % 3 === 0 ? pseudoRandom((i * 137) % 40_000, i + 1) : textLike((i * 211) % 20_000),
      method: i % 3 === 0 ? 0 : 8,
    }));
    entries.push(
      { name: Buffer.from(`${KEY}/caf\xe9.txt`, 'latin1'), data: 'legacy name', utf8: false },
      { name: `${KEY}/résumé.php`, data: 'utf-8 name' },
    );
    const file = await writeArchive('many.zip', reverseDirectory(buildZip(okZip(entries))));
    await extractArchive(file, staging, { key: KEY, readChunkBytes: 1000 });
    for (const e of entries.slice(0, 300)) {
      const written = await fsp.readFile(path.join(staging, e.name as string));
      expect(written.equals(Buffer.from(e.data!)), e.name as string).toBe(true);
    }
    expect(await fsp.readFile(path.join(staging, KEY, 'café.txt'), 'utf8')).toBe('legacy name');
    expect(await fsp.readFile(path.join(staging, KEY, 'résumé.php'), 'utf8')).toBe('utf-8 name');
  }, 60_000);

  it('the data is read into one reused buffer, not a fresh one per read; stored entries come out whole', async () => {
    const entries: ZipEntrySpec[] = Array.from({ length: 40 }, (_, i) => ({
      name: `${KEY}/img/${i}.png`,
      data: pseudoRandom(3_000 + i * 97, i + 7),
      method: i % 2 === 0 ? 0 : 8,
    }));
    const file = await writeArchive('reused.zip', buildZip(okZip(entries)));
    const intos = new Set<ArrayBufferLike>();
    let reused = 0;
    const archiveFs: Pick<FileSystem, 'readRange' | 'stat'> = {
      stat: (p) => nodeFileSystem.stat(p),
      readRange: (p, at, length, into) => {
        if (into) {
          intos.add(into.buffer);
          reused++;
        }
        return nodeFileSystem.readRange(p, at, length, into);
      },
    };
    await extractArchive(file, staging, { key: KEY, archiveFs, readChunkBytes: 4096 });
    // The data's reads (about 30 of 4 KiB) share one buffer; the directory's reader gives none.
    expect(intos.size).toBe(1);
    expect(reused).toBeGreaterThan(25);
    for (const e of entries)
      expect((await fsp.readFile(path.join(staging, e.name as string))).equals(e.data as Buffer)).toBe(true);
  });

  it('a small deflated entry is inflated into a buffer of its own size, not kept in a 16 KiB zlib chunk', async () => {
    // 4,500 files of 2 KB left 72 MB of such chunks to the garbage collector (the bench's zip).
    const entries: ZipEntrySpec[] = [100, 2_000, 5_000, 15_000, 40_000].map((len, i) => ({
      name: `${KEY}/f${i}.php`,
      data: textLike(len),
    }));
    const held: { length: number; buffer: number }[] = [];
    const fs: FileSystem = {
      ...nodeFileSystem,
      writeNewFiles: (files) => {
        for (const f of files) for (const d of f.data) held.push({ length: d.byteLength, buffer: d.buffer.byteLength });
        return nodeFileSystem.writeNewFiles!(files);
      },
    };
    await extractArchive(await writeArchive('small.zip', buildZip(okZip(entries))), staging, { key: KEY, fs });
    expect(held).toHaveLength(entries.length + 1); // and setup.php
    // Node's 8 KiB pool holds the smallest; any other buffer is the file's size and one byte.
    for (const h of held) expect(h.buffer, `${h.length} bytes`).toBeLessThanOrEqual(Math.max(8192, h.length + 1));
    for (const e of entries)
      expect((await fsp.readFile(path.join(staging, e.name as string))).equals(e.data as Buffer)).toBe(true);
  });

  it('two directory records pointing at the same data (an overlapping "zip bomb") → corrupt', async () => {
    const zip = buildZip(
      okZip([
        { name: `${KEY}/a.php`, data: 'one' },
        { name: `${KEY}/b.php`, data: 'two' },
      ]),
    );
    // The central directory's records; b.php's local header offset becomes a.php's.
    const records: number[] = [];
    for (let i = zip.indexOf('PK\u0001\u0002'); i !== -1; i = zip.indexOf('PK\u0001\u0002', i + 4)) records.push(i);
    expect(records).toHaveLength(4);
    zip.writeUInt32LE(zip.readUInt32LE(records[2]! + 42), records[3]! + 42);
    const err = await expectRefused(await writeArchive('overlap.zip', zip), 'corrupt');
    expect(err.message).toContain('overlaps');
  });
});

describe('extractArchiveStream: unpacking bytes as they arrive', () => {
  const pieces = (data: Buffer, size: number): AsyncIterable<Uint8Array> =>
    Readable.from(
      Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size)),
    );

  it.each(TAR_VARIANTS)('$name in 7-byte pieces unpacks whole', async ({ fmt, options }) => {
    const archive = compress(fmt, buildTar(ok([{ path: `${KEY}/inc/a.php`, data: pseudoRandom(70_000, 9) }])));
    const res = await extractArchiveStream(pieces(archive, 7), staging, {
      key: KEY,
      fs: nodeFileSystem,
      bzip2: nativeBunzip2,
      ...options,
    });
    expect(res).toMatchObject({ format: fmt, entries: 3, bytes: 6 + 70_000 });
    expect((await fsp.readFile(path.join(staging, KEY, 'inc/a.php'))).equals(pseudoRandom(70_000, 9))).toBe(true);
  });

  /**
   * A source that lends its chunks as a ChunkPool does, and overwrites each one the moment it is
   * given back: a chunk given back while the extraction still reads it, or keeps a view of it,
   * would corrupt what is unpacked.
   */
  it.each([...TAR_VARIANTS, { name: 'tar', fmt: 'tar' as const, options: {} }])(
    '$name: a chunk is given back only once nothing reads it (by gunzip and the system bzip2 only)',
    async ({ fmt, options }) => {
      const big = pseudoRandom(3_000_000, 21);
      const small = Array.from({ length: 300 }, (_, i) => ({
        path: `${KEY}/src/f${i}.php`,
        data: `<?php // ${i}\n`.repeat(40),
      }));
      const tar = buildTar(ok([{ path: `${KEY}/big.bin`, data: big }, ...small]));
      const archive = fmt === 'tar' ? tar : compress(fmt, tar);
      const lent = new Set<ArrayBufferLike>();
      async function* recycled(): AsyncGenerator<Uint8Array> {
        for (let at = 0; at < archive.length; at += 64 * 1024) {
          await Promise.resolve(); // as a download: each chunk comes later
          const chunk = Buffer.from(archive.subarray(at, at + 64 * 1024));
          lent.add(chunk.buffer);
          yield chunk;
        }
      }
      let given = 0;
      const res = await extractArchiveStream(recycled(), staging, {
        key: KEY,
        fs: nodeFileSystem,
        bzip2: nativeBunzip2,
        ...options,
        giveBack: (chunk) => {
          expect(lent.delete(chunk.buffer)).toBe(true);
          Buffer.from(chunk.buffer).fill(0xaa);
          given++;
        },
      });
      expect(res.entries).toBe(2 + 1 + 300);
      expect((await fsp.readFile(path.join(staging, KEY, 'big.bin'))).equals(big)).toBe(true);
      for (const { path: name, data } of small) expect(await fsp.readFile(path.join(staging, name), 'utf8')).toBe(data);
      // The JavaScript bzip2 may keep its input; a plain tar's is handed on as views.
      const givesBack = fmt === 'tar.gz' || ('bzip2Decoder' in options && options.bzip2Decoder === 'native');
      expect(given).toBe(givesBack ? Math.ceil(archive.length / (64 * 1024)) : 0);
    },
  );

  it('a zip is refused (its directory is at its end): unpack it from its file', async () => {
    const err = await extractArchiveStream(pieces(buildZip(okZip()), 100), staging, {
      key: KEY,
      fs: nodeFileSystem,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unknown-format' });
    expect(await fsp.readdir(staging)).toEqual([]);
  });

  it('the source failing mid-way (a cut download) fails the extraction, every file closed', async () => {
    const archive = gzip(buildTar(ok([{ path: `${KEY}/big.bin`, data: pseudoRandom(300_000, 4) }])));
    const cut = new Readable({
      read() {
        this.push(archive.subarray(0, 100_000));
        this.destroy(new Error('connection lost'));
      },
    });
    const err = await extractArchiveStream(cut, staging, { key: KEY, fs: nodeFileSystem }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
  });
});

describe('durability of the staged tree', () => {
  /**
   * The Node file system, recording how files are opened, closed and written in batches, and when
   * the tree is synced; `batches` only beside `syncTree`, as the port allows.
   */
  function recordingFs(withSyncTree: boolean, batches = false) {
    const events: string[] = [];
    const base: FileSystem = { ...nodeFileSystem };
    delete base.syncTree;
    delete base.writeNewFiles;
    const writeNewFiles = (files: readonly NewFile[]) => nodeFileSystem.writeNewFiles?.(files) ?? Promise.resolve([]);
    const fs: FileSystem = {
      ...base,
      openWriter: async (p, options) => {
        const writer = await nodeFileSystem.openWriter(p, options);
        events.push(options?.deferSync ? 'open deferred' : 'open');
        return { ...writer, close: () => (events.push('close'), writer.close()) };
      },
      ...(withSyncTree
        ? { syncTree: (dir: string) => (events.push(`syncTree ${path.relative(root, dir)}`), Promise.resolve()) }
        : {}),
      ...(batches
        ? {
            writeNewFiles: (files: readonly NewFile[]) => (
              events.push(`batch ${files.map((f) => path.basename(f.path)).join(' ')}`),
              writeNewFiles(files)
            ),
          }
        : {}),
    };
    return { fs, events };
  }
  const archive = (): Buffer => gzip(buildTar(ok([{ path: `${KEY}/inc/a.php`, data: '<?php' }])));

  it('with syncTree: no fsync per file, one syncTree of the staging folder once every file is closed', async () => {
    const { fs, events } = recordingFs(true);
    await extractArchive(await writeArchive('a', archive()), staging, { key: KEY, fs });
    expect([...events].sort()).toEqual(['close', 'close', 'open deferred', 'open deferred', 'syncTree staging']);
    expect(events.at(-1)).toBe('syncTree staging');
  });

  it('with writeNewFiles too: small files are written in batches, a large one streamed, then one syncTree', async () => {
    const { fs, events } = recordingFs(true, true);
    const big = pseudoRandom(1024 * 1024 + 1, 5);
    const tar = gzip(
      buildTar(
        ok([
          { path: `${KEY}/inc/a.php`, data: '<?php' },
          { path: `${KEY}/big.bin`, data: big },
        ]),
      ),
    );
    await extractArchive(await writeArchive('a', tar), staging, { key: KEY, fs });
    const batched = events.filter((e) => e.startsWith('batch')).flatMap((e) => e.split(' ').slice(1));
    expect(batched.sort()).toEqual(['a.php', 'setup.php']);
    expect(events.filter((e) => !e.startsWith('batch'))).toEqual(['open deferred', 'close', 'syncTree staging']);
    expect((await fsp.readFile(path.join(staging, KEY, 'big.bin'))).equals(big)).toBe(true);
    expect(await fsp.readFile(path.join(staging, KEY, 'inc/a.php'), 'utf8')).toBe('<?php');
  });

  it('a file the batch could not write (a full disk) fails the extraction; nothing more is sent', async () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ path: `${KEY}/f/${i}.php`, data: `<?php // ${i}` }));
    const tar = gzip(buildTar(ok(many)));
    let calls = 0;
    const fs: FileSystem = {
      ...nodeFileSystem,
      writeNewFiles: (files) => {
        calls++;
        return Promise.resolve(
          files.map(() => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })),
        );
      },
    };
    const err = await extractArchive(await writeArchive('a', tar), staging, { key: KEY, fs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect(err).toMatchObject({ code: 'io', cause: { code: 'ENOSPC' } });
    expect(calls).toBe(1);
  });

  it('a batch holds at most 2 MiB, or one larger file: its buffer keeps one size whatever the files', async () => {
    const files = Array.from({ length: 60 }, (_, i) => ({
      path: `${KEY}/img/${i}.png`,
      data: pseudoRandom(200_000, i),
    }));
    files.push({ path: `${KEY}/img/large.png`, data: pseudoRandom(1024 * 1024, 99) });
    const batches: number[][] = [];
    const fs: FileSystem = {
      ...nodeFileSystem,
      writeNewFiles: async (batch) => {
        batches.push(batch.map((f) => f.data.reduce((n, d) => n + d.byteLength, 0)));
        // A slow first call: the next files pile up, as behind a busy disk.
        if (batches.length === 1) await new Promise((r) => setTimeout(r, 300));
        return nodeFileSystem.writeNewFiles!(batch);
      },
    };
    await extractArchive(await writeArchive('a', gzip(buildTar(ok(files)))), staging, { key: KEY, fs });
    for (const sizes of batches) {
      if (sizes.length > 1) expect(sizes.reduce((a, b) => a + b)).toBeLessThanOrEqual(2 * 1024 * 1024);
    }
    expect(batches.some((sizes) => sizes.length > 1)).toBe(true);
    expect(batches.flat()).toHaveLength(62); // the 61 pictures and setup.php
    expect((await fsp.readFile(path.join(staging, KEY, 'img/large.png'))).equals(files[60]!.data)).toBe(true);
  });

  it('a batch that could not be handed over (the writing thread died) fails the extraction', async () => {
    const fs: FileSystem = {
      ...nodeFileSystem,
      writeNewFiles: () => Promise.reject(Object.assign(new Error('the file-writing thread stopped'), { code: 'EIO' })),
    };
    const err = await extractArchive(await writeArchive('a', archive()), staging, { key: KEY, fs }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'io', cause: { code: 'EIO' } });
  });

  it('without it (SFTP): each file is flushed as it is closed', async () => {
    const { fs, events } = recordingFs(false);
    await extractArchive(await writeArchive('a', archive()), staging, { key: KEY, fs });
    expect([...events].sort()).toEqual(['close', 'close', 'open', 'open']);
  });

  it('a refused archive is not synced', async () => {
    const { fs, events } = recordingFs(true, true);
    const bad = gzip(buildTar(ok([{ path: `${KEY}/../x.php`, data: 'x' }])));
    await expectRefused(await writeArchive('a', bad), 'path-traversal', undefined, [], { fs });
    expect(events.filter((e) => e.startsWith('syncTree'))).toEqual([]);
  });
});
