import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK } from '../core/proxy';
import { NetworkService } from '../core/network-service';
import { TransportError } from '../core/ports';
import { nodeFileSystem } from './node-file-system';
import { MemorySecretStore } from './memory-secret-store';
import { TestPki } from './doctor/test-certs';
import { UndiciHttpClient } from './undici-http-client';

let pki: TestPki;
let server: Server;
let url: string;
let caFile: string;
beforeAll(async () => {
  pki = new TestPki();
  const ca = pki.createCa('Corp Inspection Root');
  const leaf = ca.issue({ commonName: 'localhost', altNames: ['DNS:localhost', 'IP:127.0.0.1'] });
  caFile = join(pki.dir, 'corp-root.pem');
  writeFileSync(caFile, ca.cert);
  server = createServer({ cert: leaf.cert, key: leaf.key }, (_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  pki.dispose();
});

function client(extraCaFiles: string[]) {
  const network = new NetworkService({
    settings: () => ({ ...DEFAULT_NETWORK, proxyMode: 'direct', extraCaFiles }),
    secrets: new MemorySecretStore('keychain'),
    profile: 'default',
    env: {},
    readText: (file) => nodeFileSystem.readText(file),
  });
  const http = new UndiciHttpClient();
  http.useNetwork(() => network.runtime());
  return http;
}

const get = (http: UndiciHttpClient) => http.send({ url, headers: {}, connectTimeoutMs: 2_000, timeoutMs: 4_000 });

describe('extra trusted roots in the Node shells', () => {
  it('refuses a server whose root is unknown, as a TLS failure', async () => {
    const err = await get(client([])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).failure).toBe('tls');
  });

  it('trusts the same server once its root is added, on top of the default roots', async () => {
    const res = await get(client([caFile]));
    expect(res.status).toBe(200);
    await res.cancel();
  });
});
