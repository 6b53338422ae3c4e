import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NetworkSettings } from '../../shared/model';
import type { NetworkRuntime } from '../core/network-service';
import { TestPki } from '../adapters/doctor/test-certs';
import { DEFAULT_NETWORK } from '../core/proxy';
import { applyProxy, electronProxyConfig, proxyCredentials, verifyWithExtraRoots } from './network-session';

const manual = (over: Partial<NetworkSettings> = {}): NetworkSettings => ({
  ...DEFAULT_NETWORK,
  proxyMode: 'manual',
  proxyUrl: 'http://proxy.corp:3128',
  ...over,
});

describe('the proxy settings in Electron terms', () => {
  it('maps each mode to session.setProxy, then closes open connections', async () => {
    expect(electronProxyConfig({ ...DEFAULT_NETWORK, proxyMode: 'direct' })).toEqual({ mode: 'direct' });
    expect(electronProxyConfig(DEFAULT_NETWORK)).toEqual({ mode: 'system' });
    expect(electronProxyConfig({ ...DEFAULT_NETWORK, proxyMode: 'pac', pacUrl: 'http://wpad/wpad.dat' })).toEqual({
      mode: 'pac_script',
      pacScript: 'http://wpad/wpad.dat',
    });
    expect(electronProxyConfig(manual({ bypass: ['<local>', '.corp'] }))).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'proxy.corp:3128',
      proxyBypassRules: '<local>,.corp',
    });
    expect(electronProxyConfig(manual({ proxyUrl: 'https://proxy.corp:8443' })).proxyRules).toBe(
      'https://proxy.corp:8443',
    );
    const calls: string[] = [];
    await applyProxy(
      {
        setProxy: (c) => Promise.resolve(void calls.push(`setProxy ${c.mode}`)),
        closeAllConnections: () => Promise.resolve(void calls.push('closeAllConnections')),
      },
      manual(),
    );
    expect(calls).toEqual(['setProxy fixed_servers', 'closeAllConnections']);
  });

  it('answers a proxy challenge once, and only for the configured proxy', () => {
    const rt = {
      settings: manual({ proxyUser: 'bob' }),
      proxyAuthorization: `Basic ${Buffer.from('bob:pa:ss').toString('base64')}`,
    } as NetworkRuntime;
    const auth = { isProxy: true, host: 'proxy.corp', port: 3128 };
    expect(proxyCredentials(rt, auth, false)).toEqual({ username: 'bob', password: 'pa:ss' });
    expect(proxyCredentials(rt, auth, true)).toBeNull();
    expect(proxyCredentials(rt, { ...auth, host: 'evil.example' }, false)).toBeNull();
    expect(proxyCredentials(rt, { ...auth, isProxy: false }, false)).toBeNull();
  });
});

describe('extra roots in Chromium certificate verification', () => {
  let ca = '';
  let leaf = '';
  let otherCa = '';
  const pki = new TestPki();
  beforeAll(() => {
    const corp = pki.createCa('corp-root');
    ca = corp.cert;
    otherCa = pki.createCa('other-root').cert;
    leaf = corp.issue({
      commonName: 'services.glpi-network.com',
      altNames: ['DNS:services.glpi-network.com'],
    }).cert;
  });
  afterAll(() => pki.dispose());
  const request = (over: Partial<{ hostname: string; verificationResult: string; errorCode: number }> = {}) => ({
    hostname: 'services.glpi-network.com',
    certificate: { data: leaf, issuerCert: { data: ca } },
    errorCode: -202,
    verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
    ...over,
  });

  it('trusts a chain ending in an added root, for the right host, while valid', () => {
    expect(verifyWithExtraRoots(request(), [ca])).toBe(0);
    expect(verifyWithExtraRoots({ ...request(), certificate: { data: leaf } }, [ca])).toBe(0);
  });

  it("keeps Chromium's verdict otherwise: other roots, wrong name, expired, other errors", () => {
    expect(verifyWithExtraRoots(request(), [])).toBe(-3);
    expect(verifyWithExtraRoots(request(), [otherCa])).toBe(-3);
    expect(verifyWithExtraRoots(request({ hostname: 'evil.example' }), [ca])).toBe(-3);
    expect(verifyWithExtraRoots(request(), [ca], new Date(Date.now() + 400 * 86_400_000))).toBe(-3);
    expect(verifyWithExtraRoots(request({ verificationResult: 'net::ERR_CERT_DATE_INVALID' }), [ca])).toBe(-3);
    expect(verifyWithExtraRoots(request({ errorCode: 0, verificationResult: 'net::OK' }), [ca])).toBe(-3);
    expect(verifyWithExtraRoots({ ...request(), certificate: { data: 'garbage' } }, [ca])).toBe(-3);
  });
});

vi.mock('electron', () => ({}));
