/**
 * Reading a bundle: bundle.json alone (its first member, two range reads), and the whole file in
 * one pass that checks its structure against bundle.json, hashes every archive and the whole file,
 * and can copy chosen archives out as they stream by. Archives are never held in memory.
 */
import { createHash } from 'node:crypto';
import { Header } from 'tar';
import {
  BUNDLE_FORMAT,
  BUNDLE_JSON,
  BUNDLE_JSON_MAX_BYTES,
  bundleJsonSchema,
  type BundleEntry,
  type BundleJson,
} from '../../../shared/bundle';
import type { FileSystem, FileWriter } from '../ports';
import { cancelled, corrupt, newerFormat, readFailure, truncated } from './bundle-errors';
import { readTar, TarFormatError, type MemberSink, type TarMember } from './bundle-tar';

const BLOCK = 512;

/** bundle.json, read and checked. */
export interface BundleHead {
  json: BundleJson;
  /** Its exact text: the full pass checks that the file still holds it. */
  text: string;
}

/** Why a file that does not open with bundle.json's header is refused. */
export const NOT_A_BUNDLE = `it does not start with ${BUNDLE_JSON} (it is not a file made by marketdesk bundle create)`;

/** The ustar header of bundle.json when `block`, a file's first 512 bytes, is one; else null. */
export function bundleJsonHeader(block: Uint8Array): Header | null {
  if (block.length < BLOCK) return null;
  const header = new Header(Buffer.from(block.subarray(0, BLOCK)));
  const ok = header.cksumValid && header.type === 'File' && header.path === BUNDLE_JSON && header.size !== undefined;
  return ok ? header : null;
}

/** Reads and checks bundle.json, the bundle's first member, without reading the archives. */
export async function readBundleHead(fs: FileSystem, file: string): Promise<BundleHead> {
  let block: Uint8Array;
  try {
    block = await fs.readRange(file, 0, BLOCK);
  } catch (err) {
    throw readFailure(file, err);
  }
  const notBundle = () => corrupt(file, NOT_A_BUNDLE);
  if (block.length < BLOCK) {
    // The start of a bundle cut short, or a small file that is something else.
    if (
      Buffer.from(block)
        .subarray(0, BUNDLE_JSON.length + 1)
        .toString('latin1') === `${BUNDLE_JSON}\0`
    )
      throw truncated(file, block.length);
    throw notBundle();
  }
  const header = bundleJsonHeader(block);
  if (header?.size === undefined) throw notBundle();
  if (header.size > BUNDLE_JSON_MAX_BYTES) throw corrupt(file, `${BUNDLE_JSON} is larger than any bundle writes`);
  let body: Uint8Array;
  try {
    body = await fs.readRange(file, BLOCK, header.size);
  } catch (err) {
    throw readFailure(file, err);
  }
  if (body.length < header.size) throw truncated(file, BLOCK + body.length);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw corrupt(file, `${BUNDLE_JSON} is not UTF-8 text`);
  }
  return { json: parseBundleJson(file, text), text };
}

