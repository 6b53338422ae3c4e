/**
 * The doctor's connectivity probe: route, DNS, TCP (and proxy tunnel), TLS, HTTP and clock, one
 * step after the other, each with its duration and verdict, stopping at the first failure with the
 * fix for it. Pure: the sockets live behind `ConnectivityPort` (electron/adapters/doctor/net-probe.ts).
 *
 * Secrets: request header values and the proxy authorization are handed to the port and never put
 * in a result; every text of the report also goes through a Redactor that knows them, in case a
 * port's error message echoes one.
 */
import { Redactor } from '../redact';

export type StepId = 'route' | 'dns' | 'tcp' | 'tls' | 'http' | 'clock';
export type StepState = 'ok' | 'warning' | 'failed' | 'skipped';

export interface StepResult {
  id: StepId;
  state: StepState;
  /** Wall time spent in the step, rounded to the millisecond. */
  ms: number;
  summary: string;
  details?: Record<string, string>;
  fix?: string;
}

export const STEP_IDS: readonly StepId[] = ['route', 'dns', 'tcp', 'tls', 'http', 'clock'];

/**
 * The route decided elsewhere (proxy settings, NO_PROXY…; `routeFor` in ../proxy.ts gives one, with
 * its `why`): the probe only follows it. `authorization` is the Proxy-Authorization value (secret).
 */
export type RouteDecision =
  { kind: 'direct'; why?: string } | { kind: 'proxy'; proxyUrl: string; authorization?: string; why?: string };

export interface ProbeTimeouts {
  /** DNS resolution, and the TCP connection (all addresses tried within it). */
  connectMs: number;
  /** The proxy's answer to CONNECT, the TLS handshake, and the HTTP answer's status line and headers. */
  handshakeMs: number;
  /** The whole probe; each step gets at most what is left of it. */
  totalMs: number;
}

/** GLPI's 5 s connect timeout, and the 15 s per attempt of the GLPI Network client. */
export const DEFAULT_PROBE_TIMEOUTS: ProbeTimeouts = { connectMs: 5_000, handshakeMs: 10_000, totalMs: 15_000 };

/** Beyond this the clock step warns (TLS validity and signed answers start to misbehave). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface ConnectivityInput {
  /** `https://…`, or `http://…` on a loopback host only. */
  url: string;
  route: RouteDecision;
  /** Sent with the GET. Values are secret (the registration key is among them): never reported. */
  headers?: Record<string, string>;
  /** PEM strings trusted in addition to Node's default roots (Settings > Network > Extra certificates). */
  extraCaPems?: readonly string[];
  timeouts?: Partial<ProbeTimeouts>;
  /** Cancels the probe: it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The local clock (compared with the server's Date header and the certificate dates). */
  now?: () => Date;
  /** `process.platform`, to give only this OS's instructions; all of them when unknown. */
  platform?: string;
}

export interface ConnectivityReport {
  url: string;
  /** `failed` when a step failed, `warning` when one warned, else `ok`. */
  state: 'ok' | 'warning' | 'failed';
  /** Always the six steps, in order; those after a failure are `skipped`. */
  steps: StepResult[];
  /** The fix of the failed step, if any. */
  fix?: string;
}

// ---------------------------------------------------------------------------------------------
// The port

export interface Endpoint {
  host: string;
  port: number;
}

export interface CertificateInfo {
  /** Distinguished name, e.g. `CN=localhost, O=Example`. */
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  /** As Node prints it: `DNS:localhost, IP Address:127.0.0.1`. */
  altNames?: string;
  fingerprint256: string;
}

/**
 * Where a verified chain ends: Node's bundled public roots (`tls.rootCertificates`), one of the
 * extra certificates given to the probe, or another root this process trusts (NODE_EXTRA_CA_CERTS…).
 */
export type TrustAnchor = 'public' | 'extra' | 'local';

export interface TlsSession {
  protocol: string;
  cipher?: string;
  /** Leaf first, as far as it could be built; the last one is the trust anchor. */
  chain: CertificateInfo[];
  anchor: TrustAnchor;
}

export interface TunnelAnswer {
  status: number;
  statusText: string;
  /** The `Proxy-Authenticate` challenges (scheme and realm; no secret in them). */
  proxyAuthenticate: string[];
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  /** Lower-case names. */
  headers: Record<string, string>;
}

/**
 * The sockets, in the adapter. Every method honours `signal` (the probe also enforces its deadlines
 * itself and closes whatever arrives late). Failures are thrown as errors with a Node-style `code`
 * (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID…).
 */
export interface ConnectivityPort<C> {
  /** Every address of `host`, in the resolver's order. */
  resolve(host: string, signal: AbortSignal): Promise<string[]>;
  connect(address: string, port: number, signal: AbortSignal): Promise<C>;
  /** Sends CONNECT for `target` on a connection to a proxy. On 2xx, `conn` is the tunnel. */
  tunnel(conn: C, target: Endpoint, authorization: string | undefined, signal: AbortSignal): Promise<TunnelAnswer>;
  /**
   * A verifying handshake (default roots plus `extraCaPems`, host name checked against `host`).
   * Returns the TLS connection, which owns `conn` from then on.
   */
  tlsHandshake(
    conn: C,
    opts: { host: string; extraCaPems: readonly string[]; signal: AbortSignal },
  ): Promise<{ conn: C; session: TlsSession }>;
  /**
   * After a failed verifying handshake only: a second handshake WITHOUT verification whose sole
   * purpose is to read and describe the certificate the server presents. Nothing is sent over it;
   * it is closed at once. Leaf first.
   */
  peekCertificate(conn: C, opts: { host: string; signal: AbortSignal }): Promise<CertificateInfo[]>;
  /** One GET; resolves on the status line and headers (the body is not read). */
  httpGet(
    conn: C,
    req: {
      url: string;
      /** Through a proxy without a tunnel (plain http): the request line carries the absolute URL. */
      absoluteForm: boolean;
      headers: Record<string, string>;
      signal: AbortSignal;
    },
  ): Promise<HttpAnswer>;
  close(conn: C): void;
}

