import type { ErrorShape } from '../../../shared/errors';
import type { Req } from '../../../shared/ipc/contract';
import type { CaFileInfo } from '../../../shared/model';
import { toErrorShape } from '../api/transport';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import type { SliceDefinition } from './slice';

/** The Settings screen's sections saved with `settings.update` (the network has its own, in the doctor slice). */
export const SETTINGS_SECTIONS = ['general', 'updates', 'console'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

/** What one section sends. */
export type SettingsPatch = Req<'settings.update'>;

/**
 * A change the shell confirms in its own dialog (CA files, services URL): `waiting` while the admin
 * answers it, `done` with whether anything changed.
 */
export type TrustOutcome =
  | { status: 'idle' }
  | { status: 'waiting' }
  | { status: 'done'; changed: boolean; action: 'add' | 'remove' | 'set' | 'reset' }
  | { status: 'error'; error: ErrorShape };

/** The field a refused value names (`details.field` of the core's INVALID_INPUT), if any. */
export function refusedField(error: ErrorShape): string | null {
  const details = error.details as { field?: unknown } | undefined;
  return typeof details?.field === 'string' ? details.field : null;
}

export interface SettingsSlice {
  /** Each section's last save: `loading`, `ready` (saved) or the core's error. */
  saves: Record<SettingsSection, AsyncState>;
  /** The extra CA files with their subjects or problems (settings.caFiles); null until read. */
  caFiles: CaFileInfo[] | null;
  caLoad: AsyncState;
  caChange: TrustOutcome;
  servicesChange: TrustOutcome;

  /** Saves one section (settings.update); resolves true when the core took every value. */
  save: (section: SettingsSection, patch: SettingsPatch) => Promise<boolean>;
  /** Forgets how the section's last save ended (it was edited again). */
  clearSave: (section: SettingsSection) => void;
  loadCaFiles: () => Promise<void>;
  /** The shell lets the admin pick the file (settings.addCaFile). */
  addCaFile: () => Promise<void>;
  /** The shell asks the admin first (settings.removeCaFile). */
  removeCaFile: (file: string) => Promise<boolean>;
  /** The shell asks the admin first (settings.servicesUrl); null: back to the default. True when changed. */
  setServicesUrl: (url: string | null) => Promise<boolean>;
  clearServicesChange: () => void;
}

const NO_SAVES: Record<SettingsSection, AsyncState> = { general: IDLE, updates: IDLE, console: IDLE };

export const settingsSlice: SliceDefinition<SettingsSlice> = {
  create(ctx) {
    const setSave = (section: SettingsSection, state: AsyncState) =>
      ctx.patch({ saves: { ...ctx.slice().saves, [section]: state } });
    let caSeq = 0;

    return {
      saves: NO_SAVES,
      caFiles: null,
      caLoad: IDLE,
      caChange: { status: 'idle' },
      servicesChange: { status: 'idle' },

      async save(section, patch) {
        if (ctx.slice().saves[section].status === 'loading') return false;
        setSave(section, LOADING);
        try {
          const settings = await ctx.api.invoke('settings.update', patch);
          ctx.get().ui.receiveSettings(settings);
          setSave(section, READY);
          return true;
        } catch (err) {
          setSave(section, failed(toErrorShape(err)));
          return false;
        }
      },

      clearSave(section) {
        if (ctx.slice().saves[section].status !== 'idle') setSave(section, IDLE);
      },

      async loadCaFiles() {
        const seq = ++caSeq;
        if (ctx.slice().caFiles === null) ctx.patch({ caLoad: LOADING });
        try {
          const caFiles = await ctx.api.invoke('settings.caFiles', {});
          if (seq === caSeq) ctx.patch({ caFiles, caLoad: READY });
        } catch (err) {
          if (seq === caSeq) ctx.patch({ caLoad: failed(toErrorShape(err)) });
        }
      },

      async addCaFile() {
        if (ctx.slice().caChange.status === 'waiting') return;
        ctx.patch({ caChange: { status: 'waiting' } });
        try {
          const { changed, files } = await ctx.api.invoke('settings.addCaFile', {});
          caSeq++;
          ctx.patch({ caFiles: files, caLoad: READY, caChange: { status: 'done', changed, action: 'add' } });
        } catch (err) {
          ctx.patch({ caChange: { status: 'error', error: toErrorShape(err) } });
        }
      },

      async removeCaFile(file) {
        if (ctx.slice().caChange.status === 'waiting') return false;
        ctx.patch({ caChange: { status: 'waiting' } });
        try {
          const { changed, files } = await ctx.api.invoke('settings.removeCaFile', { file });
          caSeq++;
          ctx.patch({ caFiles: files, caLoad: READY, caChange: { status: 'done', changed, action: 'remove' } });
          return changed;
        } catch (err) {
          ctx.patch({ caChange: { status: 'error', error: toErrorShape(err) } });
          return false;
        }
      },

      async setServicesUrl(url) {
        if (ctx.slice().servicesChange.status === 'waiting') return false;
        ctx.patch({ servicesChange: { status: 'waiting' } });
        try {
          const { changed, settings } = await ctx.api.invoke('settings.servicesUrl', { url });
          ctx.get().ui.receiveSettings(settings);
          ctx.patch({ servicesChange: { status: 'done', changed, action: url === null ? 'reset' : 'set' } });
          return changed;
        } catch (err) {
          ctx.patch({ servicesChange: { status: 'error', error: toErrorShape(err) } });
          return false;
        }
      },

      clearServicesChange() {
        const status = ctx.slice().servicesChange.status;
        if (status !== 'idle' && status !== 'waiting') ctx.patch({ servicesChange: { status: 'idle' } });
      },
    };
  },

  connect(ctx) {
    // The CA files changed other than through this slice (another window of the same core): read
    // the list again, once it has been read at all.
    return ctx.api.on('settings.changed', (settings) => {
      const shown = ctx.slice().caFiles;
      if (shown === null || ctx.slice().caChange.status === 'waiting') return;
      const files = settings.network.extraCaFiles;
      if (files.length !== shown.length || files.some((f, i) => f !== shown[i]?.file)) void ctx.slice().loadCaFiles();
    });
  },
};
