/**
 * Test-only archive builders: every fixture is produced inside the test (no binary fixtures).
 * - tar: node-tar's `Header` encodes hostile headers (links, devices, `..`, absolute paths, mode 07777, uid 0).
 * - gzip: node:zlib. bzip2: Debian's `bzip2` binary via spawn.
 * - zip: the stand-in's record writer (`assembleZip`), fed hostile entries (stored/deflate, unix
 *   external attributes, lying sizes, pre-compressed bombs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { Header, type HeaderData } from 'tar';
import { assembleZip } from '../../../e2e/standin/archive-writers';

export interface TarEntrySpec extends HeaderData {
  path: string;
  /** File content; `size` defaults to its length. */
  data?: Buffer | string;
}

const BLOCK = 512;

function padBlock(len: number): number {
  return (BLOCK - (len % BLOCK)) % BLOCK;
}

/** Encodes one tar header (plus content and padding when `data` is given). */
export function tarEntry(spec: TarEntrySpec): Buffer {
  const data = spec.data === undefined ? Buffer.alloc(0) : Buffer.from(spec.data);
  const { data: _data, ...rest } = spec;
  const header = new Header({
    mode: rest.type === 'Directory' ? 0o755 : 0o644,
    uid: 1000,
    gid: 1000,
    mtime: new Date('2024-01-01T00:00:00Z'),
    type: 'File',
    ...rest,
    size: rest.size ?? (rest.type === undefined || rest.type === 'File' ? data.length : 0),
  });
  const buf = Buffer.alloc(BLOCK);
  header.encode(buf, 0);
  return Buffer.concat([buf, data, Buffer.alloc(padBlock(data.length))]);
}

/** A complete tar: entries followed by the two zero end blocks. */
export function buildTar(entries: TarEntrySpec[]): Buffer {
  return Buffer.concat([...entries.map(tarEntry), Buffer.alloc(BLOCK * 2)]);
}

export const gzip = (buf: Buffer): Buffer => zlib.gzipSync(buf);

export function bzip2(buf: Buffer): Buffer {
  const res = spawnSync('bzip2', ['-c', '-9'], { input: buf, maxBuffer: 512 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`bzip2 failed: ${res.stderr.toString()}`);
  return res.stdout;
}

/** Yields a tar stream of `files` entries under `dir/`, each `fileBytes` of zeros, without building it in memory. */
export function* zeroTarStream(dir: string, files: number, fileBytes: number): Generator<Buffer> {
  const zeros = Buffer.alloc(1024 * 1024);
  yield tarEntry({ path: `${dir}/`, type: 'Directory' });
  yield tarEntry({ path: `${dir}/setup.php`, data: '<?php\n' });
  for (let i = 0; i < files; i++) {
    yield tarEntry({ path: `${dir}/zero${i}.bin`, size: fileBytes });
    let left = fileBytes;
    while (left > 0) {
      const n = Math.min(left, zeros.length);
      yield n === zeros.length ? zeros : zeros.subarray(0, n);
      left -= n;
    }
    yield Buffer.alloc(padBlock(fileBytes));
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** Streams `source` through gzip into `file`. */
export async function writeGzipStream(source: Iterable<Buffer>, file: string): Promise<void> {
  const gz: Transform = zlib.createGzip({ level: 9 });
  await pipeline(Readable.from(source), gz, createWriteStream(file));
}

/** Streams `source` through the `bzip2` binary into `file`. */
export async function writeBzip2Stream(source: Iterable<Buffer>, file: string): Promise<void> {
  const child = spawn('bzip2', ['-c', '-9'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await Promise.all([pipeline(Readable.from(source), child.stdin), pipeline(child.stdout, createWriteStream(file))]);
  const code = await exited;
  if (code !== 0) throw new Error(`bzip2 exited with ${code}`);
}

// ---------------------------------------------------------------------------------------------
// zip writer

export interface ZipEntrySpec {
  name: string | Buffer;
  data?: Buffer | string;
  /** 0 stored, 8 deflate (default 8 for files). */
  method?: 0 | 8;
  /** Unix mode incl. type bits, e.g. 0o100644, 0o120777 (symlink), 0o040755. */
  unixMode?: number;
  /** Override the declared uncompressed size (to lie). */
  declaredSize?: number;
  /** Pre-compressed payload (raw deflate) with its true uncompressed size and CRC — for big bombs. */
  precompressed?: { data: Buffer; size: number; crc: number };
  utf8?: boolean;
}

function crc32(buf: Buffer): number {
  return zlib.crc32(buf) >>> 0;
}

export function buildZip(entries: ZipEntrySpec[]): Buffer {
  return assembleZip(
    entries.map((e) => {
      const name = Buffer.isBuffer(e.name) ? e.name : Buffer.from(e.name, 'utf8');
      const raw = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
      const isDir = name.toString('latin1').endsWith('/');
      const method = e.precompressed ? 8 : (e.method ?? (isDir ? 0 : 8));
      const unixMode = e.unixMode ?? (isDir ? 0o040755 : 0o100644);
      return {
        name,
        payload: e.precompressed ? e.precompressed.data : method === 8 ? zlib.deflateRawSync(raw) : raw,
        method,
        needed: 20,
        flags: e.utf8 === false ? 0 : 0x800,
        time: 0,
        date: 0x21, // 1980-01-01
        crc: e.precompressed ? e.precompressed.crc : crc32(raw),
        size: e.declaredSize ?? (e.precompressed ? e.precompressed.size : raw.length),
        madeBy: (3 << 8) | 20, // Unix
        externalAttributes: ((unixMode << 16) | (isDir ? 0x10 : 0)) >>> 0,
      };
    }),
  );
}

/** Raw-deflated zeros with size and CRC, computed once and reusable for many zip entries. */
export function deflatedZeros(bytes: number): { data: Buffer; size: number; crc: number } {
  const zeros = Buffer.alloc(bytes);
  return { data: zlib.deflateRawSync(zeros, { level: 9 }), size: bytes, crc: crc32(zeros) };
}

/** Deterministic pseudo-random bytes (xorshift32). */
export function pseudoRandom(len: number, seed = 0x12345678): Buffer {
  const out = Buffer.alloc(len);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
