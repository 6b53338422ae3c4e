import type { ConfirmRequest, PickFileRequest } from '../core/app-core';

export interface ConfirmBoxOptions {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: boolean;
}

export interface PickFileOptions {
  title: string;
  filters: { name: string; extensions: string[] }[];
  properties: ['openFile'];
}

/** Electron's `dialog.showMessageBox` / `showOpenDialog`, bound to the window when there is one. */
export interface DialogLike {
  showMessageBox(options: ConfirmBoxOptions): Promise<{ response: number }>;
  showOpenDialog(options: PickFileOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
}

/**
 * The core's `confirm` and `pickFile` ports as main-process dialogs: the page can neither draw nor
 * answer them, so a compromised page cannot redirect the key or add a trusted root by itself.
 * Cancel is the default button (Enter and Esc decline).
 */
export function createAdminDialogs(dialog: DialogLike) {
  return {
    async confirm(request: ConfirmRequest): Promise<boolean> {
      const { response } = await dialog.showMessageBox({
        type: 'warning',
        title: 'Marketdesk',
        message: request.title,
        detail: request.detail,
        buttons: ['Cancel', request.confirmLabel ?? 'Continue'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      });
      return response === 1;
    },
    async pickFile(request: PickFileRequest): Promise<string | null> {
      const result = await dialog.showOpenDialog({
        title: request.title,
        filters: request.filters,
        properties: ['openFile'],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
