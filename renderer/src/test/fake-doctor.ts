import type {
  CertificateInfo,
  ConnectivityPort,
  Endpoint,
  HttpAnswer,
  TlsSession,
  TunnelAnswer,
} from '../../../electron/core/doctor/connectivity';
import type { DoctorPorts } from '../../../electron/core/doctor/doctor-service';
import type { DoctorPlatform } from '../../../electron/core/doctor/instance-checks';

/**
 * The doctor's sockets for renderer tests: a scripted `ConnectivityPort` that answers each step the
 * way the test says (every step succeeds by default, with a public certificate chain and a Date
 * header on the core's clock). The real probe (`runConnectivityProbe`) still runs over it, so the
 * summaries, fixes and skipped steps are the core's own.
 */

export type FakeStep = 'dns' | 'tcp' | 'tunnel' | 'tls' | 'http';

/** One scripted connection (a TLS one wraps the TCP one, as a TLSSocket does). */
export interface FakeConn {
  id: number;
  to: string;
  tls: boolean;
}

const LEAF: CertificateInfo = {
  subject: 'CN=services.glpi-network.test',
  issuer: "CN=R11, O=Let's Encrypt, C=US",
  validFrom: '2025-05-01T00:00:00.000Z',
  validTo: '2025-07-30T00:00:00.000Z',
  altNames: 'DNS:services.glpi-network.test',
  fingerprint256: 'AA:BB:CC',
};
const ROOT: CertificateInfo = {
  subject: 'CN=ISRG Root X1, O=Internet Security Research Group, C=US',
  issuer: 'CN=ISRG Root X1, O=Internet Security Research Group, C=US',
  validFrom: '2015-06-04T11:04:38.000Z',
  validTo: '2035-06-04T11:04:38.000Z',
  fingerprint256: 'DD:EE:FF',
};

/** A Node-style error (`code` is what the probe classifies on). */
export function socketError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

export class FakeConnectivity implements ConnectivityPort<FakeConn> {
  /** What the resolver answers. */
  addresses = ['192.0.2.10'];
  /** Steps that fail, with the Node error code they fail with (`ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`…). */
  readonly failures = new Map<FakeStep, string>();
  session: TlsSession = {
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_128_GCM_SHA256',
    chain: [LEAF, ROOT],
    anchor: 'public',
  };
  tunnelAnswer: TunnelAnswer = { status: 200, statusText: 'Connection established', proxyAuthenticate: [] };
  /** The HTTP answer; `date` defaults to the core's clock (see `createDoctorPorts`). */
  httpAnswer: HttpAnswer | null = null;
  /** Every call, as `step host:port`. */
  readonly calls: string[] = [];
  private held: Promise<void> | null = null;
  private next = 1;

  constructor(private readonly now: () => Date) {}

  /** Fails `step` with `code` (until `succeed`). */
  fail(step: FakeStep, code: string): this {
    this.failures.set(step, code);
    return this;
  }

  succeed(step?: FakeStep): this {
    if (step) this.failures.delete(step);
    else this.failures.clear();
    return this;
  }

  /** The next resolve waits until the returned function is called (to observe a run in progress). */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return release;
  }

  async resolve(host: string, signal: AbortSignal): Promise<string[]> {
    this.calls.push(`dns ${host}`);
    if (this.held) {
      const wait = this.held;
      this.held = null;
      await Promise.race([wait, aborted(signal)]);
    }
    this.throwIfFailing('dns', host);
    return [...this.addresses];
  }

  connect(address: string, port: number): Promise<FakeConn> {
    this.calls.push(`tcp ${address}:${port}`);
    this.throwIfFailing('tcp', `${address}:${port}`);
    return Promise.resolve({ id: this.next++, to: `${address}:${port}`, tls: false });
  }

  tunnel(conn: FakeConn, target: Endpoint): Promise<TunnelAnswer> {
    this.calls.push(`tunnel ${target.host}:${target.port}`);
    this.throwIfFailing('tunnel', conn.to);
    return Promise.resolve(this.tunnelAnswer);
  }

  tlsHandshake(conn: FakeConn, opts: { host: string }): Promise<{ conn: FakeConn; session: TlsSession }> {
    this.calls.push(`tls ${opts.host}`);
    this.throwIfFailing('tls', opts.host);
    return Promise.resolve({ conn: { id: this.next++, to: conn.to, tls: true }, session: this.session });
  }

  peekCertificate(): Promise<CertificateInfo[]> {
    return Promise.resolve(this.session.chain);
  }

  httpGet(conn: FakeConn, req: { url: string }): Promise<HttpAnswer> {
    this.calls.push(`http ${req.url}`);
    this.throwIfFailing('http', conn.to);
    return Promise.resolve(
      this.httpAnswer ?? {
        status: 200,
        statusText: 'OK',
        headers: { date: this.now().toUTCString(), 'content-type': 'application/json' },
      },
    );
  }

  close(): void {
    // Nothing to close: no socket is ever opened.
  }

  private throwIfFailing(step: FakeStep, where: string): void {
    const code = this.failures.get(step);
    if (code) throw socketError(code, `${step} ${where}: ${code}`);
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/** A Linux machine with no php: the instance checks that need php say so. */
export const TEST_PLATFORM: DoctorPlatform = { os: 'linux', user: { uid: 1000, gids: [1000] }, etcDir: '/etc' };

/** The doctor's ports for the core harness: the scripted probe, no php (the core's FileSystem is the real one). */
export function createDoctorPorts(now: () => Date): { ports: DoctorPorts; probe: FakeConnectivity } {
  const probe = new FakeConnectivity(now);
  return {
    probe,
    ports: { probe, platform: () => TEST_PLATFORM, php: () => Promise.resolve(null) },
  };
}
