import { describe, expect, it } from 'vitest';
import {
  PROXY_AUTH,
  leaf,
  publicRoot,
  codeError,
  hang,
  FakePort,
  run,
  step,
  states,
  proxyRoute,
} from './probe.testkit';

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
