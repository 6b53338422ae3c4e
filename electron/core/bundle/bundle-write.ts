/**
 * Writing a bundle file atomically: a temporary file next to the output, bundle.json then each
 * archive streamed from the download cache (hashed again on the way), fsync, then one rename. Any
 * failure, and a cancel, removes the temporary file: there is never a half bundle under the
 * output's name.
 */
import { basename, dirname, join } from 'node:path';
import { BUNDLE_JSON, type BundleJson } from '../../../shared/bundle';
import { AppError } from '../../../shared/errors';
import { errnoOf } from '../install/install-fs';
import { newId } from '../install/journal';
import type { FileSystem, FileWriter } from '../ports';
import { cancelled, writeFailure } from './bundle-errors';
import { readChunks, untilAborted } from './bundle-read';
import { TarWriter } from './bundle-tar';

/** Where each entry's archive is on this computer (the download cache). */
export type ArchiveFiles = ReadonlyMap<string, string>;

/**
 * Writes `json` and the archives (`files`: entry path → cached file) to `out`; returns the whole
 * file's size and SHA-256. `onBytes` sees each archive's progress.
 */
export async function writeBundle(
  fs: FileSystem,
  out: string,
  json: BundleJson,
  files: ArchiveFiles,
  signal: AbortSignal | undefined,
  onBytes: (key: string, fraction: number) => void,
): Promise<{ bytes: number; sha256: string }> {
  const dir = dirname(out);
  const tmp = join(dir, `.${basename(out)}.${newId()}.part`);
  let writer: FileWriter;
  try {
    writer = await fs.openWriter(tmp, { exclusive: true, mode: 0o644 });
  } catch (err) {
    throw writeFailure(out, err);
  }
  let closed = false;
  try {
    const tar = new TarWriter(writer, new Date(json.createdAt));
    const text = Buffer.from(JSON.stringify(json, null, 2) + '\n', 'utf8');
    await tar.member(BUNDLE_JSON, text.length, text);
    for (const entry of json.entries) {
      const file = files.get(entry.path);
      if (!file) throw new TypeError(`no file for ${entry.path}`);
      const chunks = untilAborted(cached(fs, file), signal, () => cancelled(out, true));
      const sha256 = await tar.member(entry.path, entry.bytes, chunks, (done) =>
        onBytes(entry.key, entry.bytes ? done / entry.bytes : 1),
      );
      if (sha256 !== entry.sha256)
        throw new AppError('INVALID_INPUT', `${file} changed while the bundle was being written.`, {
          fix: 'Make the bundle again (nothing was written).',
        });
    }
    if (signal?.aborted) throw cancelled(out, true);
    const sha256 = await tar.end();
    closed = true;
    await writer.close();
    await fs.rename(tmp, out);
    await fs.syncDir(dir).catch(() => undefined);
    return { bytes: tar.bytes, sha256 };
  } catch (err) {
    if (!closed) await writer.abort();
    await fs.rm(tmp).catch(() => undefined);
    throw errnoOf(err) && !(err instanceof AppError) ? writeFailure(out, err) : err;
  }
}

/** A cached archive's bytes; a read failure is the cache's, not the output's. */
function cached(fs: FileSystem, file: string): AsyncIterable<Uint8Array> {
  return readChunks(
    fs,
    file,
    (err) =>
      new AppError('INVALID_INPUT', `The archive ${file} in the download cache could not be read (${String(err)}).`, {
        fix: 'Make the bundle again: an archive the cache no longer has is downloaded again.',
      }),
  );
}
