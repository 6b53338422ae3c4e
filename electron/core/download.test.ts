import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEYS, startStandin, type Standin } from '../../e2e/standin/standin';
import type { ArchiveFormat, StandinPlugin } from '../../e2e/standin/catalog-types';
import { nodeFileSystem } from '../adapters/node-file-system';
import { UndiciHttpClient } from '../adapters/undici-http-client';
import { extractLocal as extractArchive } from './archive/local-extract.testkit';
import { pseudoRandom } from './archive/fixtures.testkit';
import { bzip2Ends, downloadArchive, DownloadError, zipEnds, type DownloadRequest, type DownloadTap } from './download';
import { systemClock } from './ports';

const KEY = DEMO_KEYS.basic;
const UID = 'instance-uid-1234';
const http = new UndiciHttpClient();
const deps = { http, clock: systemClock, fs: nodeFileSystem };

let standin: Standin;
let dir: string;
const servers: TestServer[] = [];

beforeAll(async () => {
  standin = await startStandin({ quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'marketdesk-download-'));
});
afterAll(async () => {
  await standin.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  standin.setFaults([]);
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

let counter = 0;
function destPath(name = 'plugin.tar.gz'): string {
  return join(dir, `${++counter}-${name}`);
}

function req(url: string, extra: Partial<DownloadRequest> = {}): DownloadRequest {
  return {
    url,
    servicesOrigin: standin.url,
    headers: { 'User-Agent': 'GLPI/10.0.16 (installation-mode:TARBALL; marketdesk/0.1.0)' },
    key: KEY,
    uid: UID,
    dest: destPath(),
    maxBytes: 50 * 1024 * 1024,
    stallMs: 5_000,
    connectTimeoutMs: 2_000,
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DownloadError);
    const e = err as DownloadError;
    expect(e.message).not.toContain(KEY);
    expect(e.fix).not.toContain(KEY);
    expect(e.fix.length).toBeGreaterThan(10);
    return e;
  }
  throw new Error('expected the download to fail');
}

function freePlugin(format: ArchiveFormat): { key: string; num: string } {
  const p = standin
    .getCatalogue()
    .find((x: StandinPlugin) => x.required_offers === null && x.versions.some((v) => v.format === format));
  const v = p?.versions.find((x) => x.format === format);
  if (!p || !v) throw new Error(`no free ${format} plugin in the demo catalogue`);
  return { key: p.key, num: v.num };
}

interface TestServer {
  url: string;
  requests: IncomingHttpHeaders[];
  /** Bytes the handler managed to write before the client went away. */
  written: { bytes: number; closed: boolean };
  close(): Promise<void>;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, s: TestServer) => void): Promise<TestServer> {
  const requests: IncomingHttpHeaders[] = [];
  const written = { bytes: 0, closed: false };
  const server = createServer((rq, rs) => {
    requests.push(rq.headers);
    rs.on('close', () => (written.closed = true));
    handler(rq, rs, s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const s: TestServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    written,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(s);
  return s;
}

/** Writes `chunk` every `everyMs` until `count` chunks or the client leaves. */
function drip(res: ServerResponse, s: TestServer, chunk: Buffer, everyMs: number, count: number): void {
  let sent = 0;
  const tick = (): void => {
    if (res.destroyed || s.written.closed) return;
    if (sent >= count) return void res.end();
    res.write(chunk);
    s.written.bytes += chunk.length;
    sent++;
    setTimeout(tick, everyMs);
  };
  tick();
}

const sha = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('downloadArchive against the GLPI Network stand-in', () => {
  it.each(['tar.gz', 'tar.bz2', 'zip'] as const)(
    'downloads a free %s archive with its SHA-256, key sent to GLPI Network, no .part left',
    async (format) => {
      const { key, num } = freePlugin(format);
      const url = standin.archiveUrl(key, num);
      const reference = Buffer.from(await (await fetch(url, { headers: { 'X-Registration-Key': KEY } })).arrayBuffer());
      expect(reference.length).toBeGreaterThan(100);

      const request = req(url, { dest: destPath(`${key}.${format}`) });
      const result = await downloadArchive(deps, request);

      const onDisk = readFileSync(request.dest);
      expect(result.sha256).toBe(sha(reference));
      expect(sha(onDisk)).toBe(result.sha256);
      expect(result.bytes).toBe(reference.length);
      expect(result.file).toBe(request.dest);
      expect(result.finalUrl).toBe(url);
      expect(result.format).toBe(format === 'tar.gz' ? 'gzip' : format === 'tar.bz2' ? 'bzip2' : 'zip');
      expect(result.contentType).toMatch(/gzip|bzip2|zip/);
      expect(existsSync(`${request.dest}.part`)).toBe(false);
      const seen = standin.requests.at(-1)?.headers ?? {};
      expect(seen['x-registration-key']).toBe(KEY);
      expect(seen['x-glpi-network-uid']).toBe(UID);
      expect(seen['accept-encoding']).toBe('identity');
    },
  );

  it('accepts a matching expectedSha256 and refuses a different one (checksum, nothing left)', async () => {
    const { key, num } = freePlugin('tar.gz');
    const url = standin.archiveUrl(key, num);
    const good = await downloadArchive(deps, req(url));
    const ok = await downloadArchive(deps, req(url, { expectedSha256: good.sha256.toUpperCase() }));
    expect(ok.sha256).toBe(good.sha256);

    const request = req(url, { expectedSha256: 'ab'.repeat(32) });
    const e = await failure(downloadArchive(deps, request));
    expect(e.code).toBe('checksum');
    expect(e.message).toContain(good.sha256);
    expect(existsSync(request.dest)).toBe(false);
    expect(existsSync(`${request.dest}.part`)).toBe(false);
  });

  it('a premium archive with a lower-tier key is an entitlement error, not a network one', async () => {
    const url = standin.archiveUrl('metabase', standin.getPlugin('metabase')?.versions[0]?.num ?? '');
    const request = req(url);
    const e = await failure(downloadArchive(deps, request));
    expect(e.code).toBe('entitlement');
    expect(e.status).toBe(403);
    expect(e.networkCause).toBeUndefined();
    expect(e.requiredOffers).toEqual(['standard', 'advanced']);
    expect(e.message).toMatch(/subscription/);
    expect(e.fix).toMatch(/standard, advanced/);
    expect(existsSync(`${request.dest}.part`)).toBe(false);
  });

  it('archive-404 → not-found', async () => {
    standin.setFaults([{ fault: { mode: 'archive-404' } }]);
    const { key, num } = freePlugin('zip');
    const e = await failure(downloadArchive(deps, req(standin.archiveUrl(key, num))));
    expect(e.code).toBe('not-found');
    expect(e.status).toBe(404);
  });

  it.each(['tar.bz2', 'zip'] as const)(
    'archive-truncated (%s, Content-Length matching a cut file) → truncated from the end marker, no .part, no dest',
    async (format) => {
      standin.setFaults([{ fault: { mode: 'archive-truncated' } }]);
      const { key, num } = freePlugin(format);
      const request = req(standin.archiveUrl(key, num));
      const e = await failure(downloadArchive(deps, request));
      expect(e.code).toBe('truncated');
      expect(e.message).toMatch(/end marker/);
      expect(existsSync(request.dest)).toBe(false);
      expect(existsSync(`${request.dest}.part`)).toBe(false);
    },
  );

  it('archive-truncated (tar.gz, Content-Length matching a cut file): not inflated here; the extraction refuses it', async () => {
    standin.setFaults([{ fault: { mode: 'archive-truncated' } }]);
    const { key, num } = freePlugin('tar.gz');
    const request = req(standin.archiveUrl(key, num));
    const result = await downloadArchive(deps, request);
    expect(result.format).toBe('gzip');
    const staging = mkdtempSync(join(dir, 'staging-'));
    await expect(extractArchive(result.file, staging, { key })).rejects.toMatchObject({ code: 'truncated' });
  });

  it('reports progress: monotonic, throttled, ending at the size', async () => {
    const { key, num } = freePlugin('tar.gz');
    standin.setArchivePadding(key, 3 * 1024 * 1024);
    try {
      const events: [number, number | null][] = [];
      const result = await downloadArchive(
        deps,
        req(standin.archiveUrl(key, num), { onProgress: (r, t) => events.push([r, t]) }),
      );
      expect(result.bytes).toBeGreaterThan(3 * 1024 * 1024);
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events[0]).toEqual([0, result.bytes]);
      expect(events.at(-1)).toEqual([result.bytes, result.bytes]);
      for (let i = 1; i < events.length; i++) expect(events[i]![0]).toBeGreaterThanOrEqual(events[i - 1]![0]);
    } finally {
      standin.setArchivePadding(key, 0);
    }
  });
});

describe('downloadArchive against hostile servers', () => {
  it('throttles progress to one event per 100 ms, plus the first and the last', async () => {
    const s = await serve((_rq, rs, self) => {
      rs.writeHead(200, { 'Content-Length': String(20 * 1000) });
      drip(rs, self, Buffer.alloc(1000, 1), 10, 20);
    });
    const events: number[] = [];
    const result = await downloadArchive(deps, req(`${s.url}/a.bin`, { onProgress: (r) => events.push(r) }));
    expect(result.bytes).toBe(20_000);
    expect(result.format).toBe('unknown');
    // 20 chunks over ~200 ms: an unthrottled listener would see 21 events.
    expect(events.length).toBeLessThanOrEqual(6);
    expect(events.at(-1)).toBe(20_000);
  });

  it('refuses a Content-Encoding: gzip answer (encoding) after asking for identity', async () => {
    const body = gzipSync(Buffer.alloc(5000, 7));
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) });
      rs.end(body);
    });
    const request = req(`${s.url}/plugin.tar.gz`);
    const e = await failure(downloadArchive(deps, request));
    expect(e.code).toBe('encoding');
    expect(e.message).toContain('gzip');
    expect(s.requests[0]?.['accept-encoding']).toBe('identity');
    expect(existsSync(`${request.dest}.part`)).toBe(false);
  });

  it('refuses a Content-Length above maxBytes before reading the body', async () => {
    const s = await serve((_rq, rs, self) => {
      rs.writeHead(200, { 'Content-Length': String(10 * 1024 * 1024) });
      drip(rs, self, Buffer.alloc(16 * 1024), 50, 640);
    });
    const request = req(`${s.url}/big.zip`, { maxBytes: 1024 * 1024 });
    const started = Date.now();
    const e = await failure(downloadArchive(deps, request));
    expect(e.code).toBe('too-large');
    expect(e.expected).toBe(10 * 1024 * 1024);
    expect(e.received).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(existsSync(`${request.dest}.part`)).toBe(false);
  });

  it('stops a body growing past maxBytes without Content-Length (too-large, .part deleted)', async () => {
    const s = await serve((_rq, rs, self) => {
      rs.writeHead(200, { 'Content-Type': 'application/zip' }); // chunked, no length
      drip(rs, self, Buffer.alloc(64 * 1024, 3), 5, 1000); // would be 64 MiB
    });
    const request = req(`${s.url}/grow.zip`, { maxBytes: 300 * 1024 });
    const e = await failure(downloadArchive(deps, request));
    expect(e.code).toBe('too-large');
    expect(existsSync(`${request.dest}.part`)).toBe(false);
    expect(existsSync(request.dest)).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.written.closed).toBe(true);
    expect(s.written.bytes).toBeLessThan(4 * 1024 * 1024);
  });

  it('a body shorter than Content-Length (connection cut) → truncated', async () => {
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': '100000' });
      rs.write(Buffer.alloc(30_000));
      setTimeout(() => rs.socket?.destroy(), 50);
    });
    const request = req(`${s.url}/cut.tar.gz`);
    const e = await failure(downloadArchive(deps, request));
    expect(e.code).toBe('truncated');
    expect(existsSync(`${request.dest}.part`)).toBe(false);
  });

  it('a server that stalls mid-body times out within stallMs (network / timeout)', async () => {
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': '100000' });
      rs.write(Buffer.alloc(10_000)); // then nothing, connection kept open
    });
    const request = req(`${s.url}/stall.zip`, { stallMs: 400 });
    const started = Date.now();
    const e = await failure(downloadArchive(deps, request));
    const elapsed = Date.now() - started;
    expect(e.code).toBe('network');
    expect(e.networkCause).toBe('timeout');
    expect(e.message).toMatch(/stalled/);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(400 + 1500);
    expect(existsSync(`${request.dest}.part`)).toBe(false);
  });

  it('a server that never answers the request times out (connect + stall)', async () => {
    await serve(() => undefined);
    const s = servers.at(-1)!;
    const started = Date.now();
    const e = await failure(downloadArchive(deps, req(`${s.url}/x.zip`, { stallMs: 300, connectTimeoutMs: 200 })));
    expect(e.code).toBe('network');
    expect(e.networkCause).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(500 + 1500);
  });

  it('a refused connection is a network error with its cause', async () => {
    const s = await serve(() => undefined);
    await s.close();
    const e = await failure(downloadArchive(deps, req(`${s.url}/x.zip`)));
    expect(e.code).toBe('network');
    expect(e.networkCause).toBe('refused');
  });

  it('follows a cross-origin redirect without the key or the uid; the services origin gets both', async () => {
    const payload = Buffer.alloc(50_000, 9);
    const cdn = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': String(payload.length), 'Content-Type': 'application/octet-stream' });
      rs.end(payload);
    });
    const services = await serve((_rq, rs) => {
      rs.writeHead(302, { Location: `${cdn.url}/files/plugin.zip` });
      rs.end();
    });
    const result = await downloadArchive(
      deps,
      req(`${services.url}/downloads/plugin.zip`, { servicesOrigin: services.url }),
    );
    expect(result.sha256).toBe(sha(payload));
    expect(result.finalUrl).toBe(`${cdn.url}/files/plugin.zip`);
    expect(services.requests[0]?.['x-registration-key']).toBe(KEY);
    expect(services.requests[0]?.['x-glpi-network-uid']).toBe(UID);
    expect(cdn.requests).toHaveLength(1);
    expect(cdn.requests[0]?.['x-registration-key']).toBeUndefined();
    expect(cdn.requests[0]?.['x-glpi-network-uid']).toBeUndefined();
    expect(cdn.requests[0]?.['accept-encoding']).toBe('identity');
    expect(cdn.requests[0]?.['user-agent']).toMatch(/^GLPI\//);
  });

  it('never sends the key to a download URL on another origin, even if the caller puts it in headers', async () => {
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': '3' });
      rs.end('abc');
    });
    await downloadArchive(
      deps,
      req(`${s.url}/x.bin`, { headers: { 'x-registration-key': KEY, 'X-Glpi-Network-Uid': UID } }),
    );
    expect(s.requests[0]?.['x-registration-key']).toBeUndefined();
    expect(s.requests[0]?.['x-glpi-network-uid']).toBeUndefined();
  });

  it('a 403 from another host is an http-status error, not an entitlement one', async () => {
    const s = await serve((_rq, rs) => {
      rs.writeHead(403, { 'Content-Type': 'text/plain' });
      rs.end('Forbidden');
    });
    const e = await failure(downloadArchive(deps, req(`${s.url}/x.zip`)));
    expect(e.code).toBe('http-status');
    expect(e.status).toBe(403);
  });

  it('cancels through the AbortSignal (cancelled, .part deleted)', async () => {
    const s = await serve((_rq, rs, self) => {
      rs.writeHead(200, { 'Content-Length': String(100 * 1024 * 1024) });
      drip(rs, self, Buffer.alloc(32 * 1024), 20, 3200);
    });
    const controller = new AbortController();
    const request = req(`${s.url}/slow.zip`, {
      signal: controller.signal,
      maxBytes: 200 * 1024 * 1024,
      onProgress: (received) => {
        if (received > 100_000) controller.abort();
      },
    });
    const e = await failure(downloadArchive(deps, request));
    expect(e.code).toBe('cancelled');
    expect(existsSync(`${request.dest}.part`)).toBe(false);
    expect(existsSync(request.dest)).toBe(false);

    const before = s.requests.length;
    const pre = new AbortController();
    pre.abort();
    const e2 = await failure(downloadArchive(deps, req(`${s.url}/slow.zip`, { signal: pre.signal })));
    expect(e2.code).toBe('cancelled');
    expect(s.requests.length).toBe(before);
  });
});

