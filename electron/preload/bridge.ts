import {
  eventChannel,
  invokeChannel,
  isEventName,
  isPageChannel,
  type Envelope,
  type MarketdeskBridge,
} from '../../shared/ipc/contract';

/** The part of ipcRenderer the bridge uses; a fake in tests. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const INTERNAL: Envelope<never> = {
  ok: false,
  error: {
    code: 'INTERNAL',
    message: 'The request could not reach the Marketdesk main process; the details are in the log.',
  },
};

/**
 * Builds the page's API from the runtime channel and event lists. Anything not in the contract
 * is refused here, before it reaches IPC; callbacks get the payload only, never the
 * IpcRendererEvent (whose `sender` is ipcRenderer itself).
 */
export function createBridge(ipc: IpcRendererLike): MarketdeskBridge {
  const invoke = async (channel: unknown, payload?: unknown): Promise<Envelope<unknown>> => {
    // The channels that name local paths are the CLI's: they are not offered to the page at all.
    if (typeof channel !== 'string' || !isPageChannel(channel)) {
      return {
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel "${String(channel).slice(0, 100)}".` },
      };
    }
    try {
      return (await ipc.invoke(invokeChannel(channel), payload ?? {})) as Envelope<unknown>;
    } catch {
      // Only a transport failure lands here (main returns envelopes); its text names internal
      // IPC channels, so the page gets a plain INTERNAL and the renderer never parses messages.
      return INTERNAL;
    }
  };

  const on = (event: unknown, callback: unknown): (() => void) => {
    if (typeof event !== 'string' || !isEventName(event))
      throw new TypeError(`Unknown event "${String(event).slice(0, 100)}".`);
    if (typeof callback !== 'function') throw new TypeError('on(event, callback) needs a function.');
    const name = eventChannel(event);
    const listener = (_event: unknown, payload?: unknown) => {
      (callback as (payload: unknown) => void)(payload);
    };
    ipc.on(name, listener);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(name, listener);
    };
  };

  return Object.freeze({ invoke, on });
}
