/**
 * A tiny route table for the stand-in. Handlers return a whole `Reply` instead of writing to the
 * response, so that fault modes can be applied to the real answer (a truncated body is the real
 * body cut in half) and so that new endpoint families (marketplace, archives) only add routes.
 */
import type { IncomingMessage } from 'node:http';
import { langOf, type Lang } from './accounts';
import type { Fault } from './faults';

export interface Reply {
  status: number;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Runs once the reply has been handed to the socket (e.g. an action that would cut it off). */
  after?: () => void;
}

export interface RouteContext {
  req: IncomingMessage;
  method: string;
  /** Parsed request target (host is irrelevant: always the stand-in). */
  url: URL;
  /** Named groups of a RegExp route. */
  params: Record<string, string>;
  /** From Accept-Language, the way the registration family localises. */
  lang: Lang;
  /** Lower-case header lookup, first value only. */
  header(name: string): string | undefined;
  /** The request body, read on demand (control API only; GLPI never sends one). */
  body(limit?: number): Promise<string>;
  /**
   * A fault the route itself must apply (marketplace list and archive modes), already matched to
   * this request; null for a normal answer.
   */
  fault: Fault | null;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Exact pathname, or a RegExp tested against the pathname (use named groups for params). */
  path: string | RegExp;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/**
 * `readOnly`: the table is a GET-only API (GLPI Network), so any other verb on any path is a 405,
 * like the spec asks; otherwise an unknown path is a 404 whatever the verb.
 */
export function matchRoute(routes: readonly Route[], method: string, pathname: string, readOnly = true): RouteMatch {
  const allow = new Set<string>();
  // HEAD is answered like GET; node drops the body of HEAD responses by itself.
  const wanted = method === 'HEAD' ? 'GET' : method;
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    if (route.method === wanted) return { kind: 'found', route, params };
    allow.add(route.method);
  }
  if (allow.size > 0) return { kind: 'method-not-allowed', allow: [...allow] };
  if (readOnly && wanted !== 'GET') return { kind: 'method-not-allowed', allow: ['GET'] };
  return { kind: 'not-found' };
}

function matchPath(pattern: string | RegExp, pathname: string): Record<string, string> | null {
  if (typeof pattern === 'string') return pattern === pathname ? {} : null;
  const m = pattern.exec(pathname);
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(m.groups ?? {})) if (value !== undefined) params[name] = value;
  return params;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export function json(status: number, value: unknown, headers: Record<string, string | number> = {}): Reply {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

export function text(status: number, body: string, contentType = 'text/plain; charset=utf-8'): Reply {
  return { status, headers: { 'Content-Type': contentType }, body };
}

export function contextFor(
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
  fault: Fault | null = null,
): RouteContext {
  const header = (name: string): string | undefined => {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    req,
    method: req.method ?? 'GET',
    url,
    params,
    lang: langOf(header('accept-language')),
    header,
    body: (limit = 64 * 1024) => readBody(req, limit),
    fault,
  };
}

export class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`body larger than ${limit} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
