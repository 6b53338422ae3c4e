/**
 * The way through a proxy, after the TCP connection to it (part of the TCP step): TLS to an
 * https:// proxy, then a CONNECT tunnel to an https target (plain http goes through unchanged).
 */
import {
  describeError,
  displayName,
  elapsed,
  errorCode,
  EXTRA_CERTS,
  hostPort,
  limitText,
  PROXY_SETTINGS,
} from './format';
import type { ProbeSession } from './session';
import { isCertificateCode, trustRootSteps } from './tls';
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
    return {
      state: 'ok',
      summary: `Connected to the proxy ${p.label} (${s.connectedAddress}); plain http goes through it without a tunnel.`,
      details,
    };
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
  return {
    state: 'ok',
    summary: `Connected to the proxy ${p.label} (${s.connectedAddress}); it opened a tunnel to ${hostPort(t)}.`,
    details,
  };
}

export function proxyAuthRequired(
  proxy: Proxy,
  target: Target,
  answer: { status: number; headers?: Record<string, string>; proxyAuthenticate?: string[] },
  where: 'tunnel' | 'http',
): StepOutcome {
  const challenge = answer.proxyAuthenticate?.[0] ?? answer.headers?.['proxy-authenticate'];
  const scheme = challenge ? challenge.split(/[\s,]+/)[0] : undefined;
  const summary = proxy.authorization
    ? `Proxy authentication required: the proxy ${proxy.label} rejected the credentials given (HTTP 407${scheme ? `, it asks for ${scheme}` : ''}) ${where === 'tunnel' ? 'for the tunnel to' : 'for'} ${hostPort(target)}.`
    : `Proxy authentication required: the proxy ${proxy.label} answered HTTP 407${scheme ? ` (it asks for ${scheme})` : ''} ${where === 'tunnel' ? 'to the tunnel request for' : 'for'} ${hostPort(target)}.`;
  const fix = proxy.authorization
    ? `Check the proxy user name and password in ${PROXY_SETTINGS}${scheme && !/^basic$/i.test(scheme) ? `; the proxy asks for ${scheme}, ask your IT team whether it also accepts Basic` : ''}.`
    : `Enter the proxy user name and password in ${PROXY_SETTINGS}${scheme && !/^basic$/i.test(scheme) ? ` (the proxy asks for ${scheme}; ask your IT team whether it also accepts Basic)` : ''}.`;
  return { state: 'failed', summary, fix };
}

function proxyTlsFailure(proxy: Proxy, err: unknown, platform: string | undefined): StepOutcome {
  const code = errorCode(err);
  const what = `The TLS connection to the HTTPS proxy ${proxy.label}`;
  if (err instanceof ProbeTimeoutError)
    return {
      state: 'failed',
      summary: `${what} did not complete within ${limitText(err)}.`,
      fix: `Check the proxy address in ${PROXY_SETTINGS}: if the proxy speaks plain HTTP, write it http://${proxy.label}.`,
    };
  if (code === 'BAD_EXTRA_CA')
    return {
      state: 'failed',
      summary: `An extra certificate is not a valid PEM certificate: ${describeError(err)}.`,
      fix: `Fix or remove it in ${EXTRA_CERTS}: each one must be a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).`,
    };
  if (code && isCertificateCode(code))
    return {
      state: 'failed',
      summary: `${what} failed: its certificate is not trusted (${code}).`,
      fix: `${trustRootSteps("of the proxy's authority", platform)} If the proxy speaks plain HTTP instead, write it http://${proxy.label} in ${PROXY_SETTINGS}.`,
    };
  return {
    state: 'failed',
    summary: `${what} failed (${code ?? describeError(err)}).`,
    fix: `Check the proxy address in ${PROXY_SETTINGS}: if the proxy speaks plain HTTP, write it http://${proxy.label}.`,
  };
}

function tunnelRefused(proxy: Proxy, target: Target, answer: TunnelAnswer): StepOutcome {
  if (answer.status === 407) return proxyAuthRequired(proxy, target, answer, 'tunnel');
  const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  if (answer.status === 502 || answer.status === 503 || answer.status === 504)
    return {
      state: 'failed',
      summary: `The proxy ${proxy.label} could not reach ${hostPort(target)} (${status}).`,
      fix: `The proxy itself cannot resolve or reach ${target.host}: ask your IT team to allow the proxy to connect to ${target.host} on TCP ${target.port}.`,
    };
  return {
    state: 'failed',
    summary: `The proxy ${proxy.label} refused the tunnel to ${hostPort(target)} (${status}).`,
    fix: `Ask your IT team to allow HTTPS tunnels (CONNECT) through the proxy ${proxy.label} to ${target.host}:${target.port}, or check the proxy in ${PROXY_SETTINGS}.`,
  };
}

function tunnelError(proxy: Proxy, target: Target, err: unknown): StepOutcome {
  const code = errorCode(err);
  if (err instanceof ProbeTimeoutError)
    return {
      state: 'failed',
      summary: `The proxy ${proxy.label} did not answer the tunnel request for ${hostPort(target)} within ${limitText(err)}.`,
      fix: `Check that ${proxy.label} is an HTTP proxy (its address and port are in ${PROXY_SETTINGS}), and ask your IT team whether it allows CONNECT to ${target.host}:${target.port}.`,
    };
  if (code === 'BAD_PROXY_ANSWER')
    return {
      state: 'failed',
      summary: `${proxy.label} answered the tunnel request with something that is not HTTP: it is probably not an HTTP proxy.`,
      fix: `Check the proxy address and port in ${PROXY_SETTINGS}.`,
    };
  return {
    state: 'failed',
    summary: `The proxy ${proxy.label} closed the connection instead of answering the tunnel request for ${hostPort(target)} (${code ?? describeError(err)}).`,
    fix: `Check the proxy address and port in ${PROXY_SETTINGS}, and ask your IT team whether it allows CONNECT to ${target.host}:${target.port}.`,
  };
}
