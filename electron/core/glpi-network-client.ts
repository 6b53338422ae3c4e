import { z } from 'zod';
import { acceptLanguage, normalizeGlpiVersion } from '../../shared/glpi-version';
import type { NetworkCause, Offer, RegistrationAnswer } from '../../shared/model';
import type { Trouble } from './adaptive-window';
import { BodyTooLargeError, TooManyRedirectsError, readText, sendFollowingRedirects } from './http';
import { TransportError, type Clock, type HttpClient, type Logger } from './ports';

export const DEFAULT_SERVICES_URL = 'https://services.glpi-network.com';

export interface ClientConfig {
  servicesUrl: string;
  glpiVersion: string;
  installMode: string;
  appVersion: string;
  uid: string;
  language: string;
}

export interface ClientLimits {
  connectTimeoutMs: number;
  /** Per attempt, headers and body. */
  timeoutMs: number;
  /** For the whole call, retries included. */
  deadlineMs: number;
  attempts: number;
  maxBodyBytes: number;
  /** First retry delay; doubled each time, with jitter. */
  backoffMs: number;
  /** Longest Retry-After we are willing to wait inside one call. */
  maxRetryAfterMs: number;
}

// GLPI uses a 5 s connect timeout and no total timeout; we keep its connect timeout and add a
// total one so that a stalled server can never freeze a validation.
export const DEFAULT_LIMITS: ClientLimits = {
  connectTimeoutMs: 5_000,
  timeoutMs: 15_000,
  deadlineMs: 30_000,
  attempts: 3,
  maxBodyBytes: 1_048_576,
  backoffMs: 500,
  maxRetryAfterMs: 10_000,
};

/** A classified failure to get a usable answer from GLPI Network. */
export class NetworkProblem extends Error {
  constructor(
    readonly kind: NetworkCause,
    message: string,
    readonly fix: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'NetworkProblem';
  }
}

const infoSchema = z.object({
  is_valid: z.boolean(),
  validation_message: z.string().nullish(),
  owner: z.object({ name: z.string().nullish() }).passthrough().nullish(),
  subscription: z
    .object({
      title: z.string().nullish(),
      offer_reference: z.string().nullish(),
      is_running: z.boolean(),
      begin_date: z.string().nullish(),
      end_date: z.string().nullish(),
    })
    .passthrough()
    .nullish(),
});

const offersSchema = z.array(z.object({ offer_reference: z.string().min(1), title: z.string() }).passthrough());

export interface RequestOptions {
  accept?: (answer: Answer) => boolean;
  maxBodyBytes?: number;
  onRetry?: (trouble: Trouble) => void;
  signal?: AbortSignal;
}

export interface Answer {
  status: number;
  body: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * GLPI Network's registration endpoints, called exactly as GLPI calls them (headers, User-Agent,
 * paths), with what GLPI lacks: total timeouts, bounded retries on transient failures only,
 * redirects followed by hand with the key sent only to the services origin, validated answers
 * and a named cause for every failure.
 */
export class GlpiNetworkClient {
  private readonly limits: ClientLimits;

