import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { listStatus } from '../../shared/catalog-list';
import { EARLY_SCRIPT, SERVED_ROWS, earlyFrameHtml, showsFirstScreen, withEarlyFrame } from '../../shared/early-rows';
import { EARLY_STYLE } from '../../shared/early-style';
import { AppError, type Envelope } from '../../shared/errors';
import { isCliOnlyChannel, isEventName } from '../../shared/ipc/contract';
import type { AppCore } from '../core/app-core';
import type { BundleFiles } from '../core/bundle/bundle-files';
import { dispatch } from '../core/dispatch';
import type { Logger } from '../core/ports';

/** A CSP source that allows one constant inline text, by its SHA-256. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/**
 * The served first screen's inline script and style (shared/early-rows.ts, shared/early-style.ts),
 * each allowed by its hash, as is FORGET_TOKEN_SCRIPT below; nothing else inline, no style attribute.
 */
export const EARLY_SCRIPT_HASH = hashSource(EARLY_SCRIPT);
export const EARLY_STYLE_HASH = hashSource(EARLY_STYLE);

/**
 * Put first in the page answered to the printed address (`/?token=…`): takes the token out of the
 * address bar and of the history entry before anything else in the page runs or loads, as the 303
 * to `/` used to, without the second request (10-25 ms of the first paint, measured).
 */
export const FORGET_TOKEN_SCRIPT = 'history.replaceState(null, "", "/" + location.hash);';

