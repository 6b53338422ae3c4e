/** The download's failures in plain words: what went wrong, and what the admin can do. */
import { dirname } from 'node:path';
import type { NetworkCause } from '../../shared/model';
import { fixFor } from './glpi-network-client';
import { TooManyRedirectsError } from './http';
import { TransportError, type HttpResponse } from './ports';
import { DownloadError } from './download-types';

const DISK_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOENT', 'EISDIR', 'EIO']);

/** Why the download's own controller aborted. */
export type AbortWhy = 'cancelled' | 'stalled';

/** What {@link failure} needs to word an error. */
export interface FailureContext {
  /** The archive's file name, as the messages call it. */
  name: string;
  url: URL;
  /** The `.part` file being written. */
  part: string;
  connectTimeoutMs: number;
  stallMs: number;
  /** Why the transfer was aborted, if it was. */
  why(): AbortWhy | null;
}

/** Any error met while downloading, as a DownloadError (a cancel or a stall wins over what it caused). */
export function failure(
  ctx: FailureContext,
  err: unknown,
  phase: 'headers' | 'body' | 'disk',
  host: string,
): DownloadError {
  const { name, url } = ctx;
  const why = ctx.why();
  if (why === 'cancelled') return cancelled(name);
  if (why === 'stalled')
    return new DownloadError(
      'network',
      phase === 'headers'
        ? `No answer from ${host} within ${seconds(ctx.connectTimeoutMs + ctx.stallMs)} while asking for ${name}.`
        : `The download of ${name} from ${host} stalled: no data for ${seconds(ctx.stallMs)}.`,
      fixFor('timeout', `http://${host}`).replace('try Sync again', 'try the download again'),
      { networkCause: 'timeout' },
    );
  if (err instanceof DownloadError) return err;
  if (phase === 'disk' || isDiskError(err)) return diskError(err, ctx.part);
  if (err instanceof TooManyRedirectsError)
    return new DownloadError(
      'http-status',
      `${url.host} redirected too many times, or to an unusable address, for ${name}.`,
      fixFor('http', url.origin).replace('Try Sync again', 'Try the download again'),
    );
  if (err instanceof TransportError) {
    if (phase === 'body' && err.failure === 'reset')
      return new DownloadError(
        'truncated',
        `The connection to ${host} was cut before the end of ${name}.`,
        `${fixFor('reset', `http://${host}`)} Then try the download again.`,
        { errno: err.code },
      );
    return networkError(err, host);
  }
  return new DownloadError(
    'network',
    `Unexpected failure downloading ${name} from ${host}: ${err instanceof Error ? err.message : String(err)}`,
    fixFor('bad-response', url.origin),
    { networkCause: 'bad-response' },
  );
}

export async function statusError(
  response: HttpResponse,
  finalUrl: URL,
  servicesOrigin: string | null,
  name: string,
): Promise<DownloadError> {
  const status = response.status;
  const host = finalUrl.host;
  const fromServices = servicesOrigin !== null && finalUrl.origin === servicesOrigin;
  // A small error body may explain (GLPI Network's 403 names the offers); never more than 16 KiB.
  const body = status === 403 && fromServices ? await readSmall(response, 16_384) : '';
  void response.cancel().catch(() => undefined);
  if (status === 403 && fromServices) {
    const parsed = parseJsonObject(body);
    const serverSays = typeof parsed?.error === 'string' ? ` GLPI Network says: ${clip(parsed.error, 300)}` : '';
    const offers = Array.isArray(parsed?.required_offers)
      ? parsed.required_offers.filter((o): o is string => typeof o === 'string')
      : undefined;
    return new DownloadError(
      'entitlement',
      `GLPI Network refused the archive ${name} (HTTP 403): this registration key's subscription does not include this plugin, or is not running.${serverSays}`,
      offers && offers.length > 0
        ? `This plugin needs one of these GLPI Network offers: ${offers.join(', ')}. Upgrade or renew the subscription, then try again. This is not a network problem.`
        : 'Check on GLPI Network that the subscription is running and that its offer includes this plugin; upgrade it if needed. This is not a network problem.',
      { status, requiredOffers: offers },
    );
  }
  if (status === 404)
    return new DownloadError(
      'not-found',
      `${host} has no file at the download address of ${name} (HTTP 404).`,
      'The catalogue may be out of date: sync it and try again. If it persists, the release file is missing: report it to the plugin author.',
      { status },
    );
  if (status === 407)
    return new DownloadError(
      'network',
      `The proxy asks for authentication (HTTP 407) before reaching ${host}.`,
      fixFor('proxy', finalUrl.origin),
      { networkCause: 'proxy', status },
    );
  if (status === 401 && fromServices)
    return new DownloadError(
      'http-status',
      `GLPI Network did not accept the registration key for the archive ${name} (HTTP 401).`,
      'Check the registration key in Marketdesk (validate it again); GLPI Network only serves archives to registered instances.',
      { status },
    );
  const where = status >= 500 ? `${host} is having trouble` : `${host} refused the download`;
  return new DownloadError(
    'http-status',
    `${where}: it answered HTTP ${status} for ${name} instead of the file.`,
    status >= 500 || status === 429
      ? 'Try the download again in a few minutes.'
      : `Try again after syncing the catalogue; if it persists, open ${finalUrl.origin} in a browser on this machine to see what answers.`,
    { status },
  );
}

