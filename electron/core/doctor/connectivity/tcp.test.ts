import { describe, expect, it } from 'vitest';
import { codeError, hang, FakePort, run, step, states, proxyRoute } from './probe.testkit';

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
