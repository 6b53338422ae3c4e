import type { Envelope } from '../../shared/errors';
import { PAGE_CHANNELS, eventChannel, invokeChannel } from '../../shared/ipc/contract';
import type { AppCore } from '../core/app-core';
import { dispatch } from '../core/dispatch';
import type { Logger } from '../core/ports';
import { isTrustedSender } from './security';

/** What registerIpc needs of the invoke event: Electron's IpcMainInvokeEvent satisfies it. */
export interface InvokeEventLike {
  readonly senderFrame?: { readonly url: string } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The part of a BrowserWindow events are sent through. */
export interface WindowLike {
  isDestroyed(): boolean;
  readonly webContents: {
    isDestroyed(): boolean;
    getURL(): string;
    send(channel: string, ...args: unknown[]): void;
  };
}

export const FORBIDDEN: Envelope<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This request did not come from the Marketdesk window.' },
};

function frameUrl(event: InvokeEventLike): string | null {
  try {
    // Reading a frame that was disposed meanwhile throws in Electron; that is an untrusted sender.
    return event.senderFrame?.url ?? null;
  } catch {
    return null;
  }
}

/**
 * Binds every contract channel to `ipcMain.handle('md:<channel>')` and forwards core events to the
 * window as `md:event:<name>`. A message from a frame that is not app://marketdesk (or from a
 * frame already gone) gets FORBIDDEN and never reaches a handler; payloads are validated by
 * `dispatch`. Returns a function that undoes both.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  core: AppCore,
  logger: Logger,
  getWindow: () => WindowLike | null | undefined,
): () => void {
  // The channels that name local paths are the CLI's: the page names bundle files by reference.
  for (const channel of PAGE_CHANNELS) {
    ipcMain.handle(invokeChannel(channel), async (event, payload): Promise<Envelope<unknown>> => {
      const url = frameUrl(event);
      if (!isTrustedSender(url)) {
        logger.warn('Refused an IPC call from an untrusted frame', { channel, frame: url ?? null });
        return FORBIDDEN;
      }
      try {
        return await dispatch(core.handlers, channel, payload, logger);
      } catch (err) {
        // dispatch catches handler errors; this only guards against a failure in dispatch itself.
        logger.error(`IPC dispatch failed for ${channel}`, {
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
        return {
          ok: false,
          error: { code: 'INTERNAL', message: 'Something went wrong inside Marketdesk; the details are in the log.' },
        };
      }
    });
  }

  const off = core.events.onAny((name, payload) => {
    const win = getWindow();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    // Events go only to our page, never to whatever a window might show after a failed guard.
    if (!isTrustedSender(win.webContents.getURL())) return;
    try {
      win.webContents.send(eventChannel(name), payload);
    } catch (err) {
      logger.warn('Could not forward an event to the window', {
        event: name,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  });

  return () => {
    off();
    for (const channel of PAGE_CHANNELS) ipcMain.removeHandler(invokeChannel(channel));
  };
}
