/**
 * Control API for a stand-in running as its own process (`npm run demo`, manual testing), where
 * the in-process methods are out of reach. Not part of GLPI Network: everything lives under
 * /__standin/, is never recorded and never subject to faults (so faults can always be cleared).
 */
import { maskKey } from '../../shared/key-format';
import type { Account } from './accounts';
import { demoCatalogue, syntheticCatalogue } from './catalog-data';
import type { StandinPlugin } from './catalog-types';
import { parseFaultRules, type FaultRule } from './faults';
import type { DownloadHit, NewVersion } from './marketplace';
import { BodyTooLargeError, json, type Reply, type Route, type RouteContext } from './router';
import type { SourceShape } from './source-tree';
import type { RecordedRequest } from './standin';

export const CONTROL_PREFIX = '/__standin/';

export interface ControlTarget {
  setFaults(rules: FaultRule[]): void;
  setAccount(key: string, account: Account | null): void;
  requests(): readonly RecordedRequest[];
  setCatalogue(plugins: StandinPlugin[]): void;
  addVersion(key: string, version: NewVersion): void;
  setArchivePadding(key: string, bytes: number): void;
  setArchiveSource(key: string, shape: SourceShape | null | undefined): void;
  republish(key: string, version: string): number;
  downloads(): readonly DownloadHit[];
}

/** Runs a target method whose argument errors are TypeError/RangeError: those become a 400. */
function attempt(action: () => Reply): Reply {
  try {
    return action();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) return json(400, { error: error.message });
    throw error;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function controlRoutes(target: ControlTarget): Route[] {
  return [
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}faults`,
      handle: (ctx) =>
        withJsonBody(ctx, (value) => {
          const check = parseFaultRules(value, { requireRefuseMs: true });
          if (!check.ok) return json(400, { error: check.error });
          const apply = (): void => target.setFaults(check.rules);
          // Refusing closes every socket, this one included: answer first, then close the port.
          if (check.rules.some((rule) => rule.fault.mode === 'refuse'))
            return { ...json(200, { rules: check.rules.length }, { Connection: 'close' }), after: apply };
          apply();
          return json(200, { rules: check.rules.length });
        }),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}account`,
      handle: (ctx) =>
        withJsonBody(ctx, (value) => {
          const error = checkAccountBody(value);
          if (error) return json(400, { error });
          const { key, account } = value as { key: string; account: Account | null };
          target.setAccount(key, account);
          return json(200, { key: maskKey(key), known: account !== null });
        }),
    },
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}requests`,
      // The log may hold a real key someone pasted; over HTTP it leaves the process, so mask it.
      handle: () => json(200, target.requests().map(maskRecorded)),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}catalogue`,
      // {"demo": true} or {"synthetic": n, "seed"?: s}: whole catalogues only (no plugin bodies to validate).
      handle: (ctx) =>
        withJsonBody(ctx, (value) => {
          if (!isRecord(value)) return json(400, { error: 'expected {"demo": true} or {"synthetic": n, "seed"?: s}' });
          const extra = Object.keys(value).filter((k) => !['demo', 'synthetic', 'seed'].includes(k));
          if (extra.length > 0) return json(400, { error: `unknown field(s) ${extra.join(', ')}` });
          if (value.demo === true && value.synthetic === undefined && value.seed === undefined) {
            target.setCatalogue(demoCatalogue());
            return json(200, { plugins: demoCatalogue().length });
          }
          const { synthetic, seed = 1 } = value;
          if (!Number.isInteger(synthetic) || (synthetic as number) < 0 || (synthetic as number) > 200_000)
            return json(400, { error: 'synthetic must be an integer 0-200000' });
          if (!Number.isInteger(seed)) return json(400, { error: 'seed must be an integer' });
          target.setCatalogue(syntheticCatalogue(synthetic as number, seed as number));
          return json(200, { plugins: synthetic });
        }),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}versions`,
      // {"key": "fields", "version": {num, compatibility: [...], stability?, format?, date?}}: an update appears.
      handle: (ctx) =>
        withJsonBody(ctx, (value) => {
          if (!isRecord(value) || typeof value.key !== 'string' || !isRecord(value.version))
            return json(400, { error: 'expected {"key": "...", "version": {num, compatibility, ...}}' });
          const { key, version } = value as { key: string; version: NewVersion };
          return attempt(() => {
            target.addVersion(key, version);
            return json(200, { key, num: version.num });
          });
        }),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}archive-padding`,
      handle: (ctx) =>
        withJsonBody(ctx, (value) => {
          if (!isRecord(value) || typeof value.key !== 'string' || typeof value.bytes !== 'number')
            return json(400, { error: 'expected {"key": "...", "bytes": n}' });
          const { key, bytes } = value as { key: string; bytes: number };
          return attempt(() => {
            target.setArchivePadding(key, bytes);
            return json(200, { key, bytes });
          });
        }),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}archive-source`,
      // {"key": "fields", "shape": {textFiles, textBytes, binaryFiles, binaryBytes} | null}; no shape: the default.
      handle: (ctx) =>
        withJsonBody(ctx, (value) => {
          if (
            !isRecord(value) ||
            typeof value.key !== 'string' ||
            !(value.shape === null || value.shape === undefined || isRecord(value.shape))
          )
            return json(400, {
              error: 'expected {"key": "...", "shape": {textFiles, textBytes, binaryFiles, binaryBytes} | null}',
            });
          const { key, shape } = value as { key: string; shape?: SourceShape | null };
          return attempt(() => {
            target.setArchiveSource(key, shape);
            return json(200, { key, shape: shape ?? 'default' });
          });
        }),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}republish`,
      // {"key": "fields", "version": "1.21.0"}: the same version served with other bytes from now on.
      handle: (ctx) =>
        withJsonBody(ctx, (value) => {
          if (!isRecord(value) || typeof value.key !== 'string' || typeof value.version !== 'string')
            return json(400, { error: 'expected {"key": "...", "version": "..."}' });
          const { key, version } = value as { key: string; version: string };
          return attempt(() => json(200, { key, version, republished: target.republish(key, version) }));
        }),
    },
    { method: 'GET', path: `${CONTROL_PREFIX}downloads`, handle: () => json(200, target.downloads()) },
  ];
}

