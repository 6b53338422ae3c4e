import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildArchive, crc32, readZipDirectory, tableCrc32, tar, zip } from './archive-writers';
import { demoCatalogue } from './catalog-data';
import type { StandinPlugin } from './catalog-types';
import { incompressible, pluginFiles, setupPhp, setupStyleOf, type ArchiveEntry } from './plugin-files';
import { commandExists, extractWithSystemTools, tarListing, type Extracted } from './testkit';

const cleanups: Extracted[] = [];
afterAll(() => cleanups.forEach((e) => e.cleanup()));

function extract(bytes: Buffer, format: 'tar.bz2' | 'tar.gz' | 'zip'): Extracted {
  const e = extractWithSystemTools(bytes, format);
  cleanups.push(e);
  return e;
}

const catalogue = demoCatalogue();
const plugin = (key: string): StandinPlugin => {
  const p = catalogue.find((x) => x.key === key);
  if (!p) throw new Error(key);
  return p;
};

const mtime = new Date('2024-03-05T12:00:00Z');
const SETUP = "<?php\ndefine('X', '1.0');\n" + '// padding line to make deflate worth it\n'.repeat(5);
const entries: ArchiveEntry[] = [
  { path: 'demo/', type: 'dir', data: Buffer.alloc(0), mode: 0o755, mtime },
  { path: 'demo/setup.php', type: 'file', data: Buffer.from(SETUP), mode: 0o644, mtime },
  { path: 'demo/empty.txt', type: 'file', data: Buffer.alloc(0), mode: 0o644, mtime },
  {
    path: `demo/${'deep/'.repeat(25)}file.txt`, // > 100 bytes: needs the ustar prefix field
    type: 'file',
    data: Buffer.from('deep\n'),
    mode: 0o644,
    mtime,
  },
  { path: 'demo/big.bin', type: 'file', data: incompressible(70_000, 'test'), mode: 0o644, mtime },
];

describe('system tools', () => {
  it('bzip2, tar and unzip are installed (scripts/setup.mjs must provide them)', () => {
    expect(commandExists('bzip2')).toBe(true);
    expect(commandExists('tar')).toBe(true);
    expect(commandExists('unzip')).toBe(true);
  });
});

describe('ustar writer', () => {
  it('is read by GNU tar: names, long paths, sizes, modes, mtime', () => {
    const bytes = gzipSync(tar(entries));
    const listing = tarListing(bytes, 'tar.gz');
    expect(listing).toHaveLength(entries.length);
    expect(listing[0]).toMatch(/^drwxr-xr-x root\/root\s+0 2024-03-05 \d\d:00 demo\/$/);
    expect(listing[1]).toMatch(
      new RegExp(`^-rw-r--r-- root/root\\s+${SETUP.length} 2024-03-05 \\d\\d:00 demo/setup\\.php$`),
    );
    const e = extract(bytes, 'tar.gz');
    expect(e.ok, e.stderr).toBe(true);
    expect(readFileSync(join(e.dir, entries[3]!.path), 'utf8')).toBe('deep\n');
    expect(readFileSync(join(e.dir, 'demo/big.bin'))).toEqual(entries[4]!.data);
    expect(statSync(join(e.dir, 'demo/setup.php')).mtime.toISOString()).toBe('2024-03-05T12:00:00.000Z');
  });

  it('pads to whole 10 KiB records with the two end blocks', () => {
    const bytes = tar(entries.slice(0, 2));
    expect(bytes.length % 10_240).toBe(0);
    expect(bytes.subarray(bytes.length - 1024).every((b) => b === 0)).toBe(true);
    expect(bytes.toString('ascii', 257, 263)).toBe('ustar\0');
  });

  it('refuses a path ustar cannot hold', () => {
    expect(() => tar([{ ...entries[1]!, path: 'x'.repeat(300) }])).toThrow(/too long/);
  });
});

