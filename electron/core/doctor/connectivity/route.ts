/** Step 1, route: the URL to check and the way there (direct, or which proxy), from the input. */
import { authScheme, hostPort } from './format';
import type { ProbeSession } from './session';
import type { Proxy, StepOutcome, Target } from './types';

type Fail = (r: StepOutcome) => never;

export function routeStep<C>(s: ProbeSession<C>): StepOutcome {
  const { input } = s;
  const fail: Fail = (r) => s.fail(r);
  const target = parseTarget(input.url, fail);
  s.target = target;
  const why: Record<string, string> = input.route.why ? { decision: input.route.why } : {};
  if (input.route.kind === 'direct')
    return {
      state: 'ok',
      summary: `Direct connection to ${hostPort(target)} (no proxy).`,
      details: { route: 'direct', target: hostPort(target), ...why },
    };
  const proxy = parseProxy(input.route.proxyUrl, input.route.authorization, fail);
  s.proxy = proxy;
  return {
    state: 'ok',
    summary: `Through the ${proxy.tls ? 'HTTPS' : 'HTTP'} proxy ${proxy.label}${target.https ? `, with a CONNECT tunnel to ${hostPort(target)}` : ''}.`,
    details: {
      route: 'proxy',
      proxy: proxy.label,
      target: hostPort(target),
      'proxy authentication': authScheme(proxy.authorization),
      ...why,
    },
  };
}

function parseTarget(raw: string, fail: Fail): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail({
      state: 'failed',
      summary: `"${raw}" is not a URL.`,
      fix: 'Enter a full address such as https://services.glpi-network.com.',
    });
  }
  const host = bareHost(url.hostname);
  if (url.protocol === 'http:' && !isLoopback(host))
    return fail({
      state: 'failed',
      summary: `${url.origin} is plain http: Marketdesk only talks https to GLPI Network (plain http on loopback only).`,
      fix: `Use https://${url.host}${url.pathname} instead.`,
    });
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail({
      state: 'failed',
      summary: `${url.protocol} URLs cannot be checked; only https (and http on loopback).`,
      fix: 'Enter an https:// address.',
    });
  const https = url.protocol === 'https:';
  return { url, https, host, port: Number(url.port || (https ? 443 : 80)) };
}

function parseProxy(raw: string, authorization: string | undefined, fail: Fail): Proxy {
  let url: URL;
  try {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim())) throw new Error('no scheme');
    url = new URL(raw);
    if (!url.hostname) throw new Error('no host');
  } catch {
    return fail({
      state: 'failed',
      summary: 'The proxy address is not a URL.',
      fix: 'Set the proxy as http://host:port in Marketdesk: Settings > Network.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return fail({
      state: 'failed',
      summary: `The proxy ${url.host} uses ${url.protocol.replace(':', '')}; only HTTP proxies (http:// or https://) are supported.`,
      fix: 'Set the proxy as http://host:port in Marketdesk: Settings > Network (HTTPS to the target still goes through a CONNECT tunnel, end to end).',
    });
  const host = bareHost(url.hostname);
  const tls = url.protocol === 'https:';
  const port = Number(url.port || (tls ? 443 : 80));
  const proxy: Proxy = { host, port, label: `${url.hostname}:${port}`, tls };
  if (authorization) proxy.authorization = authorization;
  return proxy;
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

export function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (/^[0-9a-f:.]+$/i.test(host) && host.includes(':'));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
