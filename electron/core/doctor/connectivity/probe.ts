/**
 * The doctor's connectivity probe: route, DNS, TCP (and proxy tunnel), TLS, HTTP and clock, one
 * step after the other, each with its duration and verdict, stopping at the first failure with the
 * fix for it. Pure: the sockets live behind `ConnectivityPort` (electron/adapters/doctor/net-probe.ts).
 *
 * Secrets: request header values and the proxy authorization are handed to the port and never put
 * in a result; every text of the report also goes through a Redactor that knows them, in case a
 * port's error message echoes one.
 */
import { ref } from '../../../../shared/messages/ref';
import { Redactor } from '../../redact';
import { clockStep } from './clock';
import { dnsStep } from './dns';
import { describeError, elapsed, said } from './format';
import { httpStep } from './http';
import { routeStep } from './route';
import { ProbeSession, StepFailed } from './session';
import { tcpStep } from './tcp';
import { tlsStep } from './tls';
import {
  STEP_IDS,
  type ConnectivityInput,
  type ConnectivityPort,
  type ConnectivityReport,
  type StepId,
  type StepOutcome,
  type StepResult,
} from './types';

const STEPS: Record<StepId, <C>(s: ProbeSession<C>) => StepOutcome | Promise<StepOutcome>> = {
  route: routeStep,
  dns: dnsStep,
  tcp: tcpStep,
  tls: tlsStep,
  http: httpStep,
  clock: (s) => clockStep(s.serverDate, s.now(), s.os),
};

export async function runConnectivityProbe<C>(
  port: ConnectivityPort<C>,
  input: ConnectivityInput,
): Promise<ConnectivityReport> {
  const s = new ProbeSession(port, input);
  s.parent.throwIfAborted();
  const redactor = secretsOf(input);
  const steps: StepResult[] = [];
  try {
    for (const id of STEP_IDS) await runStep(s, id, steps);
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
  } finally {
    s.closeAll();
  }

  for (const id of STEP_IDS)
    if (!steps.some((r) => r.id === id)) steps.push({ id, ms: 0, ...said('skipped', ref('network.notRun')) });
  const failed = steps.find((r) => r.state === 'failed');
  const report: ConnectivityReport = {
    url: redactor.text(input.url),
    state: failed ? 'failed' : steps.some((r) => r.state === 'warning') ? 'warning' : 'ok',
    steps: steps.map((r) => redactStep(r, redactor)),
  };
  if (failed?.fix) report.fix = redactor.text(failed.fix);
  return report;
}

/** Runs one step into `steps`; throws StepFailed (or the abort reason) to stop the probe. */
async function runStep<C>(s: ProbeSession<C>, id: StepId, steps: StepResult[]): Promise<void> {
  const t0 = performance.now();
  try {
    const r = await STEPS[id](s);
    steps.push({ id, ms: elapsed(t0), ...r });
  } catch (err) {
    if (s.parent.aborted) throw s.parent.reason;
    if (err instanceof StepFailed) {
      steps.push({ ...err.result, id, ms: elapsed(t0) });
      throw err;
    }
    // A bug or an unexpected port failure: still a classified, final result.
    const summary = ref('network.unexpected', { error: describeError(err) });
    steps.push({ id, ms: elapsed(t0), ...said('failed', summary, ref('network.fix.unexpected')) });
    throw new StepFailed(steps[steps.length - 1] as StepResult);
  }
}

/** A Redactor that knows the secrets of the input: header values and the proxy credentials. */
function secretsOf(input: ConnectivityInput): Redactor {
  const redactor = new Redactor();
  for (const value of Object.values(input.headers ?? {})) redactor.add(value);
  if (input.route.kind !== 'proxy') return redactor;
  if (input.route.authorization) {
    redactor.add(input.route.authorization);
    // "Basic dXNlcjpwYXNz": the credentials alone too.
    const token = input.route.authorization.split(/\s+/)[1];
    if (token) redactor.add(token);
  }
  try {
    const p = new URL(input.route.proxyUrl);
    if (p.username) redactor.add(decodeURIComponent(p.username));
    if (p.password) redactor.add(decodeURIComponent(p.password));
  } catch {
    // Reported by the route step.
  }
  return redactor;
}

function redactStep(r: StepResult, redactor: Redactor): StepResult {
  const out: StepResult = { id: r.id, state: r.state, ms: r.ms, summary: redactor.text(r.summary) };
  if (r.details)
    out.details = Object.fromEntries(Object.entries(r.details).map(([k, v]) => [redactor.text(k), redactor.text(v)]));
  if (r.fix) out.fix = redactor.text(r.fix);
  if (r.refs) out.refs = redactor.value(r.refs) as StepResult['refs'];
  return out;
}
