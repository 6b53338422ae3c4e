import { AppError, isErrorCode, type Envelope, type ErrorShape } from '../../../shared/errors';
import type { Channel, EventName, Events, Req, Res } from '../../../shared/ipc/contract';

/** How the renderer reaches the core: the Electron bridge, HTTP + SSE, or in memory in tests. */
export interface Transport {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  /** Returns the unsubscribe function. */
  on(event: string, cb: (payload: unknown) => void): () => void;
}

/** The typed client the store uses. Components never call it directly. */
export interface Api {
  /** Resolves with the value, or throws an `AppError` rebuilt from the envelope's error. */
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>>;
  on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void;
}

export function createApi(transport: Transport): Api {
  return {
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
