/**
 * The connectivity probe's data: steps and their results, the input and the report, and the port
 * behind which the sockets live (electron/adapters/doctor/net-probe.ts implements it).
 */
import { NETWORK_STEP_TITLES } from '../../../../shared/messages/en';
import type { MessageRef } from '../../../../shared/messages/ref';

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
  /** The summary and fix as catalogue references (their English is `summary` and `fix`). */
  refs?: { summary: MessageRef; fix?: MessageRef };
}

export const STEP_IDS: readonly StepId[] = ['route', 'dns', 'tcp', 'tls', 'http', 'clock'];

/** Each step's title in the doctor's report (the catalogue's English: `title.network.<step>`). */
export const STEP_TITLES: Record<StepId, string> = NETWORK_STEP_TITLES;

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

/** A step's verdict before the probe adds its id and duration. */
export type StepOutcome = Omit<StepResult, 'id' | 'ms'>;

/** The URL to check, parsed by the route step. */
export interface Target extends Endpoint {
  url: URL;
  https: boolean;
}

/** The proxy of the route, parsed by the route step. */
export interface Proxy extends Endpoint {
  authorization?: string;
  label: string;
  /** An https:// proxy: TLS to the proxy first, then CONNECT inside it. */
  tls: boolean;
}
