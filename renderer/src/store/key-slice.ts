import type { ErrorShape } from '../../../shared/errors';
import { normalizeKey } from '../../../shared/key-format';
import type { KeyStatus, KeyStorage } from '../../../shared/model';
import { toErrorShape } from '../api/transport';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import { parseKeyResult, type KeyResult } from './key-result';
import type { SliceDefinition } from './slice';
import type { StartReads } from './start-reads';

export interface SaveOptions {
  /** Store the key even though GLPI Network did not confirm it. */
  force?: boolean;
  storage?: KeyStorage;
}

export interface KeySaveError {
  /** As it crossed the contract, `details` included. */
  error: ErrorShape;
  /** The options of the attempt that failed, so a retry only changes what the user chose. */
  options: SaveOptions;
  /** The validation result carried by KEY_INVALID / KEY_UNVERIFIED / KEYCHAIN_UNAVAILABLE, if any. */
  result: KeyResult | null;
}

export type KeyAction = 'save' | 'sync' | 'forget';

export interface KeySlice {
  status: KeyStatus | null;
  load: AsyncState;
  /** The user action in flight, if any. */
  pending: KeyAction | null;
  saveError: KeySaveError | null;
  /** The last failed Sync or Forget. */
  actionError: ErrorShape | null;
  /** Reads app.info, key.status and settings.get (or takes over those the entry started). */
  hydrate: (started?: Pick<StartReads, 'info' | 'keyStatus' | 'settings'>) => Promise<void>;
  /**
   * Checks the format, then hands the key to the core. The key is not kept anywhere in the store;
   * resolves true when it was stored (the caller then clears its field).
   */
  save: (key: string, options?: SaveOptions) => Promise<boolean>;
  sync: () => Promise<void>;
  forget: () => Promise<boolean>;
  clearSaveError: () => void;
  /** Applies a status pushed by the core (`key.changed`). */
  receive: (status: KeyStatus) => void;
}

export const keySlice: SliceDefinition<KeySlice> = {
  create(ctx) {
    return {
      status: null,
      load: IDLE,
      pending: null,
      saveError: null,
      actionError: null,

      async hydrate(started) {
        const statusBefore = ctx.slice().status;
        const settingsBefore = ctx.get().ui.settings;
        ctx.patch({ load: LOADING });
        const [info, status, settings] = await Promise.allSettled([
          started?.info ?? ctx.api.invoke('app.info', {}),
          started?.keyStatus ?? ctx.api.invoke('key.status', {}),
          started?.settings ?? ctx.api.invoke('settings.get', {}),
        ]);
        if (info.status === 'fulfilled') ctx.get().ui.receiveInfo(info.value);
        // An event that arrived meanwhile is newer than what the read returned.
        if (settings.status === 'fulfilled' && ctx.get().ui.settings === settingsBefore) {
          ctx.get().ui.receiveSettings(settings.value);
        }
        if (status.status === 'fulfilled' && ctx.slice().status === statusBefore) ctx.patch({ status: status.value });
        const rejected = [status, info, settings].find((r) => r.status === 'rejected');
        ctx.patch({ load: rejected ? failed(toErrorShape(rejected.reason)) : READY });
      },

      async save(raw, options = {}) {
        if (ctx.slice().pending) return false;
        const check = normalizeKey(raw);
        if (!check.ok) {
          ctx.patch({
            saveError: {
              error: { code: 'KEY_MALFORMED', message: check.message, fix: check.fix },
              options,
              result: null,
            },
          });
          return false;
        }
        ctx.patch({ pending: 'save', saveError: null, actionError: null });
        try {
          const status = await ctx.api.invoke('key.set', {
            key: check.key,
            ...(options.force ? { force: true } : {}),
            ...(options.storage ? { storage: options.storage } : {}),
          });
          ctx.patch({ status, pending: null });
          return true;
        } catch (err) {
          const error = toErrorShape(err);
          ctx.patch({ pending: null, saveError: { error, options, result: parseKeyResult(error.details) } });
          return false;
        }
      },

      async sync() {
        if (ctx.slice().pending) return;
        ctx.patch({ pending: 'sync', actionError: null, saveError: null });
        try {
          const status = await ctx.api.invoke('key.sync', {});
          ctx.patch({ status, pending: null });
        } catch (err) {
          ctx.patch({ pending: null, actionError: toErrorShape(err) });
        }
      },

      async forget() {
        if (ctx.slice().pending) return false;
        ctx.patch({ pending: 'forget', actionError: null, saveError: null });
        try {
          const status = await ctx.api.invoke('key.forget', {});
          ctx.patch({ status, pending: null });
          return true;
        } catch (err) {
          ctx.patch({ pending: null, actionError: toErrorShape(err) });
          return false;
        }
      },

      clearSaveError() {
        if (ctx.slice().saveError) ctx.patch({ saveError: null });
      },

      receive(status) {
        ctx.patch({ status });
      },
    };
  },

  connect(ctx) {
    return ctx.api.on('key.changed', (status) => ctx.slice().receive(status));
  },
};
