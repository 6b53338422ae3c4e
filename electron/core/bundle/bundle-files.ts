/**
 * The bundle files of the app's Export and Import dialogs, which the page names by reference and
 * never by path (docs/development.md "Bundles in the app"):
 * - in the desktop app, a file the admin chose in the main process's own save or open dialog;
 * - in the browser shell, a private temporary file under `<dataDir>/bundle-transfers/<ref>/`: a
 *   bundle made there that the page then downloads, or a bundle the page uploaded.
 * A reference lives until the page releases it, or an hour without use; a temporary file goes with
 * it (and with the core's stop; a crash's leftovers go at the next start). A chosen file is never
 * deleted.
 */
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { BUNDLE_EXTENSION, BUNDLE_UPLOAD_MAX_BYTES, type BundleFileRef } from '../../../shared/bundle';
import { AppError } from '../../../shared/errors';
import type { PickFileRequest, SaveFileRequest } from '../app-core';
import { errnoOf } from '../install/install-fs';
import type { Clock, FileSystem, FileWriter, Logger } from '../ports';
import { corrupt, readFailure, writeFailure } from './bundle-errors';
import { bundleJsonHeader, NOT_A_BUNDLE } from './bundle-read';

/** Under the data folder: one private folder per temporary file, named by its reference. */
export const TRANSFERS_DIR = 'bundle-transfers';
/** A reference unused this long is released. */
export const IDLE_MS = 60 * 60 * 1000;

const FILTERS = [{ name: 'Marketdesk bundle', extensions: [BUNDLE_EXTENSION.slice(1)] }];
const HEADER_BYTES = 512;

export interface BundleFilesDeps {
  fs: FileSystem;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  /** The desktop app's open dialog; absent: bundles to import are uploaded. */
  pickFile?: (request: PickFileRequest) => Promise<string | null>;
  /** The desktop app's save dialog; absent: bundles are made into temporary files and downloaded. */
  pickSaveFile?: (request: SaveFileRequest) => Promise<string | null>;
  /** Default {@link BUNDLE_UPLOAD_MAX_BYTES}. */
  maxUploadBytes?: number;
  /** Default {@link IDLE_MS}. */
  idleMs?: number;
}

/** A file the browser shell serves: a bundle made into a temporary file. */
export interface BundleDownload {
  name: string;
  bytes: number;
  body: AsyncIterable<Uint8Array>;
}

interface Held {
  file: BundleFileRef;
  path: string;
  /** `output`: a bundle to make (`bundles.export`); `input`: one to read (`bundles.check`, `bundles.apply`). */
  use: 'output' | 'input';
  /** The private folder of a temporary file, deleted with it. */
  folder: string | null;
  /** An output whose bundle has been made: the browser shell may serve it. */
  made: boolean;
  usedAt: number;
  /** Operations and downloads running on it: it is not released by age meanwhile. */
  busy: number;
  /** An export runs into it: no other, and no download. */
  making: boolean;
  /** Released while busy: its temporary file goes when the last operation ends. */
  released: boolean;
}

export class BundleFiles {
  private readonly held = new Map<string, Held>();
  private readonly maxUploadBytes: number;
  private readonly idleMs: number;
  private cancelTimer: (() => void) | null = null;
  private releasing: Promise<void> | null = null;

  constructor(private readonly d: BundleFilesDeps) {
    this.maxUploadBytes = d.maxUploadBytes ?? BUNDLE_UPLOAD_MAX_BYTES;
    this.idleMs = d.idleMs ?? IDLE_MS;
  }

  /**
   * Where the next export goes: the admin's choice in the save dialog (null when cancelled), or a
   * temporary file named `name` to download.
   */
  async chooseSave(name: string): Promise<BundleFileRef | null> {
    await this.expire();
    if (!this.d.pickSaveFile) {
      const { ref, folder } = await this.newFolder();
      return this.hold(ref, { path: join(folder, name), use: 'output', folder, kind: 'temporary', bytes: null });
    }
    const picked = await this.d.pickSaveFile({ title: 'Save the offline bundle', defaultName: name, filters: FILTERS });
    if (picked === null) return null;
    const path = await this.withExtension(picked);
    return this.hold(newRef(), { path, use: 'output', folder: null, kind: 'chosen', bytes: null });
  }