describe('downloadArchive without Content-Length (gzip completeness checked by inflating)', () => {
  const tarGz = gzipSync(Buffer.concat([pseudoRandom(300_000), Buffer.alloc(200_000, 1)]));
  const chunked = (body: Buffer) =>
    serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Type': 'application/gzip' }); // chunked, no length
      rs.write(body.subarray(0, 100_000));
      setTimeout(() => rs.end(body.subarray(100_000)), 10);
    });

  it('a whole gzip file is accepted', async () => {
    const s = await chunked(tarGz);
    const request = req(`${s.url}/plugin.tar.gz`);
    const result = await downloadArchive(deps, request);
    expect(result).toMatchObject({ format: 'gzip', bytes: tarGz.length, sha256: sha(tarGz) });
    expect(readFileSync(request.dest).equals(tarGz)).toBe(true);
  });

  it('a gzip file cut before its end → truncated, no .part, no dest', async () => {
    const s = await chunked(tarGz.subarray(0, tarGz.length - 5000));
    const request = req(`${s.url}/plugin.tar.gz`);
    const e = await failure(downloadArchive(deps, request));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/gzip data ends before its end marker/);
    expect(existsSync(request.dest)).toBe(false);
    expect(existsSync(`${request.dest}.part`)).toBe(false);
  });
});