export const CSP = `default-src 'self'; script-src 'self' ${EARLY_SCRIPT_HASH} ${hashSource(FORGET_TOKEN_SCRIPT)}; style-src 'self' ${EARLY_STYLE_HASH}; img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};
const MAX_BODY = 65_536;
/** The longest the page waits for the core's first screen before it is served without it (ms). */
const FIRST_SCREEN_WAIT_MS = 300;
/** What the renderer's `assets/` may keep in memory (it is about 1 MB; `npm run dev` rebuilds add names). */
const MAX_ASSET_BYTES = 16 * 1024 * 1024;

export interface BrowserShellOptions {
  core: AppCore;
  logger: Logger;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
  /** The Export and Import dialogs' files (`/api/bundle-files`); absent: those routes answer 404. */
  files?: Pick<BundleFiles, 'receive' | 'download'>;
}

export interface BrowserShell {
  /** The address to open, with the per-run token. */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** What the request handlers share; `port` is set once the server listens. */
interface ShellState {
  options: BrowserShellOptions;
  token: string;
  streams: Set<ServerResponse>;
  port: number;
  assets: AssetCache;
}

/**
 * The built renderer's `assets/` files are named after their content, so a name never changes
 * content: read once (all of them at start) and sent from memory. A file read would wait for the
 * event loop, behind whatever large answer the core is serialising, while the page waits for its
 * code. The oldest go first past MAX_ASSET_BYTES.
 */
class AssetCache {
  private readonly files = new Map<string, Buffer>();
  private bytes = 0;

  get(file: string): Buffer | undefined {
    return this.files.get(file);
  }

  set(file: string, data: Buffer): void {
    if (data.length > MAX_ASSET_BYTES || this.files.has(file)) return;
    for (const [old, kept] of this.files) {
      if (this.bytes + data.length <= MAX_ASSET_BYTES) break;
      this.files.delete(old);
      this.bytes -= kept.length;
    }
    this.files.set(file, data);
    this.bytes += data.length;
  }

  /** Reads every file of `dir` now; a missing or unreadable one is read on demand instead. */
  async warm(dir: string): Promise<void> {
    const names = await readdir(dir).catch(() => []);
    await Promise.all(
      names.map(async (name) => {
        const file = join(dir, name);
        const data = await readFile(file).catch(() => null);
        if (data) this.set(file, data);
      }),
    );
  }
}

/**
 * Serves the renderer and the contract on 127.0.0.1 only. Every request must carry the right
 * Host (against DNS rebinding) and the per-run token cookie (set by opening the printed URL);
 * invokes must come from our own Origin (against cross-site requests).
 */
export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const shell: ShellState = {
    options,
    token: options.token ?? randomBytes(32).toString('base64url'),
    streams: new Set<ServerResponse>(),
    port: 0,
    assets: new AssetCache(),
  };
  const { token, streams } = shell;
  await shell.assets.warm(join(resolve(options.staticDir), 'assets'));

  const server: Server = createServer((req, res) => {
    handle(req, res, shell).catch((err: unknown) => {
      options.logger.error('Browser shell request failed', {
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error');
      else res.destroy();
    });
  });

  const unsubscribe = options.core.events.onAny((event, payload) => {
    if (!isEventName(event)) return;
    for (const s of streams) s.write(frame(event, payload));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  shell.port = port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    close: async () => {
      unsubscribe();
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function hostsOf(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

function cookieNameOf(port: number): string {
  return `marketdesk_${port}`;
}

async function handle(req: IncomingMessage, res: ServerResponse, shell: ShellState): Promise<void> {
  baseHeaders(res);
  const url = admit(req, res, shell);
  if (!url) return;
  if (url.pathname.startsWith('/api/invoke/')) return invoke(req, res, url, shell.options);
  if (url.pathname === BUNDLE_FILES && req.method === 'POST') return upload(req, res, url, shell.options);
  if (url.pathname.startsWith(`${BUNDLE_FILES}/`) && req.method === 'GET') return download(res, url, shell.options);
  if (url.pathname === '/api/events' && req.method === 'GET') return openEvents(req, res, shell);
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
  return serveStatic(shell.options, url, res, shell.assets);
}

/**
 * The request's URL once its Host, token cookie and Origin are ours; otherwise answers it (refused,
 * or the printed URL's token turned into the cookie) and returns null.
 */
function admit(req: IncomingMessage, res: ServerResponse, { token, port }: ShellState): URL | null {
  const hosts = hostsOf(port);
  if (!hosts.includes(req.headers.host ?? '')) {
    send(res, 421, 'text/plain; charset=utf-8', 'Unexpected Host header.');
    return null;
  }
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);

  const offered = url.searchParams.get('token');
  if (req.method === 'GET' && offered !== null) {
    if (!sameSecret(offered, token)) {
      send(res, 401, 'text/plain; charset=utf-8', 'This token is not valid for this Marketdesk server.');
      return null;
    }
    res.setHeader('Set-Cookie', `${cookieNameOf(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    // The page itself, which forgets the token as it starts (FORGET_TOKEN_SCRIPT); elsewhere, to it.
    if (url.pathname === '/') return url;
    res.setHeader('Location', '/');
    send(res, 303, 'text/plain; charset=utf-8', '');
    return null;
  }
  if (!sameSecret(readCookie(req, cookieNameOf(port)) ?? '', token)) {
    send(
      res,
      401,
      'text/plain; charset=utf-8',
      'Open the address that Marketdesk printed in the terminal: it carries a one-run access token.',
    );
    return null;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) {
    send(res, 403, 'text/plain; charset=utf-8', 'Cross-origin requests are refused.');
    return null;
  }
  return url;
}

/** POST /api/invoke/<channel>: a JSON payload from our own Origin, dispatched to the core. */
async function invoke(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  { core, logger }: BrowserShellOptions,
): Promise<void> {
  if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'Use POST.');
  if (req.headers.origin === undefined) return send(res, 403, 'text/plain; charset=utf-8', 'Missing Origin header.');
  if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
    return send(res, 415, 'text/plain; charset=utf-8', 'Send JSON.');
  const body = await readBody(req);
  if (body === null) return send(res, 413, 'text/plain; charset=utf-8', 'Request too large.');
  let payload: unknown;
  try {
    payload = body === '' ? {} : JSON.parse(body);
  } catch {
    return json(res, {
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'The request body is not valid JSON.' },
    });
  }
  const channel = decodeURIComponent(url.pathname.slice('/api/invoke/'.length));
  // The page names bundle files by reference; the channels that take a path are the CLI's.
  if (isCliOnlyChannel(channel))
    return json(res, {
      ok: false,
      error: { code: 'FORBIDDEN', message: `${channel.slice(0, 100)} is for the command line only.` },
    });
  return json(res, await dispatch(core.handlers, channel, payload, logger));
}

