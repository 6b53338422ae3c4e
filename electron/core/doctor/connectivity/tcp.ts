/**
 * Step 3, TCP: a connection to the first hop, trying each address in turn within the connect
 * limit. Through a proxy, the same step then sets up the way through it (proxy.ts).
 */
import {
  capitalize,
  describeError,
  elapsed,
  errorCode,
  firewallFix,
  hostPort,
  limitText,
  prefixed,
  PROXY_SETTINGS,
} from './format';
import { throughProxy } from './proxy';
import type { ProbeSession } from './session';
import { ProbeTimeoutError, type Endpoint, type Proxy, type StepOutcome } from './types';

export async function tcpStep<C>(s: ProbeSession<C>): Promise<StepOutcome> {
  const { proxy } = s;
  const t = s.t;
  const hop: Endpoint = proxy ?? t;
  const tried: Record<string, string> = {};
  let lastErr: unknown;
  const t0 = performance.now();
  const limit = s.connLimit();
  for (const address of s.addresses) {
    const left = limit - (performance.now() - t0);
    if (left <= 0) break;
    try {
      s.conn = s.track(
        await s.within(
          left,
          (signal) => s.port.connect(address, hop.port, signal),
          (late) => s.close(late),
        ),
      );
      s.connectedAddress = address;
      break;
    } catch (err) {
      if (s.parent.aborted) throw err;
      lastErr = err;
      tried[address] = errorCode(err) ?? describeError(err);
      if (err instanceof ProbeTimeoutError) break;
    }
  }
  if (s.conn === undefined)
    s.fail(tcpFailure(hop, proxy, s.addresses, lastErr ?? new ProbeTimeoutError(limit, false), limit, tried));
  const details: Record<string, string> = {
    address: `${s.connectedAddress}:${hop.port}`,
    'connect ms': String(elapsed(t0)),
    ...prefixed('failed ', tried),
  };
  if (!proxy) return { state: 'ok', summary: `Connected to ${hostPort(t)} (${s.connectedAddress}).`, details };
  return throughProxy(s, proxy, details);
}

function tcpFailure(
  hop: Endpoint,
  proxy: Proxy | undefined,
  addresses: string[],
  err: unknown,
  limitMs: number,
  tried: Record<string, string>,
): StepOutcome {
  const code = errorCode(err);
  const what = proxy ? `the proxy ${proxy.label}` : `${hop.host}:${hop.port}`;
  const details = { addresses: addresses.join(', '), ...prefixed('failed ', tried) };
  const allow = firewallFix(hop, addresses);
  const checkProxy = proxy
    ? `Check the proxy address and port in ${PROXY_SETTINGS} (now ${proxy.label}), and ${allow}.`
    : undefined;
  if (err instanceof ProbeTimeoutError || code === 'ETIMEDOUT')
    return {
      state: 'failed',
      summary: `No answer from ${what} within ${err instanceof ProbeTimeoutError ? limitText(err) : `${limitMs} ms`}: a firewall is probably dropping the traffic silently.`,
      fix: checkProxy ?? `${capitalize(allow)}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
      details,
    };
  if (code === 'ECONNREFUSED')
    return {
      state: 'failed',
      summary: `The connection to ${what} was refused (ECONNREFUSED): nothing accepts connections on port ${hop.port}, or a firewall rejects them.`,
      fix: checkProxy ?? `${capitalize(allow)}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
      details,
    };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return {
      state: 'failed',
      summary: `No network route to ${what} (${code}).`,
      fix:
        checkProxy ??
        `Check this machine's network connection, then ${allow}; if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
      details,
    };
  return {
    state: 'failed',
    summary: `Connecting to ${what} failed (${code ?? describeError(err)}).`,
    fix: checkProxy ?? `${capitalize(allow)}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
    details,
  };
}
