/**
 * One archive download (API doc §2.9), with what GLPI lacks (checklist INS-1, KEY-4, NET-4), in
 * stages: the request and its redirects (download-request), the answer's checks, the body to the
 * `.part` file with its hash, and to the request's tap (download-body), and the archive's
 * verification (download-verify).
 */
import { dirname } from 'node:path';
import { receiveBody } from './download-body';
import { cancelled, diskError, failure, type FailureContext } from './download-errors';
import { checkResponse, parseTarget, requestArchive, type RequestState } from './download-request';
import { TransferControl } from './download-transfer';
import {
  DOWNLOAD_DEFAULTS,
  DownloadError,
  type DownloadRequest,
  type DownloadResult,
  type DownloadTap,
} from './download-types';
import { verifyArchive } from './download-verify';
import type { Clock, FileSystem, FileWriter, HttpClient, HttpResponse } from './ports';

export * from './download-types';
export { bzip2Ends, zipEnds } from './download-verify';

export interface DownloadDeps {
  http: HttpClient;
  clock: Clock;
  /** Where the archive is written (the app's data folder). */
  fs: FileSystem;
}

/**
 * Downloads a plugin archive to `dest` (through `dest.part`), checking everything GLPI does not:
 * raw bytes only, key only to the services origin, status 200, size against Content-Length and the
 * cap, a stall timeout, the archive's own end marker, and the SHA-256 when one is expected.
 * Throws a DownloadError; on any failure `.part` is deleted and `dest` is left as it was.
 */
export async function downloadArchive(deps: DownloadDeps, request: DownloadRequest): Promise<DownloadResult> {
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

function limitsOf(request: DownloadRequest) {
  const maxBytes = positive(request.maxBytes, DOWNLOAD_DEFAULTS.maxBytes, 'maxBytes');
  const stallMs = positive(request.stallMs, DOWNLOAD_DEFAULTS.stallMs, 'stallMs');
  const connectTimeoutMs = positive(request.connectTimeoutMs, DOWNLOAD_DEFAULTS.connectTimeoutMs, 'connectTimeoutMs');
  const expectedSha = request.expectedSha256?.trim().toLowerCase();
  if (expectedSha !== undefined && !/^[0-9a-f]{64}$/.test(expectedSha))
    throw new TypeError('expectedSha256 must be 64 hexadecimal characters.');
  return { maxBytes, stallMs, connectTimeoutMs, expectedSha };
}

async function run(deps: DownloadDeps, request: DownloadRequest): Promise<DownloadResult> {
  const { maxBytes, stallMs, connectTimeoutMs, expectedSha } = limitsOf(request);
  const target = parseTarget(request);
  const { name } = target;
  if (request.signal?.aborted) throw cancelled(name);

  // One controller for everything: the caller's cancel and our stall timer both abort it.
  const control = new TransferControl(deps.clock, request.signal);
  const part = `${request.dest}.part`;
  const ctx: FailureContext = { name, url: target.url, part, connectTimeoutMs, stallMs, why: () => control.why() };
  const state: RequestState = { hopHost: target.url.host };
  let writer: FileWriter | null = null;
  let response: HttpResponse | null = null;
  let tap: DownloadTap | null = null;
  try {
    const hop = await requestArchive(deps.http, request, target, control, ctx, state);
    response = hop.response;
    const finalUrl = new URL(hop.url);
    const host = finalUrl.host;
    const { total, contentType } = await checkResponse(response, finalUrl, target, maxBytes);

    writer = await deps.fs.openWriter(part).catch((err: unknown) => {
      throw diskError(err, part);
    });
    tap = request.tap && (await request.tap.start(total).catch(() => false)) ? request.tap : null;
    const body = await receiveBody({
      response,
      writer,
      control,
      clock: deps.clock,
      ctx,
      host,
      stallMs,
      maxBytes,
      total,
      onProgress: request.onProgress,
      tap,
    });
    // The tap goes on while the file is closed and checked (it is told if they fail: no result).
    tap?.end();
    tap = null;
    // Durable before it is checked and renamed.
    const written = writer;
    writer = null;
    await written.close().catch((err: unknown) => {
      throw diskError(err, part);
    });
    const format = await verifyArchive({
      fs: deps.fs,
      path: part,
      name,
      host,
      size: body.received,
      inflateGzip: total === null,
      sha256: body.sha256,
      expectedSha256: expectedSha,
      signal: control.signal,
    }).catch((err: unknown) => {
      if (control.why() === 'cancelled') throw cancelled(name);
      throw err instanceof DownloadError ? err : diskError(err, part);
    });
    if (control.why() === 'cancelled') throw cancelled(name);
    await publish(deps.fs, part, request.dest);
    return {
      file: request.dest,
      bytes: body.received,
      sha256: body.sha256,
      contentType,
      finalUrl: finalUrl.href,
      format,
    };
  } catch (err) {
    const error = failure(ctx, err, 'body', state.hopHost);
    tap?.end(error);
    if (response) void response.cancel().catch(() => undefined);
    if (writer) await writer.abort();
    await deps.fs.rm(part).catch(() => undefined);
    throw error;
  } finally {
    control.dispose();
  }
}

/** Renames the checked `.part` to its final name, durably (best effort on the folder). */
async function publish(fs: FileSystem, part: string, dest: string): Promise<void> {
  await fs.rename(part, dest).catch((err: unknown) => {
    throw diskError(err, dest);
  });
  await fs.syncDir(dirname(dest)).catch(() => undefined);
}

function positive(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${what} must be a positive number.`);
  return value;
}