  /** A bundle to import, chosen in the open dialog (null when cancelled). */
  async chooseOpen(): Promise<BundleFileRef | null> {
    await this.expire();
    if (!this.d.pickFile)
      throw new AppError('INVALID_INPUT', 'This Marketdesk has no open dialog of its own.', {
        fix: 'Upload the bundle file with the Import dialog’s file field.',
      });
    const picked = await this.d.pickFile({ title: 'Open an offline bundle', filters: FILTERS });
    if (picked === null) return null;
    const stat = await this.d.fs.stat(picked).catch((err: unknown) => {
      throw readFailure(picked, err);
    });
    return this.hold(newRef(), { path: picked, use: 'input', folder: null, kind: 'chosen', bytes: stat.size });
  }

  /**
   * Runs `fn` on the path of `ref`, which must be an `output` (export) or an `input` (check, apply).
   * An output is used by one export at a time; once one succeeds, a temporary one can be downloaded.
   */
  async run<T>(ref: string, use: Held['use'], fn: (path: string) => Promise<T>): Promise<T> {
    await this.expire();
    const held = this.find(ref);
    if (held.use !== use)
      throw new AppError(
        'INVALID_INPUT',
        `${held.file.name} was chosen ${held.use === 'output' ? 'to save a bundle into' : 'to be read'}.`,
        {
          fix: 'Choose the file again from the dialog.',
          details: { field: 'ref' },
        },
      );
    if (held.making)
      throw new AppError('INVALID_INPUT', `A bundle is being made into ${held.file.name} already.`, {
        fix: 'Wait for it to end.',
        details: { field: 'ref' },
      });
    held.busy++;
    held.making = use === 'output';
    try {
      const value = await fn(held.path);
      if (use === 'output') {
        held.made = true;
        held.file = { ...held.file, bytes: (await this.d.fs.stat(held.path)).size };
      }
      return value;
    } finally {
      held.making = false;
      await this.idle(held);
    }
  }

  /**
   * Receives an uploaded bundle of `length` bytes into a private temporary file, streamed (never
   * held in memory): refused when larger than the cap or when it does not open as a bundle, and
   * removed on any failure (the upload stopped, a full disk).
   */
  async receive(name: string, body: AsyncIterable<Uint8Array>, length: number): Promise<BundleFileRef> {
    await this.expire();
    const fileName = safeName(name);
    if (length > this.maxUploadBytes) throw this.tooLarge(fileName);
    const { ref, folder } = await this.newFolder();
    const path = join(folder, fileName);
    let writer: FileWriter | null = null;
    try {
      writer = await this.d.fs.openWriter(path, { exclusive: true, mode: 0o600 }).catch((err: unknown) => {
        throw writeFailure(path, err);
      });
      const bytes = await this.copy(fileName, body, length, writer);
      const w = writer;
      writer = null;
      await w.close().catch((err: unknown) => {
        throw writeFailure(path, err);
      });
      return this.hold(ref, { path, use: 'input', folder, kind: 'temporary', bytes });
    } catch (err) {
      await writer?.abort();
      await this.d.fs.rm(folder).catch(() => undefined);
      throw err;
    }
  }

