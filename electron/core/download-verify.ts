/** The downloaded archive's own end, and its checksum: what proves the file whole and unaltered. */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DownloadError, type ArchiveContainer } from './download-types';
import type { FileSystem } from './ports';

export interface VerifyRequest {
  fs: FileSystem;
  /** The written (closed) file. */
  path: string;
  name: string;
  host: string;
  /** Bytes received (the file's size). */
  size: number;
  /** gzip has no end marker: inflate the whole file only when the server gave no Content-Length. */
  inflateGzip: boolean;
  sha256: string;
  expectedSha256: string | undefined;
  signal: AbortSignal;
}

/**
 * Checks the archive's own end (a cut file that still matches Content-Length: a broken release
 * asset) and the expected SHA-256. Returns the container; throws a DownloadError.
 */
export async function verifyArchive(v: VerifyRequest): Promise<ArchiveContainer> {
  // gzip has no end marker: only inflating the whole file proves it complete. With a matching
  // Content-Length the transfer is known whole, and the extraction's gunzip refuses a cut or damaged
  // file anyway (nothing is installed from it), so the inflate is done only when no length came.
  const format = await checkComplete(v.fs, v.path, v.size, v.inflateGzip, v.signal);
  if (format.complete === false)
    throw new DownloadError(
      'truncated',
      `The archive ${v.name} from ${v.host} is incomplete: its ${format.container} data ends before its end marker (${v.size} bytes received, as announced).`,
      'The file on the server is broken. Try again later, or report it to the plugin author; do not install this file.',
      { received: v.size },
    );
  if (v.expectedSha256 !== undefined && v.sha256 !== v.expectedSha256)
    throw new DownloadError(
      'checksum',
      `The SHA-256 of ${v.name} (${v.sha256}) is not the expected one (${v.expectedSha256}).`,
      'The file was altered or replaced on the way or on the server. Do not install it; try again later, or report it to the plugin author.',
    );
  return format.container;
}

/**
 * Detects the container from its first bytes and checks that it reaches its own end (gzip: only
 * when `inflateGzip`, otherwise reported complete unchecked).
 */
async function checkComplete(
  fs: FileSystem,
  path: string,
  size: number,
  inflateGzip: boolean,
  signal: AbortSignal,
): Promise<{ container: ArchiveContainer; complete: boolean }> {
  const readAt = async (position: number, length: number) => Buffer.from(await fs.readRange(path, position, length));
  const head = await readAt(0, Math.min(size, 4));
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    if (!inflateGzip) return { container: 'gzip', complete: true };
    return { container: 'gzip', complete: await inflates(fs, path, signal) };
  }
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') {
    const tail = await readAt(Math.max(0, size - 11), Math.min(size, 11));
    return { container: 'bzip2', complete: bzip2Ends(tail) };
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) {
    const length = Math.min(size, 65_557);
    const tail = await readAt(size - length, length);
    return { container: 'zip', complete: zipEnds(tail, size) };
  }
  return { container: 'unknown', complete: true };
}

/** gzip has no end marker, only a trailer: inflating is the only way to know it is whole. */
async function inflates(fs: FileSystem, path: string, signal: AbortSignal): Promise<boolean> {
  try {
    await pipeline(fs.readStream(path), createGunzip(), new Writable({ write: (_chunk, _enc, done) => done() }), {
      signal,
    });
    return true;
  } catch (err) {
    if (signal.aborted) throw err;
    if ((err as { code?: string }).code === 'Z_BUF_ERROR' || (err as { code?: string }).code === 'Z_DATA_ERROR')
      return false;
    throw err;
  }
}

export function bzip2Ends(tail: Buffer): boolean {
  const bits = tail.length * 8;
  const bit = (i: number): number => ((tail[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
  const magic = 0x177245385090;
  for (let pad = 0; pad < 8; pad++) {
    const start = bits - pad - 80;
    if (start < 0) break;
    let value = 0;
    for (let i = 0; i < 48; i++) value = value * 2 + bit(start + i);
    if (value === magic) return true;
  }
  return false;
}

/** A zip ends with its end-of-central-directory record (and its comment), after the directory. */
export function zipEnds(tail: Buffer, size: number): boolean {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== 0x06054b50) continue;
    const commentLength = tail.readUInt16LE(i + 20);
    if (i + 22 + commentLength !== tail.length) continue;
    const eocdAt = size - tail.length + i;
    const cdSize = tail.readUInt32LE(i + 12);
    const cdOffset = tail.readUInt32LE(i + 16);
    // Zip64 archives put 0xFFFFFFFF here; their real values are elsewhere.
    if (cdSize === 0xffffffff || cdOffset === 0xffffffff) return true;
    return cdOffset + cdSize <= eocdAt;
  }
  return false;
}
