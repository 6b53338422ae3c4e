/**
 * Which way a request goes: direct, or through an HTTP proxy, from the profile's network settings
 * and (in "system" mode, outside Electron) the environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
 * Pure: the adapters (undici, Electron's session) and the doctor all decide through `routeFor`.
 */
import type { NetworkSettings } from '../../shared/model';
import type { PacResult } from './pac';

export type Route =
  | { kind: 'direct'; why: string }
  | { kind: 'proxy'; proxyUrl: string; source: 'setting' | 'pac' | 'environment'; why: string };

export type ProxyEnv = Partial<
  Record<'HTTPS_PROXY' | 'https_proxy' | 'HTTP_PROXY' | 'http_proxy' | 'NO_PROXY' | 'no_proxy', string>
>;

export const DEFAULT_NETWORK: Readonly<NetworkSettings> = Object.freeze({
  proxyMode: 'system',
  proxyUrl: '',
  proxyUser: '',
  bypass: [],
  pacUrl: '',
  extraCaFiles: [],
});

/**
 * The route for `url`. PAC mode: Chromium decides in the desktop app; the Node shells pass `pac`
 * (the script's answer for a URL, or why there is none) and fall back to the environment without one.
 */
export function routeFor(
  url: string | URL,
  network: NetworkSettings,
  env: ProxyEnv,
  pac?: (url: string) => PacResult | { problem: string },
  pacProblem?: string,
  pacElsewhere = false,
): Route {
  const target = typeof url === 'string' ? new URL(url) : url;
  switch (network.proxyMode) {
    case 'direct':
      return { kind: 'direct', why: 'The proxy setting is "No proxy".' };
    case 'manual': {
      if (!network.proxyUrl) return { kind: 'direct', why: 'The manual proxy has no address.' };
      const bypassed = matchBypass(target, network.bypass);
      if (bypassed) return { kind: 'direct', why: `${target.hostname} matches the bypass entry "${bypassed}".` };
      return {
        kind: 'proxy',
        proxyUrl: network.proxyUrl,
        source: 'setting',
        why: `The manual proxy ${network.proxyUrl} is set in Settings > Network.`,
      };
    }
    case 'pac': {
      if (!pac) return routeFor(target, { ...network, proxyMode: 'system' }, env, undefined, undefined, true);
      const answer = pac(target.href);
      if ('kind' in answer)
        return answer.kind === 'direct'
          ? { kind: 'direct', why: `The PAC script ${network.pacUrl} says DIRECT for ${target.hostname}.` }
          : {
              kind: 'proxy',
              proxyUrl: answer.proxyUrl,
              source: 'pac',
              why: `The PAC script ${network.pacUrl} says ${redactProxyUrl(answer.proxyUrl)} for ${target.hostname}.`,
            };
      return routeFor(target, { ...network, proxyMode: 'system' }, env, undefined, answer.problem);
    }
    case 'system': {
      const https = target.protocol === 'https:';
      const proxy = https
        ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy)
        : (env.HTTP_PROXY ?? env.http_proxy);
      const lead = pacProblem
        ? `The PAC script cannot be used (${pacProblem}); so, `
        : pacElsewhere
          ? 'PAC scripts are applied by the desktop app only; here, '
          : '';
      if (!proxy?.trim()) return { kind: 'direct', why: `${lead}no HTTPS_PROXY or HTTP_PROXY is set.` };
      const noProxy = splitList(env.NO_PROXY ?? env.no_proxy ?? '');
      const bypassed = matchBypass(target, noProxy);
      if (bypassed) return { kind: 'direct', why: `${lead}${target.hostname} matches NO_PROXY entry "${bypassed}".` };
      return {
        kind: 'proxy',
        proxyUrl: proxy.trim(),
        source: 'environment',
        why: `${lead}${https ? 'HTTPS_PROXY' : 'HTTP_PROXY'} is set to ${redactProxyUrl(proxy.trim())}.`,
      };
    }
  }
}

export function splitList(text: string): string[] {
  return text
    .split(/[,\s;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The first bypass entry that matches, or null. Entries: `*` (everything), a host name (and its
 * subdomains, curl's rule), `.example.com` or `*.example.com` (subdomains and the domain), an IP
 * address, an IPv4 CIDR block (`10.0.0.0/8`), each optionally with `:port`. `<local>` matches
 * names without a dot, as in Windows' and Chromium's bypass lists.
 */
export function matchBypass(target: URL, entries: readonly string[]): string | null {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return raw;
    if (entry === '<local>') {
      if (!host.includes('.') && !host.includes(':')) return raw;
      continue;
    }
    let pattern = entry;
    let entryPort: string | undefined;
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracket) [, pattern = entry, entryPort] = bracket;
    else if (/^[^:]+:\d+$/.test(entry)) [pattern = entry, entryPort] = entry.split(':');
    if (entryPort && entryPort !== port) continue;
    if (pattern.includes('/')) {
      if (inCidr(host, pattern)) return raw;
      continue;
    }
    pattern = pattern.replace(/^\*\./, '.');
    if (pattern.startsWith('.')) {
      if (host === pattern.slice(1) || host.endsWith(pattern)) return raw;
    } else if (host === pattern || host.endsWith(`.${pattern}`)) {
      return raw;
    }
  }
  return null;
}

function ipv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

function inCidr(host: string, cidr: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/');
  const ip = ipv4(host);
  const net = ipv4(base);
  const bits = Number(bitsText);
  if (ip === null || net === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ip / size) === Math.floor(net / size);
}

/** A proxy URL for messages and logs: credentials, if someone put them in it, are masked. */
export function redactProxyUrl(proxyUrl: string): string {
  try {
    const u = new URL(proxyUrl);
    if (u.username || u.password) {
      u.username = u.username ? '***' : '';
      u.password = u.password ? '***' : '';
    }
    return u.href.replace(/\/$/, '');
  } catch {
    return proxyUrl.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Checks a manual proxy address; returns the normalised URL or the reason it is refused. */
export function checkProxyUrl(text: string): { ok: true; url: string } | { ok: false; reason: string } {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { ok: false, reason: `"${trimmed}" is not a proxy address such as http://proxy.example.com:3128.` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { ok: false, reason: `Only http:// and https:// proxies are supported, not ${u.protocol}//.` };
  if (u.username || u.password)
    return {
      ok: false,
      reason: 'Put the proxy user name and password in their own fields: the password is kept in the keychain.',
    };
  if ((u.pathname && u.pathname !== '/') || u.search || u.hash)
    return { ok: false, reason: 'A proxy address has no path, query or fragment: only scheme, host and port.' };
  return { ok: true, url: `${u.protocol}//${u.host}` };
}
