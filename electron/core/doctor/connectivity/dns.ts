/** Step 2, DNS: the addresses of the first hop (the proxy, else the target). */
import { ref } from '../../../../shared/messages/ref';
import { describeError, errorCode, limitOf, said } from './format';
import { isIpLiteral } from './route';
import type { ProbeSession } from './session';
import { ProbeTimeoutError, type Proxy, type StepOutcome } from './types';

export async function dnsStep<C>(s: ProbeSession<C>): Promise<StepOutcome> {
  const { proxy } = s;
  const name = (proxy ?? s.t).host;
  const flag = proxy ? 'yes' : '';
  if (isIpLiteral(name)) {
    s.addresses = [name];
    return {
      ...said('ok', ref('network.dns.ip', { host: name, proxy: flag })),
      details: { host: name, addresses: name },
    };
  }
  try {
    s.addresses = await s.within(s.connLimit(), (signal) => s.port.resolve(name, signal));
  } catch (err) {
    s.fail(dnsFailure(name, proxy, err));
  }
  if (s.addresses.length === 0)
    s.fail(dnsFailure(name, proxy, Object.assign(new Error('no address'), { code: 'ENODATA' })));
  return {
    ...said('ok', ref('network.dns.ok', { host: name, proxy: flag, addresses: s.addresses.join(', ') })),
    details: { host: name, addresses: s.addresses.join(', ') },
  };
}

function dnsFailure(name: string, proxy: Proxy | undefined, err: unknown): StepOutcome {
  const code = errorCode(err);
  const summary =
    err instanceof ProbeTimeoutError
      ? ref('network.dns.timeout', { host: name, ...limitOf(err) })
      : code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'ENODATA' || code === 'EAI_NODATA'
        ? ref('network.dns.notFound', { host: name, code })
        : code === 'EAI_AGAIN'
          ? ref('network.dns.again', { host: name })
          : ref('network.dns.failed', { host: name, error: code ?? describeError(err) });
  const fix = ref(proxy ? 'network.dns.fix.proxy' : 'network.dns.fix.direct', { host: name });
  return { ...said('failed', summary, fix), details: { host: name, ...(code ? { code } : {}) } };
}
