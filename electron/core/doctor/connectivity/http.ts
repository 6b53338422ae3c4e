/** Step 5, HTTP: one GET of the URL on the connection (absolute-form to a plain-http proxy). */
import { ref } from '../../../../shared/messages/ref';
import { describeError, errorCode, hostPort, limitOf, said } from './format';
import { proxyAuthRequired } from './proxy';
import type { ProbeSession } from './session';
import { ProbeTimeoutError, type HttpAnswer, type Proxy, type StepOutcome, type Target } from './types';

export async function httpStep<C>(s: ProbeSession<C>): Promise<StepOutcome> {
  const { proxy, input } = s;
  const t = s.t;
  const c = s.conn as C;
  const absoluteForm = proxy !== undefined && !t.https;
  const headers = { ...input.headers };
  // Without a tunnel, the proxy reads the request itself: its credentials go with it.
  if (absoluteForm && proxy?.authorization) headers['Proxy-Authorization'] = proxy.authorization;
  let answer: HttpAnswer;
  try {
    answer = await s.within(s.shakeLimit(), (signal) =>
      s.port.httpGet(c, { url: t.url.href, absoluteForm, headers, signal }),
    );
  } catch (err) {
    return s.fail(httpFailure(t, proxy, err));
  } finally {
    s.closeAll();
  }
  s.serverDate = answer.headers['date'];
  const details: Record<string, string> = {
    request: `GET ${t.url.pathname}${t.url.search ? '?…' : ''}`,
    status: `${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`,
    'date header': s.serverDate ?? '(none)',
  };
  const names = Object.keys(input.headers ?? {});
  if (names.length > 0) details['headers sent'] = names.join(', ');
  if (answer.status === 407 && absoluteForm && proxy)
    s.fail({ ...proxyAuthRequired(proxy, t, answer, 'http'), details });
  if (answer.status >= 400) {
    const status = `${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
    const fix =
      answer.status >= 500
        ? ref('network.http.fix.serverError', { origin: t.url.origin })
        : ref('network.http.fix.clientError', { url: `${t.url.origin}${t.url.pathname}`, host: t.host });
    return { ...said('warning', ref('network.http.status', { target: hostPort(t), status }), fix), details };
  }
  return { ...said('ok', ref('network.http.ok', { target: hostPort(t), status: String(answer.status) })), details };
}

function httpFailure(target: Target, proxy: Proxy | undefined, err: unknown): StepOutcome {
  const code = errorCode(err);
  const params = { target: hostPort(target), proxy: proxy?.label ?? '' };
  const to = { host: target.host, port: String(target.port) };
  if (err instanceof ProbeTimeoutError)
    return said(
      'failed',
      ref('network.http.timeout', { ...params, ...limitOf(err) }),
      ref('network.http.fix.timeout', to),
    );
  if (code?.startsWith('HPE_'))
    return said(
      'failed',
      ref('network.http.notHttp', { ...params, code }),
      ref('network.http.fix.notHttp', { origin: target.url.origin, port: to.port }),
    );
  return said(
    'failed',
    ref('network.http.closed', { ...params, error: code ?? describeError(err) }),
    ref('network.http.fix.closed', to),
  );
}
