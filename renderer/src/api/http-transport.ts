import type { Envelope, ErrorShape } from '../../../shared/errors';
import { isEnvelope, type Transport } from './transport';

/** The subset of `EventSource` used here, so tests can pass a fake. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  removeEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  close(): void;
}

/** The subset of `XMLHttpRequest` an upload uses (fetch reports no upload progress), so tests can pass a fake. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((ev: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export interface HttpTransportOptions {
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
  createXhr?: () => XhrLike;
  /** Prefix of the API paths; same origin by default. */
  base?: string;
}

/** The browser shell's bundle file routes (electron/browser/browser-shell.ts). */
const BUNDLE_FILES = '/api/bundle-files';

/**
 * Uploads `file` as raw bytes (the browser streams it from disk; it is never read into the page),
 * with its progress; answers the server's envelope, or a failure saying why there was none.
 */
function upload(base: string, createXhr: () => XhrLike, file: File, onProgress: (fraction: number) => void) {
  return new Promise<Envelope<unknown>>((resolve) => {
    const xhr = createXhr();
    xhr.open('POST', `${base}${BUNDLE_FILES}?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && ev.total > 0) onProgress(ev.loaded / ev.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (isEnvelope(body)) resolve(body);
      else resolve(statusFailure(xhr.status, 'the upload'));
    };
    xhr.onerror = () => resolve(unreachable());
    xhr.onabort = () => resolve(unreachable());
    xhr.send(file);
  });
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
  const createXhr = options.createXhr ?? (() => new XMLHttpRequest() as XhrLike);

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
        return unreachable();
      }
      let body: unknown = undefined;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      if (isEnvelope(body)) return body;
      return statusFailure(response.status, channel);
    },

    files: {
      upload: (file, onProgress) => upload(base, createXhr, file, onProgress),
      downloadUrl: (ref) => `${base}${BUNDLE_FILES}/${encodeURIComponent(ref)}`,
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

function unreachable(): Envelope<unknown> {
  return failure({
    code: 'INTERNAL',
    message: 'The Marketdesk server is not reachable.',
    fix: 'Check that Marketdesk is still running (and the SSH tunnel, if you use one), then reload the page.',
  });
}

/** An answer that was no envelope: refused (the token), or a failure of the server. */
function statusFailure(status: number, what: string): Envelope<unknown> {
  if (status === 401 || status === 403)
    return failure({
      code: 'FORBIDDEN',
      message: `The Marketdesk server refused the request (HTTP ${status}).`,
      fix: 'Open the address printed by Marketdesk when it started again: it carries the access token for this run.',
    });
  return failure({
    code: 'INTERNAL',
    message:
      status >= 200 && status < 300
        ? `The Marketdesk server sent an unexpected answer to ${what}.`
        : `The Marketdesk server failed (HTTP ${status}).`,
  });
}
