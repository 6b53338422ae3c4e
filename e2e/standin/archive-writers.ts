/**
 * Minimal archive writers for the stand-in's plugin releases: ustar (regular files and
 * directories only), zip (deflate or store, CRC-32, central directory; no zip64) and the two
 * compressors (gzip through zlib, bzip2 through Debian's `bzip2` binary, spawned without a shell).
 */
import { spawn } from 'node:child_process';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { ArchiveFormat } from './catalog-types';
import type { ArchiveEntry } from './plugin-files';

const gzipAsync = promisify(zlib.gzip);
const deflateRawAsync = promisify(zlib.deflateRaw);

// --- tar (POSIX ustar) ---

const BLOCK = 512;
/** GNU tar and bsdtar write 20-block records; readers accept any length, but this is what they see in the wild. */
const RECORD = BLOCK * 20;

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, the classic layout.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function splitName(path: string): { name: string; prefix: string } {
  const bytes = Buffer.byteLength(path);
  if (bytes <= 100) return { name: path, prefix: '' };
  // ustar: prefix (≤155 bytes) + '/' + name (≤100 bytes), split at a slash.
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== '/' || i === path.length - 1) continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new RangeError(`tar: path too long for ustar: ${path}`);
}

function tarHeader(entry: ArchiveEntry): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { name, prefix } = splitName(entry.path);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(entry.mode & 0o7777, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(entry.type === 'dir' ? 0 : entry.data.length, 12), 124, 'ascii');
  h.write(octal(Math.floor(entry.mtime.getTime() / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum placeholder: 8 spaces
  h.write(entry.type === 'dir' ? '5' : '0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

export function tar(entries: readonly ArchiveEntry[]): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  for (const entry of entries) {
    const header = tarHeader(entry);
    parts.push(header);
    size += header.length;
    if (entry.type === 'file' && entry.data.length > 0) {
      parts.push(entry.data);
      const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
      size += entry.data.length + pad;
    }
  }
  // Two zero blocks end the archive; then pad to a whole record.
  size += 2 * BLOCK;
  const total = Math.ceil(size / RECORD) * RECORD;
  parts.push(Buffer.alloc(total - size + 2 * BLOCK));
  return Buffer.concat(parts);
}

// --- CRC-32 (IEEE 802.3, the one zip and gzip use) ---

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Table-driven CRC-32; `crc32` uses zlib's (Node ≥ 20.15) when present. */
export function tableCrc32(data: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = (CRC_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function crc32(data: Uint8Array, previous = 0): number {
  return typeof zlib.crc32 === 'function' ? zlib.crc32(data, previous) : tableCrc32(data, previous);
}

// --- zip ---

function dosTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

const UTF8_FLAG = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 30; // Unix, spec 3.0

export async function zip(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const members: ZipMember[] = [];
  for (const entry of entries) {
    const raw = entry.type === 'dir' ? Buffer.alloc(0) : entry.data;
    let method = 0;
    let payload = raw;
    if (raw.length > 0) {
      const deflated = await deflateRawAsync(raw, { level: 9 });
      // Like zip(1): keep the smaller form (incompressible data is stored).
      if (deflated.length < raw.length) {
        method = 8;
        payload = deflated;
      }
    }
    const unixMode = entry.type === 'dir' ? 0o040000 | entry.mode : 0o100000 | entry.mode;
    members.push({
      name: Buffer.from(entry.path, 'utf8'),
      payload,
      method,
      needed: method === 8 ? 20 : 10,
      flags: UTF8_FLAG,
      ...dosTime(entry.mtime),
      crc: crc32(raw),
      size: raw.length,
      madeBy: MADE_BY_UNIX,
      externalAttributes: ((unixMode << 16) | (entry.type === 'dir' ? 0x10 : 0)) >>> 0,
    });
  }
  return assembleZip(members);
}

/** One zip entry as both of its headers describe it; `payload` is the stored (maybe deflated) data. */
export interface ZipMember {
  name: Buffer;
  payload: Buffer;
  /** 0 stored, 8 deflate. */
  method: number;
  /** Version needed to extract: 10 (stored) or 20 (deflate, directories). */
  needed: number;
  /** General-purpose flags (0x0800: the name is UTF-8). */
  flags: number;
  /** MS-DOS time and date. */
  time: number;
  date: number;
  crc: number;
  /** Uncompressed size as declared (a test may lie). */
  size: number;
  /** Version made by (high byte 3: Unix). */
  madeBy: number;
  /** Unix mode in the high 16 bits, MS-DOS attributes in the low ones. */
  externalAttributes: number;
}

/** Flags to name length: the same fields, in the same order, in the local and the central header. */
function writeSharedFields(header: Buffer, at: number, member: ZipMember): void {
  header.writeUInt16LE(member.flags, at);
  header.writeUInt16LE(member.method, at + 2);
  header.writeUInt16LE(member.time, at + 4);
  header.writeUInt16LE(member.date, at + 6);
  header.writeUInt32LE(member.crc, at + 8);
  header.writeUInt32LE(member.payload.length, at + 12);
  header.writeUInt32LE(member.size, at + 16);
  header.writeUInt16LE(member.name.length, at + 20);
}

/**
 * A whole zip: each member's local header, name and payload, then the central directory and its
 * end record. No extra fields, comments or zip64 (the zero fields are left as Buffer.alloc made them).
 */
export function assembleZip(members: readonly ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(member.needed, 4);
    writeSharedFields(local, 6, member);
    locals.push(local, member.name, member.payload);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(member.madeBy, 4);
    central.writeUInt16LE(member.needed, 6);
    writeSharedFields(central, 8, member);
    central.writeUInt32LE(member.externalAttributes, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, member.name);

    offset += local.length + member.name.length + member.payload.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(members.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(members.length, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A zip entry read back from the central directory (tests, and a check of the writer). */
export interface ZipEntryInfo {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttributes: number;
  localOffset: number;
}

export function readZipDirectory(archive: Buffer): ZipEntryInfo[] {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error('zip: no end of central directory');
  const count = archive.readUInt16LE(endAt + 10);
  let at = archive.readUInt32LE(endAt + 16);
  const entries: ZipEntryInfo[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`zip: bad central header ${i}`);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30);
    const comment = archive.readUInt16LE(at + 32);
    entries.push({
      name: archive.toString('utf8', at + 46, at + 46 + nameLength),
      method: archive.readUInt16LE(at + 10),
      crc: archive.readUInt32LE(at + 16),
      compressedSize: archive.readUInt32LE(at + 20),
      size: archive.readUInt32LE(at + 24),
      externalAttributes: archive.readUInt32LE(at + 38),
      localOffset: archive.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

// --- compressors ---

export class MissingToolError extends Error {}

/** bzip2 -9 through Debian's binary (no PHP-like bz2 library in Node). */
export function bzip2(input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('bzip2', ['-c', '-9'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new MissingToolError('bzip2 is not installed (Debian: apt-get install bzip2; `npm run setup` installs it)')
          : error,
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`bzip2 exited with ${code}: ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.on('error', () => {}); // EPIPE when bzip2 dies early: reported by 'close'
    child.stdin.end(input);
  });
}

export async function buildArchive(format: ArchiveFormat, entries: readonly ArchiveEntry[]): Promise<Buffer> {
  switch (format) {
    case 'zip':
      return zip(entries);
    case 'tar.gz':
      return gzipAsync(tar(entries), { level: 9 });
    case 'tar.bz2':
      return bzip2(tar(entries));
  }
}

export const CONTENT_TYPES: Record<ArchiveFormat, string> = {
  'tar.bz2': 'application/x-bzip2',
  'tar.gz': 'application/gzip',
  zip: 'application/zip',
};
