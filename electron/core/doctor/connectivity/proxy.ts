/**
 * The way through a proxy, after the TCP connection to it (part of the TCP step): TLS to an
 * https:// proxy, then a CONNECT tunnel to an https target (plain http goes through unchanged).
 */
import { ref } from '../../../../shared/messages/ref';
import { describeError, displayName, elapsed, errorCode, hostPort, limitOf, platformOf, said } from './format';
import type { ProbeSession } from './session';
import { isCertificateCode } from './tls';
import { ProbeTimeoutError, type Proxy, type StepOutcome, type Target, type TunnelAnswer } from './types';

export async function throughProxy<C>(
  s: ProbeSession<C>,
  p: Proxy,
  details: Record<string, string>,
): Promise<StepOutcome> {
  const t = s.t;
  if (p.tls) {
    const t2 = performance.now();
    try {
      const r = await s.proxyTls(p, s.conn as C);
      s.conn = r.conn;
      const leaf = r.session.chain[0];
      details['proxy tls'] =
        `${r.session.protocol}${leaf ? `, certificate for ${displayName(leaf.subject)} issued by ${displayName(leaf.issuer)}` : ''}`;
      details['proxy tls ms'] = String(elapsed(t2));
    } catch (err) {
      if (s.parent.aborted) throw err;
      return s.fail({ ...proxyTlsFailure(p, err, s.os), details });
    }
  }
  if (!t.https)
    return { ...said('ok', ref('network.proxy.plain', { proxy: p.label, address: s.connectedAddress })), details };
  const c = s.conn as C;
  const t1 = performance.now();
  let answer: TunnelAnswer;
  try {
    answer = await s.within(s.shakeLimit(), (signal) => s.port.tunnel(c, t, p.authorization, signal));
  } catch (err) {
    return s.fail({ ...tunnelError(p, t, err), details });
  }
  details['tunnel'] = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  details['tunnel ms'] = String(elapsed(t1));
  if (answer.proxyAuthenticate.length > 0) details['proxy-authenticate'] = answer.proxyAuthenticate.join('; ');
  if (answer.status < 200 || answer.status > 299) s.fail({ ...tunnelRefused(p, t, answer), details });
  const summary = ref('network.proxy.tunnel', { proxy: p.label, address: s.connectedAddress, target: hostPort(t) });
  return { ...said('ok', summary), details };
}

export function proxyAuthRequired(
  proxy: Proxy,
  target: Target,
  answer: { status: number; headers?: Record<string, string>; proxyAuthenticate?: string[] },
  where: 'tunnel' | 'http',
): StepOutcome {
  const challenge = answer.proxyAuthenticate?.[0] ?? answer.headers?.['proxy-authenticate'];
  const scheme = (challenge ? challenge.split(/[\s,]+/)[0] : undefined) ?? '';
  const other = scheme && !/^basic$/i.test(scheme) ? scheme : '';
  const params = { proxy: proxy.label, scheme, tunnel: where === 'tunnel' ? 'yes' : '', target: hostPort(target) };
  return proxy.authorization
    ? said('failed', ref('network.proxy.authRejected', params), ref('network.proxy.fix.checkCredentials', { other }))
    : said('failed', ref('network.proxy.authRequired', params), ref('network.proxy.fix.enterCredentials', { other }));
}

function proxyTlsFailure(proxy: Proxy, err: unknown, platform: string | undefined): StepOutcome {
  const code = errorCode(err);
  const plain = ref('network.proxyTls.fix.plain', { proxy: proxy.label });
  if (err instanceof ProbeTimeoutError)
    return said('failed', ref('network.proxyTls.timeout', { proxy: proxy.label, ...limitOf(err) }), plain);
  if (code === 'BAD_EXTRA_CA')
    return said('failed', ref('network.badExtraCa', { error: describeError(err) }), ref('network.fix.badExtraCa'));
  if (code && isCertificateCode(code))
    return said(
      'failed',
      ref('network.proxyTls.untrusted', { proxy: proxy.label, code }),
      ref('network.proxyTls.fix.trust', { proxy: proxy.label, ...platformOf(platform) }),
    );
  return said(
    'failed',
    ref('network.proxyTls.failed', { proxy: proxy.label, error: code ?? describeError(err) }),
    plain,
  );
}

function tunnelRefused(proxy: Proxy, target: Target, answer: TunnelAnswer): StepOutcome {
  if (answer.status === 407) return proxyAuthRequired(proxy, target, answer, 'tunnel');
  const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  const params = { proxy: proxy.label, target: hostPort(target), status };
  const to = { host: target.host, port: String(target.port) };
  if (answer.status === 502 || answer.status === 503 || answer.status === 504)
    return said('failed', ref('network.tunnel.unreachable', params), ref('network.tunnel.fix.unreachable', to));
  return said(
    'failed',
    ref('network.tunnel.refused', params),
    ref('network.tunnel.fix.refused', { proxy: proxy.label, ...to }),
  );
}

function tunnelError(proxy: Proxy, target: Target, err: unknown): StepOutcome {
  const code = errorCode(err);
  const params = { proxy: proxy.label, target: hostPort(target) };
  const to = { host: target.host, port: String(target.port) };
  if (err instanceof ProbeTimeoutError)
    return said(
      'failed',
      ref('network.tunnel.timeout', { ...params, ...limitOf(err) }),
      ref('network.tunnel.fix.timeout', { proxy: proxy.label, ...to }),
    );
  if (code === 'BAD_PROXY_ANSWER')
    return said('failed', ref('network.tunnel.notHttp', { proxy: proxy.label }), ref('network.fix.proxyAddress'));
  return said(
    'failed',
    ref('network.tunnel.closed', { ...params, error: code ?? describeError(err) }),
    ref('network.tunnel.fix.closed', to),
  );
}
