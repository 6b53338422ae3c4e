/**
 * The Export and Import dialogs' channels through the real dispatch: bundles made and read by
 * reference, in the browser shell's way (temporary files, downloaded and uploaded) and the desktop
 * app's (the main process's dialogs), against the stand-in, the offline side seeing no network.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type {
  BundleCreateReport,
  BundleFailure,
  BundleFileRef,
  BundleImportResult,
  BundleInspectReport,
  BundlePreview,
} from '../../../shared/bundle';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { standinPerTest } from '../../cli/cli-harness.testkit';
import { PinStore } from '../install/pins';
import { TRANSFERS_DIR } from './bundle-files';
import {
  BUNDLE_MANIFEST,
  connectedCore,
  filesUnder,
  flipByte,
  offlineCore,
  sentinelPerFile,
  sha256File,
} from './testing-bundle.testkit';

const stand = standinPerTest();
const network = sentinelPerFile();

const MANIFEST = BUNDLE_MANIFEST;
const connected = (ports: Parameters<typeof connectedCore>[1] = {}) => connectedCore(stand().url, ports);
const offline = (ports: Parameters<typeof offlineCore>[2] = {}) => offlineCore(network().url, 'offline', ports);

/** A bundle of MANIFEST made for GLPI 10.0.18 into a temporary file of the browser shell's kind. */
async function exported(desk: Awaited<ReturnType<typeof connected>>, name = 'b.mdbundle') {
  const target = await desk.value<BundleFileRef>('bundles.chooseSave', { name });
  const report = await desk.value<BundleCreateReport>('bundles.export', {
    ref: target.ref,
    manifest: MANIFEST,
    glpiVersion: '10.0.18',
  });
  return { target, report };
}

async function bytesOf(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** `bytes` as an upload's body: chunks of 64 KiB. */
function once(bytes: Buffer): AsyncIterable<Uint8Array> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536));
  return Readable.from(chunks);
}

