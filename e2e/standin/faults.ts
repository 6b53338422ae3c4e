/**
 * Fault modes of the stand-in: every failure GLPI admins meet in the wild (docs/glpi-network-api.md §9, Appendix B)
 * on demand, per path prefix and for a limited number of requests.
 */
import { STATUS_CODES } from 'node:http';
import { json, text, type Reply } from './router';

export type Fault =
  | { mode: 'latency'; ms: number } // delay the answer by ms, then answer normally
  | { mode: 'stall' } // accept the request, never answer (until close)
  /**
   * Connection refused: the port stops listening until the rule is cleared (then reopens on the
   * same port). Connection-level, so `path` and `times` do not apply. `ms` reopens by itself after
   * that long; it is required through the control API, which is unreachable while refused.
   */
  | { mode: 'refuse'; ms?: number }
  | { mode: 'reset' } // TCP reset without an answer
  | { mode: 'status'; status: number } // e.g. 500/502/503 with a short body
  | { mode: 'rate-limit'; retryAfter: number } // 429 + Retry-After, Laravel's throttle body
  | { mode: 'html'; status?: number } // Apache error page, default 400 (glpi-project/glpi#11995)
  | { mode: 'invalid-json' } // 200, JSON content type, body not JSON
  | { mode: 'truncated' } // the real answer, Content-Length intact, cut after about half the body
  | { mode: 'redirect'; to: string; status?: number } // Location: to + original path and query
  // --- marketplace lists (`plugins`, `tags/{tag}/plugin`); ignored on other paths ---
  /**
   * 5xx (default 500) on page N, 1-based: the request whose X-Range starts at (N-1)×size, size being
   * end-start+1 (no X-Range: page 1). With `times`, only the requests for that page count.
   */
  | { mode: 'page-fail'; page: number; status?: number }
  | { mode: 'past-end-400' } // upstream's 400 {"error":"Start at unexisting index"} instead of 200 []
  | { mode: 'non-array' } // the page as a JSON object keyed by index, like PHP's json_encode of a gapped array
  /**
   * Some records of each page broken: absolute index i with i % 10 === 3 (3, 13, 23, …), cycling
   * through: no `key`, a key with invalid characters (`../<key>`), `versions` an object, `name` a number.
   */
  | { mode: 'malformed-records' }
  // --- archives (`/downloads/…`); ignored on other paths ---
  | { mode: 'archive-404' } // 404 text/plain "Not Found", as a broken release asset
  | { mode: 'archive-wrong-top' } // top directory `<key>-master` (a source tarball, glpi-project/glpi#7646)
  | { mode: 'archive-version-mismatch' } // setup.php version is not the catalogue num (last number + 1)
  | { mode: 'archive-truncated' }; // 200 with an exact Content-Length, but the archive itself is cut in half

export type FaultMode = Fault['mode'];

/** Modes that only act on marketplace lists. */
export const LIST_FAULTS: readonly FaultMode[] = ['page-fail', 'past-end-400', 'non-array', 'malformed-records'];
/** Modes that only act on archive downloads. */
export const ARCHIVE_FAULTS: readonly FaultMode[] = [
  'archive-404',
  'archive-wrong-top',
  'archive-version-mismatch',
  'archive-truncated',
];

export interface FaultRule {
  fault: Fault;
  /** Path prefix, e.g. '/api/registration/info'; absent: every path (except the control API). */
  path?: string;
  /** Apply to this many requests, then drop the rule; absent: until replaced. */
  times?: number;
}

/** Replies for the modes that answer something other than the real route. */
export function faultReply(fault: Fault, requestTarget: string): Reply | null {
  switch (fault.mode) {
    case 'status':
      return statusReply(fault.status);
    case 'rate-limit':
      // Wording and headers of Laravel's throttle middleware, seen on /offers (glpi-project/glpi#11548).
      return json(
        429,
        { message: 'Too Many Attempts.' },
        { 'Retry-After': fault.retryAfter, 'X-RateLimit-Limit': 60, 'X-RateLimit-Remaining': 0 },
      );
    case 'html':
      return apacheErrorPage(fault.status ?? 400);
    case 'invalid-json':
      // What a PHP notice printed before the JSON looks like (the 9.5 RC outage, glpi-project/glpi#7411).
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body:
          '<br />\n<b>Notice</b>:  Undefined index: DateStart in /var/www/services/app/Billing.php on line 42<br />\n' +
          '{"is_valid":true,"validation_message":"The registration key is valid.","owner":',
      };
    case 'redirect': {
      const location = fault.to.replace(/\/+$/, '') + requestTarget;
      return { status: fault.status ?? 302, headers: { Location: location, 'Content-Length': 0 }, body: '' };
    }
    case 'page-fail':
      return statusReply(fault.status ?? 500);
    case 'archive-404':
      return text(404, 'Not Found');
    default:
      return null;
  }
}

function statusReply(status: number): Reply {
  const reason = STATUS_CODES[status] ?? 'Error';
  // A reverse proxy in front of the service answers 502-504 in plain text; the app itself in JSON.
  if (status >= 502 && status <= 504) return text(status, `${status} ${reason}\n`);
  return json(status, { message: reason === 'Internal Server Error' ? 'Server Error' : reason });
}

