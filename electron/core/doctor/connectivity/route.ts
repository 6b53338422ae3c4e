/** Step 1, route: the URL to check and the way there (direct, or which proxy), from the input. */
import { ref } from '../../../../shared/messages/ref';
import { authScheme, hostPort, said } from './format';
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
      ...said('ok', ref('network.route.direct', { target: hostPort(target) })),
      details: { route: 'direct', target: hostPort(target), ...why },
    };
  const proxy = parseProxy(input.route.proxyUrl, input.route.authorization, fail);
  s.proxy = proxy;
  const tunnel = target.https ? hostPort(target) : '';
  return {
    ...said('ok', ref('network.route.proxy', { tls: proxy.tls ? 'yes' : '', proxy: proxy.label, tunnel })),
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
    return fail(said('failed', ref('network.route.notUrl', { url: raw }), ref('network.route.fix.fullAddress')));
  }
  const host = bareHost(url.hostname);
  if (url.protocol === 'http:' && !isLoopback(host))
    return fail(
      said(
        'failed',
        ref('network.route.plainHttp', { origin: url.origin }),
        ref('network.route.fix.useHttps', { address: `${url.host}${url.pathname}` }),
      ),
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail(
      said('failed', ref('network.route.scheme', { protocol: url.protocol }), ref('network.route.fix.enterHttps')),
    );
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
    return fail(said('failed', ref('network.route.proxyNotUrl', {}), ref('network.route.fix.proxyUrl')));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return fail(
      said(
        'failed',
        ref('network.route.proxyScheme', { proxy: url.host, scheme: url.protocol.replace(':', '') }),
        ref('network.route.fix.proxyScheme'),
      ),
    );
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
