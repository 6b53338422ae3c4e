import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  runConnectivityProbe,
  type ConnectivityInput,
  type ConnectivityReport,
  type StepId,
  type StepResult,
} from '../../core/doctor/connectivity';
import { NetProbe, anchorOf, splitPems } from './net-probe';
import { TestPki, type TestCa, type TestCert } from './test-certs';

// Real servers on 127.0.0.1, certificates made by openssl for this run.

const LOCAL = ['DNS:localhost', 'IP:127.0.0.1'];
const TARGET = 'services.glpi-network.test';
const KEY = 'REGKEY-0123456789abcdef-secret';

let pki: TestPki;
let ca: TestCa;
let good: TestCert;
let selfSigned: TestCert;
let expired: TestCert;
let notYetValid: TestCert;
let wrongHost: TestCert;
let inspectionRoot: TestCa;
let intercepted: TestCert;

beforeAll(() => {
  pki = new TestPki();
  ca = pki.createCa('Marketdesk Test Root');
  good = ca.issue({ commonName: 'localhost', altNames: LOCAL });
  selfSigned = pki.selfSigned('localhost', LOCAL);
  expired = ca.issue({
    commonName: 'localhost',
    altNames: LOCAL,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2020-02-01T00:00:00Z'),
  });
  notYetValid = ca.issue({
    commonName: 'localhost',
    altNames: LOCAL,
    notBefore: new Date(Date.now() + 365 * 86_400_000),
    notAfter: new Date(Date.now() + 400 * 86_400_000),
  });
  wrongHost = ca.issue({ commonName: 'other.example', altNames: ['DNS:other.example'] });
  inspectionRoot = pki.createCa('Corp Inspection Root');
  intercepted = inspectionRoot.issue({ commonName: TARGET, altNames: [`DNS:${TARGET}`] });
});

afterAll(() => pki.dispose());

/** Everything a test opened; closed after each test, sockets included. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function listen(server: net.Server): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

interface Seen {
  headers: http.IncomingHttpHeaders[];
}

function handler(seen: Seen, date?: () => string): http.RequestListener {
  return (req, res) => {
    seen.headers.push(req.headers);
    if (date) {
      res.sendDate = false;
      res.setHeader('Date', date());
    }
    res.setHeader('Content-Type', 'application/json');
    res.end('{"is_valid":true}');
  };
}

async function httpsServer(cert: TestCert, opts: { chain?: string; date?: () => string } = {}) {
  const seen: Seen = { headers: [] };
  const server = https.createServer(
    { key: cert.key, cert: opts.chain ? cert.cert + opts.chain : cert.cert },
    handler(seen, opts.date),
  );
  // Handshakes the probe aborts on purpose are not test failures.
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return { port, seen, server };
}

async function httpServer(date?: () => string) {
  const seen: Seen = { headers: [] };
  const port = await listen(http.createServer(handler(seen, date)));
  return { port, seen };
}

/** Accepts connections and never says a word. */
async function silentServer() {
  return listen(net.createServer(() => undefined));
}

/** A port nothing listens on: bound, then closed. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface ProxyOptions {
  /** `user:pass` required as Basic, else 407. */
  credentials?: string;
  /** Terminate TLS with this certificate (leaf + chain) and answer itself: a TLS-inspecting proxy. */
  intercept?: { cert: TestCert; chain?: string };
  /** An https:// proxy: TLS to the proxy itself with this certificate. */
  tls?: TestCert;
}

