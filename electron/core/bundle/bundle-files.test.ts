import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { BundleFailure } from '../../../shared/bundle';
import { AppError } from '../../../shared/errors';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { FakeClock, memoryLogger } from '../testing.testkit';
import { BundleFiles, IDLE_MS, safeName, TRANSFERS_DIR, type BundleFilesDeps } from './bundle-files';
import { filesUnder, fillingDisk, smallBundle } from './testing-bundle.testkit';

/** `bytes` in chunks of `size` (the first block split, as a network would). */
function chunked(bytes: Buffer, size = 100): AsyncIterable<Uint8Array> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

function files(deps: Partial<BundleFilesDeps> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-files-'));
  const clock = new FakeClock();
  const logger = memoryLogger();
  const f = new BundleFiles({ fs: nodeFileSystem, clock, logger, dataDir, ...deps });
  const transfers = join(dataDir, TRANSFERS_DIR);
  return { f, dataDir, clock, transfers };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

async function text(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('BundleFiles in the browser shell (temporary files)', () => {
  it('makes an export into a private temporary file, serves it once made, and deletes it when released', async () => {
    const { f, transfers } = files();
    const target = await f.chooseSave('prod-plugins.mdbundle');
    expect(target).toMatchObject({ name: 'prod-plugins.mdbundle', kind: 'temporary', bytes: null });
    expect(target?.ref).toMatch(/^[0-9a-f]{32}$/);
    const ref = target!.ref;
    const folder = join(transfers, ref);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    // Nothing to serve before the bundle is made.
    expect(await f.download(ref)).toBeNull();

    const bytes = await smallBundle(2000);
    const made = await f.run(ref, 'output', (out) => {
      expect(out).toBe(join(folder, 'prod-plugins.mdbundle'));
      writeFileSync(out, bytes);
      return Promise.resolve('made');
    });
    expect(made).toBe('made');
    const served = await f.download(ref);
    expect(served).toMatchObject({ name: 'prod-plugins.mdbundle', bytes: bytes.length });
    expect((await text(served!.body)).equals(bytes)).toBe(true);

    expect(await f.release(ref)).toBe(true);
    expect(existsSync(folder)).toBe(false);
    expect(await f.release(ref)).toBe(false);
    expect(await f.download(ref)).toBeNull();
    const gone = await failure(f.run(ref, 'output', () => Promise.resolve()));
    expect(gone.message).toBe('This bundle file is no longer available to Marketdesk.');
  });

  it('serves only a made export: never an upload, an unknown reference, or while the export runs', async () => {
    const { f } = files();
    const bytes = await smallBundle();
    const upload = await f.receive('in.mdbundle', chunked(bytes), bytes.length);
    expect(await f.download(upload.ref)).toBeNull();
    expect(await f.download('0'.repeat(32))).toBeNull();

    const { ref } = (await f.chooseSave('out.mdbundle'))!;
    let release!: () => void;
    const running = f.run(ref, 'output', async (out) => {
      writeFileSync(out, bytes);
      await new Promise<void>((r) => (release = r));
    });
    await vi.waitFor(() => expect(release).toBeDefined());
    expect(await f.download(ref)).toBeNull();
    const second = await failure(f.run(ref, 'output', () => Promise.resolve()));
    expect(second.message).toBe('A bundle is being made into out.mdbundle already.');
    release();
    await running;
    expect(await f.download(ref)).not.toBeNull();
  });

  it('a failed export leaves nothing to download', async () => {
    const { f } = files();
    const { ref } = (await f.chooseSave('out.mdbundle'))!;
    await expect(f.run(ref, 'output', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await f.download(ref)).toBeNull();
  });

  it('receives an upload streamed into a private file, for check and apply only', async () => {
    const { f, transfers } = files();
    const bytes = await smallBundle(5000);
    const file = await f.receive('glpi-plugins.mdbundle', chunked(bytes, 7), bytes.length);
    expect(file).toMatchObject({ name: 'glpi-plugins.mdbundle', kind: 'temporary', bytes: bytes.length });
    const path = join(transfers, file.ref, 'glpi-plugins.mdbundle');
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await f.run(file.ref, 'input', (p) => Promise.resolve(p))).toBe(path);
    const wrongUse = await failure(f.run(file.ref, 'output', () => Promise.resolve()));
    expect(wrongUse.message).toBe('glpi-plugins.mdbundle was chosen to be read.');
    await f.release(file.ref);
    expect(await filesUnder(transfers)).toEqual([]);
  });

  it('refuses an upload larger than the cap, announced or sent, keeping nothing', async () => {
    const { f, transfers } = files({ maxUploadBytes: 4096 });
    const bytes = await smallBundle(5000);
    const announced = await failure(f.receive('big.mdbundle', chunked(bytes), bytes.length));
    expect(announced.message).toBe('big.mdbundle is larger than 4 KiB, the most Marketdesk accepts as a bundle.');
    expect(announced.details).toEqual({ field: 'file' });
    // A client that announces less than it sends is cut off at the announced length.
    const lying = await failure(f.receive('big.mdbundle', chunked(bytes), 1024));
    expect(lying.message).toMatch(/^big\.mdbundle is larger than/);
    expect(await filesUnder(transfers)).toEqual([]);
  });

  it('states the cap in GiB', async () => {
    const { f } = files();
    const err = await failure(f.receive('huge.mdbundle', chunked(Buffer.alloc(0)), 3 * 1024 ** 3));
    expect(err.message).toBe('huge.mdbundle is larger than 2 GiB, the most Marketdesk accepts as a bundle.');
  });

  it('refuses a file that is not a bundle as soon as its first block is in, keeping nothing', async () => {
    const { f, transfers } = files();
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(4000, 1)]);
    const err = await failure(f.receive('plugins.zip', chunked(zip), zip.length));
    expect(err.code).toBe('BUNDLE_FAILED');
    expect(err.details).toMatchObject({ code: 'corrupt' } satisfies Partial<BundleFailure>);
    expect(err.message).toBe(
      'plugins.zip.mdbundle is not a readable Marketdesk bundle: it does not start with bundle.json (it is not a file made by marketdesk bundle create).',
    );
    const tiny = await failure(f.receive('x.mdbundle', chunked(Buffer.from('hello')), 5));
    expect(tiny.details).toMatchObject({ code: 'corrupt' });
    expect(await filesUnder(transfers)).toEqual([]);
  });

  it('removes an upload that stopped half way, or that filled the disk', async () => {
    const { f, transfers } = files();
    const bytes = await smallBundle(3000);
    const cut = await failure(f.receive('cut.mdbundle', chunked(bytes.subarray(0, 2048)), bytes.length));
    expect(cut.message).toBe(`The upload of cut.mdbundle stopped after 2048 of ${bytes.length} bytes.`);
    async function* broken(): AsyncIterable<Uint8Array> {
      yield bytes.subarray(0, 1024);
      await Promise.resolve();
      throw new Error('aborted');
    }
    await expect(f.receive('gone.mdbundle', broken(), bytes.length)).rejects.toThrow('aborted');
    const full = files({ fs: fillingDisk(nodeFileSystem, /bundle-transfers/, 1000) });
    const disk = await failure(full.f.receive('full.mdbundle', chunked(bytes), bytes.length));
    expect(disk.details).toMatchObject({ code: 'disk-full' });
    expect(await filesUnder(transfers)).toEqual([]);
    expect(await filesUnder(full.transfers)).toEqual([]);
  });

  it('releases what has not been used for an hour, unless it is in use; the core’s stop releases the rest', async () => {
    const { f, clock, transfers } = files();
    const bytes = await smallBundle();
    const old = await f.receive('old.mdbundle', chunked(bytes), bytes.length);
    clock.advance(IDLE_MS / 2);
    const recent = await f.receive('recent.mdbundle', chunked(bytes), bytes.length);
    let release!: () => void;
    const busy = f.run(recent.ref, 'input', () => new Promise<void>((r) => (release = r)));
    clock.advance(IDLE_MS / 2);
    await vi.waitFor(() => expect(existsSync(join(transfers, old.ref))).toBe(false));
    clock.advance(IDLE_MS);
    await Promise.resolve();
    expect(existsSync(join(transfers, recent.ref))).toBe(true);
    release();
    await busy;
    const kept = await f.chooseSave('kept.mdbundle');
    await f.releaseAll();
    expect(await filesUnder(transfers)).toEqual([]);
    expect(await f.download(kept!.ref)).toBeNull();
  });

  it('a file released while in use goes once its operation ends', async () => {
    const { f, transfers } = files();
    const bytes = await smallBundle();
    const file = await f.receive('in.mdbundle', chunked(bytes), bytes.length);
    let release!: () => void;
    const busy = f.run(file.ref, 'input', () => new Promise<void>((r) => (release = r)));
    await vi.waitFor(() => expect(release).toBeDefined());
    expect(await f.release(file.ref)).toBe(true);
    expect(existsSync(join(transfers, file.ref))).toBe(true);
    release();
    await busy;
    expect(existsSync(join(transfers, file.ref))).toBe(false);
  });

  it('sweeps what an earlier run left behind once older than an hour', async () => {
    const { f, clock, transfers } = files();
    mkdirSync(join(transfers, 'a'.repeat(32)), { recursive: true });
    mkdirSync(join(transfers, 'b'.repeat(32)), { recursive: true });
    const past = (clock.now().getTime() - 2 * IDLE_MS) / 1000;
    utimesSync(join(transfers, 'a'.repeat(32)), past, past);
    const recent = (clock.now().getTime() - 60_000) / 1000;
    utimesSync(join(transfers, 'b'.repeat(32)), recent, recent);
    await f.sweep();
    expect(await filesUnder(transfers)).toEqual(['b'.repeat(32)]);
  });

  it('has no open dialog: the page uploads instead', async () => {
    const { f } = files();
    const err = await failure(f.chooseOpen());
    expect(err.fix).toBe('Upload the bundle file with the Import dialog’s file field.');
  });
});