/** Thrown by the probe's own deadlines; ports may use the code too. */
export class ProbeTimeoutError extends Error {
  readonly code = 'PROBE_TIMEOUT';
  constructor(
    readonly ms: number,
    /** The probe's total time ran out rather than the step's own limit. */
    readonly total: boolean,
  ) {
    super(`timed out after ${ms} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

// ---------------------------------------------------------------------------------------------
// The probe

interface Target extends Endpoint {
  url: URL;
  https: boolean;
}

interface Proxy extends Endpoint {
  authorization?: string;
  label: string;
  /** An https:// proxy: TLS to the proxy first, then CONNECT inside it. */
  tls: boolean;
}

/** A step failed: its result is final and the rest is skipped. */
class StepFailed extends Error {
  constructor(readonly result: StepResult) {
    super(result.summary);
  }
}

export async function runConnectivityProbe<C>(
  port: ConnectivityPort<C>,
  input: ConnectivityInput,
): Promise<ConnectivityReport> {
  const timeouts = { ...DEFAULT_PROBE_TIMEOUTS, ...input.timeouts };
  const now = input.now ?? (() => new Date());
  const os = input.platform;
  const parent = input.signal ?? new AbortController().signal;
  parent.throwIfAborted();
  const startedAt = performance.now();
  const redactor = new Redactor();
  for (const value of Object.values(input.headers ?? {})) redactor.add(value);
  if (input.route.kind === 'proxy') {
    if (input.route.authorization) {
      redactor.add(input.route.authorization);
      // "Basic dXNlcjpwYXNz": the credentials alone too.
      const token = input.route.authorization.split(/\s+/)[1];
      if (token) redactor.add(token);
    }
    try {
      const p = new URL(input.route.proxyUrl);
      if (p.username) redactor.add(decodeURIComponent(p.username));
      if (p.password) redactor.add(decodeURIComponent(p.password));
    } catch {
      // Reported by the route step.
    }
  }

  let target: Target | undefined;
  let proxy: Proxy | undefined;
  let conn: C | undefined;
  let addresses: string[] = [];
  let connectedAddress = '';
  let serverDate: string | undefined;

  const steps: StepResult[] = [];
  const open = new Set<C>();
  const close = (c: C | undefined) => {
    if (c === undefined) return;
    open.delete(c);
    try {
      port.close(c);
    } catch {
      // Closing is best effort.
    }
  };
  /** Closes every connection still open (a TLS one and the TCP one under it alike). */
  const closeAll = () => {
    for (const c of [...open]) close(c);
    conn = undefined;
  };

  /** Runs `work` within the step limit (capped by what is left of the total). */
  const within = <T>(limitMs: number, work: (signal: AbortSignal) => Promise<T>, late?: (value: T) => void) => {
    const left = timeouts.totalMs - (performance.now() - startedAt);
    const total = left < limitMs;
    return deadline(Math.max(0, Math.min(limitMs, left)), total, parent, work, late);
  };
  const connLimit = () => Math.min(timeouts.connectMs, timeouts.totalMs);
  const shakeLimit = () => Math.min(timeouts.handshakeMs, timeouts.totalMs);

  const step = async (id: StepId, body: () => Outcome | Promise<Outcome>) => {
    const t0 = performance.now();
    try {
      const r = await body();
      steps.push({ id, ms: elapsed(t0), ...r });
    } catch (err) {
      if (parent.aborted) throw parent.reason;
      if (err instanceof StepFailed) {
        steps.push({ ...err.result, id, ms: elapsed(t0) });
        throw err;
      }
      // A bug or an unexpected port failure: still a classified, final result.
      steps.push({
        id,
        ms: elapsed(t0),
        state: 'failed',
        summary: `Unexpected failure: ${describeError(err)}`,
        fix: 'This is not a network problem Marketdesk knows about; send the log to your administrator.',
      });
      throw new StepFailed(steps[steps.length - 1] as StepResult);
    }
  };
  const fail = (r: Omit<StepResult, 'id' | 'ms'>): never => {
    throw new StepFailed({ id: 'route', ms: 0, ...r, state: 'failed' });
  };

  /** TLS to an https:// proxy, on a connection to it; the TLS connection is tracked too. */
  const proxyTls = async (p: Proxy, c: C): Promise<{ conn: C; session: TlsSession }> => {
    const r = await within(
      shakeLimit(),
      (s) => port.tlsHandshake(c, { host: p.host, extraCaPems: input.extraCaPems ?? [], signal: s }),
      (late) => close(late.conn),
    );
    open.add(r.conn);
    return r;
  };

  /** The path to the target again (connection, proxy TLS, tunnel), for the describe-only handshake. */
  const reopen = async (): Promise<C> => {
    const hop = (proxy ?? target) as Endpoint;
    let c: C = await within(connLimit(), (s) => port.connect(connectedAddress, hop.port, s), close);
    open.add(c);
    if (proxy && target) {
      const t = target;
      if (proxy.tls) c = (await proxyTls(proxy, c)).conn;
      const tunnelled = c;
      const answer = await within(shakeLimit(), (s) => port.tunnel(tunnelled, t, proxy?.authorization, s));
      if (answer.status < 200 || answer.status > 299) throw new Error(`tunnel refused (${answer.status})`);
    }
    return c;
  };

  try {
    await step('route', (): Outcome => {
      target = parseTarget(input.url, fail);
      const why: Record<string, string> = input.route.why ? { decision: input.route.why } : {};
      if (input.route.kind === 'direct')
        return {
          state: 'ok',
          summary: `Direct connection to ${hostPort(target)} (no proxy).`,
          details: { route: 'direct', target: hostPort(target), ...why },
        };
      proxy = parseProxy(input.route.proxyUrl, input.route.authorization, fail);
      return {
        state: 'ok',
        summary: `Through the ${proxy.tls ? 'HTTPS' : 'HTTP'} proxy ${proxy.label}${target.https ? `, with a CONNECT tunnel to ${hostPort(target)}` : ''}.`,
        details: {
          route: 'proxy',
          proxy: proxy.label,
          target: hostPort(target),
          'proxy authentication': authScheme(proxy.authorization),
          ...why,
        },
      };
    });
    const t = target as Target;

    await step('dns', async (): Promise<Outcome> => {
      const name = (proxy ?? t).host;
      const what = proxy ? `The proxy's name ${name}` : `The name ${name}`;
      if (isIpLiteral(name)) {
        addresses = [name];
        return {
          state: 'ok',
          summary: `${proxy ? `The proxy's address ${name}` : name} is an IP address: no DNS lookup needed.`,
          details: { host: name, addresses: name },
        };
      }
      try {
        addresses = await within(connLimit(), (s) => port.resolve(name, s));
      } catch (err) {
        fail(dnsFailure(name, proxy, err));
      }
      if (addresses.length === 0)
        fail(dnsFailure(name, proxy, Object.assign(new Error('no address'), { code: 'ENODATA' })));
      return {
        state: 'ok',
        summary: `${what} resolves to ${addresses.join(', ')}.`,
        details: { host: name, addresses: addresses.join(', ') },
      };
    });

