/** Step 5, HTTP: one GET of the URL on the connection (absolute-form to a plain-http proxy). */
import { describeError, errorCode, firewallFix, hostPort, limitText, PROXY_SETTINGS } from './format';
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
  if (answer.status >= 400)
    return {
      state: 'warning',
      summary: `${hostPort(t)} answered HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}: the network path works, but this is not a success answer.`,
      details,
      fix:
        answer.status >= 500
          ? `The server or a device in front of it reports a problem. Try again in a few minutes; if it persists, open ${t.url.origin} in a browser on this machine to see what answers.`
          : `Check the URL (${t.url.origin}${t.url.pathname}) and, for 401/403, the registration key. If a proxy or a captive portal answers in place of ${t.host}, ask your IT team.`,
    };
  return { state: 'ok', summary: `${hostPort(t)} answered HTTP ${answer.status}.`, details };
}

function httpFailure(target: Target, proxy: Proxy | undefined, err: unknown): StepOutcome {
  const code = errorCode(err);
  const via = proxy ? ` through the proxy ${proxy.label}` : '';
  if (err instanceof ProbeTimeoutError)
    return {
      state: 'failed',
      summary: `${hostPort(target)} accepted the connection${via} but sent no answer within ${limitText(err)}.`,
      fix: `A device on the way (a firewall, a proxy or an antivirus) may be holding the request, or the server is overloaded. Try again in a few minutes; if it persists, ${firewallFix(target, [])} or set the proxy your network requires in ${PROXY_SETTINGS}.`,
    };
  if (code?.startsWith('HPE_'))
    return {
      state: 'failed',
      summary: `${hostPort(target)} answered${via} with something that is not HTTP (${code}).`,
      fix: `Check the address (${target.url.origin}): another service answers on port ${target.port}.`,
    };
  return {
    state: 'failed',
    summary: `The connection to ${hostPort(target)}${via} was closed before an answer came (${code ?? describeError(err)}).`,
    fix: `A device between this machine and ${target.host} (a firewall, a proxy or an antivirus) cut the connection: ${firewallFix(target, [])}, or set the proxy your network requires in ${PROXY_SETTINGS}.`,
  };
}
