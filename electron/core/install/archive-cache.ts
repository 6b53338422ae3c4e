/**
 * The local download cache, `<dataDir>/downloads/`: each archive that was downloaded and verified
 * sits there with a small record beside it (`<archive>.json`: plugin key, version, SHA-256, size).
 * An install reuses an archive only when its record names the same plugin and version and the
 * file still has the recorded size and SHA-256; anything else is downloaded again. This is what
 * lets "Download ahead" (the upgrade planner) make the upgrade window need no network.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { detectFormat } from '../archive/archive-format';
import { downloadArchive } from '../download';
import type { ArchiveContainer, DownloadResult } from '../download-types';
import { writeFileAtomic, type Clock, type FileSystem, type HttpClient } from '../ports';

interface CacheRecord {
  format: 1;
  plugin: string;
  version: string;
  sha256: string;
  bytes: number;
  container: ArchiveContainer;
  finalUrl: string;
  savedAt: string;
}

/** Where the archive of `plugin` `version` goes, by the catalogue's archive URL's extension. */
export function cachedArchivePath(dataDir: string, plugin: string, version: string, url: string): string {
  return join(downloadsDir(dataDir), `${plugin}-${version.replace(/[^A-Za-z0-9._+-]/g, '_')}.${archiveExtension(url)}`);
}

export function downloadsDir(dataDir: string): string {
  return join(dataDir, 'downloads');
}

/** The archive's extension by its URL's path (`tar.bz2`, `zip`...), `archive` when it names none. */
export function archiveExtension(url: string): string {
  const path = (() => {
    try {
      return new URL(url).pathname.toLowerCase();
    } catch {
      return '';
    }
  })();
  for (const ext of ['tar.gz', 'tgz', 'tar.bz2', 'tbz2', 'zip']) if (path.endsWith(`.${ext}`)) return ext;
  return 'archive';
}

/**
 * The cached archive of `plugin` `version` at `file`, when its record matches and the file's bytes
 * still hash to the recorded SHA-256; null otherwise (then it must be downloaded).
 */
export async function reuseCached(
  fs: FileSystem,
  file: string,
  plugin: string,
  version: string,
): Promise<DownloadResult | null> {
  let record: CacheRecord;
  try {
    record = JSON.parse(await fs.readText(`${file}.json`)) as CacheRecord;
  } catch {
    return null;
  }
  if (record.format !== 1 || record.plugin !== plugin || record.version !== version) return null;
  try {
    if ((await fs.stat(file)).size !== record.bytes) return null;
    if ((await sha256Of(fs, file)) !== record.sha256) return null;
  } catch {
    return null;
  }
  return {
    file,
    bytes: record.bytes,
    sha256: record.sha256,
    contentType: null,
    finalUrl: record.finalUrl,
    format: record.container,
  };
}

/** Records a verified download so that a later install may reuse it. */
export async function rememberDownload(
  fs: FileSystem,
  plugin: string,
  version: string,
  result: DownloadResult,
  now: Date,
): Promise<void> {
  const record: CacheRecord = {
    format: 1,
    plugin,
    version,
    sha256: result.sha256,
    bytes: result.bytes,
    container: result.format,
    finalUrl: result.finalUrl,
    savedAt: now.toISOString(),
  };
  await writeFileAtomic(fs, `${result.file}.json`, JSON.stringify(record), { mode: 0o600 });
}

/** The container of an archive by its first bytes, as a download records it. */
export function containerOf(head: Uint8Array): ArchiveContainer {
  const format = detectFormat(head);
  return format === 'tar.gz' ? 'gzip' : format === 'tar.bz2' ? 'bzip2' : format === 'zip' ? 'zip' : 'unknown';
}

/** One archive to have, verified, in the download cache. */
export interface CacheFetch {
  key: string;
  version: string;
  /** The catalogue's archive URL. */
  url: string;
  servicesOrigin: string;
  userAgent: string;
  /** The registration key, sent to `servicesOrigin` only. */
  secret: string;
  uid: string;
  onProgress?: (fraction: number) => void;
  /** Stops the download (DownloadError `cancelled`); a partial download is not kept. */
  signal?: AbortSignal;
}

/**
 * The verified archive of `key` `version` in `<dataDir>/downloads/`: the cached one when its record
 * and bytes still match, else downloaded (verified, DownloadError on failure) and recorded.
 */
export async function fetchIntoCache(
  deps: { http: HttpClient; clock: Clock; fs: FileSystem; dataDir: string },
  request: CacheFetch,
): Promise<{ result: DownloadResult; cached: boolean }> {
  const { key, version, onProgress } = request;
  const dest = cachedArchivePath(deps.dataDir, key, version, request.url);
  const cached = await reuseCached(deps.fs, dest, key, version);
  if (cached) {
    onProgress?.(1);
    return { result: cached, cached: true };
  }
  await deps.fs.mkdir(downloadsDir(deps.dataDir));
  const result = await downloadArchive(
    { http: deps.http, clock: deps.clock, fs: deps.fs },
    {
      url: request.url,
      servicesOrigin: request.servicesOrigin,
      headers: { 'User-Agent': request.userAgent, Accept: 'application/json, */*' },
      key: request.secret,
      uid: request.uid,
      dest,
      onProgress: (received, total) => onProgress?.(total ? received / total : 0),
      ...(request.signal ? { signal: request.signal } : {}),
    },
  );
  await rememberDownload(deps.fs, key, version, result, deps.clock.now());
  onProgress?.(1);
  return { result, cached: false };
}

async function sha256Of(fs: FileSystem, file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.readStream(file)) hash.update(chunk);
  return hash.digest('hex');
}
