import { dispatch, type Handlers } from '../../../electron/core/dispatch';
import type { EventHub } from '../../../electron/core/event-hub';
import type { Logger } from '../../../electron/core/ports';
import { isEventName } from '../../../shared/ipc/contract';
import type { FileTransfer, Transport } from '../api/transport';

export interface InvokeRecord {
  channel: string;
  payload: unknown;
}

export interface InMemoryTransport extends Transport {
  /** Every invoke, in order, as it crossed (after structured cloning). */
  readonly calls: InvokeRecord[];
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A Transport over the real `dispatch` (payload validation, envelopes, INTERNAL wrapping) and an
 * `EventHub`, as the Electron and browser shells wire them. Values are structured-cloned both ways so
 * a test cannot pass by sharing objects with the core.
 */
export function createInMemoryTransport(
  handlers: Handlers,
  hub: EventHub,
  logger: Logger = silentLogger,
  files?: FileTransfer,
): InMemoryTransport {
  const calls: InvokeRecord[] = [];
  return {
    calls,
    ...(files ? { files } : {}),
    async invoke(channel, payload) {
      const crossed = structuredClone(payload);
      calls.push({ channel, payload: crossed });
      return structuredClone(await dispatch(handlers, channel, crossed, logger));
    },
    on(event, cb) {
      if (!isEventName(event)) return () => undefined;
      return hub.on(event, (payload) => cb(structuredClone(payload)));
    },
  };
}
