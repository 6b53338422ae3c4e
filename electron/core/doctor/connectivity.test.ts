import { describe, expect, it } from 'vitest';
import {
  clockFix,
  clockStep,
  displayName,
  formatDuration,
  runConnectivityProbe,
  trustRootFix,
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
} from './connectivity';

// ---------------------------------------------------------------------------------------------
// A scripted fake port

interface Conn {
  id: number;
  kind: 'tcp' | 'tls';
  to: string;
  closed: boolean;
  /** A TLS connection owns the TCP one under it, as a TLSSocket does. */
  under?: Conn;
}

const NOW = new Date('2026-06-01T10:00:00.000Z');
const KEY = 'REG-KEY-super-secret-0123456789';
const PROXY_AUTH = `Basic ${Buffer.from('alice:pa55word!').toString('base64')}`;

const leaf: CertificateInfo = {
  subject: 'CN=services.glpi-network.com',
  issuer: "CN=R11, O=Let's Encrypt, C=US",
  validFrom: '2026-05-01T00:00:00.000Z',
  validTo: '2026-07-30T00:00:00.000Z',
  altNames: 'DNS:services.glpi-network.com',
  fingerprint256: 'AA:BB',
};
const publicRoot: CertificateInfo = {
  subject: 'CN=ISRG Root X1, O=Internet Security Research Group, C=US',
  issuer: 'CN=ISRG Root X1, O=Internet Security Research Group, C=US',
  validFrom: '2015-06-04T11:04:38.000Z',
  validTo: '2035-06-04T11:04:38.000Z',
  fingerprint256: 'CC:DD',
};
const corpRoot: CertificateInfo = {
  subject: 'CN=Corp Inspection Root, O=Corp',
  issuer: 'CN=Corp Inspection Root, O=Corp',
  validFrom: '2020-01-01T00:00:00.000Z',
  validTo: '2040-01-01T00:00:00.000Z',
  fingerprint256: 'EE:FF',
};
const corpLeaf: CertificateInfo = { ...leaf, issuer: corpRoot.subject, fingerprint256: '11:22' };

function codeError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

/** Never settles unless the signal aborts (`honour`) or never at all. */
function hang<T>(signal: AbortSignal, honour = true): Promise<T> {
  return new Promise<T>((_resolve, reject) => {
    if (honour) signal.addEventListener('abort', () => reject(signal.reason as Error));
  });
}

