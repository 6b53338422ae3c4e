import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { NetworkCause } from '../../shared/model';
import { fixFor } from './glpi-network-client';
import { TooManyRedirectsError, isAcceptableServicesUrl, sendFollowingRedirects, type Hop } from './http';
import { TransportError, type Clock, type HttpClient, type HttpResponse } from './ports';

/**
 * One archive download (docs/glpi-network-api.md §2.9), with what GLPI lacks
 * (docs/reliability-checklist.md INS-1, KEY-4, NET-4).
 */
export interface DownloadRequest {
  /** The catalogue's `download_url`. */
  url: string;
  /** Origin of GLPI Network services: the only origin that receives the key and the uid. */
  servicesOrigin: string;
  /** User-Agent etc. Key, uid and Accept-Encoding given here are ignored: this module sets them. */
  headers: Record<string, string>;
  /** The registration key (sent to `servicesOrigin` only, never in a message). */
  key: string;
  /** The instance id (`X-Glpi-Network-Uid`). */
  uid: string;
  /** Final path. The download goes to `dest + '.part'`, renamed to `dest` on success only. */
  dest: string;
  /** Cap in bytes; default 200 MiB. */
  maxBytes?: number;
  /** No bytes for this long (headers included) → abort as a timeout; default 30 s. */
  stallMs?: number;
  /** Default 5 s (GLPI's). */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  /** Throttled: at most every 100 ms, plus the first and the last. `total` is null without Content-Length. */
  onProgress?: (received: number, total: number | null) => void;
  /** Lower-case or upper-case hex. */
  expectedSha256?: string;
}

export interface DownloadResult {
  file: string;
  bytes: number;
  /** Lower-case hex. */
  sha256: string;
  contentType: string | null;
  /** The URL that answered 200, after redirects. */
  finalUrl: string;
  /**
   * Container detected from the first bytes (the completeness check used: the end marker of bzip2
   * and zip; gzip is inflated only when the server sent no Content-Length). 'unknown' is not checked.
   */
  format: ArchiveContainer;
}

export type ArchiveContainer = 'gzip' | 'bzip2' | 'zip' | 'unknown';

export const DOWNLOAD_DEFAULTS = {
  maxBytes: 200 * 1024 * 1024,
  stallMs: 30_000,
  connectTimeoutMs: 5_000,
  progressIntervalMs: 100,
  /**
   * Handed to the HttpClient as its whole-exchange timeout: downloads are bounded by the stall
   * timeout instead (a large plugin on a slow link may legitimately take hours).
   */
  totalTimeoutMs: 12 * 60 * 60 * 1000,
} as const;

export const DOWNLOAD_ERROR_CODES = [
  'network',
  'http-status',
  'entitlement',
  'not-found',
  'too-large',
  'truncated',
  'encoding',
  'checksum',
  'disk',
  'cancelled',
] as const;
export type DownloadErrorCode = (typeof DOWNLOAD_ERROR_CODES)[number];

export interface DownloadErrorDetails {
  /** For `network`. */
  networkCause?: NetworkCause;
  /** HTTP status when the server answered. */
  status?: number;
  /** errno (ENOSPC, EACCES, …) for `disk`; the transport code for `network`. */
  errno?: string;
  /** For `entitlement`, when GLPI Network lists them. */
  requiredOffers?: string[];
  /** Bytes received and expected, when known (too-large, truncated). */
  received?: number;
  expected?: number;
}

export class DownloadError extends Error {
  readonly networkCause: NetworkCause | undefined;
  readonly status: number | undefined;
  readonly errno: string | undefined;
  readonly requiredOffers: string[] | undefined;
  readonly received: number | undefined;
  readonly expected: number | undefined;

  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    readonly fix: string,
    details: DownloadErrorDetails = {},
  ) {
    super(message);
    this.name = 'DownloadError';
    this.networkCause = details.networkCause;
    this.status = details.status;
    this.errno = details.errno;
    this.requiredOffers = details.requiredOffers;
    this.received = details.received;
    this.expected = details.expected;
  }
}

const KEY_HEADER = 'X-Registration-Key';
const UID_HEADER = 'X-Glpi-Network-Uid';
const OWN_HEADERS = /^(x-registration-key|x-glpi-network-uid|accept-encoding)$/i;
const DISK_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOENT', 'EISDIR', 'EIO']);

