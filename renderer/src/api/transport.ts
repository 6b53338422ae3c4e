import { AppError, isErrorCode, type Envelope, type ErrorShape } from '../../../shared/errors';
import type { BundleFileRef } from '../../../shared/bundle';
import type { Channel, EventName, Events, Req, Res } from '../../../shared/ipc/contract';

/**
 * How bundle files cross between the page and the browser shell's server (its `/api/bundle-files`
 * routes). The desktop app has none: its main process shows its own save and open dialogs.
 */
export interface FileTransfer {
  /** Sends a file the admin chose, streamed; answers the envelope of its `BundleFileRef`. */
  upload(file: File, onProgress: (fraction: number) => void): Promise<Envelope<unknown>>;
  /** Where the page downloads a bundle an export made into the temporary file `ref`. */
  downloadUrl(ref: string): string;
}

/** How the renderer reaches the core: the Electron bridge, HTTP + SSE, or in memory in tests. */
export interface Transport {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  /** Returns the unsubscribe function. */
  on(event: string, cb: (payload: unknown) => void): () => void;
  /** The browser shell's file routes; absent in the desktop app. */
  files?: FileTransfer;
}

/** The typed client the store uses. Components never call it directly. */
export interface Api {
  /** Resolves with the value, or throws an `AppError` rebuilt from the envelope's error. */
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>>;
  on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void;
  /** Uploads and downloads of bundle files (the browser shell); null where the shell shows its own dialogs. */
  files: ApiFiles | null;
}

export interface ApiFiles {
  /** Resolves with the uploaded file's reference, or throws an `AppError`. */
  upload(file: File, onProgress: (fraction: number) => void): Promise<BundleFileRef>;
  downloadUrl(ref: string): string;
}

export function createApi(transport: Transport): Api {
  const files = transport.files;
  return {
    files: files
      ? {
          async upload(file, onProgress) {
            const envelope = await files.upload(file, onProgress);
            if (envelope.ok && isFileRef(envelope.value)) return envelope.value;
            if (!envelope.ok) throw AppError.fromShape(envelope.error);
            throw new AppError('INTERNAL', 'The answer to the upload was not understood.');
          },
          downloadUrl: (ref) => files.downloadUrl(ref),
        }
      : null,
    async invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
      let envelope: Envelope<unknown>;
      try {
        envelope = await transport.invoke(channel, req);
      } catch (err) {
        // A transport is supposed to turn failures into envelopes; one that throws is a bug.
        throw new AppError('INTERNAL', err instanceof Error ? err.message : String(err));
      }
      if (isEnvelope(envelope)) {
        if (envelope.ok) return envelope.value as Res<C>;
        throw AppError.fromShape(envelope.error);
      }
      throw new AppError('INTERNAL', `The answer to ${channel} was not understood.`);
    },
    on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void {
      return transport.on(event, (payload) => cb(payload as Events[E]));
    },
  };
}

function isFileRef(value: unknown): value is BundleFileRef {
  const v = value as Partial<BundleFileRef> | null;
  return typeof v?.ref === 'string' && typeof v.name === 'string';
}

/** Narrows anything that crossed a process or network boundary to an `Envelope`. */
export function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.ok === true) return 'value' in v;
  if (v.ok === false) return isErrorShape(v.error);
  return false;
}

export function isErrorShape(value: unknown): value is ErrorShape {
  if (!value || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return isErrorCode(e.code) && typeof e.message === 'string' && (e.fix === undefined || typeof e.fix === 'string');
}

/** Turns anything thrown by an `Api` call into the shape the store keeps. */
export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof AppError) return err.toShape();
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
