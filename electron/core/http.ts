import type { HttpClient, HttpRequest, HttpResponse } from './ports';

export const MAX_REDIRECTS = 5;

export interface Hop {
  url: string;
  response: HttpResponse;
}

/**
 * Follows redirects by hand so that headers are decided again at every hop: `headersFor(url)`
 * returns the headers for that URL (the registration key only for the services origin).
 */
export async function sendFollowingRedirects(
  http: HttpClient,
  url: string,
  headersFor: (url: URL) => Record<string, string>,
  base: Omit<HttpRequest, 'url' | 'headers'>,
): Promise<Hop> {
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const response = await http.send({ ...base, url: current.href, headers: headersFor(current) });
    const location = response.headers.location;
    if (![301, 302, 303, 307, 308].includes(response.status) || !location) return { url: current.href, response };
    await response.cancel();
    if (hop >= MAX_REDIRECTS) throw new TooManyRedirectsError(current.href);
    const next = new URL(location, current);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new TooManyRedirectsError(next.href);
    current = next;
  }
}

export class TooManyRedirectsError extends Error {
  constructor(readonly lastUrl: string) {
    super(`Too many or unusable redirects (last: ${lastUrl}).`);
    this.name = 'TooManyRedirectsError';
  }
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The answer is larger than ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads a whole body as UTF-8, refusing more than `maxBytes`. */
export async function readText(response: HttpResponse, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.cancel();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Whether a base URL may receive the registration key: HTTPS, or plain HTTP on loopback only. */
export function isAcceptableServicesUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