export function networkError(err: TransportError, host: string): DownloadError {
  const origin = `http://${host}`;
  const detail = err.code ? ` (${err.code})` : '';
  const cause: NetworkCause = err.failure === 'reset' ? 'refused' : err.failure;
  const messages: Record<TransportError['failure'], string> = {
    dns: `The name ${host.replace(/:\d+$/, '')} could not be resolved${detail}.`,
    refused: `${host} refused the connection${detail}.`,
    timeout: `No answer from ${host} in time${detail}.`,
    tls: `The secure connection to ${host} failed: ${err.message}${detail}.`,
    proxy: `The proxy failed the request to ${host}: ${err.message}.`,
    reset: `The connection to ${host} was cut before an answer came${detail}.`,
  };
  return new DownloadError(
    'network',
    messages[err.failure],
    fixFor(err.failure, origin).replace('try Sync again', 'try the download again'),
    { networkCause: cause, errno: err.code },
  );
}

export function tooLarge(
  name: string,
  host: string,
  maxBytes: number,
  total: number | null,
  announced: boolean,
): DownloadError {
  return new DownloadError(
    'too-large',
    announced
      ? `${host} announced ${mib(total ?? 0)} for ${name}, more than the ${mib(maxBytes)} Marketdesk accepts for a plugin archive; nothing was downloaded.`
      : `${name} from ${host} grew past ${mib(maxBytes)}, the most Marketdesk accepts for a plugin archive; the download was stopped.`,
    'A plugin archive this large is unusual: check the plugin. If it is genuine, raise the download size limit in the settings and try again.',
    { expected: total ?? undefined, received: announced ? 0 : undefined },
  );
}

export function cancelled(name: string): DownloadError {
  return new DownloadError('cancelled', `The download of ${name} was cancelled.`, 'Start it again when you are ready.');
}

export function isDiskError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DISK_ERRNOS.has(code) && !(err instanceof TransportError);
}

export function diskError(err: unknown, path: string): DownloadError {
  if (err instanceof DownloadError) return err;
  const raw = (err as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' ? raw : 'EIO';
  const dir = dirname(path);
  const texts: Record<string, [string, string]> = {
    ENOSPC: ['the disk is full', `Free some space on the disk holding ${dir}, then try again.`],
    EDQUOT: ['the disk quota is exhausted', `Free some space (or raise the quota) for ${dir}, then try again.`],
    EACCES: [
      'Marketdesk may not write there',
      `Give the account running Marketdesk write access to ${dir}, or choose another download folder.`,
    ],
    EPERM: [
      'the system refused the write',
      `Give the account running Marketdesk write access to ${dir} (an antivirus or a lock may also block it), then try again.`,
    ],
    EROFS: ['the file system is read-only', `Choose a download folder on a writable disk (${dir} is read-only).`],
    ENOENT: ['the folder does not exist', `Create ${dir} or choose another download folder, then try again.`],
    ENOTDIR: [
      'part of the path is a file, not a folder',
      `Check the download folder setting: ${dir} must be a folder.`,
    ],
    EISDIR: ['a folder is in the way', `Remove or rename the folder at ${path}, then try again.`],
  };
  const [what, fix] = texts[code] ?? [
    'the disk reported an error',
    `Check the disk holding ${dir} (space, permissions, health), then try again.`,
  ];
  return new DownloadError('disk', `Could not write ${path}: ${what} (${code}).`, fix, { errno: code });
}

async function readSmall(response: HttpResponse, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= limit) break;
    }
  } catch {
    // The explanation is optional.
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

export function mib(bytes: number): string {
  return `${Math.round((bytes / 1048576) * 10) / 10} MiB`;
}