class FakePort implements ConnectivityPort<Conn> {
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

const URL_ = 'https://services.glpi-network.com/api/glpi-network/info';

function run(port: FakePort, input: Partial<ConnectivityInput> = {}): Promise<ConnectivityReport> {
  return runConnectivityProbe(port, {
    url: URL_,
    route: { kind: 'direct' },
    headers: { 'X-Registration-Key': KEY, 'User-Agent': 'Marketdesk/1.0' },
    now: () => NOW,
    platform: 'linux',
    ...input,
  });
}

function step(r: ConnectivityReport, id: StepId): StepResult {
  const s = r.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id}`);
  return s;
}

function states(r: ConnectivityReport): string {
  return r.steps.map((s) => `${s.id}:${s.state}`).join(' ');
}

const proxyRoute = (authorization?: string): ConnectivityInput['route'] => ({
  kind: 'proxy',
  proxyUrl: 'http://proxy.corp.example:3128',
  ...(authorization ? { authorization } : {}),
});

// ---------------------------------------------------------------------------------------------

describe('runConnectivityProbe: the happy paths', () => {
  it('runs the six steps in order, direct, with a public root', async () => {
    const port = new FakePort();
    const r = await run(port);
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:ok http:ok clock:ok');
    expect(r.state).toBe('ok');
    expect(r.fix).toBeUndefined();
    expect(port.calls).toEqual([
      'resolve services.glpi-network.com',
      'connect 192.0.2.10:443',
      'tls #1 services.glpi-network.com extras=0',
      `get #2 ${URL_}`,
    ]);
    expect(step(r, 'route').summary).toBe('Direct connection to services.glpi-network.com:443 (no proxy).');
    expect(step(r, 'dns').summary).toBe('The name services.glpi-network.com resolves to 192.0.2.10.');
    expect(step(r, 'tcp').summary).toBe('Connected to services.glpi-network.com:443 (192.0.2.10).');
    expect(step(r, 'tls').summary).toBe(
      'TLSv1.3 with services.glpi-network.com: certificate for "services.glpi-network.com", issued by "R11", valid until 2026-07-30T00:00:00.000Z, chain ends in the public root "ISRG Root X1".',
    );
    expect(step(r, 'tls').details).toMatchObject({
      subject: leaf.subject,
      issuer: leaf.issuer,
      'valid from': leaf.validFrom,
      'valid to': leaf.validTo,
      root: publicRoot.subject,
      'trusted through': 'a public root (Node.js bundled roots)',
    });
    expect(step(r, 'http').summary).toBe('services.glpi-network.com:443 answered HTTP 200.');
    expect(step(r, 'http').details).toEqual({
      request: 'GET /api/glpi-network/info',
      status: '200 OK',
      'date header': NOW.toUTCString(),
      'headers sent': 'X-Registration-Key, User-Agent',
    });
    expect(step(r, 'clock').state).toBe('ok');
    for (const s of r.steps) expect(Number.isInteger(s.ms) && s.ms >= 0).toBe(true);
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it('sends the caller headers to the port untouched, and their values nowhere else', async () => {
    const port = new FakePort();
    const r = await run(port);
    expect(port.httpRequests[0]?.headers).toEqual({ 'X-Registration-Key': KEY, 'User-Agent': 'Marketdesk/1.0' });
    expect(JSON.stringify(r)).not.toContain(KEY);
    expect(JSON.stringify(r)).not.toContain('Marketdesk/1.0');
  });

  it('redacts header values even when a port error message echoes them', async () => {
    const port = new FakePort();
    port.httpWith = () => Promise.reject(codeError('ECONNRESET', `reset while sending X-Registration-Key: ${KEY}`));
    const r = await run(port, { route: proxyRoute(PROXY_AUTH) });
    expect(step(r, 'http').state).toBe('failed');
    const json = JSON.stringify(r);
    expect(json).not.toContain(KEY);
    expect(json).not.toContain(PROXY_AUTH.slice(6));
  });

  it('redacts the credentials of a proxy URL and never shows them', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.reject(codeError('ENOTFOUND', 'getaddrinfo ENOTFOUND proxy (bob:hunter22)'));
    const r = await run(port, { route: { kind: 'proxy', proxyUrl: 'http://bob:hunter22@proxy.corp.example:3128' } });
    expect(step(r, 'route').details?.['proxy']).toBe('proxy.corp.example:3128');
    expect(JSON.stringify(r)).not.toContain('hunter22');
  });

  it('follows a proxy route: resolves the proxy, tunnels to the target, reports the auth scheme only', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.resolve(['10.0.0.8']);
    const r = await run(port, { route: proxyRoute(PROXY_AUTH) });
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:ok http:ok clock:ok');
    expect(port.calls.slice(0, 3)).toEqual([
      'resolve proxy.corp.example',
      'connect 10.0.0.8:3128',
      'tunnel #1 services.glpi-network.com:443',
    ]);
    expect(port.tunnelAuth).toEqual([PROXY_AUTH]);
    expect(step(r, 'route').summary).toBe(
      'Through the HTTP proxy proxy.corp.example:3128, with a CONNECT tunnel to services.glpi-network.com:443.',
    );
    expect(step(r, 'route').details).toEqual({
      route: 'proxy',
      proxy: 'proxy.corp.example:3128',
      target: 'services.glpi-network.com:443',
      'proxy authentication': 'Basic (credentials given)',
    });
    expect(step(r, 'dns').summary).toBe("The proxy's name proxy.corp.example resolves to 10.0.0.8.");
    expect(step(r, 'tcp').summary).toBe(
      'Connected to the proxy proxy.corp.example:3128 (10.0.0.8); it opened a tunnel to services.glpi-network.com:443.',
    );
    expect(step(r, 'tcp').details?.['tunnel']).toBe('HTTP 200 Connection established');
    // Through a tunnel the request line stays relative and the proxy credentials are not repeated.
    expect(port.httpRequests[0]).toMatchObject({ absoluteForm: false });
    expect(port.httpRequests[0]?.headers['Proxy-Authorization']).toBeUndefined();
    expect(JSON.stringify(r)).not.toContain(PROXY_AUTH.slice(6));
  });

  it('speaks TLS to an https:// proxy first, then tunnels inside it', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.resolve(['10.0.0.8']);
    const r = await run(port, {
      route: { kind: 'proxy', proxyUrl: 'https://proxy.corp.example', authorization: PROXY_AUTH },
    });
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:ok http:ok clock:ok');
    expect(port.calls).toEqual([
      'resolve proxy.corp.example',
      'connect 10.0.0.8:443',
      'tls #1 proxy.corp.example extras=0',
      'tunnel #2 services.glpi-network.com:443',
      'tls #2 services.glpi-network.com extras=0',
      `get #3 ${URL_}`,
    ]);
    expect(step(r, 'route').summary).toBe(
      'Through the HTTPS proxy proxy.corp.example:443, with a CONNECT tunnel to services.glpi-network.com:443.',
    );
    expect(step(r, 'tcp').details?.['proxy tls']).toBe(
      'TLSv1.3, certificate for "services.glpi-network.com" issued by "R11"',
    );
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it('sends plain loopback http through a proxy in absolute form, with the proxy credentials', async () => {
    const port = new FakePort();
    const r = await run(port, { url: 'http://localhost:8080/info', route: proxyRoute(PROXY_AUTH) });
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:skipped http:ok clock:ok');
    expect(port.calls.some((c) => c.startsWith('tunnel'))).toBe(false);
    expect(port.httpRequests[0]).toMatchObject({ url: 'http://localhost:8080/info', absoluteForm: true });
    expect(port.httpRequests[0]?.headers['Proxy-Authorization']).toBe(PROXY_AUTH);
    expect(step(r, 'route').summary).toBe('Through the HTTP proxy proxy.corp.example:3128.');
    expect(step(r, 'tls').summary).toBe('Plain http to the loopback address localhost: no TLS.');
  });

  it('tries each address in turn and reports those that failed', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.resolve(['2001:db8::1', '192.0.2.10']);
    port.connectWith = (a) => (a === '2001:db8::1' ? Promise.reject(codeError('ENETUNREACH')) : Promise.resolve());
    const r = await run(port);
    expect(step(r, 'tcp').state).toBe('ok');
    expect(step(r, 'tcp').details).toMatchObject({ address: '192.0.2.10:443', 'failed 2001:db8::1': 'ENETUNREACH' });
  });

  it('reports why the route was chosen', async () => {
    const r = await run(new FakePort(), {
      route: { kind: 'direct', why: 'services.glpi-network.com matches NO_PROXY entry ".glpi-network.com".' },
    });
    expect(step(r, 'route').details).toEqual({
      route: 'direct',
      target: 'services.glpi-network.com:443',
      decision: 'services.glpi-network.com matches NO_PROXY entry ".glpi-network.com".',
    });
  });

  it('needs no DNS for an IP address', async () => {
    const port = new FakePort();
    const r = await run(port, { url: 'https://203.0.113.5:8443/' });
    expect(step(r, 'dns').summary).toBe('203.0.113.5 is an IP address: no DNS lookup needed.');
    expect(port.calls[0]).toBe('connect 203.0.113.5:8443');
  });

  it('passes the extra certificates to the handshake', async () => {
    const port = new FakePort();
    await run(port, { extraCaPems: ['-----BEGIN CERTIFICATE-----a', '-----BEGIN CERTIFICATE-----b'] });
    expect(port.calls).toContain('tls #1 services.glpi-network.com extras=2');
  });
});

