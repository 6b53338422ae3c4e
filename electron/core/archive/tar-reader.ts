/**
 * A tar reader for plugin archives: the decompressed bytes go in, in chunks of any size, and each
 * entry comes out as its header, then its data as views of those chunks, then its end. It writes
 * nothing and decides nothing: extract-tar.ts checks every entry before anything is written.
 *
 * It reads what tar, bsdtar and git write: ustar headers (with their prefix field), GNU long names
 * (`L`, `K`) and pax extended headers (`x`: path, linkpath, size; `g` is skipped). Every header's
 * checksum is checked. Anything it cannot read exactly (a bad checksum, a size that is not a
 * number, a malformed pax record, an archive cut inside an entry) is an ArchiveError, never a guess.
 *
 * Why not node-tar's Parser, which it replaces here: each entry there is a stream of its own, with
 * its events and buffers; for the thousand small files of a plugin release that was a sixth of an
 * install's time in a fresh process. Here an entry costs a header decode and three calls.
 */
import { ArchiveError } from './archive-error.js';

/** A tar header's size, and the unit its data is padded to. */
export const TAR_BLOCK = 512;
/** At most this many bytes of pax records or GNU long name per entry (node-tar's limit too). */
const MAX_META_BYTES = 1024 * 1024;

/** Entry types by their type flag, with node-tar's names (the messages name them). */
const TYPES: Record<string, string> = {
  '0': 'File',
  '': 'File',
  '1': 'Link',
  '2': 'SymbolicLink',
  '3': 'CharacterDevice',
  '4': 'BlockDevice',
  '5': 'Directory',
  '6': 'FIFO',
  '7': 'ContiguousFile',
  D: 'GNUDumpDir',
  S: 'SparseFile',
  V: 'TapeVolumeHeader',
  M: 'ContinuationFile',
};

export interface TarHeader {
  /** The entry's name as the archive gives it (pax or GNU long name first, then prefix/name). */
  path: string;
  /** node-tar's name of the type, or `type "X"` for a flag nobody defines. */
  type: string;
  /** Bytes of data that follow (0 for a folder, whatever its header says). */
  size: number;
  linkpath: string;
}

/** What the reader reports, in the archive's order. */
export interface TarEvents {
  entry(header: TarHeader): void;
  /** Part of the current entry's data: a view valid only during the call. */
  data(view: Buffer): void;
  /** The current entry's data is all given (called for every entry, data or not). */
  end(): void;
}

type State =
  | { at: 'header' }
  /** Data of a real entry: `left` bytes, then `pad` bytes of padding. */
  | { at: 'data'; left: number; pad: number }
  /** Data of a meta entry (pax records, GNU long name), gathered whole. */
  | { at: 'meta'; flag: string; left: number; pad: number; parts: Buffer[] }
  /** After the end marker (two zero blocks): the rest is ignored, as tar does. */
  | { at: 'ended' };

/** Overrides gathered from meta entries for the next real entry. */
interface Pending {
  path?: string;
  linkpath?: string;
  size?: number;
}

export class TarReader {
  private state: State = { at: 'header' };
  /** A header cut across chunks, gathered here. */
  private partial: Buffer | null = null;
  private partialBytes = 0;
  private zeroBlocks = 0;
  private pending: Pending = {};
  /** Whether any block was read (an archive of nothing is not an archive). */
  private sawBlock = false;

  constructor(private readonly on: TarEvents) {}

  /** Reads one chunk; throws an ArchiveError when the archive is not readable. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const s = this.state;
      if (s.at === 'ended') return;
      if (s.at === 'header') at = this.headerFrom(chunk, at);
      else {
        const n = Math.min(s.left, chunk.length - at);
        if (n > 0) {
          const view = chunk.subarray(at, at + n);
          if (s.at === 'data') this.on.data(view);
          else s.parts.push(Buffer.from(view));
          s.left -= n;
          at += n;
        }
        if (s.left === 0) {
          const skip = Math.min(s.pad, chunk.length - at);
          s.pad -= skip;
          at += skip;
          if (s.pad === 0) this.finishEntry(s);
        }
      }
    }
  }

  /** The archive's bytes have all been pushed: throws when they stop inside an entry. */
  finish(): void {
    const s = this.state;
    if (s.at === 'ended' || (s.at === 'header' && this.partialBytes === 0 && this.sawBlock)) return;
    if (!this.sawBlock && this.partialBytes === 0)
      throw new ArchiveError('corrupt', 'The compressed data does not contain a tar archive.');
    throw new ArchiveError('truncated', 'The archive is truncated (it stops inside an entry).');
  }

  /** Reads (or gathers) one header block from `chunk` at `at`; returns where reading goes on. */
  private headerFrom(chunk: Buffer, at: number): number {
    let block: Buffer;
    if (this.partialBytes === 0 && chunk.length - at >= TAR_BLOCK) {
      block = chunk.subarray(at, at + TAR_BLOCK);
      at += TAR_BLOCK;
    } else {
      this.partial ??= Buffer.alloc(TAR_BLOCK);
      const n = Math.min(TAR_BLOCK - this.partialBytes, chunk.length - at);
      chunk.copy(this.partial, this.partialBytes, at, at + n);
      this.partialBytes += n;
      at += n;
      if (this.partialBytes < TAR_BLOCK) return at;
      block = this.partial;
      this.partialBytes = 0;
    }
    this.header(block);
    return at;
  }

