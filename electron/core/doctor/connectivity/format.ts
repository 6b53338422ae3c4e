/** Small helpers shared by the connectivity steps: wording, error codes and timing. */
import type { ProbeTimeoutError } from './types';
import { type Endpoint } from './types';

/** The instructions for this OS (node's process.platform), or all of them when it is unknown. */
export function forPlatform(
  platform: string | undefined,
  ways: { linux: string; windows: string; mac: string },
): string {
  const { linux, windows, mac } = ways;
  if (platform === 'linux') return linux;
  if (platform === 'win32') return windows;
  if (platform === 'darwin') return mac;
  return `${linux}; ${windows}; ${mac}`;
}

export const PROXY_SETTINGS = 'Marketdesk: Settings > Network';
export const EXTRA_CERTS = 'Marketdesk: Settings > Network > Extra certificates';

/** `300 ms`, and why the limit was that short when the probe's total time ran out first. */
export function limitText(err: ProbeTimeoutError): string {
  return err.total ? `${err.ms} ms (the time allowed for the whole check ran out)` : `${err.ms} ms`;
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

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
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

/** How to let this machine reach `hop` through the firewall. */
export function firewallFix(hop: Endpoint, addresses: string[]): string {
  const addrs = addresses.filter((a) => a !== hop.host);
  return `allow outgoing TCP ${hop.port} from this machine to ${hop.host}${addrs.length > 0 ? ` (${addrs.join(', ')})` : ''} in the firewall`;
}