function parseBundleJson(file: string, text: string): BundleJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt(file, `${BUNDLE_JSON} is not JSON`);
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && Number.isInteger(format) && format > BUNDLE_FORMAT) throw newerFormat(file, format);
  const parsed = bundleJsonSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || BUNDLE_JSON}: ${i.message}`);
    throw corrupt(file, `${BUNDLE_JSON} is not valid (${issues.join('; ')})`);
  }
  // The catalogue records are checked only where the core reads them; the rest is kept as written.
  return parsed.data as unknown as BundleJson;
}

export interface ScanOptions {
  /** Where an archive's bytes go as they are read, besides the hash; null: nowhere. */
  copyTo?: (entry: BundleEntry) => Promise<FileWriter | null>;
  /** The share of the file read so far, and the archive being read (null: bundle.json). */
  onProgress?: (key: string | null, fraction: number) => void;
  /** Stops the reading at the next chunk (BUNDLE_FAILED cancelled); copies are aborted. */
  signal?: AbortSignal;
}

/** What the full pass found: the whole file's size and SHA-256, and each archive's SHA-256 by member. */
export interface BundleScan {
  bytes: number;
  sha256: string;
  actual: Map<string, string>;
}

/**
 * Reads the whole bundle once: bundle.json first and unchanged, then exactly the archives it lists,
 * each hashed (and copied where `copyTo` says). Mismatching checksums are returned, not thrown (the
 * caller decides); a structure that is not the bundle's throws BUNDLE_FAILED corrupt or truncated.
 * A copy that fails (a full disk) throws that error; writers are closed or aborted either way.
 */
export async function scanBundle(
  fs: FileSystem,
  file: string,
  head: BundleHead,
  options: ScanOptions = {},
): Promise<BundleScan> {
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch (err) {
    throw readFailure(file, err);
  }
  const byPath = new Map(head.json.entries.map((e) => [e.path, e]));
  const actual = new Map<string, string>();
  const open = new Set<FileWriter>();
  let members = 0;
  let read = 0;
  let shown = -1;
  const progress = (key: string | null, bytes: number) => {
    read += bytes;
    const percent = size > 0 ? Math.floor((100 * read) / size) : 100;
    if (percent === shown) return;
    shown = percent;
    options.onProgress?.(key, percent / 100);
  };

  const visit = async (member: TarMember): Promise<MemberSink> => {
    members++;
    if (members === 1) return headSink(file, member, head.text);
    const entry = byPath.get(member.path);
    if (!entry) throw corrupt(file, `it holds ${member.path}, which ${BUNDLE_JSON} does not list`);
    if (actual.has(member.path)) throw corrupt(file, `it holds ${member.path} twice`);
    const hash = createHash('sha256');
    // A member whose size is not bundle.json's is hashed (and found tampered), never copied.
    const writer = member.size === entry.bytes ? await options.copyTo?.(entry) : null;
    if (writer) open.add(writer);
    return {
      async data(chunk) {
        hash.update(chunk);
        progress(entry.key, chunk.length);
        if (writer) await writer.write([chunk]);
      },
      async end() {
        actual.set(member.path, hash.digest('hex'));
        if (writer) {
          open.delete(writer);
          await writer.close();
        }
      },
    };
  };

  try {
    const chunks = untilAborted(readChunks(fs, file), options.signal, () => cancelled(file, false));
    const whole = await readTar(chunks, visit);
    if (members === 0) throw corrupt(file, 'it holds nothing');
    const missing = head.json.entries.find((e) => !actual.has(e.path));
    if (missing)
      throw corrupt(file, `${BUNDLE_JSON} lists ${missing.key} ${missing.version}, which the bundle does not hold`);
    options.onProgress?.(null, 1);
    return { ...whole, actual };
  } catch (err) {
    await Promise.all([...open].map((w) => w.abort()));
    if (err instanceof TarFormatError)
      throw err.kind === 'truncated' ? truncated(file, size) : corrupt(file, err.message);
    throw err;
  }
}

/** The first member: it must be bundle.json, byte for byte what {@link readBundleHead} read. */
function headSink(file: string, member: TarMember, text: string): MemberSink {
  const expected = Buffer.from(text, 'utf8');
  if (member.path !== BUNDLE_JSON || member.size !== expected.length)
    throw corrupt(file, `its first member is not the ${BUNDLE_JSON} read before`);
  let at = 0;
  return {
    data(chunk) {
      if (!expected.subarray(at, at + chunk.length).equals(chunk))
        throw corrupt(file, `${BUNDLE_JSON} changed while the bundle was read`);
      at += chunk.length;
    },
    end() {},
  };
}

/** A file's bytes, a read failure said by `fail` (as the bundle's, as the cache's...). */
export async function* readChunks(
  fs: FileSystem,
  file: string,
  fail: (err: unknown) => unknown = (err) => readFailure(file, err),
): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of fs.readStream(file)) yield chunk;
  } catch (err) {
    throw fail(err);
  }
}

/** `chunks` until `signal` aborts: then `stop()`'s error, thrown before the next chunk is given. */
export async function* untilAborted(
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
  stop: () => unknown,
): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    if (signal?.aborted) throw stop();
    yield chunk;
  }
}