/** The Export and Import dialogs' files: uploads to it, downloads under it by reference. */
const BUNDLE_FILES = '/api/bundle-files';

/**
 * POST /api/bundle-files?name=<file name>: a bundle the page uploads, streamed into a private
 * temporary file (bundle-files.ts checks its size and its first block). Answers an envelope with
 * the file's reference. An upload refused once read from is read to its end (and dropped) before
 * the answer, so that the browser sees the answer rather than a connection reset; one refused
 * before (too large by its length) is answered at once and its connection closed.
 */
async function upload(req: IncomingMessage, res: ServerResponse, url: URL, { files, logger }: BrowserShellOptions) {
  if (!files) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
  if (req.headers.origin === undefined) return send(res, 403, 'text/plain; charset=utf-8', 'Missing Origin header.');
  if (req.headers['content-type'] !== 'application/octet-stream')
    return send(res, 415, 'text/plain; charset=utf-8', 'Send the file as application/octet-stream.');
  const length = Number(req.headers['content-length']);
  if (req.headers['content-length'] === undefined || !Number.isSafeInteger(length) || length < 0)
    return send(res, 411, 'text/plain; charset=utf-8', 'Send the file with its Content-Length.');
  let answer: Envelope<unknown>;
  try {
    // Not destroyed when the core stops reading early: what is left is read and dropped below.
    const body = req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
    answer = { ok: true, value: await files.receive(url.searchParams.get('name') ?? '', body, length) };
  } catch (err) {
    if (!(err instanceof AppError) && (req.destroyed || req.socket.destroyed)) {
      logger.warn('A bundle upload stopped before its end', { error: String(err) });
      return;
    }
    if (!(err instanceof AppError))
      logger.error('Bundle upload failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    answer = {
      ok: false,
      error:
        err instanceof AppError
          ? err.toShape()
          : { code: 'INTERNAL', message: 'Something went wrong inside Marketdesk; the details are in the log.' },
    };
    if (req.readableDidRead) await drain(req);
    else res.setHeader('Connection', 'close');
  }
  return json(res, answer);
}

/** Reads what is left of a request and drops it. */
function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolveDrain) => {
    req.on('end', resolveDrain);
    req.on('close', resolveDrain);
    req.resume();
  });
}

/**
 * GET /api/bundle-files/<ref>: a bundle made by `bundles.export` into a temporary file, as a
 * download; nothing else (any other reference, an upload, a file the admin chose: 404).
 */
async function download(res: ServerResponse, url: URL, { files, logger }: BrowserShellOptions): Promise<void> {
  const ref = url.pathname.slice(BUNDLE_FILES.length + 1);
  const file = files && /^[0-9a-f]{32}$/.test(ref) ? await files.download(ref) : null;
  if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'No such bundle here.');
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(file.bytes),
    'Content-Disposition': attachment(file.name),
    'Cache-Control': 'no-store',
  });
  // A download the browser stops (or a file that cannot be read) ends the response short.
  await pipeline(Readable.from(file.body), res).catch((err: unknown) =>
    logger.warn('A bundle download stopped before its end', { error: String(err) }),
  );
}