    await step('tcp', async (): Promise<Outcome> => {
      const hop: Endpoint = proxy ?? t;
      const tried: Record<string, string> = {};
      let lastErr: unknown;
      const t0 = performance.now();
      const limit = connLimit();
      for (const address of addresses) {
        const left = limit - (performance.now() - t0);
        if (left <= 0) break;
        try {
          conn = await within(left, (s) => port.connect(address, hop.port, s), close);
          open.add(conn);
          connectedAddress = address;
          break;
        } catch (err) {
          if (parent.aborted) throw err;
          lastErr = err;
          tried[address] = errorCode(err) ?? describeError(err);
          if (err instanceof ProbeTimeoutError) break;
        }
      }
      if (conn === undefined)
        fail(tcpFailure(hop, proxy, addresses, lastErr ?? new ProbeTimeoutError(limit, false), limit, tried));
      const connectMs = elapsed(t0);
      const details: Record<string, string> = {
        address: `${connectedAddress}:${hop.port}`,
        'connect ms': String(connectMs),
        ...prefixed('failed ', tried),
      };
      if (!proxy) return { state: 'ok', summary: `Connected to ${hostPort(t)} (${connectedAddress}).`, details };
      const p = proxy;
      if (p.tls) {
        const t2 = performance.now();
        try {
          const r = await proxyTls(p, conn as C);
          conn = r.conn;
          const leaf = r.session.chain[0];
          details['proxy tls'] =
            `${r.session.protocol}${leaf ? `, certificate for ${displayName(leaf.subject)} issued by ${displayName(leaf.issuer)}` : ''}`;
          details['proxy tls ms'] = String(elapsed(t2));
        } catch (err) {
          if (parent.aborted) throw err;
          return fail({ ...proxyTlsFailure(p, err, os), details });
        }
      }
      if (!t.https)
        return {
          state: 'ok',
          summary: `Connected to the proxy ${p.label} (${connectedAddress}); plain http goes through it without a tunnel.`,
          details,
        };
      const c = conn as C;
      const t1 = performance.now();
      let answer: TunnelAnswer;
      try {
        answer = await within(shakeLimit(), (s) => port.tunnel(c, t, p.authorization, s));
      } catch (err) {
        return fail({ ...tunnelError(p, t, err), details });
      }
      details['tunnel'] = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
      details['tunnel ms'] = String(elapsed(t1));
      if (answer.proxyAuthenticate.length > 0) details['proxy-authenticate'] = answer.proxyAuthenticate.join('; ');
      if (answer.status < 200 || answer.status > 299) fail({ ...tunnelRefused(p, t, answer), details });
      return {
        state: 'ok',
        summary: `Connected to the proxy ${p.label} (${connectedAddress}); it opened a tunnel to ${hostPort(t)}.`,
        details,
      };
    });