describe('runConnectivityProbe: route', () => {
  it.each([
    ['not a url', '"not a url" is not a URL.', 'Enter a full address such as https://services.glpi-network.com.'],
    [
      'http://services.glpi-network.com/info',
      'http://services.glpi-network.com is plain http: Marketdesk only talks https to GLPI Network (plain http on loopback only).',
      'Use https://services.glpi-network.com/info instead.',
    ],
    [
      'ftp://example.com/',
      'ftp: URLs cannot be checked; only https (and http on loopback).',
      'Enter an https:// address.',
    ],
  ])('refuses %s', async (url, summary, fix) => {
    const port = new FakePort();
    const r = await run(port, { url });
    expect(states(r)).toBe('route:failed dns:skipped tcp:skipped tls:skipped http:skipped clock:skipped');
    expect(step(r, 'route')).toMatchObject({ summary, fix });
    expect(r.fix).toBe(fix);
    expect(port.calls).toEqual([]);
  });

  it('refuses a proxy that is not an HTTP proxy', async () => {
    const r = await run(new FakePort(), { route: { kind: 'proxy', proxyUrl: 'socks5://127.0.0.1:1080' } });
    expect(step(r, 'route').summary).toBe(
      'The proxy 127.0.0.1:1080 uses socks5; only HTTP proxies (http:// or https://) are supported.',
    );
    expect(step(r, 'route').fix).toContain('Settings > Network');
  });

  it('refuses a proxy address that is not a URL', async () => {
    for (const proxyUrl of ['proxy:3128', 'http://', '3128']) {
      const r = await run(new FakePort(), { route: { kind: 'proxy', proxyUrl } });
      expect(step(r, 'route')).toMatchObject({
        state: 'failed',
        summary: 'The proxy address is not a URL.',
        fix: 'Set the proxy as http://host:port in Marketdesk: Settings > Network.',
      });
    }
  });

  it('accepts plain http on loopback only', async () => {
    for (const url of ['http://127.0.0.1:9/', 'http://localhost/', 'http://[::1]:8080/'])
      expect(step(await run(new FakePort(), { url }), 'route').state).toBe('ok');
  });
});

describe('runConnectivityProbe: DNS', () => {
  it('classifies ENOTFOUND with a DNS fix, and skips the rest', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.reject(codeError('ENOTFOUND'));
    const r = await run(port);
    expect(states(r)).toBe('route:ok dns:failed tcp:skipped tls:skipped http:skipped clock:skipped');
    expect(step(r, 'dns')).toMatchObject({
      summary:
        "services.glpi-network.com could not be resolved: the name does not exist, or this machine's DNS server does not know it (ENOTFOUND).",
      fix: "Check this machine's DNS settings and that it resolves services.glpi-network.com (try `nslookup services.glpi-network.com`). If your network reaches the internet only through a proxy, set it in Marketdesk: Settings > Network.",
      details: { host: 'services.glpi-network.com', code: 'ENOTFOUND' },
    });
    expect(step(r, 'tcp')).toEqual({ id: 'tcp', state: 'skipped', ms: 0, summary: 'Not run: an earlier step failed.' });
    expect(r.fix).toBe(step(r, 'dns').fix);
    expect(port.calls).toEqual(['resolve services.glpi-network.com']);
  });

  it('classifies EAI_AGAIN as a DNS server not answering', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.reject(codeError('EAI_AGAIN'));
    const r = await run(port);
    expect(step(r, 'dns').summary).toBe(
      'The DNS server did not answer for services.glpi-network.com (EAI_AGAIN: temporary failure).',
    );
  });

  it('fails an empty answer', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.resolve([]);
    const r = await run(port);
    expect(step(r, 'dns').details?.['code']).toBe('ENODATA');
  });

  it('times out even when the port ignores the signal', async () => {
    const port = new FakePort();
    port.resolveWith = (_h, s) => hang(s, false);
    const r = await run(port, { timeouts: { connectMs: 30 } });
    expect(step(r, 'dns').summary).toBe('No DNS answer for services.glpi-network.com within 30 ms.');
    expect(step(r, 'dns').ms).toBeGreaterThanOrEqual(25);
  });

  it('points at the proxy host name when the proxy does not resolve', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.reject(codeError('ENOTFOUND'));
    const r = await run(port, { route: proxyRoute() });
    expect(step(r, 'dns').fix).toBe(
      'Check the proxy host name "proxy.corp.example" in Marketdesk: Settings > Network, and this machine\'s DNS settings (try `nslookup proxy.corp.example`).',
    );
  });
});

