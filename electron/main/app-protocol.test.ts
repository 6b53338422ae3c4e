import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_SCHEME_PRIVILEGES, contentTypeFor, createAppProtocolHandler, resolveAppPath } from './app-protocol';
import { CSP } from './security';

const ROOT = resolve('/srv/marketdesk/dist/renderer');

describe('resolveAppPath', () => {
  it.each([
    ['app://marketdesk/', 'index.html'],
    ['app://marketdesk', 'index.html'],
    ['app://marketdesk/index.html', 'index.html'],
    ['app://marketdesk/index.html?v=1#/key', 'index.html'],
    ['app://marketdesk/assets/index-abc123.js', 'assets/index-abc123.js'],
    ['app://marketdesk/assets/logo%20big.svg', 'assets/logo big.svg'],
  ])('%s -> %s', (url, rel) => {
    expect(resolveAppPath(ROOT, url)).toBe(join(ROOT, rel));
  });

  it.each([
    'app://marketdesk/../../etc/passwd',
    'app://marketdesk/assets/../../../etc/passwd',
    'app://marketdesk/..',
    'app://marketdesk/assets/../index.html',
    'app://marketdesk/./index.html',
    'app://marketdesk/%2e%2e/%2e%2e/etc/passwd',
    'app://marketdesk/%2E%2E/secret',
    'app://marketdesk/.%2e/secret',
    'app://marketdesk/assets%2f..%2f..%2fetc%2fpasswd',
    'app://marketdesk/..%2fsecret',
    'app://marketdesk/..%5c..%5cwindows%5cwin.ini',
    'app://marketdesk/assets\\..\\..\\secret',
    'app://marketdesk/%5cetc%5cpasswd',
    'app://marketdesk//etc/passwd',
    'app://marketdesk/C:/Windows/win.ini',
    'app://marketdesk/C%3a%5cWindows%5cwin.ini',
    'app://marketdesk/index.html%00.png',
    'app://marketdesk/%00',
    'app://marketdesk/assets/',
    'app://marketdesk/%zz',
    'app://marketdesk/CON',
    'app://marketdesk/nul.txt',
    'app://evil/index.html',
    'app://marketdesk.evil/index.html',
    'app://marketdesk@evil/index.html',
    'app://marketdesk:8080/index.html',
    'app:///etc/passwd',
    'file:///etc/passwd',
    'https://marketdesk/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(ROOT, url)).toBeNull();
  });

  it('never returns a path outside the root, whatever the input', () => {
    const tricky = [
      '..',
      '%2e%2e',
      '.%2E',
      '%252e%252e',
      'a/../..',
      'a/%2e%2e/%2e%2e',
      '%c0%ae%c0%ae',
      '...',
      '....//',
    ];
    for (const t of tricky) {
      const out = resolveAppPath(ROOT, `app://marketdesk/${t}/etc/passwd`);
      if (out !== null) expect(out.startsWith(ROOT + '/') || out.startsWith(ROOT + '\\')).toBe(true);
    }
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.PNG', 'image/png'],
    ['a.woff2', 'font/woff2'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.unknown', 'application/octet-stream'],
    ['noext', 'application/octet-stream'],
  ])('%s -> %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });
});

describe('createAppProtocolHandler', () => {
  let root: string;
  let handler: (request: Request) => Promise<Response>;
  const onError = vi.fn();

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'md-app-protocol-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Marketdesk</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(root, '..', 'md-outside-secret.txt'), 'secret');
    handler = createAppProtocolHandler(root, (p) => readFile(p), onError);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(join(root, '..', 'md-outside-secret.txt'), { force: true });
  });

  // Request normalises the URL (dot segments), so the raw-URL cases use a Request-shaped object,
  // which is what Electron hands over for a URL Chromium did not normalise.
  const get = (url: string, method = 'GET') => handler({ url, method } as Request);

  it('serves index.html for / with the HTML type and the CSP header', async () => {
    const res = await get('app://marketdesk/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Marketdesk</title>');
  });

  it('serves scripts and styles with types a module script accepts', async () => {
    const js = await get('app://marketdesk/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    const css = await handler(new Request('app://marketdesk/assets/app.css'));
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 with the CSP for a missing file or a folder', async () => {
    for (const url of ['app://marketdesk/nope.js', 'app://marketdesk/assets']) {
      const res = await get(url);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
    }
  });

  it.each([
    'app://marketdesk/../md-outside-secret.txt',
    'app://marketdesk/%2e%2e/md-outside-secret.txt',
    'app://marketdesk/..%2fmd-outside-secret.txt',
    'app://marketdesk/..%5cmd-outside-secret.txt',
    'app://marketdesk/..\\md-outside-secret.txt',
    'app://marketdesk/index.html%00',
    'app://evil/index.html',
  ])('answers 400 with the CSP for %s and reads nothing', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(await res.text()).not.toContain('secret');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://marketdesk/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get('app://marketdesk/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(CSP);
  });

  it('answers 500 and reports when the file cannot be read for another reason', async () => {
    const failing = createAppProtocolHandler(
      root,
      () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })),
      onError,
    );
    const res = await failing(new Request('app://marketdesk/index.html'));
    expect(res.status).toBe(500);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(onError).toHaveBeenCalled();
  });
});

describe('APP_SCHEME_PRIVILEGES', () => {
  it('registers app:// as standard, secure and fetchable, without opening it to other origins', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('corsEnabled');
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });
});
