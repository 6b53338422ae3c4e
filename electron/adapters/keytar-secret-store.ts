import keytar from 'keytar';
import type { SecretStore } from '../core/ports';
import { toKeychainError } from './keychain';

/** The part of keytar this adapter uses; tests inject a fake. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
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