describe('runConnectivityProbe: TCP', () => {
  it('names the host and port to allow when the connection is refused', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.resolve(['192.0.2.10', '192.0.2.11']);
    port.connectWith = () => Promise.reject(codeError('ECONNREFUSED'));
    const r = await run(port);
    expect(step(r, 'tcp')).toMatchObject({
      state: 'failed',
      summary:
        'The connection to services.glpi-network.com:443 was refused (ECONNREFUSED): nothing accepts connections on port 443, or a firewall rejects them.',
      fix: 'Allow outgoing TCP 443 from this machine to services.glpi-network.com (192.0.2.10, 192.0.2.11) in the firewall, or, if your network requires a proxy, set it in Marketdesk: Settings > Network.',
      details: {
        addresses: '192.0.2.10, 192.0.2.11',
        'failed 192.0.2.10': 'ECONNREFUSED',
        'failed 192.0.2.11': 'ECONNREFUSED',
      },
    });
    expect(states(r)).toBe('route:ok dns:ok tcp:failed tls:skipped http:skipped clock:skipped');
  });

  it('blames a silent firewall on a connect timeout', async () => {
    const port = new FakePort();
    port.connectWith = (_a, _p, s) => hang(s);
    const r = await run(port, { timeouts: { connectMs: 30 } });
    expect(step(r, 'tcp').summary).toBe(
      'No answer from services.glpi-network.com:443 within 30 ms: a firewall is probably dropping the traffic silently.',
    );
    expect(step(r, 'tcp').fix).toBe(
      'Allow outgoing TCP 443 from this machine to services.glpi-network.com (192.0.2.10) in the firewall, or, if your network requires a proxy, set it in Marketdesk: Settings > Network.',
    );
  });

  it('closes a connection that arrives after the deadline', async () => {
    const port = new FakePort();
    port.connectWith = () => new Promise((resolve) => setTimeout(resolve, 60));
    const r = await run(port, { timeouts: { connectMs: 20 } });
    expect(step(r, 'tcp').state).toBe('failed');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(port.conns).toHaveLength(1);
    expect(port.conns[0]?.closed).toBe(true);
  });

  it('reports no route', async () => {
    const port = new FakePort();
    port.connectWith = () => Promise.reject(codeError('EHOSTUNREACH'));
    const r = await run(port);
    expect(step(r, 'tcp').summary).toBe('No network route to services.glpi-network.com:443 (EHOSTUNREACH).');
  });

  it('sends the user to the proxy settings when the proxy refuses', async () => {
    const port = new FakePort();
    port.resolveWith = () => Promise.resolve(['10.0.0.8']);
    port.connectWith = () => Promise.reject(codeError('ECONNREFUSED'));
    const r = await run(port, { route: proxyRoute() });
    expect(step(r, 'tcp').summary).toContain('The connection to the proxy proxy.corp.example:3128 was refused');
    expect(step(r, 'tcp').fix).toBe(
      'Check the proxy address and port in Marketdesk: Settings > Network (now proxy.corp.example:3128), and allow outgoing TCP 3128 from this machine to proxy.corp.example (10.0.0.8) in the firewall.',
    );
  });
});

