import type { Session, WebContents } from 'electron';

/** The only origin the window may show, and the only one IPC is accepted from. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'marketdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Sent on every app:// response. Plugin logos come from the marketplace over HTTPS, hence
 * `img-src https:`; everything else is the app's own files. No 'unsafe-inline', no 'unsafe-eval'.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url === '') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether the window may go to `url`: the app origin only, compared on the parsed URL (scheme,
 * host, no port, no credentials), never with startsWith.
 */
export function isAllowedNavigation(url: unknown): boolean {
  const u = parse(url);
  if (!u) return false;
  // Custom schemes have an opaque origin in WHATWG URL (origin === 'null'), so compare the parts.
  return (
    u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.port === '' && u.username === '' && u.password === ''
  );
}

/**
 * Whether an IPC message comes from our page. `senderFrame` is null when the frame navigated or
 * was destroyed before the message was handled: that is rejected too.
 */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  return isAllowedNavigation(frameUrl);
}

// Whitespace and control characters are trimmed or dropped by the URL parser; a URL that needs
// that to parse is not one we hand to the OS.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0020\u007f-\u009f\\]/;

/**
 * The URL to hand to `shell.openExternal`, or null. Only `https:` with a host and no credentials:
 * `file:`, `javascript:`, `smb:`, UNC paths, `http:` and custom schemes (which start arbitrary
 * local handlers) are refused. `allowedHosts`, when given, narrows it further.
 */
export function safeExternalUrl(url: unknown, allowedHosts?: readonly string[]): string | null {
  if (typeof url !== 'string' || url.length > 2048 || UNSAFE_CHARS.test(url)) return null;
  // The parser repairs `https:host` and `https:///host`; only a URL written plainly is trusted.
  if (!/^https:\/\/[^/]/i.test(url)) return null;
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.hostname === '' || u.username !== '' || u.password !== '') return null;
  if (allowedHosts && !allowedHosts.includes(u.hostname.toLowerCase())) return null;
  return u.href;
}

export type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> &
  Partial<Pick<Session, 'setDevicePermissionHandler'>>;

/** Denies every permission (notifications, media, geolocation, clipboard read, HID, USB, ...). */
export function hardenSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}

/** The events hardenWebContents listens to, typed loosely so a plain EventEmitter can stand in. */
export interface WebContentsLike {
  on(
    event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect',
    listener: (event: NavigationEventLike, url?: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler: WebContents['setWindowOpenHandler'];
}

export interface NavigationEventLike {
  preventDefault(): void;
  url?: string;
}

export interface HardenOptions {
  /** Told about every refused navigation or window, for the log. */
  onBlocked?: (what: 'navigation' | 'window' | 'webview', url: string) => void;
}

/**
 * Keeps a webContents on the app origin: navigation and redirects elsewhere are cancelled,
 * `window.open`/`target=_blank` never opens an Electron window (https links go to the user's
 * browser after `safeExternalUrl`), and `<webview>` is never attached.
 */
export function hardenWebContents(
  wc: WebContentsLike,
  openExternal: (url: string) => Promise<void> | void,
  options: HardenOptions = {},
): void {
  const guard = (event: NavigationEventLike, legacyUrl?: string) => {
    // Electron 25+ puts the target on the event; the second argument is the deprecated form.
    const url = event.url ?? legacyUrl ?? '';
    if (!isAllowedNavigation(url)) {
      event.preventDefault();
      options.onBlocked?.('navigation', url);
    }
  };
  wc.on('will-navigate', guard);
  wc.on('will-frame-navigate', guard);
  wc.on('will-redirect', guard);

  wc.setWindowOpenHandler(({ url }) => {
    const safe = safeExternalUrl(url);
    if (safe) {
      // A rejected openExternal (no browser configured) must not become an unhandled rejection.
      void Promise.resolve()
        .then(() => openExternal(safe))
        .catch(() => options.onBlocked?.('window', safe));
    } else {
      options.onBlocked?.('window', url);
    }
    return { action: 'deny' };
  });

  wc.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.onBlocked?.('webview', '');
  });
}
