/**
 * A local GLPI Network services stand-in (docs/glpi-network-api.md Appendix B): real HTTP on 127.0.0.1, the
 * documented endpoint shapes, demo keys for every tier, and switchable faults.
 *
 * Used in-process by the integration and Playwright tests, and as its own process by
 * `npm run demo` (see standin-main.ts and the /__standin/ control API in control.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { maskKey } from '../../shared/key-format';
import { AccountBook, type Account } from './accounts';
import { demoCatalogue } from './catalog-data';
import type { StandinPlugin } from './catalog-types';
import { CONTROL_PREFIX, controlRoutes } from './control';
import { faultReply, parseFaultRules, takeFault, type Fault, type FaultRule } from './faults';
import { Marketplace, type DownloadHit, type NewVersion } from './marketplace';
import { registrationRoutes } from './registration';
import type { SourceShape } from './source-tree';
import { contextFor, json, matchRoute, type Reply, type Route } from './router';

export type { Account, DemoTier } from './accounts';
export { DEMO_KEYS, DEMO_TIERS, OFFERS } from './accounts';
export type { Fault, FaultMode, FaultRule } from './faults';
export type { ArchiveFormat, StandinPlugin, StandinVersion } from './catalog-types';
export type { DownloadHit, NewVersion } from './marketplace';
export { demoCatalogue, demoPremiumKeys, HOSTILE_PLUGIN_KEY, syntheticCatalogue } from './catalog-data';

export interface RecordedRequest {
  method: string;
  /** The request target as received: pathname plus query string. */
  path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface StandinOptions {
  /** 0 (default): a free port. */
  port?: number;
  /** No per-request line on stdout. */
  quiet?: boolean;
  /** Clock for subscription periods (tests that pin dates). */
  now?: () => Date;
  /** The marketplace catalogue (copied); default: demoCatalogue(). E.g. syntheticCatalogue(10_000). */
  catalogue?: StandinPlugin[];
}

