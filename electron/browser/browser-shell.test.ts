import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BundleFileRef } from '../../shared/bundle';
import { DEFAULT_CATALOG_VIEW, type CatalogList } from '../../shared/catalog';
import { EARLY_ROW_TESTID } from '../../shared/early-rows';
import type { Envelope } from '../../shared/errors';
import { nodeFileSystem } from '../adapters/node-file-system';
import type { AppCore } from '../core/app-core';
import { BundleFiles, TRANSFERS_DIR } from '../core/bundle/bundle-files';
import { filesUnder, smallBundle } from '../core/bundle/testing-bundle.testkit';
import { systemClock } from '../core/ports';
import type { Handlers } from '../core/dispatch';
import { EventHub } from '../core/event-hub';
import { memoryLogger } from '../core/testing.testkit';
import { FORGET_TOKEN_SCRIPT, forgettingToken, startBrowserShell, type BrowserShell } from './browser-shell';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';

function fakeCore(): AppCore {
  const events = new EventHub();
  const status = { profile: 'default', state: 'none' } as never;
  const handlers = {
    'app.info': () => Promise.resolve({ version: '1', shell: 'browser', profile: 'default' }),
    'key.status': () => Promise.resolve(status),
    'key.set': () => Promise.resolve(status),
    'key.sync': () => {
      events.emit('key.changed', { ...(status as object), state: 'valid' } as never);
      return Promise.resolve(status);
    },
    'key.forget': () => Promise.resolve(status),
    'settings.get': () => Promise.reject(new Error('boom: secret stack')),
    'settings.update': () => Promise.resolve(status),
    'catalog.get': () => Promise.resolve(status),
    'catalog.refresh': () => Promise.resolve(status),
    'catalog.list': () =>
      Promise.resolve({ fetchedAt: '2026-01-01T00:00:00Z', plugins: [{ key: 'x' }], offers: [], tags: [] } as never),
    'catalog.searchText': () => Promise.resolve(status),
    'catalog.details': () => Promise.resolve(status),
    'instances.list': () => Promise.resolve(status),
    'instances.add': () => Promise.resolve(status),
    'instances.remove': () => Promise.resolve(status),
    'fleet.check': () => Promise.resolve(status),
    'fleet.update': () => Promise.resolve(status),
    'fleet.cancel': () => Promise.resolve(status),
    'instances.use': () => Promise.resolve(status),
    'instances.show': () => Promise.resolve(status),
    'plugins.list': () => Promise.resolve(status),
    'plugins.install': () => Promise.resolve(status),
    'plugins.update': () => Promise.resolve(status),
    'plugins.restore': () => Promise.resolve(status),
    'plugins.remove': () => Promise.resolve(status),
    'plugins.cancel': () => Promise.resolve(status),
    'plugins.backups': () => Promise.resolve(status),
    'settings.proxyPassword': () => Promise.resolve(status),
    'settings.networkRoute': () => Promise.resolve(status),
    'settings.caFiles': () => Promise.resolve(status),
    'settings.addCaFile': () => Promise.resolve(status),
    'settings.removeCaFile': () => Promise.resolve(status),
    'settings.servicesUrl': () => Promise.resolve(status),
    'plugins.console': () => Promise.resolve(status),
    'doctor.run': () => Promise.resolve(status),
    'plugins.history': () => Promise.resolve(status),
    'plan.get': () => Promise.resolve(status),
    'plan.downloadAhead': () => Promise.resolve(status),
    'plan.cancel': () => Promise.resolve(status),
    'manifest.export': () => Promise.resolve(status),
    'manifest.plan': () => Promise.resolve(status),
    'manifest.apply': () => Promise.resolve(status),
    'manifest.attach': () => Promise.resolve(status),
    'manifest.cancel': () => Promise.resolve(status),
    'manifest.parse': () => Promise.resolve(status),
    'manifest.format': () => Promise.resolve(status),
    'manifest.attached': () => Promise.resolve(status),
    'bundles.create': () => Promise.resolve(status),
    'bundles.inspect': () => Promise.resolve(status),
    'bundles.import': () => Promise.resolve(status),
    'bundles.chooseSave': () => Promise.resolve(status),
    'bundles.chooseOpen': () => Promise.resolve(status),
    'bundles.preview': () => Promise.resolve(status),
    'bundles.export': () => Promise.resolve(status),
    'bundles.check': () => Promise.resolve(status),
    'bundles.apply': () => Promise.resolve(status),
    'bundles.release': () => Promise.resolve(status),
    'bundles.cancel': () => Promise.resolve(status),
  } satisfies Handlers as Handlers;
  return { handlers, events, start: () => Promise.resolve(), stop: () => undefined };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  shell: BrowserShell,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: shell.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function code(body: string): string | undefined {
  return (JSON.parse(body) as { error?: { code: string } }).error?.code;
}

let shell: BrowserShell;
let cookie: string;
beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Marketdesk</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'do not serve');
  shell = await startBrowserShell({ core: fakeCore(), logger: memoryLogger(), staticDir: dir, token: TOKEN });
  cookie = `marketdesk_${shell.port}=${TOKEN}`;
});
afterEach(async () => {
  await shell.close();
});