describe('downloadArchive writes in batches', () => {
  it('many irregular chunks over several MiB land on disk byte for byte, without Content-Length', async () => {
    const payload = pseudoRandom(5 * 1024 * 1024 + 12_345, 99);
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      let at = 0;
      let size = 1;
      const next = (): void => {
        if (rs.destroyed) return;
        if (at >= payload.length) return void rs.end();
        size = (size * 7 + 13_001) % 200_000; // 1 byte to ~200 KB, never aligned to a batch
        const end = Math.min(payload.length, at + size + 1);
        const ok = rs.write(payload.subarray(at, end));
        at = end;
        if (ok) setImmediate(next);
        else rs.once('drain', next);
      };
      next();
    });
    const request = req(`${s.url}/big.bin`);
    const result = await downloadArchive(deps, request);
    expect(result.bytes).toBe(payload.length);
    expect(result.sha256).toBe(sha(payload));
    expect(readFileSync(request.dest).equals(payload)).toBe(true);
  });

  it('a write failing mid-download → disk (ENOSPC), .part removed, dest untouched', async (ctx) => {
    if (!existsSync('/dev/full')) return ctx.skip();
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': String(3 * 1024 * 1024) });
      rs.end(Buffer.alloc(3 * 1024 * 1024, 5));
    });
    const dest = destPath('full.zip');
    // The .part is opened through this link: every write fails as on a full disk.
    symlinkSync('/dev/full', `${dest}.part`);
    const e = await failure(downloadArchive(deps, req(`${s.url}/x.zip`, { dest })));
    expect(e.code).toBe('disk');
    expect(e.errno).toBe('ENOSPC');
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(existsSync(dest)).toBe(false);
  });
});