  constructor(
    private readonly http: HttpClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly config: () => ClientConfig,
    limits: Partial<ClientLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  userAgent(): string {
    const c = this.config();
    return `GLPI/${normalizeGlpiVersion(c.glpiVersion)} (installation-mode:${c.installMode}; marketdesk/${c.appVersion})`;
  }

  /** `GET {services}/api/registration/info` for a key. */
  async registrationInfo(key: string): Promise<RegistrationAnswer> {
    const c = this.config();
    const answer = await this.request('/api/registration/info', {
      Accept: 'application/json',
      'Accept-Language': acceptLanguage(c.language),
      'Content-Type': 'application/json',
      'X-Registration-Key': key,
      'X-Glpi-Network-Uid': c.uid,
    });
    const parsed = infoSchema.safeParse(parseJson(answer.body));
    // GLPI ignores the status and accepts any answer that carries is_valid; so do we.
    if (!parsed.success) throw this.unusable(answer, 'registration information');
    return toAnswer(parsed.data, this.clock.now());
  }

  /** `GET {services}/api/registration/offers`: offer references and titles, lowest tier first. */
  async offers(): Promise<Offer[]> {
    const c = this.config();
    const answer = await this.request('/api/registration/offers', {
      Accept: 'application/json',
      'Accept-Language': acceptLanguage(c.language),
    });
    const parsed = offersSchema.safeParse(parseJson(answer.body));
    if (answer.status >= 400 || !parsed.success) throw this.unusable(answer, 'the offer list');
    return parsed.data.map((o) => ({ reference: o.offer_reference, title: o.title }));
  }

  /** The availability probe: GLPI 11 pings `/api/ping`, older lines the registration base URL. */
  async probe(): Promise<void> {
    const major = Number(normalizeGlpiVersion(this.config().glpiVersion).split('.')[0]);
    const answer = await this.request(major >= 11 ? '/api/ping' : '/api/registration/', {});
    if (answer.body.trim() === '') throw this.unusable(answer, 'the availability probe');
  }

  /**
   * One call to GLPI Network with the shared policy (User-Agent, key only to the services origin,
   * timeouts, retries). `accept` says whether an answer is usable; an unusable one is retried
   * like a transient failure and returned as is after the last attempt. `onRetry` hears why an
   * attempt is tried again (the pages' adaptive window backs off on it); `signal` cancels the
   * call, which then rejects with the signal's reason, unclassified and not retried.
   */
  async request(path: string, headers: Record<string, string>, options: RequestOptions = {}): Promise<Answer> {
    const base = this.config().servicesUrl.replace(/\/+$/, '');
    const url = `${base}${path}`;
    const origin = new URL(base).origin;
    const started = this.clock.now().getTime();
    const deadline = started + this.limits.deadlineMs;
    const headersFor = (target: URL): Record<string, string> => {
      const h: Record<string, string> = { 'User-Agent': this.userAgent(), ...headers };
      if (target.origin !== origin) {
        // The key and the instance id go to GLPI Network only, never to a host it redirects to.
        delete h['X-Registration-Key'];
        delete h['X-Glpi-Network-Uid'];
      }
      return h;
    };

    const { signal, onRetry } = options;
    // Sleeps unless the wait would pass the deadline; says whether a retry may go ahead.
    const retryAfterWait = async (ms: number, trouble: Trouble): Promise<boolean> => {
      if (this.clock.now().getTime() + ms >= deadline) return false;
      onRetry?.(trouble);
      await this.clock.sleep(ms, signal);
      return true;
    };
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const remaining = deadline - this.clock.now().getTime();
      const last = attempt >= this.limits.attempts;
      let retryDelay = this.backoff(attempt);
      try {
        const { url: finalUrl, response } = await sendFollowingRedirects(this.http, url, headersFor, {
          connectTimeoutMs: Math.min(this.limits.connectTimeoutMs, remaining),
          timeoutMs: Math.max(1, Math.min(this.limits.timeoutMs, remaining)),
          ...(signal ? { signal } : {}),
        });
        const transient = response.status === 429 || response.status === 408 || response.status >= 500;
        if (transient && !last) {
          const retryAfter = parseRetryAfter(response.headers['retry-after'], this.clock.now());
          await response.cancel();
          if (retryAfter !== null) retryDelay = retryAfter;
          if (retryAfter === null || retryAfter <= this.limits.maxRetryAfterMs) {
            if (await retryAfterWait(retryDelay, response.status === 429 ? 'throttled' : 'failed')) continue;
          }
          return { status: response.status, body: '', url: finalUrl, headers: response.headers };
        }
        let body: string;
        try {
          body = await readText(response, options.maxBodyBytes ?? this.limits.maxBodyBytes);
        } catch (err) {
          throw err instanceof TransportError && err.failure === 'reset' ? new CutOffError(finalUrl) : err;
        }
        const answer = { status: response.status, body, url: finalUrl, headers: response.headers };
        if (options.accept && !options.accept(answer) && !last && (await retryAfterWait(retryDelay, 'failed')))
          continue;
        return answer;
      } catch (err) {
        signal?.throwIfAborted();
        const problem = this.classify(err, url);
        const retryable =
          err instanceof CutOffError ||
          (err instanceof TransportError && ['refused', 'timeout', 'reset'].includes(err.failure));
        this.logger.warn('GLPI Network request failed', { url, attempt, cause: problem.kind, detail: problem.message });
        if (!retryable || last || !(await retryAfterWait(retryDelay, 'failed'))) throw problem;
      }
    }
  }

  private backoff(attempt: number): number {
    const base = this.limits.backoffMs * 2 ** (attempt - 1);
    return Math.round(base / 2 + Math.random() * base);
  }

  private classify(err: unknown, url: string): NetworkProblem {
    const { host, origin } = new URL(url);
    if (err instanceof NetworkProblem) return err;
    if (err instanceof TransportError) return transportProblem(err, host, origin, this.limits.timeoutMs);
    if (err instanceof CutOffError)
      return new NetworkProblem(
        'bad-response',
        `The answer from ${host} was cut off before its end.`,
        fixFor('reset', origin),
      );
    if (err instanceof BodyTooLargeError)
      return new NetworkProblem(
        'bad-response',
        `The answer from ${host} was larger than expected (${err.limit} bytes).`,
        fixFor('bad-response', origin),
      );
    if (err instanceof TooManyRedirectsError)
      return new NetworkProblem(
        'http',
        `${host} redirected too many times (last: ${err.lastUrl}).`,
        fixFor('bad-response', origin),
      );
    return new NetworkProblem(
      'bad-response',
      `Unexpected failure talking to ${host}: ${err instanceof Error ? err.message : String(err)}`,
      fixFor('bad-response', origin),
    );
  }

