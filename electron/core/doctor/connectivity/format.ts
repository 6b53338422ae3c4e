/**
 * Small helpers shared by the connectivity steps: their verdicts as catalogue references, error
 * codes and timing. The wording itself is in shared/messages (`network.*`).
 */
import { english, type MessageRef } from '../../../../shared/messages/ref';
import type { Endpoint, ProbeTimeoutError, StepOutcome, StepState } from './types';

/** A step's verdict: its summary (and fix) as references, their English beside them. */
export function said(state: StepState, summary: MessageRef, fix?: MessageRef): StepOutcome {
  return {
    state,
    summary: english(summary),
    ...(fix ? { fix: english(fix) } : {}),
    refs: { summary, ...(fix ? { fix } : {}) },
  };
}

/** A timeout's limit as the catalogue's `limit` and `total` parameters. */
export function limitOf(err: ProbeTimeoutError): { limit: string; total: string } {
  return { limit: String(err.ms), total: err.total ? 'yes' : '' };
}

/** The platform parameter of the catalogue's OS-specific fixes ('' when unknown: all of them). */
export function platformOf(platform: string | undefined): { platform: string } {
  return { platform: platform ?? '' };
}

/** The CN of a distinguished name (else O, else the whole name). */
export function displayName(dn: string): string {
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(dn)?.[1] ?? /(?:^|,\s*)O=([^,]+)/.exec(dn)?.[1];
  return cn ? `"${cn.trim()}"` : dn;
}

export function authScheme(authorization: string | undefined): string {
  if (!authorization) return 'none';
  return `${authorization.split(/\s+/)[0] ?? 'given'} (credentials given)`;
}

export function hostPort(e: Endpoint): string {
  return `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}

export function prefixed(prefix: string, r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [`${prefix}${k}`, v]));
}

export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

export function toError(err: unknown): Error {
  return err instanceof Error ? err : Object.assign(new Error(String(err)), { cause: err });
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function elapsed(t0: number): number {
  return Math.round(performance.now() - t0);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days ${h % 24} h`;
}

/** The catalogue's firewall parameters for `hop`: its port, host and other addresses. */
export function firewallOf(hop: Endpoint, addresses: string[]): { port: string; host: string; addresses: string } {
  const others = addresses.filter((a) => a !== hop.host);
  return { port: String(hop.port), host: hop.host, addresses: others.join(', ') };
}
