import type { Api } from '../api/transport';
import type { AppState } from './app-store';

/** What a slice file gets to build its state and actions. */
export interface SliceContext<S> {
  api: Api;
  now(): Date;
  /** The whole store, to read (or call) another slice. */
  get(): AppState;
  /** This slice only. */
  slice(): S;
  /** Shallow-merges into this slice only. */
  patch(partial: Partial<S>): void;
  /**
   * Follows every change of the store (another slice's data this one derives from); returns the
   * unsubscribe function. Listeners run synchronously after each change.
   */
  subscribe(listener: (state: AppState, previous: AppState) => void): () => void;
}

/** One slice = one file exporting one of these. */
export interface SliceDefinition<S> {
  create(ctx: SliceContext<S>): S;
  /** Follows the core's events; returns the unsubscribe function. */
  connect?(ctx: SliceContext<S>): () => void;
}
