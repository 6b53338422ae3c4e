import { describe, expect, it, vi } from 'vitest';
import { MemorySecretStore } from './memory-secret-store';
import { KeychainUnavailableError } from '../core/ports';
import { loadSecretStore, UnavailableSecretStore } from './keychain';

const logger = () => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe('loadSecretStore', () => {
  it('returns the loaded keychain store', async () => {
    const store = new MemorySecretStore('keychain');
    expect(await loadSecretStore(logger(), () => Promise.resolve(store))).toBe(store);
  });

  it('falls back to a store that reports the keychain as unavailable when keytar cannot load', async () => {
    const log = logger();
    const store = await loadSecretStore(log, () =>
      Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file\n  at dlopen')),
    );
    expect(store).toBeInstanceOf(UnavailableSecretStore);
    expect(store.kind).toBe('keychain');
    const err = await store.get('default').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeychainUnavailableError);
    expect((err as KeychainUnavailableError).reason).toContain('libsecret-1.so.0');
    expect((err as KeychainUnavailableError).reason).not.toContain('dlopen');
    await expect(store.set('default', 'k')).rejects.toBeInstanceOf(KeychainUnavailableError);
    await expect(store.delete('default')).rejects.toBeInstanceOf(KeychainUnavailableError);
    expect(log.error).toHaveBeenCalled();
  });

  it('loads the real keytar adapter by default', async () => {
    const store = await loadSecretStore(logger());
    expect(store.constructor.name).toBe('KeytarSecretStore');
  });
});
