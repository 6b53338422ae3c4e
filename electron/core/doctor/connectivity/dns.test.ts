import { describe, expect, it } from 'vitest';
import { codeError, hang, FakePort, run, step, states, proxyRoute } from './probe.testkit';

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
    expect(step(r, 'tcp')).toEqual({
      id: 'tcp',
      state: 'skipped',
      ms: 0,
      summary: 'Not run: an earlier step failed.',
      refs: { summary: { id: 'network.notRun' } },
    });
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