/** A Content-Disposition that saves under `name` (RFC 6266: an ASCII fallback, then UTF-8). */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** GET /api/events: a server-sent event stream, opened with the current key and settings. */
async function openEvents(req: IncomingMessage, res: ServerResponse, { options, streams }: ShellState): Promise<void> {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  streams.add(res);
  // A page that reconnects missed the events in between: start every stream with the state. So does
  // a page whose first reads left before its stream opened (the catalogue list may have changed).
  const [key, settings, catalog] = await Promise.all([
    options.core.handlers['key.status']({}),
    options.core.handlers['settings.get']({}).catch(() => null),
    options.core.handlers['catalog.list']({ first: 1 }).then(listStatus, () => null),
  ]);
  res.write(frame('key.changed', key));
  if (settings) res.write(frame('settings.changed', settings));
  if (catalog) res.write(frame('catalog.changed', catalog));
  const heartbeat = setInterval(() => res.write(': ping\n\n'), 25_000);
  heartbeat.unref();
  req.on('close', () => {
    clearInterval(heartbeat);
    streams.delete(res);
  });
}

/**
 * A file of the built renderer (index.html for /, with the catalogue's first screen, and for the
 * printed address the script that forgets its token), never one outside it; `assets/` from memory.
 */
async function serveStatic(
  options: BrowserShellOptions,
  url: URL,
  res: ServerResponse,
  assets: AssetCache,
): Promise<void> {
  const { pathname } = url;
  const root = resolve(options.staticDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', 'Bad path.');
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return send(res, 400, 'text/plain; charset=utf-8', 'Bad path.');
  const file = resolve(join(root, decoded === '/' ? 'index.html' : decoded));
  if (file !== root && !file.startsWith(root + sep)) return send(res, 400, 'text/plain; charset=utf-8', 'Bad path.');
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const asset = dirname(file) === join(root, 'assets');
  const kept = asset ? assets.get(file) : undefined;
  if (kept) return send(res, 200, type, kept);
  try {
    const data = await readFile(file);
    if (asset) assets.set(file, data);
    if (file === join(root, 'index.html')) {
      const page = await withFirstScreen(data, options);
      return send(res, 200, type, url.searchParams.has('token') ? forgettingToken(page) : page);
    }
    send(res, 200, type, data);
  } catch {
    send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
  }
}

/**
 * The page with the catalogue's first screen from the cache, in #root with its own inline style,
 * shown on #catalog by its inline script (shared/early-rows.ts; development.md "The first rows in
 * the served page"): painted with the page, before the app's stylesheet, any script file or read. As built when the saved view does not open on the
 * first screen, without a cache or key, or when the core does not answer at once.
 */
async function withFirstScreen(page: Buffer, { core, logger }: BrowserShellOptions): Promise<string> {
  const read = Promise.all([
    core.handlers['settings.get']({}),
    core.handlers['catalog.list']({ first: SERVED_ROWS }),
  ]).then(([settings, first]) =>
    showsFirstScreen(settings, first) ? { frame: earlyFrameHtml(first, SERVED_ROWS), theme: settings.theme } : null,
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolveLate) => {
    timer = setTimeout(() => resolveLate(null), FIRST_SCREEN_WAIT_MS);
  });
  const screen = await Promise.race([read, late]).catch((err: unknown) => {
    logger.warn('The first screen was not put in the page', { error: String(err) });
    return null;
  });
  clearTimeout(timer);
  return withEarlyFrame(page.toString('utf8'), screen?.frame ?? null, screen?.theme);
}

/**
 * The page with {@link FORGET_TOKEN_SCRIPT} first in its head: after `<head>`, else after the
 * doctype (the parser then opens the head for it), else at the very start.
 */
export function forgettingToken(page: string): string {
  const at = /<head\b[^>]*>/i.exec(page) ?? /^\s*<!doctype[^>]*>/i.exec(page);
  const end = at ? at.index + at[0].length : 0;
  return `${page.slice(0, end)}<script>${FORGET_TOKEN_SCRIPT}</script>${page.slice(end)}`;
}

function frame(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

function baseHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, value: unknown): void {
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