    await step('tls', async (): Promise<Outcome> => {
      if (!t.https) return { state: 'skipped', summary: `Plain http to the loopback address ${t.host}: no TLS.` };
      const plain = conn as C;
      let result: { conn: C; session: TlsSession };
      try {
        result = await within(
          shakeLimit(),
          (s) => port.tlsHandshake(plain, { host: t.host, extraCaPems: input.extraCaPems ?? [], signal: s }),
          (late) => close(late.conn),
        );
      } catch (err) {
        if (parent.aborted) throw err;
        closeAll();
        const code = errorCode(err);
        let chain: CertificateInfo[] = [];
        if (code && isCertificateCode(code)) {
          // The verifying handshake failed on the certificate: look at it through a second,
          // non-verifying handshake (see ConnectivityPort.peekCertificate), for the report only.
          try {
            const peek = await reopen();
            chain = await within(shakeLimit(), (s) => port.peekCertificate(peek, { host: t.host, signal: s }));
          } catch (peekErr) {
            if (parent.aborted) throw peekErr;
            chain = [];
          } finally {
            closeAll();
          }
        }
        return fail(tlsFailure(t, err, chain, now(), os));
      }
      conn = result.conn;
      open.add(conn);
      return tlsSuccess(t, result.session);
    });

    await step('http', async (): Promise<Outcome> => {
      const c = conn as C;
      const absoluteForm = proxy !== undefined && !t.https;
      const headers = { ...input.headers };
      // Without a tunnel, the proxy reads the request itself: its credentials go with it.
      if (absoluteForm && proxy?.authorization) headers['Proxy-Authorization'] = proxy.authorization;
      let answer: HttpAnswer;
      try {
        answer = await within(shakeLimit(), (s) =>
          port.httpGet(c, { url: t.url.href, absoluteForm, headers, signal: s }),
        );
      } catch (err) {
        return fail(httpFailure(t, proxy, err));
      } finally {
        closeAll();
      }
      serverDate = answer.headers['date'];
      const details: Record<string, string> = {
        request: `GET ${t.url.pathname}${t.url.search ? '?…' : ''}`,
        status: `${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`,
        'date header': serverDate ?? '(none)',
      };
      const names = Object.keys(input.headers ?? {});
      if (names.length > 0) details['headers sent'] = names.join(', ');
      if (answer.status === 407 && absoluteForm && proxy)
        fail({ ...proxyAuthRequired(proxy, t, answer, 'http'), details });
      if (answer.status >= 400)
        return {
          state: 'warning',
          summary: `${hostPort(t)} answered HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}: the network path works, but this is not a success answer.`,
          details,
          fix:
            answer.status >= 500
              ? `The server or a device in front of it reports a problem. Try again in a few minutes; if it persists, open ${t.url.origin} in a browser on this machine to see what answers.`
              : `Check the URL (${t.url.origin}${t.url.pathname}) and, for 401/403, the registration key. If a proxy or a captive portal answers in place of ${t.host}, ask your IT team.`,
        };
      return { state: 'ok', summary: `${hostPort(t)} answered HTTP ${answer.status}.`, details };
    });

    await step('clock', (): Outcome => clockStep(serverDate, now(), os));
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
  } finally {
    closeAll();
  }

  for (const id of STEP_IDS)
    if (!steps.some((s) => s.id === id))
      steps.push({ id, state: 'skipped', ms: 0, summary: 'Not run: an earlier step failed.' });
  const failed = steps.find((s) => s.state === 'failed');
  const report: ConnectivityReport = {
    url: redactor.text(input.url),
    state: failed ? 'failed' : steps.some((s) => s.state === 'warning') ? 'warning' : 'ok',
    steps: steps.map((s) => redactStep(s, redactor)),
  };
  if (failed?.fix) report.fix = redactor.text(failed.fix);
  return report;
}

/** Runs `work` with a signal that aborts at the deadline or with `parent`; rejects at once then. */
function deadline<T>(
  ms: number,
  total: boolean,
  parent: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
  late?: (value: T) => void,
): Promise<T> {
  const ctl = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
      fn();
      return true;
    };
    const onAbort = () =>
      finish(() => {
        ctl.abort(parent.reason);
        reject(parent.reason as Error);
      });
    const timer = setTimeout(
      () =>
        finish(() => {
          const err = new ProbeTimeoutError(Math.round(ms), total);
          ctl.abort(err);
          reject(err);
        }),
      ms,
    );
    if (parent.aborted) return onAbort();
    parent.addEventListener('abort', onAbort);
    let p: Promise<T>;
    try {
      p = work(ctl.signal);
    } catch (err) {
      finish(() => reject(toError(err)));
      return;
    }
    p.then(
      (v) => {
        if (!finish(() => resolve(v))) late?.(v);
      },
      (err: unknown) => finish(() => reject(toError(err))),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Parsing the inputs

function parseTarget(raw: string, fail: (r: Omit<StepResult, 'id' | 'ms'>) => never): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail({
      state: 'failed',
      summary: `"${raw}" is not a URL.`,
      fix: 'Enter a full address such as https://services.glpi-network.com.',
    });
  }
  const host = bareHost(url.hostname);
  if (url.protocol === 'http:' && !isLoopback(host))
    return fail({
      state: 'failed',
      summary: `${url.origin} is plain http: Marketdesk only talks https to GLPI Network (plain http on loopback only).`,
      fix: `Use https://${url.host}${url.pathname} instead.`,
    });
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail({
      state: 'failed',
      summary: `${url.protocol} URLs cannot be checked; only https (and http on loopback).`,
      fix: 'Enter an https:// address.',
    });
  const https = url.protocol === 'https:';
  return { url, https, host, port: Number(url.port || (https ? 443 : 80)) };
}