function apacheErrorPage(status: number): Reply {
  const reason = STATUS_CODES[status] ?? 'Error';
  const explanation =
    status === 400 ? 'Your browser sent a request that this server could not understand.<br />\n' : `${reason}.`;
  const body =
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n' +
    `<title>${status} ${reason}</title>\n</head><body>\n<h1>${reason}</h1>\n<p>${explanation}</p>\n<hr>\n` +
    '<address>Apache/2.4.62 (Debian) Server at services.glpi-network.com Port 443</address>\n</body></html>\n';
  return text(status, body, 'text/html; charset=iso-8859-1');
}

/**
 * First rule that applies to the request (refuse rules excepted: they act on the listener), with
 * its use counted. Mutates `rules`: a rule whose `times` runs out is removed. `applies` narrows
 * the modes that only act on some requests (a page-fail rule does not count other pages).
 */
export function takeFault(
  rules: FaultRule[],
  pathname: string,
  applies: (fault: Fault) => boolean = () => true,
): Fault | null {
  const index = rules.findIndex(
    (rule) =>
      rule.fault.mode !== 'refuse' &&
      (rule.path === undefined || pathname.startsWith(rule.path)) &&
      applies(rule.fault),
  );
  const rule = rules[index];
  if (!rule) return null;
  if (rule.times !== undefined) {
    rule.times -= 1;
    if (rule.times <= 0) rules.splice(index, 1);
  }
  return rule.fault;
}

// --- validation (control API bodies, and a guard for in-process callers) ---

type Check = { ok: true; rules: FaultRule[] } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[]): string | null {
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  return extra.length > 0 ? `unknown field(s) ${extra.join(', ')}` : null;
}

export function parseFaultRules(value: unknown, options: { requireRefuseMs: boolean }): Check {
  if (!Array.isArray(value)) return { ok: false, error: 'expected an array of fault rules' };
  const rules: FaultRule[] = [];
  for (const [i, item] of value.entries()) {
    const error = checkRule(item, options);
    if (error) return { ok: false, error: `rule ${i}: ${error}` };
    // Copy: `times` is decremented in place and the caller's object must not change under it.
    const rule = item as FaultRule;
    rules.push({ ...rule, fault: { ...rule.fault } });
  }
  return { ok: true, rules };
}

function checkRule(item: unknown, options: { requireRefuseMs: boolean }): string | null {
  if (!isObject(item)) return 'expected an object {fault, path?, times?}';
  const extra = unknownKeys(item, ['fault', 'path', 'times']);
  if (extra) return extra;
  if (item.path !== undefined && (typeof item.path !== 'string' || !item.path.startsWith('/')))
    return 'path must be a string starting with /';
  if (item.times !== undefined && !isInt(item.times, 1, 1_000_000)) return 'times must be a positive integer';
  const fault = item.fault;
  if (!isObject(fault)) return 'fault must be an object with a mode';
  const error = checkFault(fault, options);
  return error ? `fault: ${error}` : null;
}

function checkFault(f: Record<string, unknown>, options: { requireRefuseMs: boolean }): string | null {
  switch (f.mode) {
    case 'latency':
      return unknownKeys(f, ['mode', 'ms']) ?? (isInt(f.ms, 0, 600_000) ? null : 'ms must be an integer 0-600000');
    case 'stall':
    case 'reset':
    case 'invalid-json':
    case 'truncated':
    case 'past-end-400':
    case 'non-array':
    case 'malformed-records':
    case 'archive-404':
    case 'archive-wrong-top':
    case 'archive-version-mismatch':
    case 'archive-truncated':
      return unknownKeys(f, ['mode']);
    case 'page-fail':
      return (
        unknownKeys(f, ['mode', 'page', 'status']) ??
        (!isInt(f.page, 1, 1_000_000)
          ? 'page must be a positive integer (1: the first page)'
          : f.status === undefined || isInt(f.status, 400, 599)
            ? null
            : 'status must be 400-599')
      );
    case 'refuse':
      if (f.ms === undefined)
        return options.requireRefuseMs ? 'ms is required here: the control API cannot clear a refuse fault' : null;
      return unknownKeys(f, ['mode', 'ms']) ?? (isInt(f.ms, 1, 600_000) ? null : 'ms must be an integer 1-600000');
    case 'status':
      return unknownKeys(f, ['mode', 'status']) ?? (isInt(f.status, 400, 599) ? null : 'status must be 400-599');
    case 'rate-limit':
      return (
        unknownKeys(f, ['mode', 'retryAfter']) ??
        (isInt(f.retryAfter, 0, 86_400) ? null : 'retryAfter must be an integer number of seconds')
      );
    case 'html':
      return (
        unknownKeys(f, ['mode', 'status']) ??
        (f.status === undefined || isInt(f.status, 400, 599) ? null : 'status must be 400-599')
      );
    case 'redirect': {
      const extra = unknownKeys(f, ['mode', 'to', 'status']);
      if (extra) return extra;
      if (typeof f.to !== 'string' || !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(f.to)) return 'to must be an http(s) URL';
      if (f.status !== undefined && ![301, 302, 303, 307, 308].includes(f.status as number))
        return 'status must be 301, 302, 303, 307 or 308';
      return null;
    }
    default:
      return `unknown mode ${JSON.stringify(f.mode)}`;
  }
}
