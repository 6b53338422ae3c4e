/**
 * Issue 15: a .tar.gz / .tar.bz2 is unpacked into the staging folder while it downloads, and only
 * a whole, verified archive is swapped in. A local server sends half of the body, then waits
 * (bounded) until the staging folder holds files before it sends the rest, cuts the connection, or
 * lets the test cancel: what the install did meanwhile is what these tests check, never how fast.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildArchive } from '../../../e2e/standin/archive-writers';
import type { ArchiveFormat } from '../../../e2e/standin/catalog-types';
import type { ArchiveEntry } from '../../../e2e/standin/plugin-files';
import { releaseEntries } from '../../../e2e/standin/source-tree';
import { nativeBunzip2 } from '../../adapters/native-bunzip2';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { UndiciHttpClient } from '../../adapters/undici-http-client';
import { downloadArchive } from '../download';
import { systemClock } from '../ports';
import { downloadsDir } from './archive-cache';
import { InstallError } from './errors';
import { installPlugin, type InstallRequest } from './pipeline';
import {
  fakeGlpi,
  localInstallDeps,
  setupPhp,
  treeHash,
  workAreaLeftovers,
  writePlugin,
  type FakeGlpi,
} from './testing-install.testkit';

const KEY = 'fields';
/** About 4 MB unpacked in ~200 files: several bzip2 blocks, many gzip'd files in each half. */
const SHAPE = { textFiles: 200, textBytes: 3_000_000, binaryFiles: 10, binaryBytes: 1_000_000 };
/** Upper bound of every wait for the staging folder (the test fails, it never hangs). */
const WAIT_MS = 15_000;
const http = new UndiciHttpClient();

let g: FakeGlpi;
const closers: (() => Promise<void>)[] = [];
beforeEach(async () => {
  g = await fakeGlpi();
  await writePlugin(join(g.marketplaceDir, KEY), KEY, '1.0.0');
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await g.cleanup();
});

/** A release of `fields` declaring `version`, with `extra` entries after its files. */
function release(version: string, extra: ArchiveEntry[] = []): ArchiveEntry[] {
  const entries = releaseEntries(KEY, SHAPE).map((e) =>
    e.path === `${KEY}/setup.php` ? { ...e, data: Buffer.from(setupPhp(KEY, version)) } : e,
  );
  return [...entries, ...extra];
}

/** Every file under the staging folders of this instance (both places staging may be in). */
async function stagedFiles(): Promise<string[]> {
  const found: string[] = [];
  for (const area of [join(g.marketplaceDir, '.marketdesk'), join(g.varDir, '_marketdesk')]) {
    const names = await fsp.readdir(area).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith('staging-'))) {
      const entries = await fsp.readdir(join(area, name), { recursive: true, withFileTypes: true }).catch(() => []);
      found.push(...entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)));
    }
  }
  return found;
}

/** Polls until `check` holds, at most `ms`; whether it held. */
async function waitFor(check: () => Promise<boolean>, ms = WAIT_MS): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20)))
    if (await check()) return true;
  return false;
}

type Then = 'rest' | 'close' | 'destroy';

/**
 * Serves `body` (Content-Length: all of it) in two halves: the first at once, then, once
 * the staging folder holds files (at most `waitMs`) and `between` has run, the rest (`rest`), or it
 * ends the connection early (`close`) or drops it (`destroy`). `seen.filesBeforeEnd` says whether
 * the staging folder held files before the rest.
 */