describe('the dialogs’ channels, as the browser shell runs them', () => {
  it('previews, exports into a temporary file to download, then checks and applies an upload with no network', async () => {
    const desk = await connected();
    const preview = await desk.value<BundlePreview>('bundles.preview', {
      manifest: MANIFEST,
      manifestName: 'plugins.json',
      glpiVersion: '10.0.18',
    });
    expect(preview).toMatchObject({
      glpiVersion: '10.0.18',
      source: { kind: 'manifest', name: 'plugins.json' },
      entitlement: { offer: 'standard' },
      problems: [],
    });
    expect(preview.entries.map((e) => [e.key, e.version, e.tier?.reference ?? null])).toEqual([
      ['fields', '1.21.23', null],
      ['metabase', '4.10.2', 'standard'],
    ]);
    // Nothing was downloaded for a preview.
    expect(await filesUnder(join(desk.dataDir, 'downloads'))).toEqual([]);

    const target = await desk.value<BundleFileRef>('bundles.chooseSave', { name: 'prod-plugins.mdbundle' });
    expect(target).toMatchObject({ name: 'prod-plugins.mdbundle', kind: 'temporary', bytes: null });
    const report = await desk.value<BundleCreateReport>('bundles.export', {
      ref: target.ref,
      manifest: MANIFEST,
      glpiVersion: '10.0.18',
    });
    expect(report.entries.map((e) => e.key)).toEqual(['fields', 'metabase']);
    expect(report.file).toBe(join(desk.dataDir, TRANSFERS_DIR, target.ref, 'prod-plugins.mdbundle'));
    expect(report.sha256).toBe(sha256File(report.file));
    const served = await desk.c.bundleFiles.download(target.ref);
    expect(served).toMatchObject({ name: 'prod-plugins.mdbundle', bytes: report.bytes });
    const bytes = await bytesOf(served!.body);
    expect(bytes.equals(readFileSync(report.file))).toBe(true);
    expect(await desk.value('bundles.release', { ref: target.ref })).toEqual({ released: true });
    expect(existsSync(report.file)).toBe(false);

    const site = await offline();
    const upload = await site.c.bundleFiles.receive('prod-plugins.mdbundle', once(bytes), bytes.length);
    const checked = await site.value<BundleInspectReport>('bundles.check', { ref: upload.ref, sha256: report.sha256 });
    expect(checked).toMatchObject({ verified: true, sha256Matches: true });
    const plan = await site.value<BundleImportResult>('bundles.apply', { ref: upload.ref, plan: true });
    expect(plan.items.map((i) => [i.key, i.action, i.state])).toEqual([
      ['fields', 'update', 'planned'],
      ['metabase', 'update', 'planned'],
    ]);
    const applied = await site.value<BundleImportResult>('bundles.apply', { ref: upload.ref, sha256: report.sha256 });
    expect(applied.failed).toBeNull();
    expect(applied.items.map((i) => i.state)).toEqual(['done', 'done']);
    const again = await site.value<BundleImportResult>('bundles.apply', { ref: upload.ref });
    expect(again.items.map((i) => i.state)).toEqual(['unchanged', 'unchanged']);
    await site.value('bundles.release', { ref: upload.ref });
    expect(await filesUnder(join(site.dataDir, TRANSFERS_DIR))).toEqual([]);
    expect(site.http.sent).toEqual([]);
    expect(network().connections()).toBe(0);
  });

  it('a tampered upload is refused by check and apply, installing nothing', async () => {
    const { report } = await exported(await connected());
    await flipByte(report.file, 'archives/fields-1.21.23.tar.bz2');
    const bytes = readFileSync(report.file);
    const site = await offline();
    const upload = await site.c.bundleFiles.receive('b.mdbundle', once(bytes), bytes.length);
    const checked = await site.value<BundleInspectReport>('bundles.check', { ref: upload.ref, sha256: report.sha256 });
    expect(checked).toMatchObject({ verified: false, sha256Matches: false });
    expect(checked.entries.map((e) => e.state)).toEqual(['tampered', 'ok']);
    const r = await site.call('bundles.apply', { ref: upload.ref });
    expect(r.ok).toBe(false);
    expect(!r.ok && (r.error.details as BundleFailure)).toMatchObject({ code: 'tampered', key: 'fields' });
    expect(readFileSync(join(site.mp, 'fields', 'setup.php'), 'utf8')).toContain('1.21.0');
  });

  it('names a pinned version with other bytes, with both checksums, and applies once they are confirmed', async () => {
    const { report } = await exported(await connected());
    const site = await offline();
    const pinned = 'a'.repeat(64);
    await new PinStore(nodeFileSystem, site.dataDir).record({
      key: 'metabase',
      version: '4.10.2',
      sha256: pinned,
      source: 'test',
      at: new Date(),
    });
    const bytes = readFileSync(report.file);
    const upload = await site.c.bundleFiles.receive('b.mdbundle', once(bytes), bytes.length);
    const plan = await site.value<BundleImportResult>('bundles.apply', { ref: upload.ref, plan: true });
    const received = report.entries[1]!.sha256;
    expect(plan.items[1]).toMatchObject({ key: 'metabase', action: 'error', checksumChanged: { pinned, received } });
    expect(plan.items[0]?.checksumChanged).toBeUndefined();
    const applied = await site.value<BundleImportResult>('bundles.apply', {
      ref: upload.ref,
      acceptNewChecksum: received,
    });
    expect(applied.items.map((i) => i.state)).toEqual(['done', 'done']);
    expect(applied.items[1]?.checksumChange).toEqual({ from: pinned, to: received });
  });

  it('lists what cannot be bundled instead of failing the preview; refuses a reference used the wrong way', async () => {
    const desk = await connected();
    const preview = await desk.value<BundlePreview>('bundles.preview', {
      manifest: JSON.stringify({ format: 1, plugins: [{ key: 'nosuchplugin', version: '*' }] }),
    });
    expect(preview.entries).toEqual([]);
    expect(preview.problems).toHaveLength(1);
    expect(preview.problems[0]).toMatch(/^nosuchplugin: /);

    const target = await desk.value<BundleFileRef>('bundles.chooseSave', { name: 'b.mdbundle' });
    const r = await desk.call('bundles.check', { ref: target.ref });
    expect(!r.ok && r.error).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'b.mdbundle was chosen to save a bundle into.',
    });
    const open = await desk.call('bundles.chooseOpen', {});
    expect(!open.ok && open.error.code).toBe('INVALID_INPUT');
    const path = await desk.call('bundles.export', { ref: '/etc/passwd', manifest: MANIFEST });
    expect(!path.ok && path.error.code).toBe('INVALID_INPUT');
  });
});

describe('the dialogs’ channels, as the desktop app runs them', () => {
  it('exports where the save dialog says and imports what the open dialog chose; nothing is deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-dialogs-'));
    const file = join(dir, 'chosen.mdbundle');
    const desk = await connected({ pickSaveFile: () => Promise.resolve(file), pickFile: () => Promise.resolve(null) });
    const target = await desk.value<BundleFileRef>('bundles.chooseSave', { name: 'prod-plugins.mdbundle' });
    expect(target).toMatchObject({ name: 'chosen.mdbundle', kind: 'chosen' });
    const report = await desk.value<BundleCreateReport>('bundles.export', {
      ref: target.ref,
      manifest: MANIFEST,
      glpiVersion: '10.0.18',
    });
    expect(report.file).toBe(file);
    expect(await desk.c.bundleFiles.download(target.ref)).toBeNull();
    await desk.value('bundles.release', { ref: target.ref });
    expect(existsSync(file)).toBe(true);

    const site = await offline({ pickFile: () => Promise.resolve(file) });
    const opened = await site.value<BundleFileRef>('bundles.chooseOpen', {});
    expect(opened).toMatchObject({ name: 'chosen.mdbundle', kind: 'chosen', bytes: report.bytes });
    const applied = await site.value<BundleImportResult>('bundles.apply', { ref: opened.ref, sha256: report.sha256 });
    expect(applied.items.map((i) => i.state)).toEqual(['done', 'done']);
    await site.value('bundles.release', { ref: opened.ref });
    expect(existsSync(file)).toBe(true);
  });
});
