/**
 * The doctor's ConnectivityPort over Node's own sockets: node:dns, node:net, node:tls and node:http
 * on the connection the probe built step by step. Trust is Node's bundled roots plus the extra
 * certificates given to the probe, never fewer; verification is never turned off, except for the
 * describe-only handshake of `peekCertificate` (see there).
 */
import { X509Certificate } from 'node:crypto';
import { promises as dns } from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type {
  CertificateInfo,
  ConnectivityPort,
  Endpoint,
  HttpAnswer,
  TlsSession,
  TrustAnchor,
  TunnelAnswer,
} from '../../core/doctor/connectivity';

/** Longest CONNECT answer head we read before calling the peer "not an HTTP proxy". */
const MAX_TUNNEL_HEAD = 16 * 1024;

export class NetProbe implements ConnectivityPort<net.Socket> {
  async resolve(host: string, signal: AbortSignal): Promise<string[]> {
    // getaddrinfo cannot be cancelled: the abort only stops waiting for it.
    const found = await untilAborted(dns.lookup(host, { all: true, verbatim: true }), signal);
    return [...new Set(found.map((a) => a.address))];
  }

  connect(address: string, port: number, signal: AbortSignal): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const socket = net.connect({ host: address, port });
      const onAbort = () => {
        socket.destroy();
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const onError = (err: Error) => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(err);
      };
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.removeListener('error', onError);
        // Errors between steps must not crash the process; each step listens for its own.
        socket.on('error', ignore);
        socket.setNoDelay(true);
        resolve(socket);
      });
      socket.once('error', onError);
    });
  }

  tunnel(
    socket: net.Socket,
    target: Endpoint,
    authorization: string | undefined,
    signal: AbortSignal,
  ): Promise<TunnelAnswer> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const authority = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
      let head = Buffer.alloc(0);
      const cleanup = () => {
        signal.removeEventListener('abort', onAbort);
        socket.removeListener('data', onData);
        socket.removeListener('error', onError);
        socket.removeListener('close', onClose);
      };
      const failWith = (err: Error) => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onAbort = () => failWith(signal.reason as Error);
      const onError = (err: Error) => failWith(err);
      const onClose = () =>
        failWith(codeError('ECONNRESET', 'the proxy closed the connection before answering CONNECT'));
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > MAX_TUNNEL_HEAD) failWith(codeError('BAD_PROXY_ANSWER', 'oversized answer to CONNECT'));
          return;
        }
        const lines = head.subarray(0, end).toString('latin1').split('\r\n');
        const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
        if (!status) return failWith(codeError('BAD_PROXY_ANSWER', 'the answer to CONNECT is not HTTP'));
        const proxyAuthenticate = lines
          .slice(1)
          .filter((l) => /^proxy-authenticate\s*:/i.test(l))
          .map((l) => l.slice(l.indexOf(':') + 1).trim());
        cleanup();
        socket.pause();
        const rest = head.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        resolve({ status: Number(status[1]), statusText: status[2] ?? '', proxyAuthenticate });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.on('data', onData);
      socket.once('error', onError);
      socket.once('close', onClose);
      const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
      if (authorization) lines.push(`Proxy-Authorization: ${authorization}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  }

  async tlsHandshake(
    socket: net.Socket,
    opts: { host: string; extraCaPems: readonly string[]; signal: AbortSignal },
  ): Promise<{ conn: net.Socket; session: TlsSession }> {
    if (opts.signal.aborted) throw opts.signal.reason as Error;
    let extras: string[];
    try {
      extras = splitPems(opts.extraCaPems);
    } catch (err) {
      socket.destroy();
      throw toError(err);
    }
    const secure = tls.connect({
      socket,
      host: opts.host,
      // SNI carries host names only (RFC 6066); the identity check still uses `host`.
      ...(net.isIP(opts.host) ? {} : { servername: opts.host }),
      // Passing `ca` replaces Node's roots, so they are passed too: the extras only add trust.
      ca: [...tls.rootCertificates, ...extras],
      rejectUnauthorized: true,
      ALPNProtocols: ['http/1.1'],
    });
    await secureConnect(secure, opts.signal);
    const chain = peerChain(secure);
    const session: TlsSession = {
      protocol: secure.getProtocol() ?? 'TLS',
      chain: chain.map(describe),
      anchor: anchorOf(chain, extras),
    };
    const cipher = secure.getCipher()?.name;
    if (cipher) session.cipher = cipher;
    return { conn: secure, session };
  }

  async peekCertificate(socket: net.Socket, opts: { host: string; signal: AbortSignal }): Promise<CertificateInfo[]> {
    if (opts.signal.aborted) throw opts.signal.reason as Error;
    // DESCRIBE-ONLY HANDSHAKE. The verifying handshake has already failed and the probe reports
    // that failure; this second handshake skips verification for one purpose: reading the
    // certificate the server presents, to describe it in the report. No request, no header and
    // no key is ever written on it, and it is destroyed as soon as the certificate is read.
    const secure = tls.connect({
      socket,
      host: opts.host,
      ...(net.isIP(opts.host) ? {} : { servername: opts.host }),
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    await secureConnect(secure, opts.signal);
    const chain = peerChain(secure).map(describe);
    secure.destroy();
    return chain;
  }

  httpGet(
    socket: net.Socket,
    req: { url: string; absoluteForm: boolean; headers: Record<string, string>; signal: AbortSignal },
  ): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      if (req.signal.aborted) return reject(req.signal.reason as Error);
      const url = new URL(req.url);
      const headers: Record<string, string> = { ...req.headers };
      const names = Object.keys(headers).map((n) => n.toLowerCase());
      if (!names.includes('host')) headers['Host'] = url.host;
      if (!names.includes('connection')) headers['Connection'] = 'close';
      let done = false;
      const request = http.request({
        // The connection is the one the earlier steps opened (TCP, tunnel, TLS): no agent.
        createConnection: () => socket,
        method: 'GET',
        path: req.absoluteForm ? url.href : `${url.pathname}${url.search}`,
        headers,
        setHost: false,
      });
      const settle = (fn: () => void) => {
        if (done) return;
        done = true;
        req.signal.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () =>
        settle(() => {
          request.destroy();
          socket.destroy();
          reject(req.signal.reason as Error);
        });
      req.signal.addEventListener('abort', onAbort, { once: true });
      request.once('response', (res) => {
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        settle(() => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: out }));
        // The body is not needed.
        res.on('error', () => undefined);
        res.destroy();
        socket.destroy();
      });
      request.on('error', (err) => settle(() => reject(err)));
      request.end();
    });
  }

  close(socket: net.Socket): void {
    socket.destroy();
  }
}

/** Waits for the handshake of `secure`; destroys it on a handshake error or when `signal` aborts. */
function secureConnect(secure: tls.TLSSocket, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      secure.destroy();
      reject(signal.reason as Error);
    };
    const onError = (err: Error) => {
      signal.removeEventListener('abort', onAbort);
      secure.destroy();
      reject(err);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      secure.removeListener('error', onError);
      // A late error (the peer closing) must not crash the process.
      secure.on('error', ignore);
      resolve();
    });
  });
}

function ignore(): void {
  // Errors are reported by the step that is waiting; see the `error` listeners above.
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function codeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(toError(err));
      },
    );
  });
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every certificate of the extra PEM strings, each checked; a bad one is a BAD_EXTRA_CA error. */
export function splitPems(pems: readonly string[]): string[] {
  const out: string[] = [];
  pems.forEach((pem, i) => {
    const blocks = pem.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0)
      throw codeError('BAD_EXTRA_CA', `extra certificate #${i + 1} has no -----BEGIN CERTIFICATE----- block`);
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (err) {
        throw codeError(
          'BAD_EXTRA_CA',
          `extra certificate #${i + 1} cannot be read (${err instanceof Error ? err.message : String(err)})`,
        );
      }
      out.push(block);
    }
  });
  return out;
}