/** Why the internal controller aborted. */
type AbortWhy = 'cancelled' | 'stalled';

/**
 * Downloads a plugin archive to `dest` (through `dest.part`), checking everything GLPI does not:
 * raw bytes only, key only to the services origin, status 200, size against Content-Length and the
 * cap, a stall timeout, the archive's own end marker, and the SHA-256 when one is expected.
 * Throws a DownloadError; on any failure `.part` is deleted and `dest` is left as it was.
 */
export async function downloadArchive(
  deps: { http: HttpClient; clock: Clock },
  request: DownloadRequest,
): Promise<DownloadResult> {
  const redact = (text: string): string =>
    request.key.length >= 4 ? text.split(request.key).join('[redacted]') : text;
  try {
    return await run(deps, request);
  } catch (err) {
    // Last line of defence: no message ever carries the key, whatever a server echoed back.
    if (err instanceof DownloadError) {
      const safe = new DownloadError(err.code, redact(err.message), redact(err.fix), err);
      safe.stack = err.stack ? redact(err.stack) : undefined;
      throw safe;
    }
    throw err;
  }
}

async function run(deps: { http: HttpClient; clock: Clock }, request: DownloadRequest): Promise<DownloadResult> {
  const maxBytes = positive(request.maxBytes, DOWNLOAD_DEFAULTS.maxBytes, 'maxBytes');
  const stallMs = positive(request.stallMs, DOWNLOAD_DEFAULTS.stallMs, 'stallMs');
  const connectTimeoutMs = positive(request.connectTimeoutMs, DOWNLOAD_DEFAULTS.connectTimeoutMs, 'connectTimeoutMs');
  const expectedSha = request.expectedSha256?.trim().toLowerCase();
  if (expectedSha !== undefined && !/^[0-9a-f]{64}$/.test(expectedSha))
    throw new TypeError('expectedSha256 must be 64 hexadecimal characters.');

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

  if (request.signal?.aborted) throw cancelled(name);

  // One controller for everything: the caller's cancel and our stall timer both abort it.
  const controller = new AbortController();
  let why: AbortWhy | null = null;
  const abort = (reason: AbortWhy): void => {
    if (why) return;
    why = reason;
    controller.abort(new Error(reason));
  };
  const onCallerAbort = (): void => abort('cancelled');
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  // Waits end early on abort. Not `Promise.race([p, aborted])` with one long-lived `aborted`: every
  // race leaves a reaction on it that keeps the race's result (here: each network chunk) reachable
  // until the download ends, i.e. the whole archive in memory. One wait at a time holds the slot.
  let interrupt: ((err: Error) => void) | null = null;
  controller.signal.addEventListener('abort', () => interrupt?.(new Error('aborted')), { once: true });
  const orAbort = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch(() => undefined);
    if (controller.signal.aborted) return Promise.reject(new Error('aborted'));
    return new Promise<T>((resolve, reject) => {
      interrupt = reject;
      const settled = (): void => {
        if (interrupt === reject) interrupt = null;
      };
      promise.then(
        (value) => {
          settled();
          resolve(value);
        },
        // Passed on as it came (typed Error only for the linter): failure() classifies it.
        (err: Error) => {
          settled();
          reject(err);
        },
      );
    });
  };
  let disarm: () => void = () => undefined;
  const arm = (ms: number): void => {
    disarm();
    disarm = deps.clock.setTimeout(() => abort('stalled'), ms);
  };

  const part = `${request.dest}.part`;
  let file: FileHandle | null = null;
  let response: HttpResponse | null = null;
  const failure = (err: unknown, phase: 'headers' | 'body' | 'disk', host: string): DownloadError => {
    if (why === 'cancelled') return cancelled(name);
    if (why === 'stalled')
      return new DownloadError(
        'network',
        phase === 'headers'
          ? `No answer from ${host} within ${seconds(connectTimeoutMs + stallMs)} while asking for ${name}.`
          : `The download of ${name} from ${host} stalled: no data for ${seconds(stallMs)}.`,
        fixFor('timeout', `http://${host}`).replace('try Sync again', 'try the download again'),
        { networkCause: 'timeout' },
      );
    if (err instanceof DownloadError) return err;
    if (phase === 'disk' || isDiskError(err)) return diskError(err, part);
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
  };

  let hopHost = url.host;
  try {
    // --- Request, redirects followed by hand: headers decided per hop.
    const headersFor = (target: URL): Record<string, string> => {
      hopHost = target.host;
      if (target.protocol === 'http:' && url.protocol === 'https:' && !isLoopback(target.hostname))
        throw new DownloadError(
          'http-status',
          `${url.host} redirected the download of ${name} from HTTPS to plain HTTP (${target.host}); Marketdesk refuses to fetch an archive unprotected.`,
          'Report it to the plugin author or GLPI Network; meanwhile, download the archive manually from a trusted HTTPS address.',
        );
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) if (!OWN_HEADERS.test(k)) h[k] = v;
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'accept')) h.Accept = '*/*';
      // Raw bytes: a transparently decoded .tar.gz would no longer match its size or hash.
      h['Accept-Encoding'] = 'identity';
      // GLPI sends the key to any host the catalogue points at (GitHub included); we do not.
      if (servicesOrigin !== null && target.origin === servicesOrigin) {
        h[KEY_HEADER] = request.key;
        h[UID_HEADER] = request.uid;
      }
      return h;
    };
    arm(connectTimeoutMs + stallMs);
    const sending = sendFollowingRedirects(deps.http, url.href, headersFor, {
      connectTimeoutMs,
      timeoutMs: DOWNLOAD_DEFAULTS.totalTimeoutMs,
      signal: controller.signal,
    });
    // If we stop waiting (stall, cancel) the response may still come: release it then.
    sending.then(
      (hop) => {
        if (why) void hop.response.cancel().catch(() => undefined);
      },
      () => undefined,
    );
    let hop: Hop;
    try {
      hop = await orAbort(sending);
    } catch (err) {
      throw failure(err, 'headers', hopHost);
    }
    disarm();
    response = hop.response;
    const finalUrl = new URL(hop.url);
    const host = finalUrl.host;

    // --- Status, encoding, announced size.
    if (response.status !== 200) throw await statusError(response, finalUrl, servicesOrigin, name);
    const encoding = response.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity')
      throw new DownloadError(
        'encoding',
        `${host} sent ${name} with Content-Encoding "${clip(encoding, 40)}" although Marketdesk asked for the raw file; its size and checksum could not be trusted.`,
        'A proxy or the server is recompressing downloads. Ask for the proxy to leave this address alone (no compression or content rewriting), or download the archive manually.',
      );
    const total = parseLength(response.headers['content-length']);
    if (total !== null && total > maxBytes) throw tooLarge(name, host, maxBytes, total, true);
    const contentType = response.headers['content-type'] ?? null;

    // --- Body to .part, hashed as it goes.
    try {
      file = await open(part, 'w+');
    } catch (err) {
      throw diskError(err, part);
    }
    const hash = createHash('sha256');
    let received = 0;
    let lastProgress = -Infinity;
    const progress = (force: boolean, now = deps.clock.now().getTime()): void => {
      if (!request.onProgress) return;
      if (!force && now - lastProgress < DOWNLOAD_DEFAULTS.progressIntervalMs) return;
      lastProgress = now;
      try {
        request.onProgress(received, total);
      } catch {
        // A broken progress listener must not break the download.
      }
    };
    progress(true);

    // Network chunks are collected into ~1 MiB batches, each written with one writev while the next
    // batch arrives (one write in flight at most: memory stays at about two batches). The chunks
    // are kept as they are: an HttpClient's body yields buffers it does not reuse.
    const disk = new BatchWriter(file, (err) => diskError(err, part));

    // Stall watch: one timer, re-armed only when it fires (not set and cleared for every chunk). It
    // counts only the time spent waiting for the network, as before: a slow disk is not a stall.
    let waitingSince: number | null = null;
    const watch = (ms: number): void => {
      disarm = deps.clock.setTimeout(() => {
        if (waitingSince === null) return watch(stallMs);
        const idle = deps.clock.now().getTime() - waitingSince;
        if (idle >= stallMs) abort('stalled');
        else watch(stallMs - idle);
      }, ms);
    };
    watch(stallMs);

    const iterator = response.body[Symbol.asyncIterator]();
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      waitingSince = deps.clock.now().getTime();
      try {
        step = await orAbort(iterator.next());
      } catch (err) {
        throw failure(err, 'body', host);
      }
      const now = deps.clock.now().getTime();
      waitingSince = null;
      if (step.done) break;
      const chunk = step.value;
      if (received + chunk.byteLength > maxBytes) throw tooLarge(name, host, maxBytes, total, false);
      if (total !== null && received + chunk.byteLength > total)
        throw new DownloadError(
          'truncated',
          `${host} sent more data for ${name} than the ${total} bytes it announced; the file cannot be trusted.`,
          'Try the download again. If it persists, a proxy or the server is corrupting downloads: download the archive manually.',
          { received: received + chunk.byteLength, expected: total },
        );
      hash.update(chunk);
      received += chunk.byteLength;
      await disk.add(chunk);
      progress(false, now);
    }
    disarm();
    await disk.finish();
    if (total !== null && received !== total)
      throw new DownloadError(
        'truncated',
        `The download of ${name} from ${host} ended after ${received} of the ${total} bytes announced.`,
        'Try the download again. If it keeps stopping early, a proxy or antivirus is probably cutting large downloads.',
        { received, expected: total },
      );
    progress(true);

    // --- The archive's own end: a cut file that still matches Content-Length (a broken release asset).
    // gzip has no end marker: only inflating the whole file proves it complete. With a matching
    // Content-Length the transfer is known whole, and the extraction's gunzip refuses a cut or damaged
    // file anyway (nothing is installed from it), so the inflate is done only when no length came.
    const inflateGzip = total === null;
    const format = await checkComplete(file, part, received, inflateGzip, controller.signal).catch((err: unknown) => {
      if (why === 'cancelled') throw cancelled(name);
      throw err instanceof DownloadError ? err : diskError(err, part);
    });
    if (format.complete === false)
      throw new DownloadError(
        'truncated',
        `The archive ${name} from ${host} is incomplete: its ${format.container} data ends before its end marker (${received} bytes received, as announced).`,
        'The file on the server is broken. Try again later, or report it to the plugin author; do not install this file.',
        { received },
      );

    const sha256 = hash.digest('hex');
    if (expectedSha !== undefined && sha256 !== expectedSha)
      throw new DownloadError(
        'checksum',
        `The SHA-256 of ${name} (${sha256}) is not the expected one (${expectedSha}).`,
        'The file was altered or replaced on the way or on the server. Do not install it; try again later, or report it to the plugin author.',
      );

    // --- Durable, then visible under its final name.
    if (why === 'cancelled') throw cancelled(name);
    try {
      await file.sync();
      await file.close();
      file = null;
      await rename(part, request.dest);
    } catch (err) {
      throw diskError(err, request.dest);
    }
    await syncDirectory(dirname(request.dest));
    return {
      file: request.dest,
      bytes: received,
      sha256,
      contentType,
      finalUrl: finalUrl.href,
      format: format.container,
    };
  } catch (err) {
    const error = failure(err, 'body', hopHost);
    if (response) void response.cancel().catch(() => undefined);
    if (file) await file.close().catch(() => undefined);
    await unlink(part).catch(() => undefined);
    throw error;
  } finally {
    disarm();
    request.signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function statusError(
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

function networkError(err: TransportError, host: string): DownloadError {
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

function tooLarge(
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

function cancelled(name: string): DownloadError {
  return new DownloadError('cancelled', `The download of ${name} was cancelled.`, 'Start it again when you are ready.');
}

function isDiskError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DISK_ERRNOS.has(code) && !(err instanceof TransportError);
}

function diskError(err: unknown, path: string): DownloadError {
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

/** Bytes collected before one writev (a network chunk is usually 16-64 KiB). */
const WRITE_BATCH_BYTES = 1024 * 1024;
/**
 * Chunks collected before one writev, whatever their size (IOV_MAX on Linux): a server sending
 * tiny pieces must not make the batch a million small objects.
 */
const WRITE_BATCH_CHUNKS = 1024;

/**
 * Appends chunks to a file in batches of about {@link WRITE_BATCH_BYTES} (or {@link WRITE_BATCH_CHUNKS}
 * chunks), each written with one positioned writev while the caller goes on receiving; `add` waits
 * only when a batch is full and the previous write is still running. A write failure surfaces
 * (mapped by `toError`) from the next `add` or from `finish`.
 */
class BatchWriter {
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private position = 0;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly file: FileHandle,
    private readonly toError: (err: unknown) => Error,
  ) {}

  async add(chunk: Uint8Array): Promise<void> {
    this.queued.push(chunk);
    this.queuedBytes += chunk.byteLength;
    if (this.queuedBytes >= WRITE_BATCH_BYTES || this.queued.length >= WRITE_BATCH_CHUNKS) await this.flush();
  }

  /** Writes what is queued and waits for every write. */
  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
  }

  /** Waits for the running write (so errors surface) and starts writing the queue. */
  private async flush(): Promise<void> {
    if (this.writing) await this.writing;
    if (this.queuedBytes === 0) return;
    const batch = this.queued;
    const at = this.position;
    this.position += this.queuedBytes;
    this.queued = [];
    this.queuedBytes = 0;
    this.writing = writevAll(this.file, batch, at).catch((err: unknown) => {
      throw this.toError(err);
    });
    // Observed by the next flush; never an unhandled rejection meanwhile.
    this.writing.catch(() => undefined);
  }
}

async function writevAll(file: FileHandle, buffers: Uint8Array[], position: number): Promise<void> {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    const { bytesWritten } = await file.writev(rest, at);
    at += bytesWritten;
    // A short write (rare on a regular file): go on from the first byte not written.
    let skip = bytesWritten;
    let i = 0;
    while (i < rest.length && skip >= rest[i]!.byteLength) skip -= rest[i++]!.byteLength;
    rest = rest.slice(i);
    if (rest.length > 0 && skip > 0) rest[0] = rest[0]!.subarray(skip);
    if (bytesWritten === 0 && rest.length > 0) throw Object.assign(new Error('writev wrote nothing'), { code: 'EIO' });
  }
}

/**
 * Detects the container from its first bytes and checks that it reaches its own end (gzip: only
 * when `inflateGzip`, otherwise reported complete unchecked).
 */
async function checkComplete(
  file: FileHandle,
  path: string,
  size: number,
  inflateGzip: boolean,
  signal: AbortSignal,
): Promise<{ container: ArchiveContainer; complete: boolean }> {
  const head = await readAt(file, 0, Math.min(size, 4));
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    if (!inflateGzip) return { container: 'gzip', complete: true };
    // gzip has no end marker, only a trailer: inflating is the only way to know it is whole.
    try {
      await pipeline(createReadStream(path), createGunzip(), new Writable({ write: (_chunk, _enc, done) => done() }), {
        signal,
      });
      return { container: 'gzip', complete: true };
    } catch (err) {
      if (signal.aborted) throw err;
      if ((err as { code?: string }).code === 'Z_BUF_ERROR' || (err as { code?: string }).code === 'Z_DATA_ERROR')
        return { container: 'gzip', complete: false };
      throw err;
    }
  }
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') {
    const tail = await readAt(file, Math.max(0, size - 11), Math.min(size, 11));
    return { container: 'bzip2', complete: bzip2Ends(tail) };
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) {
    const length = Math.min(size, 65_557);
    const tail = await readAt(file, size - length, length);
    return { container: 'zip', complete: zipEnds(tail, size) };
  }
  return { container: 'unknown', complete: true };
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

