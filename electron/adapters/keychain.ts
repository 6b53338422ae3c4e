import { KeychainUnavailableError, type Logger, type SecretStore } from '../core/ports';

/**
 * What every shell needs to know about the OS keychain without loading keytar itself: keytar is
 * a native module, and when it cannot load (libsecret missing, built for another ABI) Marketdesk
 * must still start and say the keychain is unavailable, with the fix.
 */
export const KEYCHAIN_SERVICE = 'Marketdesk';

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

/** A keychain that cannot be used: every call says so, so the core reports KEYCHAIN_UNAVAILABLE. */
export class UnavailableSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;

  constructor(private readonly reason: string) {}

  get(): Promise<string | null> {
    return Promise.reject(new KeychainUnavailableError(this.reason));
  }

  set(): Promise<void> {
    return Promise.reject(new KeychainUnavailableError(this.reason));
  }

  delete(): Promise<boolean> {
    return Promise.reject(new KeychainUnavailableError(this.reason));
  }
}

/**
 * Loads the keytar-backed store. keytar is a native module: when it cannot load (libsecret
 * missing, built for another ABI) the app must still open and say the keychain is unavailable,
 * not crash before showing a window.
 */
export async function loadSecretStore(
  logger: Logger,
  load: () => Promise<SecretStore> = async () =>
    new (await import('./keytar-secret-store')).KeytarSecretStore({ service: KEYCHAIN_SERVICE }),
): Promise<SecretStore> {
  try {
    return await load();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    logger.error('The OS keychain module could not be loaded', { error: reason });
    return new UnavailableSecretStore(`the keychain module could not be loaded (${reason.split('\n')[0]})`);
  }
}
