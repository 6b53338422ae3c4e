import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_KEYS, startStandin, type Standin } from '../../e2e/standin/standin';
import { createAppCore } from '../core/create-app-core';
import { systemClock } from '../core/ports';
import type { ProxyEnv } from '../core/proxy';
import { MemoryStore, memoryLogger } from '../core/testing.testkit';
import { MemorySecretStore } from './memory-secret-store';
import { startTestProxy, type TestProxy } from './testing-proxy.testkit';
import { UndiciHttpClient } from './undici-http-client';
import { nodeFileSystem } from './node-file-system';
import { nodeHostInfo } from './node-host';
import { nodePacRunner } from './pac-runner';

/** A port nothing listens on: the services URL that only the proxy can reach. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let standin: Standin;
let proxy: TestProxy | null = null;
let servicesUrl: string;
let hosts: Record<string, string>;
beforeEach(async () => {
  standin = await startStandin({ quiet: true });
  const port = await closedPort();
  servicesUrl = `http://localhost:${port}`;
  hosts = { [`localhost:${port}`]: standin.url.replace('http://', '') };
});
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await standin.close();
});

function core(proxyEnv: ProxyEnv = {}, fetchPac?: (url: string) => Promise<string>) {
  const secrets = new MemorySecretStore('keychain');
  const http = new UndiciHttpClient();
  const c = createAppCore(
    {
      secrets,
      store: new MemoryStore(),
      http,
      clock: systemClock,
      logger: memoryLogger(),
      dataDir: mkdtempSync(join(tmpdir(), 'md-proxy-')),
      fs: nodeFileSystem,
      host: nodeHostInfo(),
      appVersion: '0.1.0',
      shell: 'cli',
      profile: 'default',
      servicesUrlFromEnv: servicesUrl,
      systemLanguage: 'en_US',
      redact: () => undefined,
      proxyEnv,
      ...(fetchPac ? { pac: { fetch: fetchPac, run: nodePacRunner } } : {}),
    },
    {
      sessionSecrets: new MemorySecretStore(),
      keychainFix: 'fix',
      limits: { timeoutMs: 2_000, deadlineMs: 4_000, backoffMs: 10 },
    },
  );
  http.useNetwork(() => c.network.runtime());
  return { c, secrets };
}

describe('proxy settings, through a real forward proxy', () => {
  it('direct fails where only the proxy reaches GLPI Network; the manual proxy succeeds', async () => {
    proxy = await startTestProxy({ hosts });
    const { c } = core();
    const direct = await c.keys.set(DEMO_KEYS.standard, { force: true });
    expect(direct.state).toBe('unreachable');
    expect(direct.failure?.cause).toBe('refused');

    await c.handlers['settings.update']({ network: { proxyMode: 'manual', proxyUrl: proxy.url } });
    const viaProxy = await c.keys.sync();
    expect(viaProxy.state).toBe('valid');
    expect(proxy.seen.some((line) => line.includes(`${servicesUrl.replace('http://', '')}`))).toBe(true);
  });

  it('reports 407 as proxy authentication, and succeeds with the password from the keychain', async () => {
    proxy = await startTestProxy({ hosts, user: 'bob', password: 'pr0xy-s3cret' });
    const { c, secrets } = core();
    await c.handlers['settings.update']({ network: { proxyMode: 'manual', proxyUrl: proxy.url, proxyUser: 'bob' } });
    const refused = await c.keys.set(DEMO_KEYS.standard, { force: true });
    expect(refused.state).toBe('unreachable');
    expect(refused.failure?.cause).toBe('proxy');
    expect(proxy.refused).toBeGreaterThan(0);

    const settings = await c.handlers['settings.proxyPassword']({ password: 'pr0xy-s3cret' });
    expect(settings.proxyPasswordSet).toBe(true);
    expect(JSON.stringify(settings)).not.toContain('pr0xy-s3cret');
    expect(await secrets.get('proxy-password:default')).toBe('pr0xy-s3cret');
    expect((await c.keys.sync()).state).toBe('valid');
  });

  it('honours HTTP_PROXY and NO_PROXY in system mode, and "No proxy" ignores them', async () => {
    proxy = await startTestProxy({ hosts });
    const { c } = core({ HTTP_PROXY: proxy.url });
    expect((await c.keys.set(DEMO_KEYS.standard, { force: true })).state).toBe('valid');

    await c.handlers['settings.update']({ network: { proxyMode: 'direct' } });
    expect((await c.keys.sync()).failure?.cause).toBe('refused');

    const bypassing = core({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost' });
    expect((await bypassing.c.keys.set(DEMO_KEYS.standard, { force: true })).failure?.cause).toBe('refused');
  });

  it('follows a PAC script in the Node shells, and falls back to the environment when it cannot be read', async () => {
    proxy = await startTestProxy({ hosts });
    const scripts: Record<string, string> = {
      'http://wpad.test/proxy.pac': `function FindProxyForURL(url, host) { return 'PROXY ${proxy.url.replace('http://', '')}; DIRECT'; }`,
    };
    const fetchPac = (url: string) =>
      scripts[url] ? Promise.resolve(scripts[url]) : Promise.reject(new Error('getaddrinfo ENOTFOUND'));
    const { c } = core({}, fetchPac);
    await c.handlers['settings.update']({ network: { proxyMode: 'pac', pacUrl: 'http://wpad.test/proxy.pac' } });
    expect((await c.keys.set(DEMO_KEYS.standard, { force: true })).state).toBe('valid');
    expect(proxy.seen.length).toBeGreaterThan(0);
    const route = (await c.network.runtime()).route(servicesUrl);
    expect(route).toMatchObject({ kind: 'proxy', source: 'pac', why: expect.stringMatching(/PAC script/) as string });

    await c.handlers['settings.update']({ network: { pacUrl: 'http://missing.test/proxy.pac' } });
    const fallback = (await c.network.runtime()).route(servicesUrl);
    expect(fallback).toMatchObject({
      kind: 'direct',
      why: expect.stringMatching(/PAC script cannot be used.*ENOTFOUND/) as string,
    });
    expect((await c.keys.sync()).failure?.cause).toBe('refused');
  });

  it('refuses settings that cannot work, with the reason', async () => {
    const { c } = core();
    await expect(c.handlers['settings.update']({ network: { proxyMode: 'manual' } })).rejects.toThrow(
      /needs an address/,
    );
    await expect(
      c.handlers['settings.update']({ network: { proxyMode: 'manual', proxyUrl: 'http://bob:pw@proxy:3128' } }),
    ).rejects.toThrow(/keychain/);
    await expect(c.handlers['settings.update']({ network: { proxyMode: 'pac' } })).rejects.toThrow(/PAC script/);
  });
});