describe('runConnectivityProbe: proxy tunnel', () => {
  it('names proxy authentication on 407 without credentials', async () => {
    const port = new FakePort();
    port.tunnelWith = () =>
      Promise.resolve({
        status: 407,
        statusText: 'Proxy Authentication Required',
        proxyAuthenticate: ['Basic realm="corp"'],
      });
    const r = await run(port, { route: proxyRoute() });
    expect(states(r)).toBe('route:ok dns:ok tcp:failed tls:skipped http:skipped clock:skipped');
    expect(step(r, 'tcp')).toMatchObject({
      summary:
        'Proxy authentication required: the proxy proxy.corp.example:3128 answered HTTP 407 (it asks for Basic) to the tunnel request for services.glpi-network.com:443.',
      fix: 'Enter the proxy user name and password in Marketdesk: Settings > Network.',
    });
    expect(step(r, 'tcp').details).toMatchObject({
      tunnel: 'HTTP 407 Proxy Authentication Required',
      'proxy-authenticate': 'Basic realm="corp"',
    });
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it('says the credentials were rejected, and which scheme the proxy wants', async () => {
    const port = new FakePort();
    port.tunnelWith = () => Promise.resolve({ status: 407, statusText: '', proxyAuthenticate: ['Negotiate', 'NTLM'] });
    const r = await run(port, { route: proxyRoute(PROXY_AUTH) });
    expect(step(r, 'tcp').summary).toBe(
      'Proxy authentication required: the proxy proxy.corp.example:3128 rejected the credentials given (HTTP 407, it asks for Negotiate) for the tunnel to services.glpi-network.com:443.',
    );
    expect(step(r, 'tcp').fix).toBe(
      'Check the proxy user name and password in Marketdesk: Settings > Network; the proxy asks for Negotiate, ask your IT team whether it also accepts Basic.',
    );
  });

  it('reports an https:// proxy whose certificate is not trusted', async () => {
    const port = new FakePort();
    port.tlsWith = (_s, host) =>
      host === 'proxy.corp.example'
        ? Promise.reject(codeError('SELF_SIGNED_CERT_IN_CHAIN'))
        : Promise.resolve({ protocol: 'TLSv1.3', chain: [leaf, publicRoot], anchor: 'public' });
    const r = await run(port, { route: { kind: 'proxy', proxyUrl: 'https://proxy.corp.example:8443' } });
    expect(states(r)).toBe('route:ok dns:ok tcp:failed tls:skipped http:skipped clock:skipped');
    expect(step(r, 'tcp').summary).toBe(
      'The TLS connection to the HTTPS proxy proxy.corp.example:8443 failed: its certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN).',
    );
    expect(step(r, 'tcp').fix).toContain("Get the root certificate of the proxy's authority from your IT team");
    expect(step(r, 'tcp').fix).toContain('write it http://proxy.corp.example:8443 in Marketdesk: Settings > Network.');
    expect(port.calls.some((c) => c.startsWith('tunnel'))).toBe(false);
  });

  it('reports an https:// proxy that does not speak TLS', async () => {
    const port = new FakePort();
    port.tlsWith = (s, host) =>
      host === 'proxy.corp.example' ? hang(s) : Promise.resolve({ protocol: 'TLSv1.3', chain: [], anchor: 'public' });
    const r = await run(port, {
      route: { kind: 'proxy', proxyUrl: 'https://proxy.corp.example:3128' },
      timeouts: { handshakeMs: 30 },
    });
    expect(step(r, 'tcp')).toMatchObject({
      summary: 'The TLS connection to the HTTPS proxy proxy.corp.example:3128 did not complete within 30 ms.',
      fix: 'Check the proxy address in Marketdesk: Settings > Network: if the proxy speaks plain HTTP, write it http://proxy.corp.example:3128.',
    });
  });

  it('reports a refused tunnel', async () => {
    const port = new FakePort();
    port.tunnelWith = () => Promise.resolve({ status: 403, statusText: 'Forbidden', proxyAuthenticate: [] });
    const r = await run(port, { route: proxyRoute() });
    expect(step(r, 'tcp')).toMatchObject({
      summary:
        'The proxy proxy.corp.example:3128 refused the tunnel to services.glpi-network.com:443 (HTTP 403 Forbidden).',
      fix: 'Ask your IT team to allow HTTPS tunnels (CONNECT) through the proxy proxy.corp.example:3128 to services.glpi-network.com:443, or check the proxy in Marketdesk: Settings > Network.',
    });
  });

  it('reports a proxy that cannot reach the target', async () => {
    const port = new FakePort();
    port.tunnelWith = () => Promise.resolve({ status: 502, statusText: 'Bad Gateway', proxyAuthenticate: [] });
    const r = await run(port, { route: proxyRoute() });
    expect(step(r, 'tcp').summary).toBe(
      'The proxy proxy.corp.example:3128 could not reach services.glpi-network.com:443 (HTTP 502 Bad Gateway).',
    );
  });

  it('reports a proxy that does not answer CONNECT, or not in HTTP', async () => {
    const port = new FakePort();
    port.tunnelWith = (_t, s) => hang(s);
    let r = await run(port, { route: proxyRoute(), timeouts: { handshakeMs: 30 } });
    expect(step(r, 'tcp').summary).toBe(
      'The proxy proxy.corp.example:3128 did not answer the tunnel request for services.glpi-network.com:443 within 30 ms.',
    );
    port.tunnelWith = () => Promise.reject(codeError('BAD_PROXY_ANSWER'));
    r = await run(port, { route: proxyRoute() });
    expect(step(r, 'tcp').summary).toBe(
      'proxy.corp.example:3128 answered the tunnel request with something that is not HTTP: it is probably not an HTTP proxy.',
    );
  });
});

describe('runConnectivityProbe: TLS', () => {
  const tlsFailure = async (
    code: string,
    opts: { chain?: CertificateInfo[]; platform?: string; proxy?: boolean } = {},
  ) => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError(code, `verify failed: ${code}`));
    port.peekWith = () => Promise.resolve(opts.chain ?? [leaf]);
    const r = await run(port, {
      platform: opts.platform ?? 'linux',
      ...(opts.proxy ? { route: proxyRoute(PROXY_AUTH) } : {}),
    });
    return { r, s: step(r, 'tls'), port };
  };

  it('describes the certificate through a second connection after a certificate failure, then stops', async () => {
    const { r, s, port } = await tlsFailure('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:failed http:skipped clock:skipped');
    expect(port.calls).toEqual([
      'resolve services.glpi-network.com',
      'connect 192.0.2.10:443',
      'tls #1 services.glpi-network.com extras=0',
      'connect 192.0.2.10:443',
      'peek #2 services.glpi-network.com',
    ]);
    expect(s.details).toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      subject: leaf.subject,
      issuer: leaf.issuer,
      'valid from': leaf.validFrom,
      'valid to': leaf.validTo,
      note: 'certificate read through a second handshake without verification, for this report only',
    });
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it('repeats the tunnel for the describe-only handshake through a proxy', async () => {
    const { port } = await tlsFailure('SELF_SIGNED_CERT_IN_CHAIN', { proxy: true });
    expect(port.calls.filter((c) => c.startsWith('tunnel'))).toHaveLength(2);
    expect(port.tunnelAuth).toEqual([PROXY_AUTH, PROXY_AUTH]);
    expect(port.calls.at(-1)).toBe('peek #2 services.glpi-network.com');
  });

  it('goes through the https:// proxy again for the describe-only handshake', async () => {
    const port = new FakePort();
    port.tlsWith = (_s, host) =>
      host === 'proxy.corp.example'
        ? Promise.resolve({ protocol: 'TLSv1.3', chain: [], anchor: 'public' })
        : Promise.reject(codeError('SELF_SIGNED_CERT_IN_CHAIN'));
    const r = await run(port, { route: { kind: 'proxy', proxyUrl: 'https://proxy.corp.example' } });
    expect(step(r, 'tls').details?.['subject']).toBe(leaf.subject);
    expect(port.calls.slice(-4)).toEqual([
      'connect 192.0.2.10:443',
      'tls #3 proxy.corp.example extras=0',
      'tunnel #4 services.glpi-network.com:443',
      'peek #4 services.glpi-network.com',
    ]);
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it('still reports the failure when the certificate cannot be read', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError('CERT_HAS_EXPIRED'));
    port.peekWith = () => Promise.reject(codeError('ECONNRESET'));
    const r = await run(port);
    expect(step(r, 'tls').summary).toBe(
      "The certificate for services.glpi-network.com expired (CERT_HAS_EXPIRED); this machine's clock reads 2026-06-01T10:00:00.000Z.",
    );
    expect(step(r, 'tls').details).toEqual({ code: 'CERT_HAS_EXPIRED' });
  });

  it('does not look at the certificate after a failure that is not about it', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError('ECONNRESET', 'socket hang up'));
    const r = await run(port);
    expect(port.calls.some((c) => c.startsWith('peek'))).toBe(false);
    expect(step(r, 'tls')).toMatchObject({
      summary: 'The TLS handshake with services.glpi-network.com failed (ECONNRESET).',
      fix: 'A device between this machine and services.glpi-network.com (a firewall, a proxy or an antivirus) may be cutting HTTPS: allow outgoing TCP 443 from this machine to services.glpi-network.com in the firewall, or set the proxy your network requires in Marketdesk: Settings > Network.',
    });
  });

  it('DEPTH_ZERO_SELF_SIGNED_CERT: self-signed', async () => {
    const selfSigned = { ...leaf, issuer: leaf.subject };
    const { s } = await tlsFailure('DEPTH_ZERO_SELF_SIGNED_CERT', { chain: [selfSigned] });
    expect(s.summary).toBe(
      'services.glpi-network.com presented a self-signed certificate (CN=services.glpi-network.com) (DEPTH_ZERO_SELF_SIGNED_CERT): no authority vouches for it.',
    );
    expect(s.fix).toBe(
      `If services.glpi-network.com is a server of yours, trust its certificate (saved as root.crt): ${trustRootFix('linux')}; then add it in Marketdesk: Settings > Network > Extra certificates. If services.glpi-network.com should be a public service, a device on your network (a proxy, an antivirus or a captive portal) is answering in its place: ask your IT team.`,
    );
  });

  it('SELF_SIGNED_CERT_IN_CHAIN: an untrusted root, typical of TLS inspection', async () => {
    const { s, r } = await tlsFailure('SELF_SIGNED_CERT_IN_CHAIN', { chain: [corpLeaf, corpRoot] });
    expect(s.summary).toBe(
      'The certificate for services.glpi-network.com chains up to the root "Corp Inspection Root", which this machine does not trust (SELF_SIGNED_CERT_IN_CHAIN). This is typical of TLS inspection by a proxy or an antivirus with a corporate root.',
    );
    expect(s.fix).toBe(
      'Get the root certificate "Corp Inspection Root" from your IT team (saved as root.crt) and trust it: on Debian/Ubuntu: `cp root.crt /usr/local/share/ca-certificates/ && update-ca-certificates` (as root; the file name must end in .crt); on RHEL/Fedora: `cp root.crt /etc/pki/ca-trust/source/anchors/ && update-ca-trust` (as root). Then add the same file in Marketdesk: Settings > Network > Extra certificates.',
    );
    expect(s.details?.['chain ends in']).toBe(corpRoot.subject);
    expect(r.fix).toBe(s.fix);
  });

  it.each(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT'])(
    '%s: unknown issuer',
    async (code) => {
      const { s } = await tlsFailure(code, { chain: [corpLeaf] });
      expect(s.summary).toBe(
        `The certificate for services.glpi-network.com was issued by "Corp Inspection Root", an authority this machine does not know (${code}).`,
      );
      expect(s.fix).toContain('If your network inspects HTTPS (a proxy or an antivirus), this is its authority.');
      expect(s.fix).toContain('Get the root certificate "Corp Inspection Root" from your IT team');
      expect(s.fix).toContain('have it send its intermediate certificates too');
    },
  );

  it('CERT_HAS_EXPIRED: the date, the local clock and both explanations', async () => {
    const old = { ...leaf, validTo: '2020-02-01T00:00:00.000Z' };
    const { s } = await tlsFailure('CERT_HAS_EXPIRED', { chain: [old] });
    expect(s.summary).toBe(
      "The certificate for services.glpi-network.com expired on 2020-02-01T00:00:00.000Z (CERT_HAS_EXPIRED); this machine's clock reads 2026-06-01T10:00:00.000Z.",
    );
    expect(s.fix).toBe(
      `Check this machine's clock: if it is wrong, set it right (${clockFix('linux')}). If it is right, the certificate really has expired and whoever runs services.glpi-network.com (or, if your network inspects HTTPS, your IT team, as "R11" issued it) must renew it.`,
    );
  });

  it('CERT_NOT_YET_VALID: the clock is probably behind', async () => {
    const future = { ...leaf, validFrom: '2027-01-01T00:00:00.000Z' };
    const { s } = await tlsFailure('CERT_NOT_YET_VALID', { chain: [future], platform: 'darwin' });
    expect(s.summary).toBe(
      "The certificate for services.glpi-network.com is valid only from 2027-01-01T00:00:00.000Z (CERT_NOT_YET_VALID); this machine's clock reads 2026-06-01T10:00:00.000Z.",
    );
    expect(s.fix).toBe(
      'Check this machine\'s clock: it is probably behind (on macOS: System Settings > General > Date & Time, turn on "Set time and date automatically"). If it is right, whoever runs services.glpi-network.com installed a certificate that is not valid yet.',
    );
  });

  it('ERR_TLS_CERT_ALTNAME_INVALID: a certificate for another name', async () => {
    const other = { ...leaf, subject: 'CN=portal.hotel.example', altNames: 'DNS:portal.hotel.example' };
    const { s } = await tlsFailure('ERR_TLS_CERT_ALTNAME_INVALID', { chain: [other] });
    expect(s.summary).toBe(
      'The certificate presented for services.glpi-network.com is for another name: DNS:portal.hotel.example (ERR_TLS_CERT_ALTNAME_INVALID).',
    );
    expect(s.fix).toBe(
      'Check the address (https://services.glpi-network.com). If it is right, a device on your network (a proxy, a captive portal or a DNS filter) answers in place of services.glpi-network.com: ask your IT team which device presents this certificate.',
    );
  });

  it('another certificate code: refused, with the trust fix', async () => {
    const { s } = await tlsFailure('CERT_REVOKED');
    expect(s.summary).toBe('The certificate for services.glpi-network.com was refused (CERT_REVOKED).');
  });

  it('a bad extra certificate', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError('BAD_EXTRA_CA', 'extra certificate #2 cannot be read'));
    const r = await run(port);
    expect(step(r, 'tls')).toMatchObject({
      summary: 'An extra certificate is not a valid PEM certificate: extra certificate #2 cannot be read.',
      fix: 'Fix or remove it in Marketdesk: Settings > Network > Extra certificates: each one must be a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).',
    });
    expect(port.calls.some((c) => c.startsWith('peek'))).toBe(false);
  });

  it('a handshake that never completes', async () => {
    const port = new FakePort();
    port.tlsWith = (s) => hang(s);
    const r = await run(port, { timeouts: { handshakeMs: 30 } });
    expect(step(r, 'tls').summary).toBe(
      'No TLS handshake with services.glpi-network.com within 30 ms: something accepts the connection but does not complete TLS (a firewall or a proxy holding it, or a server that does not speak TLS on port 443).',
    );
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it.each([
    ['linux', ['update-ca-certificates', 'update-ca-trust'], ['certlm.msc', 'Keychain Access']],
    ['win32', ['certlm.msc', 'Trusted Root Certification Authorities'], ['update-ca-certificates', 'Keychain']],
    ['darwin', ['Keychain Access', 'System keychain', 'Always Trust'], ['certlm.msc', 'update-ca-trust']],
    [undefined, ['update-ca-certificates', 'update-ca-trust', 'certlm.msc', 'Keychain Access'], []],
  ])('gives the trust instructions of %s', async (platform, present, absent) => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError('SELF_SIGNED_CERT_IN_CHAIN'));
    const r = await run(port, platform ? { platform } : { platform: undefined });
    const fix = step(r, 'tls').fix ?? '';
    for (const p of present) expect(fix).toContain(p);
    for (const a of absent) expect(fix).not.toContain(a);
    expect(fix).toContain('Settings > Network > Extra certificates');
  });

  it('warns about TLS inspection when the chain ends in an extra certificate', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.resolve({ protocol: 'TLSv1.3', chain: [corpLeaf, corpRoot], anchor: 'extra' });
    const r = await run(port, { extraCaPems: ['pem'] });
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:warning http:ok clock:ok');
    expect(r.state).toBe('warning');
    expect(r.fix).toBeUndefined();
    expect(step(r, 'tls')).toMatchObject({
      summary:
        'TLS inspection detected: the certificate for services.glpi-network.com was issued by "Corp Inspection Root", a locally trusted root, not a public authority.',
      fix: 'Nothing to do if your IT team inspects HTTPS on purpose: Marketdesk trusts "Corp Inspection Root" because it is in Marketdesk: Settings > Network > Extra certificates. If you did not expect it, remove it from there and ask your IT team.',
    });
    expect(step(r, 'tls').details?.['trusted through']).toBe(
      'an extra certificate (Marketdesk: Settings > Network > Extra certificates)',
    );
  });

  it('warns about TLS inspection when the chain ends in another locally trusted root', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.resolve({ protocol: 'TLSv1.2', chain: [corpLeaf, corpRoot], anchor: 'local' });
    const r = await run(port);
    expect(step(r, 'tls').state).toBe('warning');
    expect(step(r, 'tls').summary).toMatch(/^TLS inspection detected: /);
    expect(step(r, 'tls').details?.['trusted through']).toBe('a root trusted locally on this machine');
  });
});