function maskRecorded(r: RecordedRequest): RecordedRequest {
  const key = r.headers['x-registration-key'];
  return key === undefined ? r : { ...r, headers: { ...r.headers, 'x-registration-key': maskKey(key) } };
}

async function withJsonBody(ctx: RouteContext, use: (value: unknown) => Reply): Promise<Reply> {
  let raw: string;
  try {
    raw = await ctx.body();
  } catch (error) {
    if (error instanceof BodyTooLargeError) return json(413, { error: error.message });
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return json(400, { error: 'body is not JSON' });
  }
  return use(value);
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function checkAccountBody(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected {key, account}';
  const body = value as Record<string, unknown>;
  const extra = Object.keys(body).filter((k) => k !== 'key' && k !== 'account');
  if (extra.length > 0) return `unknown field(s) ${extra.join(', ')}`;
  if (typeof body.key !== 'string' || body.key.trim() === '' || body.key !== body.key.trim())
    return 'key must be a non-empty string without surrounding spaces';
  if (!('account' in body)) return 'account is required (null makes the key unknown)';
  if (body.account === null) return null;
  const a = body.account;
  if (typeof a !== 'object' || Array.isArray(a)) return 'account must be an object or null';
  const account = a as Record<string, unknown>;
  const fields = ['owner', 'offer', 'title', 'running', 'begins', 'ends'];
  const unknown = Object.keys(account).filter((k) => !fields.includes(k));
  if (unknown.length > 0) return `account: unknown field(s) ${unknown.join(', ')}`;
  for (const field of ['owner', 'offer', 'title'])
    if (typeof account[field] !== 'string' || account[field] === '')
      return `account.${field} must be a non-empty string`;
  if (typeof account.running !== 'boolean') return 'account.running must be a boolean';
  for (const field of ['begins', 'ends']) {
    const date = account[field];
    if (typeof date !== 'string' || !DATE.test(date) || Number.isNaN(Date.parse(date)))
      return `account.${field} must be a date (YYYY-MM-DD or ISO 8601)`;
  }
  return null;
}