/** A bzip2 stream ends with the 48-bit magic 0x177245385090, a 32-bit CRC, then 0-7 padding bits. */
export function bzip2Ends(tail: Buffer): boolean {
  const bits = tail.length * 8;
  const bit = (i: number): number => ((tail[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
  const magic = 0x177245385090;
  for (let pad = 0; pad < 8; pad++) {
    const start = bits - pad - 80;
    if (start < 0) break;
    let value = 0;
    for (let i = 0; i < 48; i++) value = value * 2 + bit(start + i);
    if (value === magic) return true;
  }
  return false;
}

/** A zip ends with its end-of-central-directory record (and its comment), after the directory. */
export function zipEnds(tail: Buffer, size: number): boolean {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== 0x06054b50) continue;
    const commentLength = tail.readUInt16LE(i + 20);
    if (i + 22 + commentLength !== tail.length) continue;
    const eocdAt = size - tail.length + i;
    const cdSize = tail.readUInt32LE(i + 12);
    const cdOffset = tail.readUInt32LE(i + 16);
    // Zip64 archives put 0xFFFFFFFF here; their real values are elsewhere.
    if (cdSize === 0xffffffff || cdOffset === 0xffffffff) return true;
    return cdOffset + cdSize <= eocdAt;
  }
  return false;
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable on POSIX; Windows cannot open a directory, and that is fine.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
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

function parseLength(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : null;
}

function positive(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${what} must be a positive number.`);
  return value;
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

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1048576) * 10) / 10} MiB`;
}