const host = () => `127.0.0.1:${shell.port}`;
const authed = (extra: Record<string, string> = {}) => ({ Host: host(), Cookie: cookie, ...extra });

describe('browser shell', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(shell.url).toBe(`http://127.0.0.1:${shell.port}/?token=${TOKEN}`);
  });

  it('exchanges the token for an HttpOnly SameSite=Strict cookie', async () => {
    const r = await send(shell, `/?token=${TOKEN}`, { headers: { Host: host() } });
    expect(r.status).toBe(200);
    expect(String(r.headers['set-cookie'])).toMatch(
      new RegExp(`marketdesk_${shell.port}=${TOKEN}; HttpOnly; SameSite=Strict`),
    );
    expect((await send(shell, '/?token=wrong', { headers: { Host: host() } })).status).toBe(401);
  });

  it('answers the printed address with the page, which forgets the token before anything else runs', async () => {
    const r = await send(shell, `/?token=${TOKEN}`, { headers: { Host: host() } });
    const script = `<script>${FORGET_TOKEN_SCRIPT}</script>`;
    expect(r.body).toBe(`<!doctype html>${script}<title>Marketdesk</title>`);
    expect(FORGET_TOKEN_SCRIPT).toContain('history.replaceState(');
    // Allowed by its hash, nothing else inline.
    const hash = createHash('sha256').update(FORGET_TOKEN_SCRIPT).digest('base64');
    expect(r.headers['content-security-policy']).toContain(`'sha256-${hash}'`);
    // Opened again with the cookie, the page has no reason to run it.
    expect((await send(shell, '/', { headers: authed() })).body).not.toContain(script);
    // The token anywhere else: the cookie, and on to the page.
    const other = await send(shell, `/assets/app.js?token=${TOKEN}`, { headers: { Host: host() } });
    expect([other.status, other.headers.location]).toEqual([303, '/']);
    expect(String(other.headers['set-cookie'])).toContain(`marketdesk_${shell.port}=${TOKEN}`);
  });

  it('puts the token-forgetting script first in the head, whatever the page starts with', () => {
    const script = `<script>${FORGET_TOKEN_SCRIPT}</script>`;
    expect(
      forgettingToken('<!doctype html><html lang="en"><head><meta charset="UTF-8"></head><body></body></html>'),
    ).toBe(`<!doctype html><html lang="en"><head>${script}<meta charset="UTF-8"></head><body></body></html>`);
    expect(forgettingToken('<!DOCTYPE html>\n<title>x</title>')).toBe(`<!DOCTYPE html>${script}\n<title>x</title>`);
    expect(forgettingToken('<title>x</title>')).toBe(`${script}<title>x</title>`);
    // A <header> in the body is not the head.
    expect(forgettingToken('<!doctype html><body><header>h</header>')).toBe(
      `<!doctype html>${script}<body><header>h</header>`,
    );
  });

  it('refuses everything without the token cookie', async () => {
    expect((await send(shell, '/', { headers: { Host: host() } })).status).toBe(401);
    const r = await send(shell, '/api/invoke/key.status', {
      method: 'POST',
      headers: {
        Host: host(),
        Origin: `http://${host()}`,
        'Content-Type': 'application/json',
        Cookie: `marketdesk_${shell.port}=nope`,
      },
      body: '{}',
    });
    expect(r.status).toBe(401);
  });

  it('refuses foreign Host headers (DNS rebinding)', async () => {
    const r = await send(shell, '/', { headers: authed({ Host: `evil.example:${shell.port}` }) });
    expect(r.status).toBe(421);
  });

  it('refuses cross-origin invokes and invokes without an Origin', async () => {
    const body = '{}';
    const evil = await send(shell, '/api/invoke/key.status', {
      method: 'POST',
      headers: authed({ Origin: 'http://evil.example', 'Content-Type': 'application/json' }),
      body,
    });
    expect(evil.status).toBe(403);
    const none = await send(shell, '/api/invoke/key.status', {
      method: 'POST',
      headers: authed({ 'Content-Type': 'application/json' }),
      body,
    });
    expect(none.status).toBe(403);
  });

  it('dispatches invokes in envelopes, validating payloads and hiding internal errors', async () => {
    const post = (channel: string, body: string) =>
      send(shell, `/api/invoke/${channel}`, {
        method: 'POST',
        headers: authed({ Origin: `http://${host()}`, 'Content-Type': 'application/json' }),
        body,
      });
    expect(JSON.parse((await post('key.status', '{}')).body)).toEqual({
      ok: true,
      value: { profile: 'default', state: 'none' },
    });
    expect(code((await post('key.set', '{"key":5}')).body)).toBe('INVALID_INPUT');
    expect(code((await post('key.steal', '{}')).body)).toBe('UNKNOWN_CHANNEL');
    expect(code((await post('key.status', '{nope')).body)).toBe('INVALID_INPUT');
    const internal = (await post('settings.get', '{}')).body;
    expect(code(internal)).toBe('INTERNAL');
    expect(internal).not.toContain('secret stack');
  });

  it('serves the renderer with a strict CSP and refuses path traversal', async () => {
    const index = await send(shell, '/', { headers: authed() });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(index.headers['content-security-policy']).not.toMatch(/unsafe-(eval|inline)/);
    expect((await send(shell, '/assets/app.js', { headers: authed() })).headers['content-type']).toMatch(/javascript/);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const r = await send(shell, path, { headers: authed() });
      expect([400, 404]).toContain(r.status);
      expect(r.body).not.toContain('do not serve');
    }
  });

  it('serves the catalogue’s first screen inside the page, its style and script allowed by their hashes alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-static-'));
    const built =
      '<!doctype html><html><head><link rel="stylesheet" href="./assets/app.css"></head><body><div id="root"></div></body></html>';
    writeFileSync(join(dir, 'index.html'), built);
    const hostile = '<img src=x onerror="alert(1)">';
    const core = fakeCore();
    let catalogView = DEFAULT_CATALOG_VIEW;
    let plugins = [{ key: 'evil', name: hostile, summary: '</div><script>alert(2)</script>', requiredOffers: null }];
    core.handlers['settings.get'] = () => Promise.resolve({ catalogView, theme: 'dark' } as never);
    core.handlers['catalog.list'] = () =>
      Promise.resolve({ blocked: null, plugins, offers: [], tags: [], language: 'en' } as unknown as CatalogList);
    const own = await startBrowserShell({ core, logger: memoryLogger(), staticDir: dir, token: TOKEN });
    const sha256 = (text: string) => createHash('sha256').update(text).digest('base64').replace(/[+/]/g, '\\$&');
    try {
      const get = () =>
        send(own, '/', { headers: { Host: `127.0.0.1:${own.port}`, Cookie: `marketdesk_${own.port}=${TOKEN}` } });
      const page = await get();
      expect(page.body).toContain(`data-testid="${EARLY_ROW_TESTID}" data-key="evil"`);
      expect(page.body).toContain('&lt;img src=x onerror="alert(1)"&gt;');
      expect(page.body).not.toContain('<img');
      expect(page.body).not.toContain(TOKEN);
      expect(page.body).toContain('<html data-theme="dark">');
      // The app's stylesheet waits after the frame, which paints without it, until the page starts it.
      expect(page.body).toMatch(
        /<\/head><body><div id="root"><div class="app catalog-early"[\s\S]*<\/div><template id="app-start"><link rel="stylesheet"/,
      );
      const scripts = [...page.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
      const styles = [...page.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
      expect(scripts).toHaveLength(1);
      expect(styles).toHaveLength(1);
      const csp = String(page.headers['content-security-policy']);
      // The early script's hash, and the token-forgetting script's (only in pages answered to the token).
      expect(csp).toMatch(
        new RegExp(`script-src 'self' 'sha256-${sha256(scripts[0] ?? '')}' 'sha256-${sha256(FORGET_TOKEN_SCRIPT)}';`),
      );
      expect(csp).toMatch(new RegExp(`style-src 'self' 'sha256-${sha256(styles[0] ?? '')}';`));
      expect(csp).not.toMatch(/unsafe-(eval|inline|hashes)|nonce-/);

      // Nothing inlined without a cache (the first run), or for a saved search.
      plugins = [];
      expect((await get()).body).toBe(built);
      plugins = [{ key: 'alpha', name: 'Alpha', summary: 'About', requiredOffers: null }];
      catalogView = { ...DEFAULT_CATALOG_VIEW, text: 'inventory' };
      expect((await get()).body).toBe(built);
    } finally {
      await own.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends the hashed assets from memory once read, and the rest from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-static-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), 'first index');
    writeFileSync(join(dir, 'assets', 'app-Abc123.js'), 'first build');
    const own = await startBrowserShell({ core: fakeCore(), logger: memoryLogger(), staticDir: dir, token: TOKEN });
    try {
      const get = (path: string) =>
        send(own, path, { headers: { Host: `127.0.0.1:${own.port}`, Cookie: `marketdesk_${own.port}=${TOKEN}` } });
      // Changed on disk after start (a rebuild never does this to a hashed name): the start's copy.
      writeFileSync(join(dir, 'assets', 'app-Abc123.js'), 'changed');
      writeFileSync(join(dir, 'index.html'), 'second index');
      expect((await get('/assets/app-Abc123.js')).body).toBe('first build');
      expect((await get('/')).body).toBe('second index');
      // A name added later (npm run dev) is read when asked, then kept.
      writeFileSync(join(dir, 'assets', 'app-Def456.js'), 'second build');
      expect((await get('/assets/app-Def456.js')).body).toBe('second build');
      rmSync(join(dir, 'assets', 'app-Def456.js'));
      expect((await get('/assets/app-Def456.js')).body).toBe('second build');
      expect((await get('/assets/missing.js')).status).toBe(404);
    } finally {
      await own.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('streams the current state, then core events, as server-sent events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: shell.port, path: '/api/events', headers: authed() }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('"state":"valid"')) {
            resolve(text);
            req.destroy();
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    await send(shell, '/api/invoke/key.sync', {
      method: 'POST',
      headers: authed({ Origin: `http://${host()}`, 'Content-Type': 'application/json' }),
      body: '{}',
    });
    const text = await received;
    // The stream opens with the current state (a reconnecting page missed events), then follows.
    expect(text).toMatch(/^: connected\n\nevent: key.changed\ndata: \{"profile":"default","state":"none"\}\n\n/);
    // The catalogue's status too (a page's first reads may have left before its stream opened), without the list.
    expect(text).toMatch(/event: catalog.changed\ndata: \{"fetchedAt":"2026-01-01T00:00:00Z"\}\n\n/);
    expect(text).toMatch(/event: key.changed\ndata: \{.*"state":"valid"/);
  });
});

