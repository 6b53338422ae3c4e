import { describe, expect, it } from 'vitest';
import { codeError, hang, FakePort, run, step, states, proxyRoute } from './probe.testkit';

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