  /** Streams `body` into `writer`, checking bundle.json's header first and the size all along. */
  private async copy(
    name: string,
    body: AsyncIterable<Uint8Array>,
    length: number,
    writer: FileWriter,
  ): Promise<number> {
    let received = 0;
    let head: Uint8Array[] | null = [];
    for await (const chunk of body) {
      received += chunk.byteLength;
      if (received > length || received > this.maxUploadBytes) throw this.tooLarge(name);
      if (head === null) {
        await this.write(writer, name, [chunk]);
        continue;
      }
      head.push(chunk);
      if (received < HEADER_BYTES) continue;
      if (!bundleJsonHeader(Buffer.concat(head))) throw corrupt(name, NOT_A_BUNDLE);
      await this.write(writer, name, head);
      head = null;
    }
    if (received !== length)
      throw new AppError('INVALID_INPUT', `The upload of ${name} stopped after ${received} of ${length} bytes.`, {
        fix: 'Choose the file again.',
      });
    if (head !== null) throw corrupt(name, NOT_A_BUNDLE);
    return received;
  }

  private async write(writer: FileWriter, name: string, chunks: Uint8Array[]): Promise<void> {
    await writer.write(chunks).catch((err: unknown) => {
      throw errnoOf(err) ? writeFailure(name, err) : err;
    });
  }

  /**
   * A bundle made into a temporary file, for the browser shell to serve; null for anything else (an
   * unknown reference, a file not made yet, an upload, a file the admin chose).
   */
  async download(ref: string): Promise<BundleDownload | null> {
    await this.expire();
    const held = this.held.get(ref);
    if (!held || held.use !== 'output' || held.folder === null || !held.made || held.making) return null;
    const stat = await this.d.fs.stat(held.path).catch(() => null);
    if (!stat?.isFile()) return null;
    held.busy++;
    return { name: held.file.name, bytes: stat.size, body: this.served(held) };
  }

  private async *served(held: Held): AsyncIterable<Uint8Array> {
    try {
      yield* this.d.fs.readStream(held.path);
    } finally {
      await this.idle(held);
    }
  }

  /** One operation on `held` ended: a temporary file released meanwhile goes with the last one. */
  private async idle(held: Held): Promise<void> {
    held.busy--;
    held.usedAt = this.now();
    if (held.released && held.busy === 0 && held.folder) await this.remove(held.folder);
  }

  /**
   * Forgets `ref`; its temporary file is deleted (once what runs on it ends). False when it was not
   * known.
   */
  async release(ref: string): Promise<boolean> {
    const held = this.held.get(ref);
    if (!held) return false;
    this.held.delete(ref);
    held.released = true;
    if (held.folder && held.busy === 0) await this.remove(held.folder);
    if (this.held.size === 0) this.stopTimer();
    return true;
  }

  /** Releases every reference (the core stops); a second call meanwhile waits for the same deletions. */
  releaseAll(): Promise<void> {
    this.releasing ??= Promise.all([...this.held.keys()].map((ref) => this.release(ref))).then(() => {
      this.releasing = null;
    });
    return this.releasing;
  }

  /** Removes what an earlier run left in the transfers folder (a crash) once older than the idle time. */
  async sweep(): Promise<void> {
    const dir = join(this.d.dataDir, TRANSFERS_DIR);
    const entries = await this.d.fs.readdir(dir).catch(() => []);
    for (const entry of entries) {
      if (this.held.has(entry.name)) continue;
      const path = join(dir, entry.name);
      const stat = await this.d.fs.lstat(path).catch(() => null);
      if (stat && this.now() - stat.mtimeMs > this.idleMs) await this.remove(path);
    }
  }

  private find(ref: string): Held {
    const held = this.held.get(ref);
    if (!held)
      throw new AppError('INVALID_INPUT', 'This bundle file is no longer available to Marketdesk.', {
        fix: 'Choose the file again: a file chosen or uploaded is forgotten when its dialog closes, or after an hour without use.',
        details: { field: 'ref' },
      });
    return held;
  }

  private hold(
    ref: string,
    h: Pick<Held, 'path' | 'use' | 'folder'> & Pick<BundleFileRef, 'kind' | 'bytes'>,
  ): BundleFileRef {
    const file: BundleFileRef = { ref, name: basename(h.path), kind: h.kind, bytes: h.bytes };
    const { path, use, folder } = h;
    const state = { made: false, usedAt: this.now(), busy: 0, making: false, released: false };
    this.held.set(ref, { file, path, use, folder, ...state });
    this.startTimer();
    return file;
  }

