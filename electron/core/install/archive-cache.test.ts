import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../adapters/node-file-system.js';
import type { DownloadRequest } from '../download.js';
import { cachedArchivePath, reuseCached } from './archive-cache.js';
import { installPlugin, type InstallDeps, type InstallRequest } from './pipeline.js';
import { fakeGlpi, localDownload, localInstallDeps, pluginArchive, type FakeGlpi } from './testing-install.testkit.js';

let g: FakeGlpi;
const URL = 'https://example.test/fields-1.22.0.tar.gz';
const archives = { [URL]: pluginArchive('fields', '1.22.0') };
beforeEach(async () => {
  g = await fakeGlpi();
});
afterEach(() => g.cleanup());

/** A download that counts its calls. */
function countingDownload() {
  const calls: DownloadRequest[] = [];
  const inner = localDownload(archives);
  return {
    calls,
    download: (request: DownloadRequest) => {
      calls.push(request);
      return inner(request);
    },
  };
}

const deps = (download: InstallDeps['download']): InstallDeps => localInstallDeps(g, download);
const req = (): InstallRequest => ({
  instance: g.instance,
  key: 'fields',
  version: '1.22.0',
  source: { url: URL, servicesOrigin: 'https://services.glpi-network.com', headers: {}, key: 'k', uid: 'u' },
  allowed: true,
});

describe('the download cache', () => {
  it('an install reuses the verified archive of the same plugin and version (no second download)', async () => {
    const counting = countingDownload();
    const first = await installPlugin(deps(counting.download), req());
    expect(counting.calls).toHaveLength(1);
    const file = cachedArchivePath(g.dataDir, 'fields', '1.22.0', URL);
    expect(JSON.parse(await fsp.readFile(`${file}.json`, 'utf8'))).toMatchObject({
      plugin: 'fields',
      version: '1.22.0',
      sha256: first.sha256,
    });
    await fsp.rm(join(g.marketplaceDir, 'fields'), { recursive: true });
    const second = await installPlugin(deps(counting.download), req());
    expect(counting.calls).toHaveLength(1);
    expect(second.sha256).toBe(first.sha256);
    expect(await fsp.readFile(join(g.marketplaceDir, 'fields', 'setup.php'), 'utf8')).toContain('1.22.0');
  });

  it('downloads again when the cached file no longer has its recorded SHA-256', async () => {
    const counting = countingDownload();
    await installPlugin(deps(counting.download), req());
    const file = cachedArchivePath(g.dataDir, 'fields', '1.22.0', URL);
    const bytes = await fsp.readFile(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff; // same size, other content
    await fsp.writeFile(file, bytes);
    expect(await reuseCached(nodeFileSystem, file, 'fields', '1.22.0')).toBeNull();
    await installPlugin(deps(counting.download), req());
    expect(counting.calls).toHaveLength(2);
  });

  it('never reuses an archive recorded for another plugin or version, or without a record', async () => {
    const counting = countingDownload();
    await installPlugin(deps(counting.download), req());
    const file = cachedArchivePath(g.dataDir, 'fields', '1.22.0', URL);
    expect(await reuseCached(nodeFileSystem, file, 'fields', '1.22.1')).toBeNull();
    expect(await reuseCached(nodeFileSystem, file, 'other', '1.22.0')).toBeNull();
    await fsp.rm(`${file}.json`);
    expect(await reuseCached(nodeFileSystem, file, 'fields', '1.22.0')).toBeNull();
  });
});
