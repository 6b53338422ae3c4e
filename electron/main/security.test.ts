import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  APP_ORIGIN,
  CSP,
  hardenSession,
  hardenWebContents,
  isAllowedNavigation,
  isTrustedSender,
  safeExternalUrl,
  type SessionLike,
  type WebContentsLike,
} from './security';

describe('isAllowedNavigation', () => {
  it.each([
    'app://marketdesk/index.html',
    'app://marketdesk/',
    'app://marketdesk/index.html#/catalog',
    'app://marketdesk/index.html?x=1',
  ])('allows %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(true);
  });

  it.each([
    'https://example.com.attacker.com/',
    'https://marketdesk/',
    'app://marketdesk.evil/index.html',
    'app://marketdesk.evil',
    'app://evil.marketdesk/index.html',
    'app://marketdesk@evil.test/index.html',
    'app://evil.test@marketdesk/index.html',
    'app://marketdesk:8080/index.html',
    'app://MARKETDESK.evil/',
    'app:///index.html',
    'app:marketdesk/index.html',
    'file:///etc/passwd',
    'file://marketdesk/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://127.0.0.1:5173/',
    'devtools://devtools/bundled/inspector.html',
    'chrome://settings',
    'about:blank',
    'blob:app://marketdesk/1234',
    'apps://marketdesk/index.html',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });

  it('refuses values that are not strings', () => {
    expect(isAllowedNavigation(undefined)).toBe(false);
    expect(isAllowedNavigation(null)).toBe(false);
    expect(isAllowedNavigation({ toString: () => 'app://marketdesk/' })).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it.each([
    [null, false],
    [undefined, false],
    ['', false],
    ['https://evil.test/', false],
    ['file:///home/admin/index.html', false],
    ['app://marketdesk.evil/index.html', false],
    ['about:blank', false],
    [`${APP_ORIGIN}/index.html`, true],
    [`${APP_ORIGIN}/`, true],
  ] as const)('%s -> %s', (url, trusted) => {
    expect(isTrustedSender(url)).toBe(trusted);
  });
});

describe('safeExternalUrl', () => {
  it.each([
    ['https://plugins.glpi-project.org/#/plugin/fields', 'https://plugins.glpi-project.org/#/plugin/fields'],
    ['https://github.com/pluginsGLPI/fields', 'https://github.com/pluginsGLPI/fields'],
    ['HTTPS://Example.COM/a', 'https://example.com/a'],
  ])('passes %s', (url, expected) => {
    expect(safeExternalUrl(url)).toBe(expected);
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'file://server/share/evil.exe',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<b>x</b>',
    'smb://attacker/share',
    '\\\\attacker\\share\\evil.exe',
    '//attacker/share',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=x',
    'vscode://file/etc/passwd',
    'app://marketdesk/index.html',
    'ftp://example.com/',
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'https://example.com\\@evil.test/',
    'https://exa\u0000mple.com/',
    'https://example.com/\nSet-Cookie: x',
    ' https://example.com/',
    'https:///nohost',
    'https:',
    'https:example.com/',
    '',
  ])('refuses %j', (url) => {
    expect(safeExternalUrl(url)).toBeNull();
  });

  it('refuses an absurdly long URL', () => {
    expect(safeExternalUrl('https://example.com/' + 'a'.repeat(3000))).toBeNull();
  });

  it('refuses non-strings', () => {
    expect(safeExternalUrl(undefined)).toBeNull();
    expect(safeExternalUrl(42)).toBeNull();
  });

  it('narrows to an allowlist when one is given', () => {
    expect(safeExternalUrl('https://github.com/x', ['github.com'])).toBe('https://github.com/x');
    expect(safeExternalUrl('https://github.com.evil.test/x', ['github.com'])).toBeNull();
  });
});

describe('CSP', () => {
  const directives = new Map(
    CSP.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('allows scripts and styles from the app only, no eval or inline', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(CSP).not.toMatch(/unsafe-(eval|inline)/);
  });

  it('shuts objects, base, framing and forms', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'https:']);
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    let request: Parameters<SessionLike['setPermissionRequestHandler']>[0] = null;
    let check: Parameters<SessionLike['setPermissionCheckHandler']>[0] = null;
    let device: ((details: never) => boolean) | null = null;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
      setDevicePermissionHandler: (h: typeof device) => (device = h),
    } as unknown as SessionLike;
    hardenSession(session);

    expect(request).toBeTypeOf('function');
    for (const permission of [
      'notifications',
      'media',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
    ] as const) {
      const callback = vi.fn();
      request!({} as never, permission, callback, {} as never);
      expect(callback).toHaveBeenCalledWith(false);
      expect(check!(null, permission, APP_ORIGIN, {} as never)).toBe(false);
    }
    expect(device!({} as never)).toBe(false);
  });
});

/** A webContents stand-in: an EventEmitter with setWindowOpenHandler. */
function fakeWebContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const wc = Object.assign(emitter, {
    setWindowOpenHandler: (h: typeof openHandler) => {
      openHandler = h;
    },
  });
  const navigate = (event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string) => {
    const e = { url, preventDefault: vi.fn() };
    emitter.emit(event, e, url);
    return e.preventDefault.mock.calls.length > 0;
  };
  return { wc: wc as unknown as WebContentsLike, emitter, navigate, open: (url: string) => openHandler!({ url }) };
}

describe('hardenWebContents', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'] as const)(
    '%s: cancels other origins, lets app:// through',
    (event) => {
      const { wc, navigate } = fakeWebContents();
      const onBlocked = vi.fn();
      hardenWebContents(wc, vi.fn(), { onBlocked });
      expect(navigate(event, 'https://example.org/')).toBe(true);
      expect(navigate(event, 'app://marketdesk.evil/')).toBe(true);
      expect(navigate(event, 'file:///etc/passwd')).toBe(true);
      expect(navigate(event, 'app://marketdesk/index.html')).toBe(false);
      expect(onBlocked).toHaveBeenCalledWith('navigation', 'https://example.org/');
    },
  );

  it('uses the legacy url argument when the event has none', () => {
    const { wc, emitter } = fakeWebContents();
    hardenWebContents(wc, vi.fn());
    const e = { preventDefault: vi.fn() };
    emitter.emit('will-navigate', e, 'https://evil.test/');
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it('denies every new window and opens only https links in the browser', async () => {
    const { wc, open } = fakeWebContents();
    const openExternal = vi.fn().mockResolvedValue(undefined);
    hardenWebContents(wc, openExternal);
    expect(open('https://plugins.glpi-project.org/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(open('app://marketdesk/index.html')).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 0));
    expect(openExternal.mock.calls).toEqual([['https://plugins.glpi-project.org/']]);
  });

  it('survives an openExternal that rejects', async () => {
    const { wc, open } = fakeWebContents();
    const onBlocked = vi.fn();
    hardenWebContents(wc, () => Promise.reject(new Error('no browser')), { onBlocked });
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 0));
    expect(onBlocked).toHaveBeenCalledWith('window', 'https://example.com/');
  });

  it('never attaches a <webview>', () => {
    const { wc, emitter } = fakeWebContents();
    hardenWebContents(wc, vi.fn());
    const e = { preventDefault: vi.fn() };
    emitter.emit('will-attach-webview', e, {}, {});
    expect(e.preventDefault).toHaveBeenCalled();
  });
});