describe('downloadArchive disk failures', () => {
  const small = async (): Promise<TestServer> =>
    serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': '5' });
      rs.end('hello');
    });

  it('a dest inside a path that is a file → disk (ENOTDIR)', async () => {
    const s = await small();
    const blocker = join(dir, `blocker-${++counter}`);
    writeFileSync(blocker, 'not a folder');
    const e = await failure(downloadArchive(deps, req(`${s.url}/x.zip`, { dest: join(blocker, 'plugin.zip') })));
    expect(e.code).toBe('disk');
    expect(e.errno).toBe('ENOTDIR');
    expect(e.fix).toContain(blocker);
  });

  it('a dest whose folder does not exist → disk (ENOENT), dest untouched', async () => {
    const s = await small();
    const dest = join(dir, `missing-${++counter}`, 'plugin.zip');
    const e = await failure(downloadArchive(deps, req(`${s.url}/x.zip`, { dest })));
    expect(e.code).toBe('disk');
    expect(e.errno).toBe('ENOENT');
    expect(existsSync(dest)).toBe(false);
  });

  it('a failed download leaves an existing dest byte-for-byte as it was', async () => {
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': '10' });
      rs.write('12345');
      setTimeout(() => rs.socket?.destroy(), 20);
    });
    const dest = destPath('existing.zip');
    writeFileSync(dest, 'previous archive');
    const e = await failure(downloadArchive(deps, req(`${s.url}/x.zip`, { dest })));
    expect(e.code).toBe('truncated');
    expect(readFileSync(dest, 'utf8')).toBe('previous archive');
    expect(existsSync(`${dest}.part`)).toBe(false);
  });
});

