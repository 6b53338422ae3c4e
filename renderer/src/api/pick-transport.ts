import { createElectronTransport } from './electron-transport';
import { createHttpTransport } from './http-transport';
import type { Transport } from './transport';

/** The desktop app's preload exposes `window.marketdesk`; without it we are in the browser shell. */
export function pickTransport(win: Window = window): Transport {
  return win.marketdesk ? createElectronTransport(win.marketdesk) : createHttpTransport();
}
