import { describe, expect, it } from 'vitest';
import { FakePort, run, step, states } from './probe.testkit';

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
