/**
 * The ustar framing of a bundle, streamed both ways so that no archive is ever held in memory:
 * {@link TarWriter} writes members through a FileWriter (headers by node-tar's Header, bodies copied
 * chunk by chunk, 512-byte padding, two zero blocks at the end), hashing every byte it writes;
 * {@link readTar} walks a byte stream member by member, handing each body to a sink as it arrives,
 * and hashes the whole file on the way. Only plain files are written or accepted: no links, no
 * folders, no pax headers. `tar tf x.mdbundle` lists a bundle.
 */
import { createHash } from 'node:crypto';
import { Header } from 'tar';
import type { FileWriter } from '../ports';

const BLOCK = 512;

/** A structural problem of the tar stream (the caller says it about the bundle). */
export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
  constructor(
    readonly kind: 'corrupt' | 'truncated',
    message: string,
  ) {
    super(message);
  }
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** A ustar header for a regular file; refuses a name ustar cannot hold without a pax header. */
function fileHeader(path: string, size: number, mtime: Date): Buffer {
  const header = new Header({ path, mode: 0o644, uid: 0, gid: 0, size, mtime, type: 'File', uname: '', gname: '' });
  const block = Buffer.alloc(BLOCK);
  header.encode(block, 0);
  if (header.needPax) throw new TypeError(`${path} does not fit a ustar header`);
  return block;
}

/** Writes a tar file member after member; `sha256`/`bytes` are those of everything written. */
export class TarWriter {
  private readonly hash = createHash('sha256');
  private written = 0;

  constructor(
    private readonly out: FileWriter,
    private readonly mtime: Date,
  ) {}

  get bytes(): number {
    return this.written;
  }

  /**
   * One member of `size` bytes from `body`; returns the SHA-256 of the body. A body that is not
   * exactly `size` bytes (a file that changed meanwhile) throws: the caller drops the whole file.
   */
  async member(
    path: string,
    size: number,
    body: AsyncIterable<Uint8Array> | Uint8Array,
    onBytes?: (done: number) => void,
  ): Promise<string> {
    await this.write(fileHeader(path, size, this.mtime));
    const hash = createHash('sha256');
    let done = 0;
    for await (const chunk of body instanceof Uint8Array ? [body] : body) {
      if (done + chunk.length > size) throw new Error(`${path}: more than the ${size} bytes announced`);
      hash.update(chunk);
      await this.write(chunk);
      done += chunk.length;
      onBytes?.(done);
    }
    if (done !== size) throw new Error(`${path}: ${done} bytes instead of ${size}`);
    if (padding(size) > 0) await this.write(Buffer.alloc(padding(size)));
    return hash.digest('hex');
  }

  /** The end-of-archive marker; returns the SHA-256 of the whole file. The writer is not closed. */
  async end(): Promise<string> {
    await this.write(Buffer.alloc(2 * BLOCK));
    return this.hash.digest('hex');
  }

  private async write(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.written += chunk.length;
    await this.out.write([chunk]);
  }
}

/** A member's header, as the reader hands it to the caller. */
export interface TarMember {
  path: string;
  size: number;
  /** Offset of the body in the file. */
  offset: number;
}

/** Where a member's body goes, chunk by chunk, then `end()` once it is whole. */
export interface MemberSink {
  data(chunk: Uint8Array): void | Promise<void>;
  end(): void | Promise<void>;
}

/**
 * Reads a tar stream to its end-of-archive marker. `visit` is called for each member's header and
 * returns the sink of its body (it may throw to stop). Returns the whole stream's size and SHA-256.
 * Throws TarFormatError `corrupt` (a damaged header, a member that is not a plain file, data after
 * the end) or `truncated` (the stream stops before the end marker).
 */
export async function readTar(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  visit: (member: TarMember) => MemberSink | Promise<MemberSink>,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let header: Buffer = Buffer.alloc(0);
  let body: { sink: MemberSink; left: number; pad: number } | null = null;
  let zeroBlocks = 0;
  for await (const raw of source) {
    hash.update(raw);
    let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const chunkStart = bytes;
    bytes += raw.length;
    while (chunk.length > 0) {
      if (zeroBlocks === 2) {
        // Past the end marker, tar writers pad with zeros (to a 10 KiB record); nothing else may follow.
        if (chunk.some((b) => b !== 0)) throw new TarFormatError('corrupt', 'data follows the end of the archive');
        break;
      }
      if (body && body.left > 0) {
        const n = Math.min(body.left, chunk.length);
        body.left -= n;
        await body.sink.data(chunk.subarray(0, n));
        chunk = chunk.subarray(n);
        if (body.left === 0) await body.sink.end();
        continue;
      }
      if (body && body.pad > 0) {
        const n = Math.min(body.pad, chunk.length);
        body.pad -= n;
        chunk = chunk.subarray(n);
        continue;
      }
      body = null;
      const take = Math.min(BLOCK - header.length, chunk.length);
      header = Buffer.concat([header, chunk.subarray(0, take)]);
      chunk = chunk.subarray(take);
      if (header.length < BLOCK) continue;
      const block = header;
      header = Buffer.alloc(0);
      if (block.every((b) => b === 0)) {
        zeroBlocks++;
        continue;
      }
      if (zeroBlocks > 0) throw new TarFormatError('corrupt', 'a member follows an empty block');
      const h = new Header(block);
      if (!h.cksumValid) throw new TarFormatError('corrupt', 'a member header is damaged (bad checksum)');
      if (h.type !== 'File' || !h.path || h.size === undefined)
        throw new TarFormatError('corrupt', `${h.path ?? 'a member'} is not a plain file`);
      const offset = chunkStart + (raw.length - chunk.length);
      const sink = await visit({ path: h.path, size: h.size, offset });
      body = { sink, left: h.size, pad: padding(h.size) };
      if (h.size === 0) await sink.end();
    }
  }
  if (zeroBlocks < 2 || header.length > 0 || (body !== null && (body.left > 0 || body.pad > 0)))
    throw new TarFormatError('truncated', `the file ends after ${bytes} bytes, before the end of the bundle`);
  return { bytes, sha256: hash.digest('hex') };
}
