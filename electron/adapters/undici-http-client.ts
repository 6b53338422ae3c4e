import { rootCertificates } from 'node:tls';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import type { NetworkRuntime } from '../core/network-service';
import {
  TransportError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type TransportFailure,
} from '../core/ports';

/**
 * HttpClient for the browser shell and the CLI, over undici with Node's default roots plus the
 * profile's extra CA certificates, directly or through the proxy the network settings choose
 * (`useNetwork`). One dispatcher per route, proxy credentials, CA set and connect timeout; redirects
 * are never followed here (the core decides per hop).
 */
export class UndiciHttpClient implements HttpClient {
  private readonly agents = new Map<string, Dispatcher>();
  private network: (() => Promise<NetworkRuntime>) | null = null;
  private version = '';

  constructor(
    private readonly makeAgent: (connectTimeoutMs: number) => Dispatcher = (t) =>
      new Agent({ connect: { timeout: t } }),
  ) {}

  /** From now on, route and trust as the profile's network settings say. */
  useNetwork(provider: () => Promise<NetworkRuntime>): void {
    this.network = provider;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    try {
      const dispatcher = this.network
        ? this.dispatcherFor(req.url, await this.network(), req.connectTimeoutMs)
        : this.agent(String(req.connectTimeoutMs), () => this.makeAgent(req.connectTimeoutMs));
      const res = await request(req.url, {
        method: req.method ?? 'GET',
        headers: req.headers,
        dispatcher,
        signal,
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return {
        status: res.statusCode,
        headers,
        body: mapErrors(res.body, timeout),
        cancel: () => {
          // Destroying emits an AbortError on the stream; nobody else is listening by then.
          res.body.on('error', () => undefined);
          res.body.destroy();
          return Promise.resolve();
        },
      };
    } catch (err) {
      throw toTransportError(err, timeout.aborted);
    }
  }

  private dispatcherFor(url: string, rt: NetworkRuntime, connectTimeoutMs: number): Dispatcher {
    if (rt.version !== this.version) {
      // Settings changed: new connections from now on; the old ones finish what they carry.
      for (const old of this.agents.values()) void old.close().catch(() => undefined);
      this.agents.clear();
      this.version = rt.version;
    }
    const route = rt.route(url);
    const ca = rt.extraCa.length > 0 ? [...rootCertificates, ...rt.extraCa] : undefined;
    const connect = { timeout: connectTimeoutMs, ...(ca ? { ca } : {}) };
    if (route.kind === 'direct') return this.agent(`direct|${connectTimeoutMs}`, () => new Agent({ connect }));
    // The manual proxy's credentials come from the keychain; an environment proxy URL may carry its own.
    const token = route.source === 'setting' ? (rt.proxyAuthorization ?? undefined) : undefined;
    return this.agent(
      `proxy|${route.proxyUrl}|${connectTimeoutMs}`,
      () =>
        new ProxyAgent({
          uri: route.proxyUrl,
          ...(token ? { token } : {}),
          connect,
          ...(ca ? { requestTls: { ca }, proxyTls: { ca } } : {}),
        }),
    );
  }

  private agent(key: string, make: () => Dispatcher): Dispatcher {
    let agent = this.agents.get(key);
    if (!agent) this.agents.set(key, (agent = make()));
    return agent;
  }
}

async function* mapErrors(body: AsyncIterable<Uint8Array>, timeout: AbortSignal): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (err) {
    throw toTransportError(err, timeout.aborted);
  }
}

const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|ERR_OSSL|EPROTO$|HOSTNAME_MISMATCH)/;

/** Maps Node/undici errors to the few failures the core tells apart. */
export function toTransportError(err: unknown, timedOut: boolean): TransportError {
  const e = err as { code?: string; message?: string; name?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(err);
  let failure: TransportFailure;
  if (timedOut || e.name === 'TimeoutError' || /TIMEOUT|ETIMEDOUT/.test(code ?? '')) failure = 'timeout';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') failure = 'dns';
  else if (code === 'ECONNREFUSED') failure = 'refused';
  else if (code && TLS_CODES.test(code)) failure = 'tls';
  else if (/proxy/i.test(message) || code?.startsWith('UND_ERR_PRX')) failure = 'proxy';
  else failure = 'reset';
  return new TransportError(failure, message, code);
}
