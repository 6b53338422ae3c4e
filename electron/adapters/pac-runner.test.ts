import { describe, expect, it } from 'vitest';
import { parsePacAnswer } from '../core/pac';
import { nodePacRunner } from './pac-runner';

const evaluatePac = (script: string, url: string) => parsePacAnswer(nodePacRunner(script, url));

const SCRIPT = `
function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, '.corp.example')) return 'DIRECT';
  if (isInNet(host, '10.0.0.0', '255.0.0.0')) return 'DIRECT';
  if (shExpMatch(host, '*.glpi-network.com')) return 'PROXY proxy.corp.example:3128; DIRECT';
  if (url.substring(0, 6) === 'https:') return 'HTTPS secure-proxy.corp.example:8443';
  return 'SOCKS5 socks:1080; PROXY fallback:8080';
}`;

describe('PAC scripts in the Node shells', () => {
  it('answers like FindProxyForURL with the standard helpers', () => {
    expect(evaluatePac(SCRIPT, 'https://services.glpi-network.com/api/registration/info')).toEqual({
      kind: 'proxy',
      proxyUrl: 'http://proxy.corp.example:3128',
    });
    expect(evaluatePac(SCRIPT, 'https://intranet/')).toEqual({ kind: 'direct' });
    expect(evaluatePac(SCRIPT, 'https://glpi.corp.example/')).toEqual({ kind: 'direct' });
    expect(evaluatePac(SCRIPT, 'https://10.2.3.4/')).toEqual({ kind: 'direct' });
    expect(evaluatePac(SCRIPT, 'https://github.com/')).toEqual({
      kind: 'proxy',
      proxyUrl: 'https://secure-proxy.corp.example:8443',
    });
    // SOCKS is skipped: the next entry is used.
    expect(evaluatePac(SCRIPT, 'http://example.org/')).toEqual({ kind: 'proxy', proxyUrl: 'http://fallback:8080' });
  });

  it('refuses a broken script, one without FindProxyForURL, and one that never returns', () => {
    expect(() => evaluatePac('function FindProxyForURL( {', 'https://a.example/')).toThrow();
    expect(() => evaluatePac('var x = 1;', 'https://a.example/')).toThrow(/no FindProxyForURL/);
    expect(() => evaluatePac('function FindProxyForURL() { for (;;) {} }', 'https://a.example/')).toThrow(/timed out/i);
  });

  it('gives the script no Node: require and process are not there', () => {
    const probe = `function FindProxyForURL() { return typeof require + ' ' + typeof process === 'undefined undefined' ? 'DIRECT' : 'PROXY leak:1'; }`;
    expect(evaluatePac(probe, 'https://a.example/')).toEqual({ kind: 'direct' });
  });
});