describe('BundleFiles in the desktop app (the main process’s dialogs)', () => {
  it('saves where the admin chose, adding the extension when left out, and never deletes a chosen file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-files-chosen-'));
    const pickSaveFile = vi.fn(() => Promise.resolve<string | null>(join(dir, 'offline')));
    const { f } = files({ pickSaveFile });
    const target = await f.chooseSave('prod-plugins.mdbundle');
    expect(pickSaveFile).toHaveBeenCalledWith({
      title: 'Save the offline bundle',
      defaultName: 'prod-plugins.mdbundle',
      filters: [{ name: 'Marketdesk bundle', extensions: ['mdbundle'] }],
    });
    expect(target).toMatchObject({ name: 'offline.mdbundle', kind: 'chosen' });
    await f.run(target!.ref, 'output', (out) => Promise.resolve(writeFileSync(out, 'made')));
    // A chosen file is the admin's: not served, not deleted.
    expect(await f.download(target!.ref)).toBeNull();
    await f.release(target!.ref);
    expect(readFileSync(join(dir, 'offline.mdbundle'), 'utf8')).toBe('made');

    // The added extension must not replace a file the dialog did not ask about.
    pickSaveFile.mockResolvedValueOnce(join(dir, 'offline'));
    const exists = await failure(f.chooseSave('prod-plugins.mdbundle'));
    expect(exists.message).toBe(`${join(dir, 'offline.mdbundle')} exists already.`);
    pickSaveFile.mockResolvedValueOnce(null);
    expect(await f.chooseSave('prod-plugins.mdbundle')).toBeNull();
  });

  it('opens the file the admin chose, with its size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-files-open-'));
    writeFileSync(join(dir, 'b.mdbundle'), 'x'.repeat(42));
    const pickFile = vi.fn(() => Promise.resolve<string | null>(join(dir, 'b.mdbundle')));
    const { f } = files({ pickFile });
    const opened = await f.chooseOpen();
    expect(opened).toMatchObject({ name: 'b.mdbundle', kind: 'chosen', bytes: 42 });
    expect(pickFile.mock.calls[0]).toEqual([
      { title: 'Open an offline bundle', filters: [{ name: 'Marketdesk bundle', extensions: ['mdbundle'] }] },
    ]);
    expect(await f.run(opened!.ref, 'input', (p) => Promise.resolve(p))).toBe(join(dir, 'b.mdbundle'));
    pickFile.mockResolvedValueOnce(join(dir, 'missing.mdbundle'));
    const missing = await failure(f.chooseOpen());
    expect(missing.details).toMatchObject({ code: 'not-found' });
  });
});

describe('safeName', () => {
  it.each([
    ['glpi-plugins.mdbundle', 'glpi-plugins.mdbundle'],
    ['glpi-plugins (1).mdbundle', 'glpi-plugins (1).mdbundle'],
    ['../../etc/passwd', 'passwd.mdbundle'],
    ['C:\\Users\\me\\b.mdbundle', 'b.mdbundle'],
    ['.hidden.mdbundle', 'hidden.mdbundle'],
    ['', 'bundle.mdbundle'],
    ['été\u0000.mdbundle', '_t_.mdbundle'],
  ])('%j → %j', (name, safe) => {
    expect(safeName(name)).toBe(safe);
  });
});
