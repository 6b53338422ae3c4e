/**
 * Step 3, TCP: a connection to the first hop, trying each address in turn within the connect
 * limit. Through a proxy, the same step then sets up the way through it (proxy.ts).
 */
import { ref } from '../../../../shared/messages/ref';
import { describeError, elapsed, errorCode, firewallOf, hostPort, limitOf, prefixed, said } from './format';
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
  if (!proxy)
    return { ...said('ok', ref('network.tcp.ok', { target: hostPort(t), address: s.connectedAddress })), details };
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
  const what = proxy ? { hop: proxy.label, proxy: 'yes' } : { hop: `${hop.host}:${hop.port}`, proxy: '' };
  const details = { addresses: addresses.join(', '), ...prefixed('failed ', tried) };
  const allow = firewallOf(hop, addresses);
  const fix = (direct: 'network.fix.firewallOrProxy' | 'network.tcp.fix.unreachable') =>
    proxy ? ref('network.tcp.fix.proxy', { proxy: proxy.label, ...allow }) : ref(direct, allow);
  if (err instanceof ProbeTimeoutError || code === 'ETIMEDOUT') {
    const limit = err instanceof ProbeTimeoutError ? limitOf(err) : { limit: String(limitMs), total: '' };
    const summary = ref('network.tcp.timeout', { ...what, ...limit });
    return { ...said('failed', summary, fix('network.fix.firewallOrProxy')), details };
  }
  if (code === 'ECONNREFUSED') {
    const summary = ref('network.tcp.refused', { ...what, port: String(hop.port) });
    return { ...said('failed', summary, fix('network.fix.firewallOrProxy')), details };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return {
      ...said('failed', ref('network.tcp.unreachable', { ...what, code }), fix('network.tcp.fix.unreachable')),
      details,
    };
  const summary = ref('network.tcp.failed', { ...what, error: code ?? describeError(err) });
  return { ...said('failed', summary, fix('network.fix.firewallOrProxy')), details };
}