/** A forward proxy answering CONNECT: tunnelling to 127.0.0.1, or intercepting TLS. */
async function proxyServer(opts: ProxyOptions = {}) {
  const seen: Seen & { connects: string[]; authorizations: (string | undefined)[] } = {
    headers: [],
    connects: [],
    authorizations: [],
  };
  const inner = http.createServer(handler(seen));
  const onClient = (client: net.Socket) => {
    client.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.removeListener('data', onData);
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const [method, authority] = (lines[0] ?? '').split(' ');
      const auth = lines.find((l) => /^proxy-authorization:/i.test(l))?.replace(/^[^:]*:\s*/, '');
      seen.connects.push(`${method} ${authority}`);
      seen.authorizations.push(auth);
      if (opts.credentials && auth !== `Basic ${Buffer.from(opts.credentials).toString('base64')}`) {
        client.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\n\r\n',
        );
        return;
      }
      if (method === 'GET' && authority?.startsWith('http://')) {
        // Plain http through a proxy: absolute-form request line, answered by the proxy here.
        client.end(
          `HTTP/1.1 200 OK\r\nDate: ${new Date().toUTCString()}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`,
        );
        return;
      }
      if (method !== 'CONNECT' || !authority) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (opts.intercept) {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        const cert = opts.intercept.cert.cert + (opts.intercept.chain ?? '');
        const secure = new tls.TLSSocket(client, { isServer: true, key: opts.intercept.cert.key, cert });
        secure.on('error', () => undefined);
        inner.emit('connection', secure);
        return;
      }
      const port = Number(authority.slice(authority.lastIndexOf(':') + 1));
      const upstream = net.connect({ host: '127.0.0.1', port }, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  };
  const server = opts.tls
    ? tls.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onClient)
    : net.createServer(onClient);
  server.on('tlsClientError', () => undefined);
  cleanups.push(() => {
    inner.closeAllConnections();
    return Promise.resolve();
  });
  const port = await listen(server);
  return { port, seen, url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}` };
}

function probe(input: Partial<ConnectivityInput> & { url: string }): Promise<ConnectivityReport> {
  return runConnectivityProbe(new NetProbe(), {
    route: { kind: 'direct' },
    timeouts: { connectMs: 2_000, handshakeMs: 2_000, totalMs: 5_000 },
    platform: 'linux',
    ...input,
  });
}

function stepOf(report: ConnectivityReport, id: StepId): StepResult {
  const s = report.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id} step`);
  return s;
}

function states(report: ConnectivityReport): string {
  return report.steps.map((s) => `${s.id}:${s.state}`).join(' ');
}

