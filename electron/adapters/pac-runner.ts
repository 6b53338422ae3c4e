/**
 * The PacRunner of the Node shells (browser shell, CLI); the desktop app leaves PAC to Chromium.
 * The script comes from the admin's own PAC URL (the same trust as the proxy it names). It runs in
 * a fresh `vm` context with only the standard PAC helpers, a 200 ms limit, and no DNS: the helpers
 * that would resolve a name (dnsResolve, isResolvable, isInNet on a name) see it as unresolvable,
 * which scripts handle as "not on the internal network". `vm` is not a security boundary, which is
 * why the script's origin matters: it is fetched only from the address set in the settings.
 */
import { isIPv4 } from 'node:net';
import { Script, createContext } from 'node:vm';
import type { PacRunner } from '../core/ports';

const HELPERS = `
function isPlainHostName(h) { return String(h).indexOf('.') < 0; }
function dnsDomainIs(h, d) { h = String(h).toLowerCase(); d = String(d).toLowerCase(); return h.length >= d.length && h.slice(h.length - d.length) === d; }
function localHostOrDomainIs(h, hd) { h = String(h).toLowerCase(); hd = String(hd).toLowerCase(); return h === hd || (h.indexOf('.') < 0 && hd.indexOf(h + '.') === 0); }
function dnsDomainLevels(h) { return String(h).split('.').length - 1; }
function shExpMatch(s, p) { var re = '^' + String(p).replace(/[.+^$(){}|[\\]\\\\]/g, '\\\\$&').replace(/\\*/g, '.*').replace(/\\?/g, '.') + '$'; return new RegExp(re).test(String(s)); }
function __ip(a) { var p = String(a).split('.'); if (p.length !== 4) return null; var n = 0; for (var i = 0; i < 4; i++) { var x = Number(p[i]); if (!(x >= 0 && x <= 255) || p[i] === '') return null; n = n * 256 + x; } return n; }
function dnsResolve(h) { return __ip(h) === null ? null : String(h); }
function isResolvable(h) { return dnsResolve(h) !== null; }
function isInNet(h, pat, mask) { var a = __ip(dnsResolve(h)), p = __ip(pat), m = __ip(mask); if (a === null || p === null || m === null) return false; for (var i = 3; i >= 0; i--) { var d = Math.pow(256, i); if ((Math.floor(a / d) % 256 & Math.floor(m / d) % 256) !== (Math.floor(p / d) % 256 & Math.floor(m / d) % 256)) return false; } return true; }
function convert_addr(a) { return __ip(a) || 0; }
function myIpAddress() { return __myIp; }
function weekdayRange() { return true; }
function dateRange() { return true; }
function timeRange() { return true; }
`;

/** Evaluates `FindProxyForURL(url, host)`; throws with a readable message when the script is broken. */
export const nodePacRunner: PacRunner = (script, url, options = {}) => {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const context = createContext({ __myIp: options.myIp && isIPv4(options.myIp) ? options.myIp : '127.0.0.1' });
  new Script(`${HELPERS}\n${script}`, { filename: 'proxy.pac' }).runInContext(context, { timeout: 200 });
  const find = (context as { FindProxyForURL?: unknown }).FindProxyForURL;
  if (typeof find !== 'function') throw new Error('The PAC script defines no FindProxyForURL function.');
  (context as Record<string, unknown>).__url = url;
  (context as Record<string, unknown>).__host = host;
  const answer: unknown = new Script('FindProxyForURL(__url, __host)').runInContext(context, { timeout: 200 });
  return typeof answer === 'string' ? answer : '';
};