  unusable(answer: Answer, what: string): NetworkProblem {
    const { host, origin } = new URL(answer.url);
    const looksHtml = /^\s*</.test(answer.body);
    if (answer.status === 407)
      return new NetworkProblem(
        'proxy',
        `The proxy asks for authentication (HTTP 407) before reaching ${host}.`,
        fixFor('proxy', origin),
        407,
      );
    if (answer.status === 429)
      return new NetworkProblem(
        'http',
        `GLPI Network is rate-limiting this machine (HTTP 429, "Too Many Attempts").`,
        'Wait a few minutes, then use Sync again. Marketdesk caches answers, so this clears by itself.',
        429,
      );
    if (answer.status >= 400)
      return new NetworkProblem(
        'http',
        `${host} answered HTTP ${answer.status}${looksHtml ? ' with an HTML error page' : ''} instead of ${what}.`,
        fixFor('http', origin),
        answer.status,
      );
    const shape =
      answer.body.trim() === ''
        ? 'an empty answer'
        : looksHtml
          ? 'an HTML page'
          : 'an answer that is not GLPI Network JSON';
    return new NetworkProblem(
      'bad-response',
      `${host} sent ${shape} instead of ${what}.`,
      fixFor('bad-response', origin),
      answer.status,
    );
  }
}

/** The connection closed in the middle of the body: a truncated answer. */
class CutOffError extends Error {
  constructor(readonly url: string) {
    super(`The answer from ${url} was cut off.`);
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function toAnswer(data: z.infer<typeof infoSchema>, now: Date): RegistrationAnswer {
  const sub = data.subscription ?? null;
  const subscription = sub
    ? {
        title: sub.title ?? '',
        offer: sub.offer_reference ?? '',
        running: sub.is_running,
        begins: sub.begin_date ?? null,
        ends: sub.end_date ?? null,
      }
    : null;
  // GLPI's own wording when the server gives no message (GLPINetwork::getRegistrationInformations).
  const fallback = !data.is_valid
    ? 'The registration key is invalid.'
    : subscription && !subscription.running
      ? 'The registration key refers to a terminated subscription.'
      : 'The registration key is valid.';
  return {
    valid: data.is_valid,
    message: data.validation_message ?? fallback,
    owner: data.owner?.name ?? null,
    subscription,
    checkedAt: now.toISOString(),
  };
}

function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function transportProblem(err: TransportError, host: string, origin: string, timeoutMs: number): NetworkProblem {
  const detail = err.code ? ` (${err.code})` : '';
  switch (err.failure) {
    case 'dns':
      return new NetworkProblem(
        'dns',
        `The name ${host.replace(/:\d+$/, '')} could not be resolved${detail}.`,
        fixFor('dns', origin),
        undefined,
        err.code,
      );
    case 'refused':
      return new NetworkProblem(
        'refused',
        `${host} refused the connection${detail}.`,
        fixFor('refused', origin),
        undefined,
        err.code,
      );
    case 'timeout':
      return new NetworkProblem(
        'timeout',
        `No answer from ${host} within ${Math.round(timeoutMs / 1000)} s${detail}.`,
        fixFor('timeout', origin),
        undefined,
        err.code,
      );
    case 'tls':
      return new NetworkProblem(
        'tls',
        `The secure connection to ${host} failed: ${err.message}${detail}.`,
        fixFor('tls', origin),
        undefined,
        err.code,
      );
    case 'proxy':
      return new NetworkProblem(
        'proxy',
        `The proxy failed the request to ${host}: ${err.message}.`,
        fixFor('proxy', origin),
        undefined,
        err.code,
      );
    case 'reset':
      return new NetworkProblem(
        'refused',
        `The connection to ${host} was cut before an answer came${detail}.`,
        fixFor('reset', origin),
        undefined,
        err.code,
      );
  }
}

/** The fix an admin can act on, per cause. */
export function fixFor(cause: NetworkCause | 'reset', origin: string): string {
  const url = new URL(origin);
  const name = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  switch (cause) {
    case 'dns':
      return `Check this machine's DNS settings (resolv.conf or the network settings) and that it can resolve ${name}. If your network reaches the internet only through a proxy, configure that proxy.`;
    case 'refused':
      return `Allow outgoing HTTPS (TCP ${port}) from this machine to ${name} in the firewall, or configure the proxy your network requires.`;
    case 'timeout':
      return `A firewall is probably dropping the traffic silently: allow outgoing TCP ${port} to ${name}, or configure the proxy your network requires. If the network is just slow, try Sync again.`;
    case 'reset':
      return `Something between this machine and ${name} (a firewall, a proxy or an antivirus) cut the connection. Allow outgoing HTTPS to ${name}, or configure the proxy your network requires.`;
    case 'tls':
      return `If your network inspects HTTPS (a TLS-intercepting proxy or antivirus), add its root certificate to this machine's trust store. Also check that this machine's clock and date are right.`;
    case 'proxy':
      return `Check the proxy address, port and credentials in the network settings, and that the proxy allows HTTPS to ${name}.`;
    case 'http':
      return `GLPI Network is having trouble or an intermediate server is answering instead. Try Sync again in a few minutes; if it persists, open ${url.origin} in a browser on this machine to see what answers.`;
    case 'bad-response':
      return `Something other than GLPI Network answered (a captive portal, a proxy error page or a wrong services URL). Open ${url.origin} in a browser on this machine, and check the services URL setting.`;
  }
}