describe('NetProbe with runConnectivityProbe (real sockets on 127.0.0.1)', () => {
  it('goes through every step against a server whose CA is given as an extra certificate, with a local-root warning', async () => {
    const { port, seen, server } = await httpsServer(good);
    const report = await probe({
      url: `https://localhost:${port}/info?x=1`,
      headers: { 'X-Registration-Key': KEY, 'User-Agent': 'Marketdesk/test' },
      extraCaPems: [ca.cert],
      now: () => new Date(),
    });
    expect(states(report)).toBe('route:ok dns:ok tcp:ok tls:warning http:ok clock:ok');
    expect(report.state).toBe('warning');
    const tlsStep = stepOf(report, 'tls');
    expect(tlsStep.summary).toBe(
      'TLS inspection detected: the certificate for localhost was issued by "Marketdesk Test Root", a locally trusted root, not a public authority.',
    );
    expect(tlsStep.details).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=Marketdesk Test Root, O=Marketdesk tests',
      root: 'CN=Marketdesk Test Root, O=Marketdesk tests',
      'alt names': 'DNS:localhost, IP Address:127.0.0.1',
    });
    expect(tlsStep.details?.['trusted through']).toContain('Extra certificates');
    expect(tlsStep.details?.['protocol']).toMatch(/^TLSv1\.[23]$/);
    expect(stepOf(report, 'dns').details?.['addresses']).toContain('127.0.0.1');
    expect(stepOf(report, 'http').details).toMatchObject({ status: '200 OK', request: 'GET /info?…' });
    expect(stepOf(report, 'http').details?.['headers sent']).toBe('X-Registration-Key, User-Agent');
    // The header reached the server, and its value appears nowhere in the report.
    expect(seen.headers[0]?.['x-registration-key']).toBe(KEY);
    expect(seen.headers[0]?.['host']).toBe(`localhost:${port}`);
    expect(JSON.stringify(report)).not.toContain(KEY);
    for (const s of report.steps) expect(s.ms).toBeGreaterThanOrEqual(0);
    // Every connection the probe opened is closed.
    await expect.poll(() => new Promise((r) => server.getConnections((_e, n) => r(n)))).toBe(0);
  });

  it('splits the extra certificates and refuses one that is not PEM', () => {
    expect(splitPems([ca.cert + inspectionRoot.cert])).toHaveLength(2);
    expect(() => splitPems(['not a certificate'])).toThrow(/extra certificate #1/);
  });

  it('tells a public root from an extra or a local one', () => {
    const der = (pem: string) => ({ raw: new X509Certificate(pem).raw });
    const publicRoot = tls.rootCertificates[0] ?? '';
    expect(anchorOf([der(good.cert), der(publicRoot)], [])).toBe('public');
    expect(anchorOf([der(good.cert), der(ca.cert)], [ca.cert])).toBe('extra');
    expect(anchorOf([der(good.cert), der(ca.cert)], [])).toBe('local');
    // A public root given as an extra certificate is still a public root.
    expect(anchorOf([der(publicRoot)], [publicRoot])).toBe('public');
  });

  it('reports a self-signed certificate, describing it through the second handshake', async () => {
    const { port } = await httpsServer(selfSigned);
    const report = await probe({ url: `https://localhost:${port}/` });
    expect(states(report)).toBe('route:ok dns:ok tcp:ok tls:failed http:skipped clock:skipped');
    const s = stepOf(report, 'tls');
    expect(s.details?.['code']).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(s.summary).toContain('self-signed certificate (CN=localhost)');
    expect(s.details).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=localhost' });
    expect(s.details?.['note']).toContain('second handshake without verification');
    expect(s.fix).toContain('update-ca-certificates');
    expect(report.fix).toBe(s.fix);
  });

  it('reports an unknown issuer when the CA is not given', async () => {
    const { port } = await httpsServer(good);
    const report = await probe({ url: `https://127.0.0.1:${port}/` });
    const s = stepOf(report, 'tls');
    expect(s.state).toBe('failed');
    expect(s.details?.['code']).toMatch(/^UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)$/);
    expect(s.summary).toContain('issued by "Marketdesk Test Root", an authority this machine does not know');
    expect(s.fix).toContain('Settings > Network > Extra certificates');
  });

  it('reports an expired certificate with its date and the local clock', async () => {
    const { port } = await httpsServer(expired);
    const now = new Date();
    const report = await probe({ url: `https://localhost:${port}/`, extraCaPems: [ca.cert], now: () => now });
    const s = stepOf(report, 'tls');
    expect(s.state).toBe('failed');
    expect(s.details?.['code']).toBe('CERT_HAS_EXPIRED');
    expect(s.summary).toBe(
      `The certificate for localhost expired on 2020-02-01T00:00:00.000Z (CERT_HAS_EXPIRED); this machine's clock reads ${now.toISOString()}.`,
    );
    expect(s.fix).toContain("Check this machine's clock");
    expect(s.fix).toContain('timedatectl set-ntp true');
  });

  it('reports a certificate that is not valid yet and blames the clock first', async () => {
    const { port } = await httpsServer(notYetValid);
    const report = await probe({ url: `https://localhost:${port}/`, extraCaPems: [ca.cert] });
    const s = stepOf(report, 'tls');
    expect(s.details?.['code']).toBe('CERT_NOT_YET_VALID');
    expect(s.fix).toContain("Check this machine's clock: it is probably behind");
  });

  it('reports a certificate for another host name', async () => {
    const { port } = await httpsServer(wrongHost);
    const report = await probe({ url: `https://localhost:${port}/`, extraCaPems: [ca.cert] });
    const s = stepOf(report, 'tls');
    expect(s.details?.['code']).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(s.summary).toContain('is for another name: DNS:other.example');
  });

  it('reports an unresolvable host at the DNS step and skips the rest', async () => {
    const report = await probe({ url: 'https://nothing.invalid/' });
    expect(states(report)).toBe('route:ok dns:failed tcp:skipped tls:skipped http:skipped clock:skipped');
    const s = stepOf(report, 'dns');
    expect(s.details?.['code']).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
    expect(s.summary).toContain('nothing.invalid');
    expect(s.fix).toContain('nslookup nothing.invalid');
  });

  it('reports a refused port with the host and port to allow', async () => {
    const port = await freePort();
    const report = await probe({ url: `https://127.0.0.1:${port}/` });
    const s = stepOf(report, 'tcp');
    expect(s.state).toBe('failed');
    expect(s.summary).toContain(`The connection to 127.0.0.1:${port} was refused (ECONNREFUSED)`);
    expect(s.fix).toContain(`Allow outgoing TCP ${port} from this machine to 127.0.0.1 in the firewall`);
    expect(s.fix).toContain('Settings > Network');
  });

  it('trips the handshake timeout on a server that accepts and never answers', async () => {
    const port = await silentServer();
    const started = Date.now();
    const report = await probe({
      url: `https://127.0.0.1:${port}/`,
      timeouts: { connectMs: 300, handshakeMs: 300, totalMs: 2_000 },
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    const s = stepOf(report, 'tls');
    expect(s.state).toBe('failed');
    expect(s.summary).toContain('No TLS handshake with 127.0.0.1 within 300 ms');
    expect(s.ms).toBeGreaterThanOrEqual(250);
  });

  it('trips the HTTP timeout on a plain-http loopback server that never answers', async () => {
    const port = await silentServer();
    const report = await probe({
      url: `http://127.0.0.1:${port}/`,
      timeouts: { connectMs: 300, handshakeMs: 300, totalMs: 2_000 },
    });
    expect(states(report)).toBe('route:ok dns:ok tcp:ok tls:skipped http:failed clock:skipped');
    expect(stepOf(report, 'http').summary).toContain('sent no answer within 300 ms');
  });

  it('stops at once when the signal aborts', async () => {
    const port = await silentServer();
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('closed by the user')), 100);
    await expect(
      probe({ url: `https://127.0.0.1:${port}/`, signal: ctl.signal, timeouts: { handshakeMs: 5_000 } }),
    ).rejects.toThrow('closed by the user');
  });

  it('warns when the server clock is 2 hours off', async () => {
    const { port } = await httpServer(() => new Date(Date.now() - 2 * 3_600_000).toUTCString());
    const report = await probe({ url: `http://127.0.0.1:${port}/`, platform: 'win32' });
    const s = stepOf(report, 'clock');
    expect(s.state).toBe('warning');
    expect(s.summary).toMatch(/^This machine's clock is 2 h 0 min ahead of the server's/);
    expect(s.fix).toContain('Sync now');
    expect(report.state).toBe('warning');
  });

  describe('through a proxy', () => {
    it('reports a TLS-inspecting proxy whose root is an extra certificate', async () => {
      const proxy = await proxyServer({ intercept: { cert: intercepted, chain: inspectionRoot.cert } });
      const report = await probe({
        url: `https://${TARGET}/info`,
        route: { kind: 'proxy', proxyUrl: proxy.url },
        extraCaPems: [inspectionRoot.cert],
        headers: { 'X-Registration-Key': KEY },
      });
      expect(states(report)).toBe('route:ok dns:ok tcp:ok tls:warning http:ok clock:ok');
      expect(stepOf(report, 'route').summary).toBe(
        `Through the HTTP proxy ${proxy.url.slice(7)}, with a CONNECT tunnel to ${TARGET}:443.`,
      );
      // Only the proxy's name is resolved; the target's is the proxy's business.
      expect(stepOf(report, 'dns').details?.['host']).toBe('127.0.0.1');
      expect(proxy.seen.connects).toEqual([`CONNECT ${TARGET}:443`]);
      expect(stepOf(report, 'tls').summary).toBe(
        `TLS inspection detected: the certificate for ${TARGET} was issued by "Corp Inspection Root", a locally trusted root, not a public authority.`,
      );
      expect(proxy.seen.headers[0]?.['x-registration-key']).toBe(KEY);
      expect(JSON.stringify(report)).not.toContain(KEY);
    });

    it('fails with SELF_SIGNED_CERT_IN_CHAIN when the inspecting root is not trusted', async () => {
      const proxy = await proxyServer({ intercept: { cert: intercepted, chain: inspectionRoot.cert } });
      const report = await probe({ url: `https://${TARGET}/info`, route: { kind: 'proxy', proxyUrl: proxy.url } });
      const s = stepOf(report, 'tls');
      expect(s.state).toBe('failed');
      expect(s.details?.['code']).toBe('SELF_SIGNED_CERT_IN_CHAIN');
      expect(s.summary).toContain('chains up to the root "Corp Inspection Root"');
      expect(s.summary).toContain('typical of TLS inspection');
      expect(s.details?.['chain ends in']).toBe('CN=Corp Inspection Root, O=Marketdesk tests');
      expect(s.fix).toContain('cp root.crt /usr/local/share/ca-certificates/ && update-ca-certificates');
      expect(s.fix).toContain('/etc/pki/ca-trust/source/anchors/');
      // The second, describe-only handshake went through the tunnel again.
      expect(proxy.seen.connects).toEqual([`CONNECT ${TARGET}:443`, `CONNECT ${TARGET}:443`]);
      expect(proxy.seen.headers).toEqual([]);
    });

    it('fails as an unknown issuer when the inspecting proxy sends its leaf alone', async () => {
      const proxy = await proxyServer({ intercept: { cert: intercepted } });
      const report = await probe({ url: `https://${TARGET}/`, route: { kind: 'proxy', proxyUrl: proxy.url } });
      const s = stepOf(report, 'tls');
      expect(s.details?.['code']).toMatch(/^UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)$/);
      expect(s.summary).toContain('"Corp Inspection Root"');
    });

    it('sends plain http to a loopback URL through the proxy in absolute form, with its credentials', async () => {
      const proxy = await proxyServer({ credentials: 'alice:s3cret-pw' });
      const url = 'http://localhost:8/info';
      const without = await probe({ url, route: { kind: 'proxy', proxyUrl: proxy.url } });
      expect(states(without)).toBe('route:ok dns:ok tcp:ok tls:skipped http:failed clock:skipped');
      expect(stepOf(without, 'http').summary).toMatch(/^Proxy authentication required: /);
      const right = `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`;
      const ok = await probe({ url, route: { kind: 'proxy', proxyUrl: proxy.url, authorization: right } });
      expect(states(ok)).toBe('route:ok dns:ok tcp:ok tls:skipped http:ok clock:ok');
      expect(proxy.seen.connects).toEqual([`GET ${url}`, `GET ${url}`]);
      expect(proxy.seen.authorizations).toEqual([undefined, right]);
    });

    it('speaks TLS to an https:// proxy, trusted through an extra certificate, and tunnels inside it', async () => {
      const { port } = await httpsServer(good);
      const proxy = await proxyServer({ tls: good });
      const url = `https://localhost:${port}/`;
      const ok = await probe({ url, route: { kind: 'proxy', proxyUrl: proxy.url }, extraCaPems: [ca.cert] });
      expect(states(ok)).toBe('route:ok dns:ok tcp:ok tls:warning http:ok clock:ok');
      expect(stepOf(ok, 'tcp').details?.['proxy tls']).toMatch(
        /^TLSv1\.[23], certificate for "localhost" issued by "Marketdesk Test Root"$/,
      );
      expect(proxy.seen.connects).toEqual([`CONNECT localhost:${port}`]);

      const untrusted = await probe({ url, route: { kind: 'proxy', proxyUrl: proxy.url } });
      expect(states(untrusted)).toBe('route:ok dns:ok tcp:failed tls:skipped http:skipped clock:skipped');
      expect(stepOf(untrusted, 'tcp').summary).toMatch(
        /^The TLS connection to the HTTPS proxy 127\.0\.0\.1:\d+ failed: its certificate is not trusted \(UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)\)\.$/,
      );
    });

    it('names proxy authentication on 407, then passes with the right Basic credentials', async () => {
      const { port } = await httpsServer(good);
      const proxy = await proxyServer({ credentials: 'alice:s3cret-pw' });
      const target = `https://127.0.0.1:${port}/`;

      const without = await probe({ url: target, route: { kind: 'proxy', proxyUrl: proxy.url } });
      expect(states(without)).toBe('route:ok dns:ok tcp:failed tls:skipped http:skipped clock:skipped');
      const s = stepOf(without, 'tcp');
      expect(s.summary).toMatch(/^Proxy authentication required: the proxy 127\.0\.0\.1:\d+ answered HTTP 407/);
      expect(s.details?.['proxy-authenticate']).toBe('Basic realm="test proxy"');
      expect(s.fix).toBe('Enter the proxy user name and password in Marketdesk: Settings > Network.');

      const wrong = `Basic ${Buffer.from('alice:nope-nope').toString('base64')}`;
      const refused = await probe({
        url: target,
        route: { kind: 'proxy', proxyUrl: proxy.url, authorization: wrong },
      });
      expect(stepOf(refused, 'tcp').summary).toContain('rejected the credentials given');
      expect(JSON.stringify(refused)).not.toContain(wrong.slice(6));

      const right = `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`;
      const ok = await probe({
        url: target,
        route: { kind: 'proxy', proxyUrl: proxy.url, authorization: right },
        extraCaPems: [ca.cert],
      });
      expect(states(ok)).toBe('route:ok dns:ok tcp:ok tls:warning http:ok clock:ok');
      expect(stepOf(ok, 'route').details?.['proxy authentication']).toBe('Basic (credentials given)');
      expect(stepOf(ok, 'tcp').details?.['tunnel']).toBe('HTTP 200 Connection established');
      expect(proxy.seen.authorizations.at(-1)).toBe(right);
      expect(JSON.stringify(ok)).not.toContain(right.slice(6));
    });
  });
});
