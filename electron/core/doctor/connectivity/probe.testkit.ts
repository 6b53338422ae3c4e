/**
 * The connectivity probe's tests share this: a scripted fake ConnectivityPort, certificates, and
 * `run` (the probe with a direct route, a registration key header and a fixed clock).
 */
import {
  runConnectivityProbe,
  type CertificateInfo,
  type ConnectivityInput,
  type ConnectivityPort,
  type ConnectivityReport,
  type Endpoint,
  type HttpAnswer,
  type StepId,
  type StepResult,
  type TlsSession,
  type TunnelAnswer,
} from '.';

export interface Conn {
  id: number;
  kind: 'tcp' | 'tls';
  to: string;
  closed: boolean;
  /** A TLS connection owns the TCP one under it, as a TLSSocket does. */
  under?: Conn;
}

export const NOW = new Date('2026-06-01T10:00:00.000Z');
export const KEY = 'REG-KEY-super-secret-0123456789';
export const PROXY_AUTH = `Basic ${Buffer.from('alice:pa55word!').toString('base64')}`;

export const leaf: CertificateInfo = {
  subject: 'CN=services.glpi-network.com',
  issuer: "CN=R11, O=Let's Encrypt, C=US",
  validFrom: '2026-05-01T00:00:00.000Z',
  validTo: '2026-07-30T00:00:00.000Z',
  altNames: 'DNS:services.glpi-network.com',
  fingerprint256: 'AA:BB',
};
export const publicRoot: CertificateInfo = {
  subject: 'CN=ISRG Root X1, O=Internet Security Research Group, C=US',
  issuer: 'CN=ISRG Root X1, O=Internet Security Research Group, C=US',
  validFrom: '2015-06-04T11:04:38.000Z',
  validTo: '2035-06-04T11:04:38.000Z',
  fingerprint256: 'CC:DD',
};
export const corpRoot: CertificateInfo = {
  subject: 'CN=Corp Inspection Root, O=Corp',
  issuer: 'CN=Corp Inspection Root, O=Corp',
  validFrom: '2020-01-01T00:00:00.000Z',
  validTo: '2040-01-01T00:00:00.000Z',
  fingerprint256: 'EE:FF',
};
export const corpLeaf: CertificateInfo = { ...leaf, issuer: corpRoot.subject, fingerprint256: '11:22' };

export function codeError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

/** Never settles unless the signal aborts (`honour`) or never at all. */
export function hang<T>(signal: AbortSignal, honour = true): Promise<T> {
  return new Promise<T>((_resolve, reject) => {
    if (honour) signal.addEventListener('abort', () => reject(signal.reason as Error));
  });
}

export class FakePort implements ConnectivityPort<Conn> {
  calls: string[] = [];
  conns: Conn[] = [];
  httpRequests: { url: string; absoluteForm: boolean; headers: Record<string, string> }[] = [];
  tunnelAuth: (string | undefined)[] = [];

  resolveWith: (host: string, signal: AbortSignal) => Promise<string[]> = () => Promise.resolve(['192.0.2.10']);
  connectWith: (address: string, port: number, signal: AbortSignal) => Promise<void> = () => Promise.resolve();
  tunnelWith: (target: Endpoint, signal: AbortSignal) => Promise<TunnelAnswer> = () =>
    Promise.resolve({ status: 200, statusText: 'Connection established', proxyAuthenticate: [] });
  tlsWith: (signal: AbortSignal, host: string) => Promise<TlsSession> = () =>
    Promise.resolve({
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      chain: [leaf, publicRoot],
      anchor: 'public',
    });
  peekWith: (signal: AbortSignal) => Promise<CertificateInfo[]> = () => Promise.resolve([leaf]);
  httpWith: (signal: AbortSignal) => Promise<HttpAnswer> = () =>
    Promise.resolve({ status: 200, statusText: 'OK', headers: { date: NOW.toUTCString() } });

  async resolve(host: string, signal: AbortSignal): Promise<string[]> {
    this.calls.push(`resolve ${host}`);
    return this.resolveWith(host, signal);
  }

  async connect(address: string, port: number, signal: AbortSignal): Promise<Conn> {
    this.calls.push(`connect ${address}:${port}`);
    await this.connectWith(address, port, signal);
    return this.open('tcp', `${address}:${port}`);
  }

  async tunnel(conn: Conn, target: Endpoint, authorization: string | undefined, signal: AbortSignal) {
    this.calls.push(`tunnel #${conn.id} ${target.host}:${target.port}`);
    this.tunnelAuth.push(authorization);
    return this.tunnelWith(target, signal);
  }

  async tlsHandshake(conn: Conn, opts: { host: string; extraCaPems: readonly string[]; signal: AbortSignal }) {
    this.calls.push(`tls #${conn.id} ${opts.host} extras=${opts.extraCaPems.length}`);
    try {
      const session = await this.tlsWith(opts.signal, opts.host);
      const secure = this.open('tls', conn.to);
      secure.under = conn;
      return { conn: secure, session };
    } catch (err) {
      conn.closed = true;
      throw err;
    }
  }

  async peekCertificate(conn: Conn, opts: { host: string; signal: AbortSignal }) {
    this.calls.push(`peek #${conn.id} ${opts.host}`);
    return this.peekWith(opts.signal);
  }

  async httpGet(
    conn: Conn,
    req: { url: string; absoluteForm: boolean; headers: Record<string, string>; signal: AbortSignal },
  ): Promise<HttpAnswer> {
    this.calls.push(`get #${conn.id} ${req.url}`);
    this.httpRequests.push({ url: req.url, absoluteForm: req.absoluteForm, headers: req.headers });
    return this.httpWith(req.signal);
  }

  close(conn: Conn): void {
    conn.closed = true;
    if (conn.under) this.close(conn.under);
  }

  private open(kind: Conn['kind'], to: string): Conn {
    const c = { id: this.conns.length + 1, kind, to, closed: false };
    this.conns.push(c);
    return c;
  }
}

export const URL_ = 'https://services.glpi-network.com/api/glpi-network/info';

/** The port calls of a direct route up to its TLS handshake (a fresh FakePort). */
export const DIRECT_TO_TLS = [
  'resolve services.glpi-network.com',
  'connect 192.0.2.10:443',
  'tls #1 services.glpi-network.com extras=0',
];

export function run(port: FakePort, input: Partial<ConnectivityInput> = {}): Promise<ConnectivityReport> {
  return runConnectivityProbe(port, {
    url: URL_,
    route: { kind: 'direct' },
    headers: { 'X-Registration-Key': KEY, 'User-Agent': 'Marketdesk/1.0' },
    now: () => NOW,
    platform: 'linux',
    ...input,
  });
}

export function step(r: ConnectivityReport, id: StepId): StepResult {
  const s = r.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id}`);
  return s;
}

export function states(r: ConnectivityReport): string {
  return r.steps.map((s) => `${s.id}:${s.state}`).join(' ');
}

export const proxyRoute = (authorization?: string): ConnectivityInput['route'] => ({
  kind: 'proxy',
  proxyUrl: 'http://proxy.corp.example:3128',
  ...(authorization ? { authorization } : {}),
});