describe('archive end markers', () => {
  it('bzip2: finds the end-of-stream magic at any bit alignment', () => {
    // 0x177245385090 + CRC 0xdeadbeef + 0 padding bits, then shifted by 3 bits.
    const aligned = Buffer.from([0x17, 0x72, 0x45, 0x38, 0x50, 0x90, 0xde, 0xad, 0xbe, 0xef]);
    expect(bzip2Ends(Buffer.concat([Buffer.from([0x55]), aligned]))).toBe(true);
    const bits = [...aligned].map((b) => b.toString(2).padStart(8, '0')).join('') + '000';
    const shifted = Buffer.from(('10101' + bits).match(/.{8}/g)!.map((b) => parseInt(b, 2)));
    expect(bzip2Ends(shifted)).toBe(true);
    expect(bzip2Ends(Buffer.alloc(11, 0x42))).toBe(false);
  });

  it('zip: requires an end-of-central-directory record at the very end', () => {
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt32LE(10, 12); // directory size
    eocd.writeUInt32LE(30, 16); // directory offset
    const file = Buffer.concat([Buffer.alloc(40), eocd]);
    expect(zipEnds(file, file.length)).toBe(true);
    expect(zipEnds(file.subarray(0, 50), 50)).toBe(false);
  });
});

describe('the download tap (a second reader of the body, e.g. to unpack while downloading)', () => {
  /** A tap that keeps what it is given; `take` false: it declines at start. */
  function recordingTap(take = true) {
    const seen = { starts: [] as (number | null)[], chunks: [] as Buffer[], ends: [] as (Error | undefined)[] };
    const tap: DownloadTap = {
      start: (total) => (seen.starts.push(total), Promise.resolve(take)),
      write: (chunk) => (seen.chunks.push(Buffer.from(chunk)), Promise.resolve()),
      end: (error) => void seen.ends.push(error),
    };
    return { tap, seen };
  }

  it('sees every byte in order, with the announced size, and ends before the result', async () => {
    const body = pseudoRandom(3 * 1024 * 1024 + 17, 5);
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': String(body.length) });
      rs.end(body);
    });
    const { tap, seen } = recordingTap();
    const result = await downloadArchive(deps, req(`${s.url}/a.tar.gz`, { tap }));
    expect(seen.starts).toEqual([body.length]);
    expect(Buffer.concat(seen.chunks).equals(body)).toBe(true);
    expect(seen.chunks.length).toBeGreaterThan(1);
    expect(seen.ends).toEqual([undefined]);
    expect(result.sha256).toBe(sha(body));
  });

  it('a tap that declines at start is given nothing; the download is the same', async () => {
    const s = await serve((_rq, rs) => rs.end(Buffer.from('not much')));
    const { tap, seen } = recordingTap(false);
    const result = await downloadArchive(deps, req(`${s.url}/a.tar.gz`, { tap }));
    expect(seen).toEqual({ starts: [8], chunks: [], ends: [] });
    expect(result.bytes).toBe(8);
  });

  it('a body cut short: the tap ends with the same truncated error the download throws', async () => {
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': '100000' });
      rs.write(Buffer.alloc(30_000, 1));
      setTimeout(() => rs.socket?.destroy(), 50);
    });
    const { tap, seen } = recordingTap();
    const e = await failure(downloadArchive(deps, req(`${s.url}/cut.tar.gz`, { tap })));
    expect(e.code).toBe('truncated');
    expect(Buffer.concat(seen.chunks).length).toBe(30_000);
    expect(seen.ends).toHaveLength(1);
    expect(seen.ends[0]).toMatchObject({ code: 'truncated' });
  });

  it('the download waits for a slow tap (its pace), and a slow tap is not a stall', async () => {
    const body = pseudoRandom(2 * 1024 * 1024, 6);
    const s = await serve((_rq, rs) => {
      rs.writeHead(200, { 'Content-Length': String(body.length) });
      rs.end(body);
    });
    let inTap = 0;
    let most = 0;
    const tap: DownloadTap = {
      start: () => Promise.resolve(true),
      write: async () => {
        most = Math.max(most, ++inTap);
        await new Promise((r) => setTimeout(r, 60));
        inTap--;
      },
      end: () => undefined,
    };
    const result = await downloadArchive(deps, req(`${s.url}/slow.tar.gz`, { tap, stallMs: 50 }));
    expect(result.bytes).toBe(body.length);
    expect(most).toBe(1);
  });
});
