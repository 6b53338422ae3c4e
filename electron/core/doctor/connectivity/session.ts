/**
 * What the connectivity steps share during one probe: the port, the input, what earlier steps
 * found (target, proxy, addresses, the open connection), the deadlines, and the connections to
 * close at the end.
 */
import { toError } from './format';
import {
  DEFAULT_PROBE_TIMEOUTS,
  ProbeTimeoutError,
  type ConnectivityInput,
  type ConnectivityPort,
  type Endpoint,
  type ProbeTimeouts,
  type Proxy,
  type StepOutcome,
  type StepResult,
  type Target,
  type TlsSession,
} from './types';

/** A step failed: its result is final and the rest is skipped. */
export class StepFailed extends Error {
  constructor(readonly result: StepResult) {
    super(result.summary);
  }
}

export class ProbeSession<C> {
  readonly timeouts: ProbeTimeouts;
  readonly now: () => Date;
  readonly os: string | undefined;
  readonly parent: AbortSignal;
  readonly startedAt = performance.now();

  target: Target | undefined;
  proxy: Proxy | undefined;
  /** The connection the next step works on (TCP, then the proxy's TLS or the tunnel, then TLS). */
  conn: C | undefined;
  addresses: string[] = [];
  connectedAddress = '';
  serverDate: string | undefined;
  private readonly open = new Set<C>();

  constructor(
    readonly port: ConnectivityPort<C>,
    readonly input: ConnectivityInput,
  ) {
    this.timeouts = { ...DEFAULT_PROBE_TIMEOUTS, ...input.timeouts };
    this.now = input.now ?? (() => new Date());
    this.os = input.platform;
    this.parent = input.signal ?? new AbortController().signal;
  }

  /** The target, once the route step has parsed it. */
  get t(): Target {
    return this.target as Target;
  }

  /** Ends the step with a failure (the probe adds the step id and duration). */
  fail(r: StepOutcome): never {
    throw new StepFailed({ id: 'route', ms: 0, ...r, state: 'failed' });
  }

  /** Tracks a connection so that `closeAll` closes it. */
  track(c: C): C {
    this.open.add(c);
    return c;
  }

  close(c: C | undefined): void {
    if (c === undefined) return;
    this.open.delete(c);
    try {
      this.port.close(c);
    } catch {
      // Closing is best effort.
    }
  }

  /** Closes every connection still open (a TLS one and the TCP one under it alike). */
  closeAll(): void {
    for (const c of [...this.open]) this.close(c);
    this.conn = undefined;
  }

  /** Runs `work` within the step limit (capped by what is left of the total). */
  within<T>(limitMs: number, work: (signal: AbortSignal) => Promise<T>, late?: (value: T) => void): Promise<T> {
    const left = this.timeouts.totalMs - (performance.now() - this.startedAt);
    const total = left < limitMs;
    return deadline(Math.max(0, Math.min(limitMs, left)), total, this.parent, work, late);
  }

  connLimit(): number {
    return Math.min(this.timeouts.connectMs, this.timeouts.totalMs);
  }

  shakeLimit(): number {
    return Math.min(this.timeouts.handshakeMs, this.timeouts.totalMs);
  }

  /** TLS to an https:// proxy, on a connection to it; the TLS connection is tracked too. */
  async proxyTls(p: Proxy, c: C): Promise<{ conn: C; session: TlsSession }> {
    const r = await this.within(
      this.shakeLimit(),
      (s) => this.port.tlsHandshake(c, { host: p.host, extraCaPems: this.input.extraCaPems ?? [], signal: s }),
      (late) => this.close(late.conn),
    );
    this.track(r.conn);
    return r;
  }

  /** The path to the target again (connection, proxy TLS, tunnel), for the describe-only handshake. */
  async reopen(): Promise<C> {
    const { proxy, target } = this;
    const hop = (proxy ?? target) as Endpoint;
    let c: C = this.track(
      await this.within(
        this.connLimit(),
        (s) => this.port.connect(this.connectedAddress, hop.port, s),
        (late) => this.close(late),
      ),
    );
    if (proxy && target) {
      if (proxy.tls) c = (await this.proxyTls(proxy, c)).conn;
      const tunnelled = c;
      const answer = await this.within(this.shakeLimit(), (s) =>
        this.port.tunnel(tunnelled, target, proxy.authorization, s),
      );
      if (answer.status < 200 || answer.status > 299) throw new Error(`tunnel refused (${answer.status})`);
    }
    return c;
  }
}

/** Runs `work` with a signal that aborts at the deadline or with `parent`; rejects at once then. */
function deadline<T>(
  ms: number,
  total: boolean,
  parent: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
  late?: (value: T) => void,
): Promise<T> {
  const ctl = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
      fn();
      return true;
    };
    const onAbort = () =>
      finish(() => {
        ctl.abort(parent.reason);
        reject(parent.reason as Error);
      });
    const timer = setTimeout(
      () =>
        finish(() => {
          const err = new ProbeTimeoutError(Math.round(ms), total);
          ctl.abort(err);
          reject(err);
        }),
      ms,
    );
    if (parent.aborted) return onAbort();
    parent.addEventListener('abort', onAbort);
    let p: Promise<T>;
    try {
      p = work(ctl.signal);
    } catch (err) {
      finish(() => reject(toError(err)));
      return;
    }
    p.then(
      (v) => {
        if (!finish(() => resolve(v))) late?.(v);
      },
      (err: unknown) => finish(() => reject(toError(err))),
    );
  });
}