export interface Standin {
  /** 'http://127.0.0.1:<port>', no trailing slash: the value for GLPI_NETWORK_SERVICES. */
  url: string;
  port: number;
  /** Every GLPI Network request, in arrival order (control API calls excluded). */
  requests: RecordedRequest[];
  /** Replaces all rules; [] clears. Throws TypeError on a malformed rule. */
  setFaults(rules: FaultRule[]): void;
  /** Adds or replaces an account; null makes the key unknown (demo keys included). */
  setAccount(key: string, account: Account | null): void;
  /** Replaces the marketplace catalogue (copied; archive cache dropped). Throws TypeError on a broken one. */
  setCatalogue(plugins: StandinPlugin[]): void;
  /** A copy of the current catalogue (download counts included). */
  getCatalogue(): StandinPlugin[];
  /** A copy of one plugin, or undefined. */
  getPlugin(key: string): StandinPlugin | undefined;
  /** Changes one plugin (on a copy, checked, then swapped in). Throws RangeError for an unknown key. */
  updatePlugin(key: string, change: (plugin: StandinPlugin) => void): void;
  /**
   * Publishes a new version ("an update appears"): format defaults to the plugin's latest one,
   * date to today (and `date_updated` follows).
   */
  addVersion(key: string, version: NewVersion): void;
  /** Pads every archive of a plugin with `bytes` of incompressible data (0: none). */
  setArchivePadding(key: string, bytes: number): void;
  /**
   * The body of every archive of a plugin (`source-tree.ts`): a shape, `null` for none, `undefined`
   * for the default (the key's real shape where REAL_SHAPES has one).
   */
  setArchiveSource(key: string, shape: SourceShape | null | undefined): void;
  /**
   * The author republishes a version in place: its archive keeps its URL and version but comes
   * with other bytes (another SHA-256) from now on; returns how many times it was republished.
   */
  republish(key: string, version: string): number;
  /** The archive URL the catalogue gives for a version (its `download_url` when overridden). */
  archiveUrl(key: string, num: string): string;
  /** Download-counter hits (`plugin/{key}/download/{version}`), in arrival order. */
  downloads: DownloadHit[];
  /** Stops listening and destroys every socket, stalled ones included. Never hangs. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const quiet = options.quiet ?? false;
  const book = new AccountBook(options.now);
  const requests: RecordedRequest[] = [];
  let rules: FaultRule[] = [];

  const marketplace = new Marketplace(book, () => `http://${HOST}:${port}`, options.catalogue ?? demoCatalogue());
  // Faults, logging and 404/405 handling apply to every family alike.
  const routes: Route[] = [...registrationRoutes(book), ...marketplace.routes()];

  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const closings: Promise<void>[] = [];
  let server: Server | null = null;
  let opening: Promise<void> | null = null;
  let refuseTimer: NodeJS.Timeout | null = null;
  let closed = false;
  let port = options.port ?? 0;

  const wantsRefuse = (): boolean => rules.some((rule) => rule.fault.mode === 'refuse');

  const control = controlRoutes({
    setFaults: (next) => setFaults(next),
    setAccount: (key, account) => book.set(key, account),
    requests: () => requests,
    setCatalogue: (plugins) => marketplace.setCatalogue(plugins),
    addVersion: (key, version) => marketplace.addVersion(key, version),
    setArchivePadding: (key, bytes) => marketplace.setArchivePadding(key, bytes),
    setArchiveSource: (key, shape) => marketplace.setArchiveSource(key, shape),
    republish: (key, version) => marketplace.republish(key, version),
    downloads: () => marketplace.downloads,
  });

  function listen(): Promise<void> {
    const s = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        console.error('[standin] handler failed:', error);
        if (!res.headersSent) send(res, json(500, { error: 'Stand-in internal error' }));
        else res.destroy();
      });
    });
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, HOST, () => {
        s.off('error', reject);
        port = (s.address() as AddressInfo).port;
        server = s;
        // A refuse rule (or close) may have come while we were binding.
        if (closed || wantsRefuse()) stopListening();
        resolve();
      });
    });
  }

  /** Synchronous on purpose: once setFaults returns, new connections are already refused. */
  function stopListening(): void {
    const s = server;
    server = null;
    if (s) closings.push(new Promise<void>((resolve) => s.close(() => resolve())));
    for (const socket of sockets) socket.destroy();
  }

  function reopen(): void {
    if (closed || server || opening) return;
    opening = listen()
      .catch((error: unknown) => console.error(`[standin] could not reopen port ${port}:`, error))
      .finally(() => {
        opening = null;
      });
  }

