/**
 * Test support for offline bundles: a connected core that makes bundles against the stand-in, an
 * offline core whose network is a sentinel that must see nothing, and ways to damage a bundle
 * (flip an archive's byte, rewrite bundle.json, cut the file, fill the disk). Not used by the app.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { BundleJson } from '../../../shared/bundle';
import type { Envelope } from '../../../shared/errors';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { nodeHostInfo } from '../../adapters/node-host';
import { UndiciHttpClient } from '../../adapters/undici-http-client';
import { dispatch } from '../dispatch';
import type { FileSystem, HttpClient } from '../ports';
import { nodeTestCore } from '../testing-core.testkit';
import { memoryLogger } from '../testing.testkit';
import { fakeGlpi } from '../testing-glpi.testkit';
import { DEMO_KEYS } from '../../../e2e/standin/standin';
import { readTar, TarWriter } from './bundle-tar';

/** A core of its own (data folder, settings) and `call`, which answers the envelope. */
export function bundleCore(ports: Parameters<typeof nodeTestCore>[0] = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-bundle-core-'));
  const c = nodeTestCore({ dataDir, host: noPhpHost(), ...ports });
  const call = async <T>(channel: string, payload: unknown = {}) =>
    (await dispatch(c.handlers, channel, payload, memoryLogger())) as Envelope<T>;
  /** `call` for a success: its value, or the error thrown with its code and message. */
  const value = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const r = await call<T>(channel, payload);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  return { c, call, value, dataDir };
}

/** fields (real-shaped .tar.bz2, 1.21.0 installed → 1.21.23) and metabase (Standard and up: premium). */
export const BUNDLE_MANIFEST = JSON.stringify({
  format: 1,
  plugins: [
    { key: 'fields', version: '~1.21.20' },
    { key: 'metabase', version: '4.10.2' },
  ],
});

/** The connected desktop: a Standard key, against the stand-in at `servicesUrl`. */
export async function connectedCore(servicesUrl: string, ports: Parameters<typeof nodeTestCore>[0] = {}) {
  const core = bundleCore({ servicesUrlFromEnv: servicesUrl, ...ports });
  await core.c.keys.set(DEMO_KEYS.standard);
  return core;
}

/**
 * The offline machine: no key, GLPI Network is `sentinelUrl`, every HTTP request counted, and a
 * GLPI 10.0.18 tree (fakeGlpi) added as the instance `name`.
 */
export async function offlineCore(
  sentinelUrl: string,
  name = 'offline',
  ports: Parameters<typeof nodeTestCore>[0] = {},
) {
  const http = countingHttp();
  const core = bundleCore({ servicesUrlFromEnv: sentinelUrl, http, ...ports });
  const root = fakeGlpi();
  await core.value('instances.add', { root, name });
  return { ...core, http, root, mp: join(root, 'marketplace') };
}

/** The bytes of a small file that opens as a bundle: bundle.json first, then `extra` bytes in one archive. */
export async function smallBundle(extra = 1000): Promise<Buffer> {
  const file = join(mkdtempSync(join(tmpdir(), 'md-small-bundle-')), 'b.mdbundle');
  const writer = await nodeFileSystem.openWriter(file);
  const tar = new TarWriter(writer, new Date('2026-01-01T00:00:00Z'));
  const json = Buffer.from('{"format":1}\n');
  await tar.member('bundle.json', json.length, json);
  if (extra > 0) await tar.member('archives/x-1.0.0.zip', extra, Buffer.alloc(extra, 7));
  await tar.end();
  await writer.close();
  return readFileSync(file);
}

/** This host without php (the guard's php -l is not what these tests are about). */
function noPhpHost() {
  return { ...nodeHostInfo(), pathEnv: mkdtempSync(join(tmpdir(), 'md-nophp-')) };
}

/** An HttpClient that counts every request before handing it on. */
export function countingHttp(inner: HttpClient = new UndiciHttpClient()): HttpClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    send(req) {
      sent.push(req.url);
      return inner.send(req);
    },
  };
}

export interface Sentinel {
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}

/** A TCP server on 127.0.0.1 that counts the connections it receives (and closes each at once). */
export async function sentinel(): Promise<Sentinel> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A sentinel started before the calling file's tests and closed after them; returns it. */
export function sentinelPerFile(): () => Sentinel {
  let server: Sentinel | undefined;
  beforeAll(async () => {
    server = await sentinel();
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the sentinel runs only inside the tests');
    return server;
  };
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A copy of `file` in a fresh folder, named `name`. */
export function copyBundle(file: string, name = 'copy.mdbundle'): string {
  const dest = join(mkdtempSync(join(tmpdir(), 'md-bundle-copy-')), name);
  writeFileSync(dest, readFileSync(file));
  return dest;
}

/** Where each member's body starts in a bundle, by member name. */
export async function memberOffsets(file: string): Promise<Map<string, { offset: number; size: number }>> {
  const offsets = new Map<string, { offset: number; size: number }>();
  await readTar(nodeFileSystem.readStream(file), (m) => {
    offsets.set(m.path, { offset: m.offset, size: m.size });
    return { data: () => undefined, end: () => undefined };
  });
  return offsets;
}

/** Flips one byte in the middle of a member's body, in place. */
export async function flipByte(file: string, member: string): Promise<void> {
  const at = (await memberOffsets(file)).get(member);
  if (!at) throw new Error(`no member ${member}`);
  const bytes = readFileSync(file);
  const i = at.offset + Math.floor(at.size / 2);
  bytes[i] = (bytes[i] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
}

/** A new bundle with bundle.json changed by `change` (well-formed tar; the archives as they were). */
export async function rewriteBundle(file: string, change: (json: BundleJson) => void): Promise<string> {
  const bodies = new Map<string, Buffer>();
  await readTar(nodeFileSystem.readStream(file), (m) => {
    const parts: Buffer[] = [];
    return { data: (c) => void parts.push(Buffer.from(c)), end: () => void bodies.set(m.path, Buffer.concat(parts)) };
  });
  const json = JSON.parse(bodies.get('bundle.json')!.toString('utf8')) as BundleJson;
  change(json);
  bodies.set('bundle.json', Buffer.from(JSON.stringify(json, null, 2) + '\n'));
  const dest = join(mkdtempSync(join(tmpdir(), 'md-bundle-rewritten-')), 'rewritten.mdbundle');
  const writer = await nodeFileSystem.openWriter(dest);
  const tar = new TarWriter(writer, new Date(json.createdAt));
  for (const [path, body] of bodies) await tar.member(path, body.length, body);
  await tar.end();
  await writer.close();
  return dest;
}

/** A file system whose writes to paths matching `match` fail with ENOSPC once `after` bytes went there. */
export function fillingDisk(base: FileSystem, match: RegExp, after: number): FileSystem {
  return {
    ...base,
    async openWriter(path, options) {
      const writer = await base.openWriter(path, options);
      if (!match.test(path)) return writer;
      let written = 0;
      return {
        ...writer,
        async write(chunks) {
          written += chunks.reduce((n, c) => n + c.length, 0);
          if (written > after)
            throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
          await writer.write(chunks);
        },
      };
    },
  };
}

/** Every file under `dir`, relative paths, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir, { recursive: true })).sort();
  } catch {
    return [];
  }
}
