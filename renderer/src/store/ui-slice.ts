import type { AppInfo, ProfileSettings } from '../../../shared/model';
import type { SliceDefinition } from './slice';

/** Screens of the app frame. Catalogue, Installed, Doctor and Settings come later. */
export const SCREENS = ['key'] as const;
export type ScreenId = (typeof SCREENS)[number];

export interface UiSlice {
  screen: ScreenId;
  /** Which shell and profile we run in (app.info). */
  info: AppInfo | null;
  settings: ProfileSettings | null;
  navigate: (screen: ScreenId) => void;
  receiveInfo: (info: AppInfo) => void;
  /** Applies settings read at start or pushed by the core (`settings.changed`). */
  receiveSettings: (settings: ProfileSettings) => void;
}

export const uiSlice: SliceDefinition<UiSlice> = {
  create(ctx) {
    return {
      screen: 'key',
      info: null,
      settings: null,
      navigate(screen) {
        ctx.patch({ screen });
      },
      receiveInfo(info) {
        ctx.patch({ info });
      },
      receiveSettings(settings) {
        ctx.patch({ settings });
      },
    };
  },
  connect(ctx) {
    return ctx.api.on('settings.changed', (settings) => ctx.slice().receiveSettings(settings));
  },
};
