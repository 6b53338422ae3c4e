import type { ErrorShape } from '../../../shared/errors';

/** The state of one asynchronous read, as every slice exposes it. */
export type AsyncState =
  { status: 'idle' } | { status: 'loading' } | { status: 'ready' } | { status: 'error'; error: ErrorShape };

export const IDLE: AsyncState = { status: 'idle' };
export const LOADING: AsyncState = { status: 'loading' };
export const READY: AsyncState = { status: 'ready' };

export function failed(error: ErrorShape): AsyncState {
  return { status: 'error', error };
}
