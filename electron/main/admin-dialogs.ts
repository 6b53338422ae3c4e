import type { ConfirmRequest, PickFileRequest, SaveFileRequest } from '../core/app-core';

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

export interface SaveFileOptions {
  title: string;
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
  properties: ['showOverwriteConfirmation', 'createDirectory'];
}

/** Electron's `dialog.showMessageBox` / `showOpenDialog` / `showSaveDialog`, bound to the window when there is one. */
export interface DialogLike {
  showMessageBox(options: ConfirmBoxOptions): Promise<{ response: number }>;
  showOpenDialog(options: PickFileOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: SaveFileOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

/**
 * The core's `confirm`, `pickFile` and `pickSaveFile` ports as main-process dialogs: the page can
 * neither draw nor answer them, so a compromised page cannot redirect the key, add a trusted root,
 * or name a file to read or write by itself. Cancel is the default button (Enter and Esc decline).
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
    /** Electron asks before replacing a file; the name offered starts in the folder it last showed. */
    async pickSaveFile(request: SaveFileRequest): Promise<string | null> {
      const result = await dialog.showSaveDialog({
        title: request.title,
        defaultPath: request.defaultName,
        filters: request.filters,
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      });
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