describe('browser shell: the Export and Import dialogs’ files', () => {
  const CAP = 16 * 1024 * 1024;
  let files: BundleFiles;
  let dataDir: string;
  let filesShell: BrowserShell;
  let filesCookie: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'md-shell-files-'));
    files = new BundleFiles({
      fs: nodeFileSystem,
      clock: systemClock,
      logger: memoryLogger(),
      dataDir,
      maxUploadBytes: CAP,
    });
    const staticDir = mkdtempSync(join(tmpdir(), 'md-static-'));
    filesShell = await startBrowserShell({ core: fakeCore(), logger: memoryLogger(), staticDir, token: TOKEN, files });
    filesCookie = `marketdesk_${filesShell.port}=${TOKEN}`;
  });
  afterEach(async () => {
    await filesShell.close();
    await files.releaseAll();
  });

  const fhost = () => `127.0.0.1:${filesShell.port}`;
  const uploadHeaders = (extra: Record<string, string> = {}) => ({
    Host: fhost(),
    Cookie: filesCookie,
    Origin: `http://${fhost()}`,
    'Content-Type': 'application/octet-stream',
    ...extra,
  });

  function sendBytes(path: string, headers: Record<string, string>, body: Buffer | null, method = 'POST') {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: filesShell.port, path, method, headers }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
          );
        });
        req.on('error', reject);
        req.end(body ?? undefined);
      },
    );
  }

  const envelope = (body: Buffer) => JSON.parse(body.toString('utf8')) as Envelope<BundleFileRef>;
  const transfers = () => filesUnder(join(dataDir, TRANSFERS_DIR));

  it('refuses the channels that name local paths: the page names bundle files by reference', async () => {
    for (const channel of ['bundles.create', 'bundles.inspect', 'bundles.import']) {
      const r = await send(filesShell, `/api/invoke/${channel}`, {
        method: 'POST',
        headers: {
          Host: fhost(),
          Cookie: filesCookie,
          Origin: `http://${fhost()}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ file: '/etc/passwd', out: '/tmp/x.mdbundle' }),
      });
      expect(JSON.parse(r.body)).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: `${channel} is for the command line only.` },
      });
    }
  });

  it('receives an uploaded bundle into a private temporary file and answers its reference', async () => {
    const bytes = await smallBundle();
    const r = await sendBytes(
      `/api/bundle-files?name=${encodeURIComponent('glpi plugins.mdbundle')}`,
      uploadHeaders(),
      bytes,
    );
    expect(r.status).toBe(200);
    const answer = envelope(r.body);
    expect(answer).toMatchObject({
      ok: true,
      value: { name: 'glpi plugins.mdbundle', kind: 'temporary', bytes: bytes.length },
    });
    const ref = answer.ok ? answer.value.ref : '';
    expect(readFileSync(join(dataDir, TRANSFERS_DIR, ref, 'glpi plugins.mdbundle')).equals(bytes)).toBe(true);
    // An upload is never served back.
    expect(
      (await sendBytes(`/api/bundle-files/${ref}`, { Host: fhost(), Cookie: filesCookie }, null, 'GET')).status,
    ).toBe(404);
    await files.release(ref);
    expect(await transfers()).toEqual([]);
  });

  it('refuses an upload without the cookie, from another origin or none, not raw bytes, or without its length', async () => {
    const bytes = await smallBundle();
    const url = '/api/bundle-files?name=b.mdbundle';
    expect((await sendBytes(url, uploadHeaders({ Cookie: 'nope=1' }), bytes)).status).toBe(401);
    expect((await sendBytes(url, uploadHeaders({ Origin: 'http://evil.example' }), bytes)).status).toBe(403);
    const noOrigin: Record<string, string> = uploadHeaders();
    delete noOrigin.Origin;
    expect((await sendBytes(url, noOrigin, bytes)).status).toBe(403);
    expect((await sendBytes(url, uploadHeaders({ 'Content-Type': 'multipart/form-data' }), bytes)).status).toBe(415);
    expect((await sendBytes(url, uploadHeaders({ 'Transfer-Encoding': 'chunked' }), bytes)).status).toBe(411);
    expect(await transfers()).toEqual([]);
  });

  it('refuses an upload over the size cap, and a file that is not a bundle, keeping nothing', async () => {
    // Bodies larger than the sockets' buffers: the answer still arrives, before or after the body.
    const big = await smallBundle(CAP + 1);
    const tooBig = await sendBytes('/api/bundle-files?name=big.mdbundle', uploadHeaders(), big);
    expect(tooBig.status).toBe(200);
    expect(envelope(tooBig.body)).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'big.mdbundle is larger than 16 MiB, the most Marketdesk accepts as a bundle.',
      },
    });
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(8_000_000, 1)]);
    const notBundle = await sendBytes('/api/bundle-files?name=plugins.zip', uploadHeaders(), zip);
    expect(envelope(notBundle.body)).toMatchObject({
      ok: false,
      error: { code: 'BUNDLE_FAILED', details: { code: 'corrupt' } },
    });
    expect(await transfers()).toEqual([]);
  });

  it('serves only the bundle an export just made, as an attachment, until released', async () => {
    const bytes = await smallBundle(5000);
    const target = (await files.chooseSave('prod-plugins.mdbundle'))!;
    const get = (ref: string, headers: Record<string, string> = { Host: fhost(), Cookie: filesCookie }) =>
      sendBytes(`/api/bundle-files/${ref}`, headers, null, 'GET');
    expect((await get(target.ref)).status).toBe(404);
    await files.run(target.ref, 'output', (out) => Promise.resolve(writeFileSync(out, bytes)));
    expect((await get(target.ref, { Host: fhost() })).status).toBe(401);
    const r = await get(target.ref);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.headers['content-disposition']).toBe(
      `attachment; filename="prod-plugins.mdbundle"; filename*=UTF-8''prod-plugins.mdbundle`,
    );
    expect(r.headers['content-length']).toBe(String(bytes.length));
    expect(r.body.equals(bytes)).toBe(true);
    for (const other of ['0'.repeat(32), '..%2F..%2Fetc%2Fpasswd', `${target.ref}/x`])
      expect((await get(other)).status).toBe(404);
    await files.release(target.ref);
    expect((await get(target.ref)).status).toBe(404);
    expect(await transfers()).toEqual([]);
  });
});