  private header(block: Buffer): void {
    this.sawBlock = true;
    if (isZeroBlock(block)) {
      if (++this.zeroBlocks === 2) this.state = { at: 'ended' };
      return;
    }
    // A lone zero block is skipped, as node-tar and GNU tar (with a warning) do.
    this.zeroBlocks = 0;
    checkChecksum(block);
    const flag = block[156] === 0 ? '' : String.fromCharCode(block[156]!);
    const declared = readNumber(block, 124, 12, 'size');
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (declared > MAX_META_BYTES) throw corrupt(`a ${flag} header of ${declared} bytes`);
      this.state = { at: 'meta', flag, left: declared, pad: padding(declared), parts: [] };
      if (declared === 0) this.finishEntry(this.state);
      return;
    }
    const pending = this.pending;
    this.pending = {};
    let path = pending.path ?? text(block, 0, 100);
    // ustar (not the GNU variant, whose field there holds times): the prefix goes before the name.
    if (pending.path === undefined && block.toString('latin1', 257, 265) === 'ustar\u000000') {
      const prefix = text(block, 345, 155);
      if (prefix) path = `${prefix}/${path}`;
    }
    let type = TYPES[flag] ?? `type ${JSON.stringify(flag)}`;
    // Old tars marked folders as files whose name ends with a slash.
    if ((flag === '0' || flag === '') && path.endsWith('/')) type = 'Directory';
    const size = type === 'Directory' ? 0 : (pending.size ?? declared);
    if (!path) throw corrupt('an entry without a name');
    this.on.entry({ path, type, size, linkpath: pending.linkpath ?? text(block, 157, 100) });
    // The data of links and special files is skipped like any other's: they are refused anyway.
    this.state = { at: 'data', left: size, pad: padding(size) };
    if (size === 0) this.finishEntry(this.state);
  }

  private finishEntry(s: Exclude<State, { at: 'header' | 'ended' }>): void {
    this.state = { at: 'header' };
    if (s.at === 'data') return this.on.end();
    const data = Buffer.concat(s.parts);
    if (s.flag === 'L') this.pending.path = nulTerminated(data);
    else if (s.flag === 'K') this.pending.linkpath = nulTerminated(data);
    else if (s.flag === 'x') Object.assign(this.pending, paxRecords(data));
  }
}

/** path, linkpath and size from pax records (`<length> <key>=<value>\n` each). */
function paxRecords(data: Buffer): Pending {
  const found: Pending = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const digits = space > at ? data.toString('latin1', at, space) : '';
    const length = /^\d{1,9}$/.test(digits) ? Number(digits) : NaN;
    const end = at + length;
    if (!Number.isSafeInteger(length) || length <= space - at + 1 || end > data.length || data[end - 1] !== 0x0a)
      throw corrupt('a malformed pax record');
    const record = data.toString('utf8', space + 1, end - 1);
    const eq = record.indexOf('=');
    if (eq <= 0) throw corrupt('a malformed pax record');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') found.path = value;
    else if (key === 'linkpath') found.linkpath = value;
    else if (key === 'size') {
      if (!/^\d{1,15}$/.test(value)) throw corrupt(`a pax size of ${JSON.stringify(value.slice(0, 20))}`);
      found.size = Number(value);
    }
    at = end;
  }
  return found;
}

/** Checks the header's checksum: unsigned, or signed as some old tars computed it. */
function checkChecksum(block: Buffer): void {
  const stored = readNumber(block, 148, 8, 'checksum');
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let i = 0; i < TAR_BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const b = block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored !== unsigned && stored !== signed) throw corrupt('a header checksum does not match');
}

/** An octal field (NUL or space terminated), or GNU's base-256 for large numbers. */
function readNumber(block: Buffer, at: number, length: number, what: string): number {
  if (block[at]! & 0x80) {
    // Base-256, big-endian, positive only: anything beyond 2^53 is not a size we accept anyway.
    if (block[at] !== 0x80) throw corrupt(`a ${what} field that is negative or too large`);
    let n = 0;
    for (let i = at + 1; i < at + length; i++) n = n * 256 + block[i]!;
    if (!Number.isSafeInteger(n)) throw corrupt(`a ${what} field that is too large`);
    return n;
  }
  const field = block.toString('latin1', at, at + length);
  const nul = field.indexOf('\0');
  const digits = (nul === -1 ? field : field.slice(0, nul)).trim();
  if (!/^[0-7]*$/.test(digits)) throw corrupt(`a ${what} field that is not a number`);
  return digits === '' ? 0 : parseInt(digits, 8);
}

/** A NUL-terminated UTF-8 field. */
function text(block: Buffer, at: number, length: number): string {
  return nulTerminated(block.subarray(at, at + length));
}

function nulTerminated(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return bytes.toString('utf8', 0, nul === -1 ? bytes.length : nul);
}

/** Whether the block at the start of `block` is all zeros (an end-of-archive block). */
export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < TAR_BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function padding(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}

function corrupt(what: string): ArchiveError {
  return new ArchiveError('corrupt', `The archive is damaged (${what}).`);
}
