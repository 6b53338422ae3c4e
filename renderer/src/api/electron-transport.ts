import type { MarketdeskBridge } from '../../../shared/ipc/contract';
import { isEnvelope, type Transport } from './transport';

// The bridge's type is the IPC contract's (shared/ipc/contract.ts), the one the preload implements.
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
