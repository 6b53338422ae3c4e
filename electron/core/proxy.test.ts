import { describe, expect, it } from 'vitest';
import type { NetworkSettings } from '../../shared/model';
import { DEFAULT_NETWORK, checkProxyUrl, matchBypass, redactProxyUrl, routeFor } from './proxy';

const manual = (over: Partial<NetworkSettings> = {}): NetworkSettings => ({
  ...DEFAULT_NETWORK,
  proxyMode: 'manual',
  proxyUrl: 'http://proxy.corp:3128',
  ...over,
});

describe('routeFor', () => {
  it('goes direct in "No proxy" mode whatever the environment says', () => {
    const r = routeFor(
      'https://services.glpi-network.com/api',
      { ...DEFAULT_NETWORK, proxyMode: 'direct' },
      {
        HTTPS_PROXY: 'http://env:8080',
      },
    );
    expect(r.kind).toBe('direct');
  });

  it('uses the manual proxy, except for bypassed hosts', () => {
    expect(routeFor('https://services.glpi-network.com/api', manual(), {})).toMatchObject({
      kind: 'proxy',
      proxyUrl: 'http://proxy.corp:3128',
      source: 'setting',
    });
    const bypassed = routeFor('https://glpi.corp.example/x', manual({ bypass: ['.corp.example'] }), {});
    expect(bypassed).toMatchObject({ kind: 'direct', why: expect.stringContaining('.corp.example') as string });
  });

  it('follows HTTPS_PROXY / HTTP_PROXY and NO_PROXY in system mode', () => {
    const env = {
      HTTPS_PROXY: 'http://secure:3128',
      HTTP_PROXY: 'http://plain:3128',
      NO_PROXY: 'localhost,10.0.0.0/8',
    };
    expect(routeFor('https://a.example/', DEFAULT_NETWORK, env)).toMatchObject({
      proxyUrl: 'http://secure:3128',
      source: 'environment',
    });
    expect(routeFor('http://a.example/', DEFAULT_NETWORK, env)).toMatchObject({ proxyUrl: 'http://plain:3128' });
    expect(routeFor('https://10.1.2.3/', DEFAULT_NETWORK, env).kind).toBe('direct');
    expect(routeFor('https://localhost:8443/', DEFAULT_NETWORK, env).kind).toBe('direct');
    expect(routeFor('https://a.example/', DEFAULT_NETWORK, { https_proxy: 'http://lower:1' })).toMatchObject({
      proxyUrl: 'http://lower:1',
    });
    expect(routeFor('https://a.example/', DEFAULT_NETWORK, {}).kind).toBe('direct');
  });

  it('says that PAC scripts only apply in the desktop app', () => {
    const r = routeFor(
      'https://a.example/',
      { ...DEFAULT_NETWORK, proxyMode: 'pac', pacUrl: 'http://wpad/wpad.dat' },
      {},
    );
    expect(r).toMatchObject({
      kind: 'direct',
      why: expect.stringMatching(/PAC scripts are applied by the desktop app only/) as string,
    });
  });

  it('never shows credentials of an environment proxy URL', () => {
    const r = routeFor('https://a.example/', DEFAULT_NETWORK, { HTTPS_PROXY: 'http://bob:s3cret@proxy:3128' });
    expect(r.why).not.toContain('s3cret');
    expect(redactProxyUrl('http://bob:s3cret@proxy:3128')).toBe('http://***:***@proxy:3128');
  });
});

describe('matchBypass', () => {
  const u = (s: string) => new URL(s);
  it.each([
    ['https://glpi-network.com/', 'glpi-network.com', true],
    ['https://services.glpi-network.com/', 'glpi-network.com', true],
    ['https://notglpi-network.com/', 'glpi-network.com', false],
    ['https://a.b.example/', '*.example', true],
    ['https://example/', '.example', true],
    ['https://intranet/', '<local>', true],
    ['https://intranet.corp/', '<local>', false],
    ['https://192.168.1.20/', '192.168.0.0/16', true],
    ['https://192.169.1.20/', '192.168.0.0/16', false],
    ['https://host.corp:8443/', 'host.corp:8443', true],
    ['https://host.corp/', 'host.corp:8443', false],
    ['https://[::1]:8443/', '::1', true],
    ['https://[::1]:8443/', '[::1]:8443', true],
    ['https://anything/', '*', true],
  ])('%s against %s → %s', (url, entry, expected) => {
    expect(matchBypass(u(url), [entry]) !== null).toBe(expected);
  });
});

describe('checkProxyUrl', () => {
  it('normalises host:port and refuses what cannot be a proxy address', () => {
    expect(checkProxyUrl('proxy.corp:3128')).toEqual({ ok: true, url: 'http://proxy.corp:3128' });
    expect(checkProxyUrl('https://proxy.corp:8443/')).toEqual({ ok: true, url: 'https://proxy.corp:8443' });
    expect(checkProxyUrl('socks5://proxy:1080')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/Only http/) as string,
    });
    expect(checkProxyUrl('http://bob:pw@proxy:3128')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/keychain/) as string,
    });
    expect(checkProxyUrl('http://proxy:3128/path')).toMatchObject({ ok: false });
    expect(checkProxyUrl('http://')).toMatchObject({ ok: false });
  });
});
