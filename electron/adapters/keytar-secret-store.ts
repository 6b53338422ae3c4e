import keytar from 'keytar';
import { KeychainUnavailableError, type SecretStore } from '../core/ports';

/** The part of keytar this adapter uses; tests inject a fake. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

// Messages libsecret/GLib (Linux), Security.framework (macOS) and the Credential Manager (Windows)
// give when there is no usable keychain at all, as opposed to a bad argument or a bug.
const UNAVAILABLE_PATTERNS: readonly RegExp[] = [
  /autolaunch/i, // "Cannot autolaunch D-Bus without X11 $DISPLAY"
  /org\.freedesktop\.secrets/i, // "... was not provided by any .service files"
  /\bd-?bus\b/i, // org.freedesktop.DBus.Error.*, dbus-launch, "D-Bus" in general
  /could not connect/i, // session bus address points nowhere
  /machine-id/i, // "Cannot spawn a message bus without a machine-id"
  /no such (secret )?collection/i,
  /\blocked\b/i, // "Cannot create an item in a locked collection"
  /secret service/i,
  /no keychain is available/i, // macOS errSecNoDefaultKeychain
  /user interaction is not allowed/i, // macOS locked keychain without UI
  /logon session does not exist/i, // Windows service contexts
];

/** True when a keytar error message means "no usable OS keychain" rather than a failed call. */
export function isKeychainUnavailableMessage(text: string): boolean {
  return UNAVAILABLE_PATTERNS.some((p) => p.test(text));
}

/** Maps a keytar failure: keychain-unavailable errors become KeychainUnavailableError, others pass. */
export function toKeychainError(error: unknown): unknown {
  if (error instanceof KeychainUnavailableError) return error;
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return text && isKeychainUnavailableMessage(text) ? new KeychainUnavailableError(text) : error;
}

/** What to tell the user when the keychain cannot be used. */
export function keychainFix(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'The macOS Keychain is normally always there: check that your login keychain is unlocked (Keychain Access) and that Marketdesk is allowed to use it.';
    case 'win32':
      return 'The Windows Credential Manager is normally always there: check that you are signed in to an interactive Windows session and that the account is not locked.';
    default:
      return (
        'Install and start a Secret Service provider such as gnome-keyring or KWallet, and unlock it. ' +
        'On a headless server, run Marketdesk inside `dbus-run-session` with `gnome-keyring-daemon --unlock` ' +
        'started first, or use a session-only key (forgotten when Marketdesk exits).'
      );
  }
}

/** The registration key in the OS keychain (Secret Service, macOS Keychain, Credential Manager). */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  private readonly service: string;
  private readonly keytar: KeytarLike;

  constructor(options: { service: string; keytar?: KeytarLike }) {
    this.service = options.service;
    this.keytar = options.keytar ?? keytar;
  }

  get(account: string): Promise<string | null> {
    return this.call(() => this.keytar.getPassword(this.service, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.call(() => this.keytar.setPassword(this.service, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.call(() => this.keytar.deletePassword(this.service, account));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toKeychainError(error);
    }
  }
}