describe('runConnectivityProbe: HTTP', () => {
  it('warns on 4xx and 5xx, which are answers all the same', async () => {
    const port = new FakePort();
    port.httpWith = () => Promise.resolve({ status: 404, statusText: 'Not Found', headers: {} });
    let r = await run(port);
    expect(step(r, 'http')).toMatchObject({
      state: 'warning',
      summary:
        'services.glpi-network.com:443 answered HTTP 404 Not Found: the network path works, but this is not a success answer.',
    });
    expect(step(r, 'http').fix).toContain('https://services.glpi-network.com/api/glpi-network/info');
    port.httpWith = () => Promise.resolve({ status: 503, statusText: 'Service Unavailable', headers: {} });
    r = await run(port);
    expect(step(r, 'http').fix).toMatch(/^The server or a device in front of it reports a problem/);
    expect(r.state).toBe('warning');
  });

  it('fails a 407 from a proxy that reads the request itself', async () => {
    const port = new FakePort();
    port.httpWith = () =>
      Promise.resolve({
        status: 407,
        statusText: 'Proxy Authentication Required',
        headers: { 'proxy-authenticate': 'Basic realm="x"' },
      });
    const r = await run(port, { url: 'http://127.0.0.1:8080/', route: proxyRoute() });
    expect(step(r, 'http')).toMatchObject({
      state: 'failed',
      summary:
        'Proxy authentication required: the proxy proxy.corp.example:3128 answered HTTP 407 (it asks for Basic) for 127.0.0.1:8080.',
      fix: 'Enter the proxy user name and password in Marketdesk: Settings > Network.',
    });
  });

  it('fails a server that never answers', async () => {
    const port = new FakePort();
    port.httpWith = (s) => hang(s);
    const r = await run(port, { timeouts: { handshakeMs: 30 } });
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:ok http:failed clock:skipped');
    expect(step(r, 'http').summary).toBe(
      'services.glpi-network.com:443 accepted the connection but sent no answer within 30 ms.',
    );
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it('fails an answer that is not HTTP, or a cut connection', async () => {
    const port = new FakePort();
    port.httpWith = () => Promise.reject(codeError('HPE_INVALID_CONSTANT'));
    let r = await run(port);
    expect(step(r, 'http').summary).toBe(
      'services.glpi-network.com:443 answered with something that is not HTTP (HPE_INVALID_CONSTANT).',
    );
    port.httpWith = () => Promise.reject(codeError('ECONNRESET'));
    r = await run(port, { route: proxyRoute() });
    expect(step(r, 'http').summary).toBe(
      'The connection to services.glpi-network.com:443 through the proxy proxy.corp.example:3128 was closed before an answer came (ECONNRESET).',
    );
  });
});

describe('runConnectivityProbe: clock', () => {
  const withDate = async (date: string | undefined, platform = 'linux') => {
    const port = new FakePort();
    const headers: Record<string, string> = {};
    if (date) headers['date'] = date;
    port.httpWith = () => Promise.resolve({ status: 200, statusText: 'OK', headers });
    return step(await run(port, { platform }), 'clock');
  };

  it('warns beyond 5 minutes, with the skew and the fix for this OS', async () => {
    const s = await withDate(new Date(NOW.getTime() - 2 * 3_600_000).toUTCString());
    expect(s).toMatchObject({
      state: 'warning',
      summary:
        "This machine's clock is 2 h 0 min ahead of the server's (local 2026-06-01T10:00:00.000Z, server 2026-06-01T08:00:00.000Z).",
      fix: "Set this machine's clock right: on Linux: turn on network time with `timedatectl set-ntp true` (as root), then check `timedatectl status`. A wrong clock makes valid certificates look expired or not yet valid.",
      details: { skew: '+2 h 0 min' },
    });
    const behind = await withDate(new Date(NOW.getTime() + 6 * 60_000).toUTCString(), 'win32');
    expect(behind.summary).toMatch(/^This machine's clock is 6 min 0 s behind the server's/);
    expect(behind.fix).toContain(
      'Settings > Time & language > Date & time, turn on "Set time automatically" and click "Sync now"',
    );
  });

  it('accepts up to 5 minutes', async () => {
    const s = await withDate(new Date(NOW.getTime() - 4 * 60_000).toUTCString());
    expect(s.state).toBe('ok');
    expect(s.summary).toBe(
      "This machine's clock agrees with the server's (+4 min 0 s; the Date header has a 1 s resolution).",
    );
  });

  it('skips without a usable Date header', async () => {
    expect(await withDate(undefined)).toMatchObject({
      state: 'skipped',
      summary: 'The server sent no Date header: the clocks could not be compared.',
    });
    expect((await withDate('yesterday-ish')).state).toBe('skipped');
  });

  it('gives every OS when the platform is unknown', () => {
    const fix = clockStep(new Date(0).toUTCString(), NOW).fix ?? '';
    expect(fix).toContain('timedatectl set-ntp true');
    expect(fix).toContain('Sync now');
    expect(fix).toContain('Date & Time');
  });
});

describe('runConnectivityProbe: deadlines and cancellation', () => {
  it('caps every step by what is left of the total', async () => {
    const port = new FakePort();
    port.connectWith = () => new Promise((resolve) => setTimeout(resolve, 40));
    port.tlsWith = (s) => hang(s);
    const started = Date.now();
    const r = await run(port, { timeouts: { connectMs: 1_000, handshakeMs: 1_000, totalMs: 80 } });
    expect(Date.now() - started).toBeLessThan(500);
    expect(step(r, 'tls').state).toBe('failed');
    expect(step(r, 'tls').summary).toMatch(
      /^No TLS handshake with services\.glpi-network\.com within \d+ ms \(the time allowed for the whole check ran out\)/,
    );
  });

  it('rejects with the reason when the signal aborts, closing what it opened', async () => {
    const port = new FakePort();
    port.tlsWith = (s) => hang(s, false);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('cancelled by the user')), 20);
    await expect(run(port, { signal: ctl.signal })).rejects.toThrow('cancelled by the user');
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it('rejects at once on an aborted signal', async () => {
    const ctl = new AbortController();
    ctl.abort(new Error('already'));
    const port = new FakePort();
    await expect(run(port, { signal: ctl.signal })).rejects.toThrow('already');
    expect(port.calls).toEqual([]);
  });

  it('turns an unexpected port error into a failed step', async () => {
    const port = new FakePort();
    port.resolveWith = () => {
      throw new TypeError('boom');
    };
    const r = await run(port);
    expect(step(r, 'dns').state).toBe('failed');
  });
});

describe('helpers', () => {
  it('formats durations', () => {
    expect(formatDuration(400)).toBe('0 s');
    expect(formatDuration(59_000)).toBe('59 s');
    expect(formatDuration(61_000)).toBe('1 min 1 s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000 + 3_600_000)).toBe('3 days 1 h');
  });

  it('names a certificate by its CN, else its O', () => {
    expect(displayName("CN=R11, O=Let's Encrypt, C=US")).toBe('"R11"');
    expect(displayName('O=Corp, C=FR')).toBe('"Corp"');
    expect(displayName('C=FR')).toBe('C=FR');
  });

  it('gives the trust fix of each OS', () => {
    expect(trustRootFix('win32')).toBe(
      'on Windows: run certlm.msc as an administrator, right-click Trusted Root Certification Authorities > All Tasks > Import, and import root.crt',
    );
    expect(trustRootFix('darwin')).toBe(
      'on macOS: open Keychain Access, import root.crt into the System keychain, then open it and set Trust > "When using this certificate" to Always Trust',
    );
  });
});
