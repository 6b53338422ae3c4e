/**
 * The local download cache, `<dataDir>/downloads/`: each archive that was downloaded and verified
 * sits there with a small record beside it (`<archive>.json`: plugin key, version, SHA-256, size).
 * An install reuses an archive only when its record names the same plugin and version and the
 * file still has the recorded size and SHA-256; anything else is downloaded again. This is what
 * lets "Download ahead" (the upgrade planner) make the upgrade window need no network.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ArchiveContainer, DownloadResult } from '../download-types';
import { writeFileAtomic, type FileSystem } from '../ports';

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
  return join(downloadsDir(dataDir), `${plugin}-${version.replace(/[^A-Za-z0-9._+-]/g, '_')}.${archiveExt(url)}`);
}

export function downloadsDir(dataDir: string): string {
  return join(dataDir, 'downloads');
}

function archiveExt(url: string): string {
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

async function sha256Of(fs: FileSystem, file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.readStream(file)) hash.update(chunk);
  return hash.digest('hex');
}
