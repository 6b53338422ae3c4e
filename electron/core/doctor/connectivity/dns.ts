/** Step 2, DNS: the addresses of the first hop (the proxy, else the target). */
import { describeError, errorCode, limitText, PROXY_SETTINGS } from './format';
import { isIpLiteral } from './route';
import type { ProbeSession } from './session';
import { ProbeTimeoutError, type Proxy, type StepOutcome } from './types';

export async function dnsStep<C>(s: ProbeSession<C>): Promise<StepOutcome> {
  const { proxy } = s;
  const name = (proxy ?? s.t).host;
  const what = proxy ? `The proxy's name ${name}` : `The name ${name}`;
  if (isIpLiteral(name)) {
    s.addresses = [name];
    return {
      state: 'ok',
      summary: `${proxy ? `The proxy's address ${name}` : name} is an IP address: no DNS lookup needed.`,
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
    state: 'ok',
    summary: `${what} resolves to ${s.addresses.join(', ')}.`,
    details: { host: name, addresses: s.addresses.join(', ') },
  };
}

function dnsFailure(name: string, proxy: Proxy | undefined, err: unknown): StepOutcome {
  const code = errorCode(err);
  const summary =
    err instanceof ProbeTimeoutError
      ? `No DNS answer for ${name} within ${limitText(err)}.`
      : code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'ENODATA' || code === 'EAI_NODATA'
        ? `${name} could not be resolved: the name does not exist, or this machine's DNS server does not know it (${code}).`
        : code === 'EAI_AGAIN'
          ? `The DNS server did not answer for ${name} (EAI_AGAIN: temporary failure).`
          : `Resolving ${name} failed (${code ?? describeError(err)}).`;
  const fix = proxy
    ? `Check the proxy host name "${name}" in ${PROXY_SETTINGS}, and this machine's DNS settings (try \`nslookup ${name}\`).`
    : `Check this machine's DNS settings and that it resolves ${name} (try \`nslookup ${name}\`). If your network reaches the internet only through a proxy, set it in ${PROXY_SETTINGS}.`;
  return { state: 'failed', summary, fix, details: { host: name, ...(code ? { code } : {}) } };
}