  /** A new private folder under the transfers folder, named by a new reference. */
  private async newFolder(): Promise<{ ref: string; folder: string }> {
    const ref = newRef();
    const folder = join(this.d.dataDir, TRANSFERS_DIR, ref);
    try {
      await this.d.fs.mkdir(join(this.d.dataDir, TRANSFERS_DIR), { mode: 0o700 });
      await this.d.fs.mkdir(folder, { mode: 0o700 });
    } catch (err) {
      throw writeFailure(folder, err);
    }
    return { ref, folder };
  }

  /**
   * The save dialog's path with the bundle extension: added when the admin left it out (GTK does not
   * add it), unless a file has that name already (the dialog did not ask to replace that one).
   */
  private async withExtension(path: string): Promise<string> {
    if (path.endsWith(BUNDLE_EXTENSION)) return path;
    const named = `${path}${BUNDLE_EXTENSION}`;
    const exists = await this.d.fs.lstat(named).then(
      () => true,
      () => false,
    );
    if (exists)
      throw new AppError('INVALID_INPUT', `${named} exists already.`, {
        fix: `Choose again, and name the file with the ${BUNDLE_EXTENSION} extension.`,
      });
    return named;
  }

  private tooLarge(name: string): AppError {
    return new AppError(
      'INVALID_INPUT',
      `${name} is larger than ${size(this.maxUploadBytes)}, the most Marketdesk accepts as a bundle.`,
      {
        fix: 'Choose the bundle file made by Marketdesk (marketdesk bundle create, or the Export dialog).',
        details: { field: 'file' },
      },
    );
  }

  /** Releases the references unused for the idle time, unless an operation runs on them. */
  private async expire(): Promise<void> {
    const now = this.now();
    for (const [ref, held] of [...this.held])
      if (held.busy === 0 && now - held.usedAt >= this.idleMs) await this.release(ref);
  }

  private startTimer(): void {
    if (this.cancelTimer) return;
    this.cancelTimer = this.d.clock.setTimeout(() => {
      this.cancelTimer = null;
      void this.expire()
        .catch((err: unknown) => this.d.logger.warn('Could not release idle bundle files', { error: String(err) }))
        .then(() => {
          if (this.held.size > 0) this.startTimer();
        });
    }, this.idleMs);
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private async remove(path: string): Promise<void> {
    await this.d.fs
      .rm(path)
      .catch((err: unknown) =>
        this.d.logger.warn('Could not remove a temporary bundle file', { path, error: String(err) }),
      );
  }

  private now(): number {
    return this.d.clock.now().getTime();
  }
}

/** A size in the largest binary unit it fills: 2 GiB, 64 KiB, 100 bytes. */
function size(bytes: number): string {
  const units = ['GiB', 'MiB', 'KiB'] as const;
  for (const [i, unit] of units.entries()) {
    const one = 1024 ** (units.length - i);
    if (bytes >= one) return `${+(bytes / one).toFixed(1)} ${unit}`;
  }
  return `${bytes} bytes`;
}

function newRef(): string {
  return randomBytes(16).toString('hex');
}

/** An uploaded file's name as a file name of ours: safe characters, the bundle extension, never hidden. */
export function safeName(name: string): string {
  const base = name
    .replace(/^.*[/\\]/, '')
    .replace(/[^A-Za-z0-9 ._()+-]+/g, '_')
    .replace(/^[.\s]+/, '');
  const stem = base.endsWith(BUNDLE_EXTENSION) ? base.slice(0, -BUNDLE_EXTENSION.length) : base;
  return `${stem.slice(0, 120) || 'bundle'}${BUNDLE_EXTENSION}`;
}