  function setFaults(next: FaultRule[]): void {
    const check = parseFaultRules(next, { requireRefuseMs: false });
    if (!check.ok) throw new TypeError(`Invalid fault rules: ${check.error}`);
    rules = check.rules;
    if (refuseTimer) clearTimeout(refuseTimer);
    refuseTimer = null;
    const refuse = rules.find((rule) => rule.fault.mode === 'refuse')?.fault;
    if (!refuse) return reopen();
    stopListening();
    if (refuse.mode === 'refuse' && refuse.ms !== undefined) {
      refuseTimer = setTimeout(() => {
        refuseTimer = null;
        rules = rules.filter((rule) => rule.fault.mode !== 'refuse');
        reopen();
      }, refuse.ms);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const url = parseTarget(target);
    if (!url) return send(res, json(400, { error: 'Bad request target' }));

    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      if (!quiet) console.log(`[standin] ${req.method} ${target} (control)`);
      return send(res, await route(control, req, url, { readOnly: false }));
    }

    requests.push({ method: req.method ?? '', path: target, headers: flatHeaders(req), at: Date.now() });
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const fault = takeFault(rules, url.pathname, (f) => marketplace.faultApplies(f, url.pathname, header));
    if (!quiet) console.log(logLine(req, target, fault));

    if (!fault) return send(res, await route(routes, req, url));
    switch (fault.mode) {
      case 'stall':
        return; // the socket stays open until the client gives up or close() destroys it
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'latency':
        await delay(fault.ms);
        if (closed) return;
        return send(res, await route(routes, req, url));
      case 'truncated':
        return sendTruncated(res, await route(routes, req, url));
      default:
        // Modes the route applies itself (marketplace lists, archives) get no faultReply.
        return send(res, faultReply(fault, target) ?? (await route(routes, req, url, { fault })));
    }
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    if (refuseTimer) clearTimeout(refuseTimer);
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await opening;
    stopListening();
    // server.close() resolves once every socket is gone; they were all destroyed just above, but
    // a test teardown must never hang on a surprise, hence the cap.
    let cap: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closings),
      new Promise<void>((resolve) => {
        cap = setTimeout(resolve, 1000);
      }),
    ]);
    clearTimeout(cap);
  }

  await listen();
  return {
    url: `http://${HOST}:${port}`,
    port,
    requests,
    setFaults,
    setAccount: (key, account) => book.set(key, account),
    setCatalogue: (plugins) => marketplace.setCatalogue(plugins),
    getCatalogue: () => marketplace.catalogue(),
    getPlugin: (key) => marketplace.plugin(key),
    updatePlugin: (key, change) => marketplace.updatePlugin(key, change),
    addVersion: (key, version) => marketplace.addVersion(key, version),
    setArchivePadding: (key, bytes) => marketplace.setArchivePadding(key, bytes),
    setArchiveSource: (key, shape) => marketplace.setArchiveSource(key, shape),
    republish: (key, version) => marketplace.republish(key, version),
    archiveUrl: (key, num) => {
      const plugin = marketplace.plugin(key);
      const version = plugin?.versions.find((v) => v.num === num);
      if (!plugin || !version) throw new RangeError(`No version ${num} of ${key} in the catalogue`);
      return version.download_url ?? marketplace.archiveUrl(plugin, version);
    },
    downloads: marketplace.downloads,
    close,
  };
}

async function route(
  table: readonly Route[],
  req: IncomingMessage,
  url: URL,
  { readOnly = true, fault = null }: { readOnly?: boolean; fault?: Fault | null } = {},
): Promise<Reply> {
  const match = matchRoute(table, req.method ?? 'GET', url.pathname, readOnly);
  switch (match.kind) {
    case 'found':
      return match.route.handle(contextFor(req, url, match.params, fault));
    case 'method-not-allowed':
      return json(405, { error: 'Method not allowed' }, { Allow: match.allow.join(', ') });
    case 'not-found':
      return json(404, { error: 'Not found' });
  }
}

function parseTarget(target: string): URL | null {
  try {
    // Origin-form ("/api/ping") is what clients send; absolute-form comes from proxy-style clients.
    return target.startsWith('/') ? new URL(`http://${HOST}${target}`) : new URL(target);
  } catch {
    return null;
  }
}

function body(reply: Reply): Buffer {
  if (reply.body === undefined) return Buffer.alloc(0);
  return typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
}

function send(res: ServerResponse, reply: Reply): void {
  const bytes = body(reply);
  res.writeHead(reply.status, { Date: new Date().toUTCString(), 'Content-Length': bytes.length, ...reply.headers });
  res.end(bytes, reply.after);
}

/** Announces the whole body, sends about half, then drops the connection mid-body. */
function sendTruncated(res: ServerResponse, reply: Reply): void {
  const bytes = body(reply);
  res.writeHead(reply.status, { Date: new Date().toUTCString(), ...reply.headers, 'Content-Length': bytes.length });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headersDistinct)) {
    if (value) headers[name] = value.join(', ');
  }
  return headers;
}

/** One short line per request; the key only ever appears masked. */
function logLine(req: IncomingMessage, target: string, fault: Fault | null): string {
  const key = req.headers['x-registration-key'];
  const parts = [`[standin] ${req.method} ${target}`];
  if (typeof key === 'string') parts.push(`key=${maskKey(key)}`);
  const lang = req.headers['accept-language'];
  if (lang) parts.push(`lang=${lang.slice(0, 12)}`);
  if (fault) parts.push(`fault=${fault.mode}`);
  return parts.join(' ');
}
