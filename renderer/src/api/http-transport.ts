import type { Envelope, ErrorShape } from '../../../shared/errors';
import { isEnvelope, type Transport } from './transport';

/** The subset of `EventSource` used here, so tests can pass a fake. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  removeEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  close(): void;
}

export interface HttpTransportOptions {
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
  /** Prefix of the API paths; same origin by default. */
  base?: string;
}

/**
 * The browser shell's transport: `POST /api/invoke/<channel>` answers an envelope; events arrive as
 * server-sent events on `/api/events`. Authentication is the shell's session cookie, hence
 * `credentials: 'same-origin'` and no token in the page.
 */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const openEventSource = options.createEventSource ?? ((url: string) => new EventSource(url));
  const base = options.base ?? '';

  let source: EventSourceLike | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const forwarders = new Map<string, (ev: MessageEvent<string>) => void>();

  function forwarderFor(event: string): (ev: MessageEvent<string>) => void {
    return (ev) => {
      let payload: unknown;
      try {
        payload = JSON.parse(ev.data);
      } catch {
        return; // a malformed event is dropped rather than breaking every listener
      }
      for (const cb of [...(listeners.get(event) ?? [])]) cb(payload);
    };
  }

  return {
    async invoke(channel, payload) {
      let response: Response;
      try {
        response = await doFetch(`${base}/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(payload ?? {}),
        });
      } catch {
        return failure({
          code: 'INTERNAL',
          message: 'The Marketdesk server is not reachable.',
          fix: 'Check that Marketdesk is still running (and the SSH tunnel, if you use one), then reload the page.',
        });
      }
      let body: unknown = undefined;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      if (isEnvelope(body)) return body;
      if (response.status === 401 || response.status === 403) {
        return failure({
          code: 'FORBIDDEN',
          message: `The Marketdesk server refused the request (HTTP ${response.status}).`,
          fix: 'Open the address printed by Marketdesk when it started again: it carries the access token for this run.',
        });
      }
      return failure({
        code: 'INTERNAL',
        message: response.ok
          ? `The Marketdesk server sent an unexpected answer to ${channel}.`
          : `The Marketdesk server failed (HTTP ${response.status}).`,
      });
    },

    on(event, cb) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(cb);
      source ??= openEventSource(`${base}/api/events`);
      if (!forwarders.has(event)) {
        const forward = forwarderFor(event);
        forwarders.set(event, forward);
        source.addEventListener(event, forward);
      }
      return () => {
        const current = listeners.get(event);
        if (!current?.delete(cb) || current.size > 0) return;
        listeners.delete(event);
        const forward = forwarders.get(event);
        forwarders.delete(event);
        if (source && forward) source.removeEventListener(event, forward);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}

function failure(error: ErrorShape): Envelope<unknown> {
  return { ok: false, error };
}
