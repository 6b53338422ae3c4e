/** The download's request: the address, the headers per hop (the key only to GLPI Network), the answer's checks. */
import { basename } from 'node:path';
import { clip, failure, statusError, tooLarge, type FailureContext } from './download-errors';
import type { TransferControl } from './download-transfer';
import { DOWNLOAD_DEFAULTS, DownloadError, type DownloadRequest } from './download-types';
import { isAcceptableServicesUrl, sendFollowingRedirects, type Hop } from './http';
import type { HttpClient, HttpResponse } from './ports';

const KEY_HEADER = 'X-Registration-Key';
const UID_HEADER = 'X-Glpi-Network-Uid';
const OWN_HEADERS = /^(x-registration-key|x-glpi-network-uid|accept-encoding)$/i;

export interface Target {
  url: URL;
  /** The archive's file name, as messages call it. */
  name: string;
  /** The only origin that receives the key and the uid; null when the setting is unusable. */
  servicesOrigin: string | null;
}

/** The download address, checked: http(s) only. */
export function parseTarget(request: DownloadRequest): Target {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new DownloadError(
      'network',
      `The download address of this plugin is not a usable http(s) address (${clip(request.url, 120)}).`,
      'The catalogue entry is broken. Sync the catalogue again; if it persists, report it to the plugin author.',
      { networkCause: 'bad-response' },
    );
  const name = basename(decodeURIComponentSafe(url.pathname)) || url.host;
  const servicesOrigin = isAcceptableServicesUrl(request.servicesOrigin)
    ? new URL(request.servicesOrigin).origin
    : null;
  return { url, name, servicesOrigin };
}

/** Where the request stands: the host of the current hop, for messages. */
export interface RequestState {
  hopHost: string;
}

/**
 * Sends the request, following redirects by hand (headers decided per hop), within
 * `connectTimeoutMs + stallMs` for the headers. Throws a DownloadError.
 */
export async function requestArchive(
  http: HttpClient,
  request: DownloadRequest,
  target: Target,
  control: TransferControl,
  ctx: FailureContext,
  state: RequestState,
): Promise<Hop> {
  const headersFor = (hop: URL): Record<string, string> => {
    state.hopHost = hop.host;
    return hopHeaders(request, target, hop);
  };
  control.arm(ctx.connectTimeoutMs + ctx.stallMs);
  const sending = sendFollowingRedirects(http, target.url.href, headersFor, {
    connectTimeoutMs: ctx.connectTimeoutMs,
    timeoutMs: DOWNLOAD_DEFAULTS.totalTimeoutMs,
    signal: control.signal,
  });
  // If we stop waiting (stall, cancel) the response may still come: release it then.
  sending.then(
    (hop) => {
      if (control.why()) void hop.response.cancel().catch(() => undefined);
    },
    () => undefined,
  );
  try {
    return await control.orAbort(sending);
  } catch (err) {
    throw failure(ctx, err, 'headers', state.hopHost);
  } finally {
    control.disarm();
  }
}

function hopHeaders(request: DownloadRequest, target: Target, hop: URL): Record<string, string> {
  const { url, name, servicesOrigin } = target;
  if (hop.protocol === 'http:' && url.protocol === 'https:' && !isLoopback(hop.hostname))
    throw new DownloadError(
      'http-status',
      `${url.host} redirected the download of ${name} from HTTPS to plain HTTP (${hop.host}); Marketdesk refuses to fetch an archive unprotected.`,
      'Report it to the plugin author or GLPI Network; meanwhile, download the archive manually from a trusted HTTPS address.',
    );
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (!OWN_HEADERS.test(k)) h[k] = v;
  if (!Object.keys(h).some((k) => k.toLowerCase() === 'accept')) h.Accept = '*/*';
  // Raw bytes: a transparently decoded .tar.gz would no longer match its size or hash.
  h['Accept-Encoding'] = 'identity';
  // GLPI sends the key to any host the catalogue points at (GitHub included); we do not.
  if (servicesOrigin !== null && hop.origin === servicesOrigin) {
    h[KEY_HEADER] = request.key;
    h[UID_HEADER] = request.uid;
  }
  return h;
}

/** Status 200, raw bytes, an announced size within the cap. Returns Content-Length and Content-Type. */
export async function checkResponse(
  response: HttpResponse,
  finalUrl: URL,
  target: Target,
  maxBytes: number,
): Promise<{ total: number | null; contentType: string | null }> {
  const { name } = target;
  const host = finalUrl.host;
  if (response.status !== 200) throw await statusError(response, finalUrl, target.servicesOrigin, name);
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw new DownloadError(
      'encoding',
      `${host} sent ${name} with Content-Encoding "${clip(encoding, 40)}" although Marketdesk asked for the raw file; its size and checksum could not be trusted.`,
      'A proxy or the server is recompressing downloads. Ask for the proxy to leave this address alone (no compression or content rewriting), or download the archive manually.',
    );
  const total = parseLength(response.headers['content-length']);
  if (total !== null && total > maxBytes) throw tooLarge(name, host, maxBytes, total, true);
  return { total, contentType: response.headers['content-type'] ?? null };
}

function parseLength(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : null;
}

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
