/**
 * The install's extract step and its staging folder. A .tar.gz / .tar.bz2 is unpacked while it
 * downloads (the download's tap, unpack-while-downloading.ts); a zip, an archive reused from the
 * cache, or one whose early unpacking could not start, is unpacked from its file at this step. Either
 * way the step ends when the archive is unpacked and checked, and its errors are the same. The
 * pipeline runs it only after the download returned and the checksums, pins and space were checked,
 * and swaps nothing in before it ends; after any failure {@link ExtractStep.discard} stops the
 * unpacking and removes the staging folder.
 */
import { join } from 'node:path';
import { ArchiveError, extractArchive, extractArchiveStream, type ExtractOptions } from '../archive/extract.js';
import type { DownloadResult, DownloadTap } from '../download-types.js';
import { cancelled, fsFailure, InstallError, type InstallStep } from './errors.js';
import { errnoOf } from './install-fs.js';
import { newId, STAGING_PREFIX } from './journal.js';
import type { InstallDeps, InstallRequest } from './pipeline.js';
import { UnpackWhileDownloading } from './unpack-while-downloading.js';

export interface ExtractStepOptions {
  deps: Pick<InstallDeps, 'fs' | 'localFs' | 'bzip2' | 'extract'>;
  request: Pick<InstallRequest, 'key' | 'instance' | 'signal'>;
  /** Where staging folders go (places.ts). */
  stagingDir: string;
  /** Throws when marketplace/'s volume has no room for an archive of this many bytes. */
  roomFor: (archiveBytes: number) => Promise<void>;
  progress: (step: InstallStep, fraction: number) => void;
}

export class ExtractStep {
  private root: string | null = null;
  private readonly early: UnpackWhileDownloading | null;
  /** Archive bytes unpacked so far, of `total`; reported once the step has begun. */
  private unpacked = 0;
  private total = 0;
  private begun = false;

  constructor(private readonly o: ExtractStepOptions) {
    // An injected extraction (tests) reads the file: nothing is unpacked early then.
    if (o.deps.extract) {
      this.early = null;
      return;
    }
    // The file system's writer gets ready while the lock, the checks and the download are awaited.
    o.deps.fs.prepareNewFiles?.();
    this.early = new UnpackWhileDownloading(
      {
        prepare: (total) => this.prepare(total),
        extract: (chunks, root, signal, giveBack) =>
          extractArchiveStream(chunks, root, { ...this.options(), signal, giveBack }),
      },
      o.request.signal,
    );
  }

  /** For the download: unpacks a tar format as it arrives (absent with an injected extraction). */
  get tap(): DownloadTap | undefined {
    return this.early ?? undefined;
  }

  /** The staging folder, once made; null again once the swap has taken it. */
  get stagingRoot(): string | null {
    return this.root;
  }

  /** Ends the step: the staged plugin folder, unpacked and checked. Throws an InstallError. */
  async run(downloaded: DownloadResult): Promise<string> {
    this.begun = true;
    if (this.unpacked > 0) this.o.progress('extract', this.unpacked / this.total);
    const early = await this.early?.outcome();
    if (early) {
      if ('error' in early) throw this.failure(early.error);
      return join(early.root, this.o.request.key);
    }
    const root = this.root ?? (await this.makeStaging());
    this.total = downloaded.bytes;
    try {
      await (this.o.deps.extract ?? extractArchive)(downloaded.file, root, {
        ...this.options(),
        // The staging folder is on the instance's file system, the archive where it was downloaded.
        archiveFs: this.o.deps.localFs ?? this.o.deps.fs,
        signal: this.o.request.signal,
      });
    } catch (err) {
      throw this.failure(err);
    }
    return join(root, this.o.request.key);
  }

  /** The swap moved the staged folder into place and removed the staging folder. */
  swapped(): void {
    this.root = null;
  }

  /** After a failure: stops the unpacking and removes the staging folder. Never throws. */
  async discard(): Promise<void> {
    await this.early?.stop();
    if (this.root !== null) await this.o.deps.fs.rm(this.root).catch(() => undefined);
    this.root = null;
  }

  private options(): Omit<ExtractOptions, 'archiveFs' | 'signal'> {
    return {
      key: this.o.request.key,
      fs: this.o.deps.fs,
      ...(this.o.deps.bzip2 ? { bzip2: this.o.deps.bzip2 } : {}),
      onProgress: (bytes) => {
        this.unpacked = bytes;
        // While downloading, the download's progress is shown.
        if (this.begun) this.o.progress('extract', this.total ? bytes / this.total : 0);
      },
    };
  }

  /** Early unpacking of an archive of `total` bytes: room for it, and the staging folder. */
  private async prepare(total: number): Promise<string | null> {
    this.total = total;
    try {
      await this.o.roomFor(total);
      return await this.makeStaging();
    } catch {
      // Unpacked from the file at the step instead, where the same check fails the same way.
      return null;
    }
  }

  private async makeStaging(): Promise<string> {
    const root = join(this.o.stagingDir, `${STAGING_PREFIX}${newId()}`);
    try {
      await this.o.deps.fs.mkdir(root);
    } catch (err) {
      throw fsFailure('extract', err, 'create the staging folder', this.o.stagingDir);
    }
    this.root = root;
    return root;
  }

  private failure(err: unknown): InstallError {
    const mp = this.o.request.instance.marketplaceDir;
    if (err instanceof ArchiveError) {
      if (err.code === 'aborted') return cancelled('extract');
      const errno = errnoOf(err.cause) ?? errnoOf(err);
      if (err.code === 'io' && errno) return fsFailure('extract', err.cause ?? err, 'unpack the archive', mp);
      return new InstallError(
        'extract',
        err.code,
        err.message,
        'This archive cannot be installed safely. Report it to the plugin author; do not unpack it by hand.',
        { cause: err },
      );
    }
    return fsFailure('extract', err, 'unpack the archive', mp);
  }
}
