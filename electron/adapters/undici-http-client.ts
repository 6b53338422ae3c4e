import { rootCertificates } from 'node:tls';
import { setFlagsFromString } from 'node:v8';
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
  ) {
    keepParserOnBaselineTier();
  }

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

/**
 * V8's tier-up budget for WebAssembly while this client is in use: 555 times V8's default (1.8 M).
 *
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 first runs it as baseline code
 * (Liftoff); once it is hot, V8 recompiles its one large function (llhttp's state machine) with
 * TurboFan on a background thread. With the default budget a single 13 MB download is enough:
 * the compile takes about 180 ms of CPU and 30 MB of memory, and a command-line install never earns it
 * back. In the install benchmark (20 MB .tar.gz, tmpfs) the install went from 386 to 329 ms, and
 * from 650 to 480 ms of CPU.
 *
 * With this budget, 20,000 small requests or 5 downloads of 13 MB stay on the baseline code. A
 * long-running browser shell still tiers up after about 250 MB of downloads. The flag is read when
 * undici instantiates its parser, at the first connection, which comes after this.
 */
export const WASM_TIERING_BUDGET = 1_000_000_000;

let tuned = false;

/** Sets {@link WASM_TIERING_BUDGET} for this process, once. */
function keepParserOnBaselineTier(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
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