async function serveInHalves(
  body: Buffer,
  then: Then,
  between: () => Promise<void> = () => Promise.resolve(),
  waitMs = WAIT_MS,
) {
  const seen = { filesBeforeEnd: false, requests: 0 };
  const half = Math.floor(body.length / 2);
  const finish = (res: ServerResponse): void => {
    if (then === 'rest') res.end(body.subarray(half));
    else if (then === 'close') res.socket?.end();
    else res.socket?.destroy();
  };
  const server = createServer((_req, res) => {
    seen.requests++;
    res.writeHead(200, { 'Content-Length': String(body.length) });
    res.write(body.subarray(0, half));
    void (async () => {
      seen.filesBeforeEnd = await waitFor(async () => (await stagedFiles()).length > 0, waitMs);
      await between();
      if (!res.destroyed) finish(res);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: (format: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/${KEY}.${format}`,
    seen,
  };
}

function request(url: string, version: string, extra: Partial<InstallRequest> = {}): InstallRequest {
  return {
    instance: g.instance,
    key: KEY,
    version,
    source: { url, servicesOrigin: 'https://services.glpi-network.com', headers: {}, key: 'k', uid: 'u' },
    allowed: true,
    ...extra,
  };
}

function install(req: InstallRequest) {
  const download = (r: Parameters<typeof downloadArchive>[1]) =>
    downloadArchive({ http, clock: systemClock, fs: nodeFileSystem }, r);
  return installPlugin(localInstallDeps(g, download, { bzip2: nativeBunzip2 }), req);
}

async function failure(promise: Promise<unknown>): Promise<InstallError> {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InstallError);
  return err as InstallError;
}

/** marketplace/ as it was, the old version in place, no staging, journal or lock left. */
async function expectUntouched(before: string): Promise<void> {
  expect(await treeHash(g.marketplaceDir, ['.marketdesk'])).toBe(before);
  expect(await fsp.readFile(join(g.marketplaceDir, KEY, 'setup.php'), 'utf8')).toContain("'1.0.0'");
  expect(await workAreaLeftovers(g.marketplaceDir, join(g.varDir, '_marketdesk'))).toEqual([]);
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('unpacking while downloading', () => {
  it.each(['tar.gz', 'tar.bz2'] as const)(
    '%s: files are staged before the download ends, and the whole archive is installed',
    async (format) => {
      const entries = release('2.0.0');
      const body = await buildArchive(format, entries);
      const server = await serveInHalves(body, 'rest');
      const report = await install(request(server.url(format), '2.0.0'));
      expect(server.seen.filesBeforeEnd).toBe(true);
      expect(report).toMatchObject({ from: '1.0.0', to: '2.0.0', sha256: sha256(body) });
      const differ: string[] = [];
      for (const e of entries.filter((x) => x.type === 'file'))
        if (!(await fsp.readFile(join(g.marketplaceDir, e.path))).equals(e.data)) differ.push(e.path);
      expect(differ).toEqual([]);
      expect(await workAreaLeftovers(g.marketplaceDir, join(g.varDir, '_marketdesk'))).toEqual([]);
    },
    60_000,
  );

  it('zip: unpacked from its file once downloaded (its directory is at its end)', async () => {
    const body = await buildArchive('zip', release('2.0.0'));
    // Nothing can be staged before the end: the server stops waiting after a second.
    const server = await serveInHalves(body, 'rest', undefined, 1000);
    await expect(install(request(server.url('zip'), '2.0.0'))).resolves.toMatchObject({ to: '2.0.0' });
    expect(server.seen.filesBeforeEnd).toBe(false);
  }, 60_000);

  it('a streamed archive whose SHA-256 is not the manifest one is never swapped in; the staging is removed', async () => {
    const body = await buildArchive('tar.gz', release('2.0.0'));
    const server = await serveInHalves(body, 'rest');
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const err = await failure(install(request(server.url('tar.gz'), '2.0.0', { expectedSha256: 'ab'.repeat(32) })));
    expect([err.step, err.code]).toEqual(['download', 'checksum-mismatch']);
    expect(server.seen.filesBeforeEnd).toBe(true);
    await expectUntouched(before);
  }, 60_000);

  it('republished bytes for a pinned version: refused with the pin error, as before unpacking did not exist', async () => {
    const first = await buildArchive('tar.gz', release('2.0.0'));
    await install(request((await serveInHalves(first, 'rest')).url('tar.gz'), '2.0.0'));
    const installed = await treeHash(g.marketplaceDir, ['.marketdesk']);
    // Same version, other bytes; not the cached copy.
    await fsp.rm(downloadsDir(g.dataDir), { recursive: true });
    const extra = [{ ...release('2.0.0')[1]!, path: `${KEY}/inc/added.php`, data: Buffer.from('<?php // new') }];
    const other = await buildArchive('tar.gz', release('2.0.0', extra));
    const server = await serveInHalves(other, 'rest');
    const err = await failure(install(request(server.url('tar.gz'), '2.0.0')));
    expect([err.step, err.code]).toEqual(['download', 'checksum-changed']);
    expect(server.seen.filesBeforeEnd).toBe(true);
    expect(await treeHash(g.marketplaceDir, ['.marketdesk'])).toBe(installed);
    expect(await workAreaLeftovers(g.marketplaceDir, join(g.varDir, '_marketdesk'))).toEqual([]);
  }, 60_000);

  it.each([
    ['ended early', 'close'],
    ['dropped', 'destroy'],
  ] as const)(
    'a connection %s mid-body: the download fails (truncated), nothing staged is left',
    async (_, then) => {
      const body = await buildArchive('tar.gz', release('2.0.0'));
      const server = await serveInHalves(body, then);
      const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
      const err = await failure(install(request(server.url('tar.gz'), '2.0.0')));
      expect([err.step, err.code]).toEqual(['download', 'truncated']);
      expect(server.seen.filesBeforeEnd).toBe(true);
      await expectUntouched(before);
    },
    60_000,
  );

  it('a cut archive served whole (its Content-Length matches): the extract step refuses it, as from the file', async () => {
    const whole = await buildArchive('tar.gz', release('2.0.0'));
    const server = await serveInHalves(whole.subarray(0, Math.floor(whole.length * 0.8)), 'rest');
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const err = await failure(install(request(server.url('tar.gz'), '2.0.0')));
    expect([err.step, err.code]).toEqual(['extract', 'truncated']);
    await expectUntouched(before);
  }, 60_000);

  it('a hostile entry late in the archive: the extract error, unless the checksum already refuses it', async () => {
    const outside = { ...release('2.0.0')[1]!, path: `${KEY}/../../escaped.php`, data: Buffer.from('<?php') };
    const body = await buildArchive('tar.gz', release('2.0.0', [outside]));
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const hostile = await serveInHalves(body, 'rest');
    const refused = await failure(install(request(hostile.url('tar.gz'), '2.0.0')));
    expect([refused.step, refused.code]).toEqual(['extract', 'path-traversal']);
    await expectUntouched(before);

    const mismatch = await serveInHalves(body, 'rest');
    const err = await failure(install(request(mismatch.url('tar.gz'), '2.0.0', { expectedSha256: 'cd'.repeat(32) })));
    expect([err.step, err.code]).toEqual(['download', 'checksum-mismatch']);
    await expectUntouched(before);
  }, 60_000);

  it('cancelled while files are being staged: cancelled, nothing left', async () => {
    const body = await buildArchive('tar.gz', release('2.0.0'));
    const ac = new AbortController();
    const server = await serveInHalves(body, 'rest', () => Promise.resolve(ac.abort()));
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const err = await failure(install(request(server.url('tar.gz'), '2.0.0', { signal: ac.signal })));
    expect(err.code).toBe('cancelled');
    expect(server.seen.filesBeforeEnd).toBe(true);
    await expectUntouched(before);
  }, 60_000);
});

describe.each(['tar.gz', 'tar.bz2', 'zip'] as ArchiveFormat[])('%s: progress', (format) => {
  it('the download is reported until it ends, then the extract step (never the two mixed)', async () => {
    const body = await buildArchive(format, release('2.0.0'));
    const server = await serveInHalves(body, 'rest', undefined, 0);
    const steps: string[] = [];
    await install(request(server.url(format), '2.0.0', { onProgress: (step) => void steps.push(step) }));
    expect([...new Set(steps)]).toEqual(['lock', 'preflight', 'download', 'extract', 'validate', 'swap', 'backup']);
    expect(steps.lastIndexOf('download')).toBeLessThan(steps.indexOf('extract'));
  }, 60_000);
});