describe('zip writer', () => {
  it('is read by unzip, and by its own central directory parser', async () => {
    const bytes = await zip(entries);
    const e = extract(bytes, 'zip');
    expect(e.ok, e.stderr).toBe(true);
    expect(readFileSync(join(e.dir, 'demo/setup.php'), 'utf8')).toContain("define('X'");
    expect(readFileSync(join(e.dir, 'demo/big.bin'))).toEqual(entries[4]!.data);

    const dir = readZipDirectory(bytes);
    expect(dir.map((d) => d.name)).toEqual(entries.map((x) => x.path));
    const setup = dir[1]!;
    expect(setup.method).toBe(8);
    const dataStart = setup.localOffset + 30 + bytes.readUInt16LE(setup.localOffset + 26);
    const inflated = inflateRawSync(bytes.subarray(dataStart, dataStart + setup.compressedSize));
    expect(inflated).toEqual(entries[1]!.data);
    expect(crc32(inflated)).toBe(setup.crc);
    // Incompressible data is stored, like zip(1) does.
    expect(dir[4]!.method).toBe(0);
    // Unix modes in the external attributes; directories flagged.
    expect(dir[0]!.externalAttributes >>> 16).toBe(0o40755);
    expect(dir[0]!.externalAttributes & 0x10).toBe(0x10);
    expect(dir[1]!.externalAttributes >>> 16).toBe(0o100644);
  });

  it('unzip -t finds no error', async () => {
    const bytes = await zip(entries);
    const e = extract(bytes, 'zip');
    const test = spawnSync('unzip', ['-tq', join(e.dir, '..', 'archive.zip')], { encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/No errors detected/);
  });

  it('CRC-32 matches the reference values', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const data = incompressible(10_000, 'crc');
    expect(tableCrc32(data)).toBe(crc32(data));
  });
});

describe('plugin files', () => {
  it('write the catalogue version in setup.php, in four realistic styles', () => {
    const styles = new Set(catalogue.map((p) => setupStyleOf(p.key)));
    expect([...styles].sort()).toEqual(['guarded', 'infotel', 'literal', 'teclib']);
    for (const style of styles) {
      const p = catalogue.find((x) => setupStyleOf(x.key) === style)!;
      const v = p.versions.at(-1)!;
      const php = setupPhp(p, v);
      expect(php, style).toMatch(/^<\?php\n/);
      expect(php, style).toContain(`function plugin_version_${p.key}()`);
      expect(php, style).toContain(`'${v.num}'`);
      expect(php, style).toMatch(/'min'\s*=>/);
      expect(php, style).toMatch(/'max'\s*=>/);
      if (style !== 'literal')
        expect(php, style).toContain(`define('PLUGIN_${p.key.toUpperCase()}_VERSION', '${v.num}')`);
      if (style === 'infotel') expect(php).toContain(`//define('PLUGIN_${p.key.toUpperCase()}_VERSION', '0.9.0');`);
      if (style === 'literal') expect(php).toContain(`'version'        => '${v.num}'`);
      if (style === 'guarded') expect(php).toContain(`if (!defined('PLUGIN_${p.key.toUpperCase()}_VERSION')) {`);
    }
  });

  it('derive min/max GLPI from the compatibility and escape PHP strings', () => {
    const fields = plugin('fields');
    const v = fields.versions.find((x) => x.num === '1.21.23')!;
    const php = setupPhp(fields, v);
    expect(php).toContain('10.0.11');
    expect(php).toContain('10.0.99');
    const quoted = setupPhp({ ...fields, name: "It's a \\ test" }, v);
    expect(quoted).toContain("'It\\'s a \\\\ test'");
  });

  it('are one top directory named after the key with setup.php, hook.php, README, locale and inc/', () => {
    const p = plugin('tag');
    const files = pluginFiles(p, p.versions[0]!).map((e) => e.path);
    expect(files).toEqual([
      'tag/',
      'tag/setup.php',
      'tag/hook.php',
      'tag/README.md',
      'tag/inc/',
      'tag/inc/config.class.php',
      'tag/locales/',
      'tag/locales/en_GB.po',
    ]);
    const odd = pluginFiles(p, p.versions[0]!, { top: 'tag-master', fileVersion: '9.9.9', padding: 10 });
    expect(odd.every((e) => e.path.startsWith('tag-master/'))).toBe(true);
    expect(odd.find((e) => e.path.endsWith('setup.php'))?.data.toString()).toContain("'9.9.9'");
    expect(odd.find((e) => e.path.endsWith('padding.bin'))?.data.length).toBe(10);
  });

  it('padding is incompressible and deterministic', () => {
    const a = incompressible(100_000, 'x');
    expect(a).toEqual(incompressible(100_000, 'x'));
    expect(a).not.toEqual(incompressible(100_000, 'y'));
    expect(gzipSync(a).length).toBeGreaterThan(99_000);
  });

  it.each(['tar.bz2', 'tar.gz', 'zip'] as const)('buildArchive(%s) extracts with the system tools', async (format) => {
    const p = plugin('news');
    const v = p.versions.at(-1)!;
    const bytes = await buildArchive(format, pluginFiles(p, v));
    const e = extract(bytes, format);
    expect(e.ok, e.stderr).toBe(true);
    expect(e.top).toEqual(['news']);
    expect(readFileSync(join(e.dir, 'news/setup.php'), 'utf8')).toContain(`'${v.num}'`);
  });
});
