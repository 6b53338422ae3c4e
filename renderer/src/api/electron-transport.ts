import type { Envelope } from '../../../shared/errors';
import { isEnvelope, type Transport } from './transport';

/** What the preload exposes on `window.marketdesk` (contextBridge), and nothing more. */
export interface MarketdeskBridge {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  on(event: string, cb: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    marketdesk?: MarketdeskBridge;
  }
}

export function createElectronTransport(bridge: MarketdeskBridge): Transport {
  return {
    async invoke(channel, payload) {
      try {
        const envelope: unknown = await bridge.invoke(channel, payload);
        if (isEnvelope(envelope)) return envelope;
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `The desktop app sent an unexpected answer to ${channel}.` },
        };
      } catch (err) {
        // ipcRenderer.invoke rejects only when the main process has no handler or crashed in it.
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `The desktop app did not answer ${channel}: ${err instanceof Error ? err.message : String(err)}`,
          },
        };
      }
    },
    on(event, cb) {
      return bridge.on(event, cb);
    },
  };
}