function parseProxy(
  raw: string,
  authorization: string | undefined,
  fail: (r: Omit<StepResult, 'id' | 'ms'>) => never,
): Proxy {
  let url: URL;
  try {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim())) throw new Error('no scheme');
    url = new URL(raw);
    if (!url.hostname) throw new Error('no host');
  } catch {
    return fail({
      state: 'failed',
      summary: 'The proxy address is not a URL.',
      fix: 'Set the proxy as http://host:port in Marketdesk: Settings > Network.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return fail({
      state: 'failed',
      summary: `The proxy ${url.host} uses ${url.protocol.replace(':', '')}; only HTTP proxies (http:// or https://) are supported.`,
      fix: 'Set the proxy as http://host:port in Marketdesk: Settings > Network (HTTPS to the target still goes through a CONNECT tunnel, end to end).',
    });
  const host = bareHost(url.hostname);
  const tls = url.protocol === 'https:';
  const port = Number(url.port || (tls ? 443 : 80));
  const proxy: Proxy = { host, port, label: `${url.hostname}:${port}`, tls };
  if (authorization) proxy.authorization = authorization;
  return proxy;
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (/^[0-9a-f:.]+$/i.test(host) && host.includes(':'));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

// ---------------------------------------------------------------------------------------------
// Classification and fixes

/** The certificate-verification codes after which the certificate is worth describing. */
export const CERTIFICATE_CODES = [
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'INVALID_CA',
];

function isCertificateCode(code: string): boolean {
  return CERTIFICATE_CODES.includes(code) || code.startsWith('CERT_');
}

/** A step's verdict before the probe adds its id and duration. */
export type StepOutcome = Omit<StepResult, 'id' | 'ms'>;
type Outcome = StepOutcome;

const PROXY_SETTINGS = 'Marketdesk: Settings > Network';
const EXTRA_CERTS = 'Marketdesk: Settings > Network > Extra certificates';

/** How to trust a root certificate saved as root.crt, for this OS (all of them when unknown). */
export function trustRootFix(platform?: string): string {
  const linux =
    'on Debian/Ubuntu: `cp root.crt /usr/local/share/ca-certificates/ && update-ca-certificates` (as root; the file name must end in .crt); on RHEL/Fedora: `cp root.crt /etc/pki/ca-trust/source/anchors/ && update-ca-trust` (as root)';
  const windows =
    'on Windows: run certlm.msc as an administrator, right-click Trusted Root Certification Authorities > All Tasks > Import, and import root.crt';
  const mac =
    'on macOS: open Keychain Access, import root.crt into the System keychain, then open it and set Trust > "When using this certificate" to Always Trust';
  switch (platform) {
    case 'linux':
      return linux;
    case 'win32':
      return windows;
    case 'darwin':
      return mac;
    default:
      return `${linux}; ${windows}; ${mac}`;
  }
}

/** How to set the clock right, for this OS (all of them when unknown). */
export function clockFix(platform?: string): string {
  const linux =
    'on Linux: turn on network time with `timedatectl set-ntp true` (as root), then check `timedatectl status`';
  const windows =
    'on Windows: Settings > Time & language > Date & time, turn on "Set time automatically" and click "Sync now"';
  const mac = 'on macOS: System Settings > General > Date & Time, turn on "Set time and date automatically"';
  switch (platform) {
    case 'linux':
      return linux;
    case 'win32':
      return windows;
    case 'darwin':
      return mac;
    default:
      return `${linux}; ${windows}; ${mac}`;
  }
}

function trustRootSteps(rootName: string, platform?: string): string {
  return `Get the root certificate ${rootName} from your IT team (saved as root.crt) and trust it: ${trustRootFix(platform)}. Then add the same file in ${EXTRA_CERTS}.`;
}

function firewallFix(hop: Endpoint, addresses: string[]): string {
  const addrs = addresses.filter((a) => a !== hop.host);
  return `allow outgoing TCP ${hop.port} from this machine to ${hop.host}${addrs.length > 0 ? ` (${addrs.join(', ')})` : ''} in the firewall`;
}

function dnsFailure(name: string, proxy: Proxy | undefined, err: unknown): Outcome {
  const code = errorCode(err);
  const summary =
    err instanceof ProbeTimeoutError
      ? `No DNS answer for ${name} within ${limitText(err)}.`
      : code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'ENODATA' || code === 'EAI_NODATA'
        ? `${name} could not be resolved: the name does not exist, or this machine's DNS server does not know it (${code}).`
        : code === 'EAI_AGAIN'
          ? `The DNS server did not answer for ${name} (EAI_AGAIN: temporary failure).`
          : `Resolving ${name} failed (${code ?? describeError(err)}).`;
  const fix = proxy
    ? `Check the proxy host name "${name}" in ${PROXY_SETTINGS}, and this machine's DNS settings (try \`nslookup ${name}\`).`
    : `Check this machine's DNS settings and that it resolves ${name} (try \`nslookup ${name}\`). If your network reaches the internet only through a proxy, set it in ${PROXY_SETTINGS}.`;
  return { state: 'failed', summary, fix, details: { host: name, ...(code ? { code } : {}) } };
}

function tcpFailure(
  hop: Endpoint,
  proxy: Proxy | undefined,
  addresses: string[],
  err: unknown,
  limitMs: number,
  tried: Record<string, string>,
): Outcome {
  const code = errorCode(err);
  const what = proxy ? `the proxy ${proxy.label}` : `${hop.host}:${hop.port}`;
  const details = { addresses: addresses.join(', '), ...prefixed('failed ', tried) };
  const allow = firewallFix(hop, addresses);
  const checkProxy = proxy
    ? `Check the proxy address and port in ${PROXY_SETTINGS} (now ${proxy.label}), and ${allow}.`
    : undefined;
  if (err instanceof ProbeTimeoutError || code === 'ETIMEDOUT')
    return {
      state: 'failed',
      summary: `No answer from ${what} within ${err instanceof ProbeTimeoutError ? limitText(err) : `${limitMs} ms`}: a firewall is probably dropping the traffic silently.`,
      fix: checkProxy ?? `${capitalize(allow)}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
      details,
    };
  if (code === 'ECONNREFUSED')
    return {
      state: 'failed',
      summary: `The connection to ${what} was refused (ECONNREFUSED): nothing accepts connections on port ${hop.port}, or a firewall rejects them.`,
      fix: checkProxy ?? `${capitalize(allow)}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
      details,
    };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return {
      state: 'failed',
      summary: `No network route to ${what} (${code}).`,
      fix:
        checkProxy ??
        `Check this machine's network connection, then ${allow}; if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
      details,
    };
  return {
    state: 'failed',
    summary: `Connecting to ${what} failed (${code ?? describeError(err)}).`,
    fix: checkProxy ?? `${capitalize(allow)}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
    details,
  };
}

function proxyAuthRequired(
  proxy: Proxy,
  target: Target,
  answer: { status: number; headers?: Record<string, string>; proxyAuthenticate?: string[] },
  where: 'tunnel' | 'http',
): Outcome {
  const challenge = answer.proxyAuthenticate?.[0] ?? answer.headers?.['proxy-authenticate'];
  const scheme = challenge ? challenge.split(/[\s,]+/)[0] : undefined;
  const summary = proxy.authorization
    ? `Proxy authentication required: the proxy ${proxy.label} rejected the credentials given (HTTP 407${scheme ? `, it asks for ${scheme}` : ''}) ${where === 'tunnel' ? 'for the tunnel to' : 'for'} ${hostPort(target)}.`
    : `Proxy authentication required: the proxy ${proxy.label} answered HTTP 407${scheme ? ` (it asks for ${scheme})` : ''} ${where === 'tunnel' ? 'to the tunnel request for' : 'for'} ${hostPort(target)}.`;
  const fix = proxy.authorization
    ? `Check the proxy user name and password in ${PROXY_SETTINGS}${scheme && !/^basic$/i.test(scheme) ? `; the proxy asks for ${scheme}, ask your IT team whether it also accepts Basic` : ''}.`
    : `Enter the proxy user name and password in ${PROXY_SETTINGS}${scheme && !/^basic$/i.test(scheme) ? ` (the proxy asks for ${scheme}; ask your IT team whether it also accepts Basic)` : ''}.`;
  return { state: 'failed', summary, fix };
}

function proxyTlsFailure(proxy: Proxy, err: unknown, platform: string | undefined): Outcome {
  const code = errorCode(err);
  const what = `The TLS connection to the HTTPS proxy ${proxy.label}`;
  if (err instanceof ProbeTimeoutError)
    return {
      state: 'failed',
      summary: `${what} did not complete within ${limitText(err)}.`,
      fix: `Check the proxy address in ${PROXY_SETTINGS}: if the proxy speaks plain HTTP, write it http://${proxy.label}.`,
    };
  if (code === 'BAD_EXTRA_CA')
    return {
      state: 'failed',
      summary: `An extra certificate is not a valid PEM certificate: ${describeError(err)}.`,
      fix: `Fix or remove it in ${EXTRA_CERTS}: each one must be a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).`,
    };
  if (code && isCertificateCode(code))
    return {
      state: 'failed',
      summary: `${what} failed: its certificate is not trusted (${code}).`,
      fix: `${trustRootSteps("of the proxy's authority", platform)} If the proxy speaks plain HTTP instead, write it http://${proxy.label} in ${PROXY_SETTINGS}.`,
    };
  return {
    state: 'failed',
    summary: `${what} failed (${code ?? describeError(err)}).`,
    fix: `Check the proxy address in ${PROXY_SETTINGS}: if the proxy speaks plain HTTP, write it http://${proxy.label}.`,
  };
}

function tunnelRefused(proxy: Proxy, target: Target, answer: TunnelAnswer): Outcome {
  if (answer.status === 407) return proxyAuthRequired(proxy, target, answer, 'tunnel');
  const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  if (answer.status === 502 || answer.status === 503 || answer.status === 504)
    return {
      state: 'failed',
      summary: `The proxy ${proxy.label} could not reach ${hostPort(target)} (${status}).`,
      fix: `The proxy itself cannot resolve or reach ${target.host}: ask your IT team to allow the proxy to connect to ${target.host} on TCP ${target.port}.`,
    };
  return {
    state: 'failed',
    summary: `The proxy ${proxy.label} refused the tunnel to ${hostPort(target)} (${status}).`,
    fix: `Ask your IT team to allow HTTPS tunnels (CONNECT) through the proxy ${proxy.label} to ${target.host}:${target.port}, or check the proxy in ${PROXY_SETTINGS}.`,
  };
}

function tunnelError(proxy: Proxy, target: Target, err: unknown): Outcome {
  const code = errorCode(err);
  if (err instanceof ProbeTimeoutError)
    return {
      state: 'failed',
      summary: `The proxy ${proxy.label} did not answer the tunnel request for ${hostPort(target)} within ${limitText(err)}.`,
      fix: `Check that ${proxy.label} is an HTTP proxy (its address and port are in ${PROXY_SETTINGS}), and ask your IT team whether it allows CONNECT to ${target.host}:${target.port}.`,
    };
  if (code === 'BAD_PROXY_ANSWER')
    return {
      state: 'failed',
      summary: `${proxy.label} answered the tunnel request with something that is not HTTP: it is probably not an HTTP proxy.`,
      fix: `Check the proxy address and port in ${PROXY_SETTINGS}.`,
    };
  return {
    state: 'failed',
    summary: `The proxy ${proxy.label} closed the connection instead of answering the tunnel request for ${hostPort(target)} (${code ?? describeError(err)}).`,
    fix: `Check the proxy address and port in ${PROXY_SETTINGS}, and ask your IT team whether it allows CONNECT to ${target.host}:${target.port}.`,
  };
}

function tlsSuccess(target: Target, session: TlsSession): Outcome {
  const leaf = session.chain[0];
  const root = session.chain[session.chain.length - 1];
  const details: Record<string, string> = { protocol: session.protocol };
  if (session.cipher) details['cipher'] = session.cipher;
  if (leaf) Object.assign(details, certDetails(leaf));
  if (root && root !== leaf) details['root'] = root.subject;
  details['trusted through'] =
    session.anchor === 'public'
      ? 'a public root (Node.js bundled roots)'
      : session.anchor === 'extra'
        ? `an extra certificate (${EXTRA_CERTS})`
        : 'a root trusted locally on this machine';
  const rootName = displayName(root?.subject ?? leaf?.issuer ?? 'an unknown root');
  if (session.anchor !== 'public')
    return {
      state: 'warning',
      summary: `TLS inspection detected: the certificate for ${target.host} was issued by ${rootName}, a locally trusted root, not a public authority.`,
      details,
      fix:
        session.anchor === 'extra'
          ? `Nothing to do if your IT team inspects HTTPS on purpose: Marketdesk trusts ${rootName} because it is in ${EXTRA_CERTS}. If you did not expect it, remove it from there and ask your IT team.`
          : `Nothing to do if your IT team inspects HTTPS on purpose (${rootName} is trusted on this machine). If you did not expect it, ask your IT team.`,
    };
  return {
    state: 'ok',
    summary: `${session.protocol} with ${target.host}: certificate for ${displayName(leaf?.subject ?? target.host)}, issued by ${displayName(leaf?.issuer ?? '?')}, valid until ${leaf?.validTo ?? '?'}, chain ends in the public root ${rootName}.`,
    details,
  };
}

function tlsFailure(
  target: Target,
  err: unknown,
  chain: CertificateInfo[],
  now: Date,
  platform: string | undefined,
): Outcome {
  const code = errorCode(err);
  const host = target.host;
  const leaf = chain[0];
  const last = chain[chain.length - 1];
  const details: Record<string, string> = { ...(code ? { code } : {}), ...(leaf ? certDetails(leaf) : {}) };
  if (last && last !== leaf) details['chain ends in'] = last.subject;
  if (leaf) details['note'] = 'certificate read through a second handshake without verification, for this report only';
  const localTime = now.toISOString();
  const failed = (summary: string, fix: string): Outcome => ({ state: 'failed', summary, fix, details });
  const issuerName = displayName(leaf?.issuer ?? 'an unknown authority');
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return failed(
        `${host} presented a self-signed certificate${leaf ? ` (${leaf.subject})` : ''} (DEPTH_ZERO_SELF_SIGNED_CERT): no authority vouches for it.`,
        `If ${host} is a server of yours, trust its certificate (saved as root.crt): ${trustRootFix(platform)}; then add it in ${EXTRA_CERTS}. If ${host} should be a public service, a device on your network (a proxy, an antivirus or a captive portal) is answering in its place: ask your IT team.`,
      );
    case 'SELF_SIGNED_CERT_IN_CHAIN': {
      const rootName = displayName(last?.subject ?? leaf?.issuer ?? 'an unknown root');
      return failed(
        `The certificate for ${host} chains up to the root ${rootName}, which this machine does not trust (SELF_SIGNED_CERT_IN_CHAIN). This is typical of TLS inspection by a proxy or an antivirus with a corporate root.`,
        trustRootSteps(rootName, platform),
      );
    }
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return failed(
        `The certificate for ${host} was issued by ${issuerName}, an authority this machine does not know (${code}).`,
        `If your network inspects HTTPS (a proxy or an antivirus), this is its authority. ${trustRootSteps(issuerName, platform)} If ${host} is a server of yours with a certificate from a public authority, have it send its intermediate certificates too.`,
      );
    case 'CERT_HAS_EXPIRED':
      return failed(
        `The certificate for ${host} expired${leaf ? ` on ${leaf.validTo}` : ''} (CERT_HAS_EXPIRED); this machine's clock reads ${localTime}.`,
        `Check this machine's clock: if it is wrong, set it right (${clockFix(platform)}). If it is right, the certificate really has expired and whoever runs ${host} (or, if your network inspects HTTPS, your IT team, as ${issuerName} issued it) must renew it.`,
      );
    case 'CERT_NOT_YET_VALID':
      return failed(
        `The certificate for ${host} is valid only from ${leaf?.validFrom ?? 'a later date'} (CERT_NOT_YET_VALID); this machine's clock reads ${localTime}.`,
        `Check this machine's clock: it is probably behind (${clockFix(platform)}). If it is right, whoever runs ${host} installed a certificate that is not valid yet.`,
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return failed(
        `The certificate presented for ${host} is for another name: ${leaf?.altNames ?? (leaf ? displayName(leaf.subject) : 'a different host')} (ERR_TLS_CERT_ALTNAME_INVALID).`,
        `Check the address (${target.url.origin}). If it is right, a device on your network (a proxy, a captive portal or a DNS filter) answers in place of ${host}: ask your IT team which device presents this certificate.`,
      );
    case 'BAD_EXTRA_CA':
      return failed(
        `An extra certificate is not a valid PEM certificate: ${describeError(err)}.`,
        `Fix or remove it in ${EXTRA_CERTS}: each one must be a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).`,
      );
  }
  if (err instanceof ProbeTimeoutError)
    return failed(
      `No TLS handshake with ${host} within ${limitText(err)}: something accepts the connection but does not complete TLS (a firewall or a proxy holding it, or a server that does not speak TLS on port ${target.port}).`,
      `${capitalize(firewallFix(target, []))}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}. Check that ${target.url.origin} is the right address.`,
    );
  if (code && isCertificateCode(code))
    return failed(
      `The certificate for ${host} was refused (${code}).`,
      `If your network inspects HTTPS, ${trustRootSteps(issuerName, platform)} Otherwise ask whoever runs ${host}.`,
    );
  return failed(
    `The TLS handshake with ${host} failed (${code ?? describeError(err)}).`,
    `A device between this machine and ${host} (a firewall, a proxy or an antivirus) may be cutting HTTPS: ${firewallFix(target, [])}, or set the proxy your network requires in ${PROXY_SETTINGS}.`,
  );
}

function httpFailure(target: Target, proxy: Proxy | undefined, err: unknown): Outcome {
  const code = errorCode(err);
  const via = proxy ? ` through the proxy ${proxy.label}` : '';
  if (err instanceof ProbeTimeoutError)
    return {
      state: 'failed',
      summary: `${hostPort(target)} accepted the connection${via} but sent no answer within ${limitText(err)}.`,
      fix: `A device on the way (a firewall, a proxy or an antivirus) may be holding the request, or the server is overloaded. Try again in a few minutes; if it persists, ${firewallFix(target, [])} or set the proxy your network requires in ${PROXY_SETTINGS}.`,
    };
  if (code?.startsWith('HPE_'))
    return {
      state: 'failed',
      summary: `${hostPort(target)} answered${via} with something that is not HTTP (${code}).`,
      fix: `Check the address (${target.url.origin}): another service answers on port ${target.port}.`,
    };
  return {
    state: 'failed',
    summary: `The connection to ${hostPort(target)}${via} was closed before an answer came (${code ?? describeError(err)}).`,
    fix: `A device between this machine and ${target.host} (a firewall, a proxy or an antivirus) cut the connection: ${firewallFix(target, [])}, or set the proxy your network requires in ${PROXY_SETTINGS}.`,
  };
}

/** Compares the local clock with the server's Date header. */
export function clockStep(serverDate: string | undefined, localNow: Date, platform?: string): Outcome {
  if (!serverDate)
    return { state: 'skipped', summary: 'The server sent no Date header: the clocks could not be compared.' };
  const server = Date.parse(serverDate);
  if (Number.isNaN(server))
    return {
      state: 'skipped',
      summary: 'The server sent an unreadable Date header: the clocks could not be compared.',
    };
  const skew = localNow.getTime() - server;
  const details = {
    'local time': localNow.toISOString(),
    'server time': new Date(server).toISOString(),
    skew: `${skew >= 0 ? '+' : '-'}${formatDuration(Math.abs(skew))}`,
  };
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS)
    return {
      state: 'warning',
      summary: `This machine's clock is ${formatDuration(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} the server's (local ${details['local time']}, server ${details['server time']}).`,
      details,
      fix: `Set this machine's clock right: ${clockFix(platform)}. A wrong clock makes valid certificates look expired or not yet valid.`,
    };
  return {
    state: 'ok',
    summary: `This machine's clock agrees with the server's (${details.skew}; the Date header has a 1 s resolution).`,
    details,
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** `300 ms`, and why the limit was that short when the probe's total time ran out first. */
function limitText(err: ProbeTimeoutError): string {
  return err.total ? `${err.ms} ms (the time allowed for the whole check ran out)` : `${err.ms} ms`;
}

function certDetails(c: CertificateInfo): Record<string, string> {
  const d: Record<string, string> = {
    subject: c.subject,
    issuer: c.issuer,
    'valid from': c.validFrom,
    'valid to': c.validTo,
    'sha-256 fingerprint': c.fingerprint256,
  };
  if (c.altNames) d['alt names'] = c.altNames;
  return d;
}

/** The CN of a distinguished name (else O, else the whole name). */
export function displayName(dn: string): string {
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(dn)?.[1] ?? /(?:^|,\s*)O=([^,]+)/.exec(dn)?.[1];
  return cn ? `"${cn.trim()}"` : dn;
}

function authScheme(authorization: string | undefined): string {
  if (!authorization) return 'none';
  return `${authorization.split(/\s+/)[0] ?? 'given'} (credentials given)`;
}

function hostPort(e: Endpoint): string {
  return `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}

function prefixed(prefix: string, r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [`${prefix}${k}`, v]));
}

function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : Object.assign(new Error(String(err)), { cause: err });
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function elapsed(t0: number): number {
  return Math.round(performance.now() - t0);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days ${h % 24} h`;
}

function redactStep(s: StepResult, r: Redactor): StepResult {
  const out: StepResult = { id: s.id, state: s.state, ms: s.ms, summary: r.text(s.summary) };
  if (s.details) out.details = Object.fromEntries(Object.entries(s.details).map(([k, v]) => [r.text(k), r.text(v)]));
  if (s.fix) out.fix = r.text(s.fix);
  return out;
}
