import { extname, resolve, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { APP_HOST, APP_SCHEME, CSP } from './security';

/**
 * app:// must be registered before `ready`. `standard` gives it an origin and relative URLs,
 * `secure` makes it a secure context, `supportFetchAPI` lets the page fetch its own files.
 * `corsEnabled` stays off so no other origin can read app:// content.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

// Matches the request as Chromium hands it over, before any URL normalisation: the dot segments
// must be seen (and refused) here, not silently resolved by a parser.
const APP_URL = new RegExp(`^${APP_SCHEME}://${APP_HOST}(/[^?#]*)?(?:[?#].*)?$`);
// Drive letters and ADS (C:, file.txt:stream), NUL and other control characters, backslashes.
// eslint-disable-next-line no-control-regex
const BAD_SEGMENT = /[\u0000-\u001f\u007f\\/:]/;
// Windows opens these devices in any folder (reading CON would block on the console).
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * The file under `rootDir` that an app:// URL names, or null when the URL is refused: another
 * scheme or host, a port or credentials, `.`/`..` segments (plain or percent-encoded), encoded
 * slashes or backslashes, drive letters, Windows device names, NUL, empty segments. The final
 * containment check (`path.resolve` must stay inside `rootDir`) is a backstop behind those
 * segment rules. `/` is `index.html`.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password || url.port)
    return null;
  const match = APP_URL.exec(requestUrl);
  if (!match) return null;
  const rawPath = match[1] ?? '/';
  if (rawPath.includes('\\')) return null;

  const segments = rawPath === '/' ? ['index.html'] : rawPath.slice(1).split('/');
  const decoded: string[] = [];
  for (const segment of segments) {
    let part: string;
    try {
      part = decodeURIComponent(segment);
    } catch {
      return null; // malformed percent-encoding
    }
    if (part === '' || part === '.' || part === '..' || BAD_SEGMENT.test(part) || WINDOWS_DEVICE.test(part))
      return null;
    decoded.push(part);
  }

  const root = resolve(rootDir);
  const full = resolve(root, ...decoded);
  if (!full.startsWith(root + sep)) return null;
  return full;
}

export type ReadFile = (path: string) => Promise<Uint8Array>;

function respond(status: number, body: Uint8Array | string | null, contentType: string, head = false): Response {
  const headers = new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  return new Response(head ? null : body, { status, headers });
}

/**
 * The `protocol.handle('app', ...)` handler: serves the built renderer from `rootDir` with the
 * CSP header on every response, 400 for refused paths, 404 for missing files.
 */
export function createAppProtocolHandler(
  rootDir: string,
  readFile: ReadFile,
  onError?: (message: string, data: Record<string, unknown>) => void,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) return respond(405, 'Method not allowed', 'text/plain; charset=utf-8');
    const file = resolveAppPath(rootDir, request.url);
    if (!file) return respond(400, 'Bad request', 'text/plain; charset=utf-8', head);
    try {
      const data = await readFile(file);
      return respond(200, data, contentTypeFor(file), head);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR')
        return respond(404, 'Not found', 'text/plain; charset=utf-8', head);
      onError?.('Could not read an app file', { file, error: err instanceof Error ? err.message : String(err) });
      return respond(500, 'Internal error', 'text/plain; charset=utf-8', head);
    }
  };
}