/**
 * A CA's identity for the anchor check: its subject and public key, not its exact DER, so that a
 * cross-signed copy of a public root (same name and key, other issuer) still counts as public.
 */
function identityOf(cert: X509Certificate): string {
  return `${cert.subject}\n${cert.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
}

let publicRoots: Set<string> | undefined;

/** Where the trust of a verified chain (leaf first) comes from. Exported for tests. */
export function anchorOf(chain: Pick<tls.PeerCertificate, 'raw'>[], extras: string[]): TrustAnchor {
  publicRoots ??= new Set(tls.rootCertificates.map((pem) => identityOf(new X509Certificate(pem))));
  const extraRoots = new Set(extras.map((pem) => identityOf(new X509Certificate(pem))));
  // Nearest to the leaf first: the first certificate this process trusts is where trust comes from.
  for (const cert of chain) {
    const id = identityOf(new X509Certificate(cert.raw));
    if (publicRoots.has(id)) return 'public';
    if (extraRoots.has(id)) return 'extra';
  }
  return 'local';
}

/** The peer's chain, leaf first, as Node built it (with the trusted root when it found it). */
function peerChain(socket: tls.TLSSocket): tls.PeerCertificate[] {
  const chain: tls.PeerCertificate[] = [];
  let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(cert);
    cert = cert.issuerCertificate;
  }
  return chain;
}

function describe(cert: tls.PeerCertificate): CertificateInfo {
  const info: CertificateInfo = {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    fingerprint256: cert.fingerprint256,
  };
  if (cert.subjectaltname) info.altNames = cert.subjectaltname;
  return info;
}

function formatName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name as unknown as Record<string, string | string[]>)
    .map(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}=${x}`).join(', ') : `${k}=${v}`))
    .join(', ');
}

function isoDate(openssl: string): string {
  const t = Date.parse(openssl);
  return Number.isNaN(t) ? openssl : new Date(t).toISOString();
}
