import { describe, expect, it } from 'vitest';
import {
  DIRECT_TO_TLS,
  NOW,
  KEY,
  PROXY_AUTH,
  leaf,
  publicRoot,
  codeError,
  hang,
  FakePort,
  URL_,
  run,
  step,
  states,
  proxyRoute,
} from './probe.testkit';

describe('runConnectivityProbe: the happy paths', () => {
  it('runs the six steps in order, direct, with a public root', async () => {
    const port = new FakePort();
    const r = await run(port);
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:ok http:ok clock:ok');
    expect(r.state).toBe('ok');
    expect(r.fix).toBeUndefined();
    expect(port.calls).toEqual([...DIRECT_TO_TLS, `get #2 ${URL_}`]);
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
