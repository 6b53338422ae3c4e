import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { MemorySecretStore } from '../../../electron/adapters/memory-secret-store';
import type { CorePorts } from '../../../electron/core/app-core';
import { createAppCore } from '../../../electron/core/create-app-core';
import { TransportError, type HttpClient, type HttpRequest, type HttpResponse } from '../../../electron/core/ports';
import {
  bodyResponse,
  FakeClock,
  MemoryStore,
  memoryLogger,
  SwitchableKeychain,
} from '../../../electron/core/testing.testkit';
import { createDoctorPorts } from './fake-doctor';
import { nodeFileSystem } from '../../../electron/adapters/node-file-system';
import { nodeHostInfo } from '../../../electron/adapters/node-host';

/** The data folders of this test file's cores, removed after its last test (300 a run piled up in /tmp). */
const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The moment every test starts at (the core's clock and the renderer's "now"). */
export const NOW = new Date('2025-06-15T12:00:00Z');
export const SERVICES_URL = 'https://services.glpi-network.test';

/** What GLPI Network knows about a key (unknown keys are answered `is_valid: false`). */
export interface Registration {
  owner: string;
  title: string;
  offer: string;
  running: boolean;
  begins: string | null;
  ends: string | null;
  message?: string;
}

export const STANDARD: Registration = {
  owner: 'ACME Industries',
  title: 'GLPI Network Standard',
  offer: 'standard',
  running: true,
  begins: '2025-01-01',
  ends: '2025-12-31',
};

/** GLPI Network's registration endpoint at the HttpClient port: answers per key, failures, holds. */
export class FakeGlpiNetwork implements HttpClient {
  readonly registrations = new Map<string, Registration>();
  /** Every request fails this way while set. */
  failure: TransportError | { status: number; body: string } | null = null;
  readonly calls: HttpRequest[] = [];
  private held: Promise<void> | null = null;

  /** The next request waits until the returned function is called (to observe `checking`). */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return release;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    this.calls.push(req);
    if (this.held) {
      const wait = this.held;
      this.held = null;
      await wait;
    }
    if (this.failure instanceof TransportError) throw this.failure;
    if (this.failure) return bodyResponse(this.failure.status, this.failure.body, { 'content-type': 'text/html' });
    const reg = this.registrations.get(req.headers['X-Registration-Key'] ?? '');
    const body = reg
      ? {
          is_valid: true,
          validation_message: reg.message ?? null,
          owner: { name: reg.owner },
          subscription: {
            title: reg.title,
            offer_reference: reg.offer,
            is_running: reg.running,
            begin_date: reg.begins,
            end_date: reg.ends,
          },
        }
      : { is_valid: false, validation_message: 'The registration key is invalid.', owner: null, subscription: null };
    return bodyResponse(200, JSON.stringify(body));
  }
}

export const KEYCHAIN_FIX =
  'Unlock or start your keyring (gnome-keyring, KWallet), or keep the key for this session only.';

export interface CoreHarnessOptions {
  registrations?: Record<string, Registration>;
  keychainAvailable?: boolean;
  /** A key stored before the app starts (forced, so it may be invalid or unverified). */
  stored?: { key: string; storage?: 'keychain' | 'session' };
  /** GLPI Network fails this way while the stored key is saved. */
  storedWith?: TransportError;
  /** GLPI_NETWORK_SERVICES; null: not set (the services URL then comes from the settings). */
  servicesUrlFromEnv?: string | null;
  /** The shell's own dialogs (the desktop app's main process); absent, as in the browser shell. */
  dialogs?: Pick<CorePorts, 'confirm' | 'pickFile'>;
}

export type CoreHarness = Awaited<ReturnType<typeof createCoreHarness>>;

/** The real core (`createAppCore`) over fake ports, as the shells build it. */
export async function createCoreHarness(options: CoreHarnessOptions = {}) {
  const network = new FakeGlpiNetwork();
  for (const [key, reg] of Object.entries(options.registrations ?? {})) network.registrations.set(key, reg);
  const keychain = new SwitchableKeychain();
  const session = new MemorySecretStore('session');
  const clock = new FakeClock(NOW.getTime());
  const logger = memoryLogger();
  // The doctor's sockets answer as each test scripts them (`probe.fail('tcp', 'ECONNREFUSED')`).
  const { ports: doctorPorts, probe } = createDoctorPorts(() => clock.now());
  const dataDir = mkdtempSync(join(tmpdir(), 'md-renderer-'));
  dataDirs.push(dataDir);
  const core = createAppCore(
    {
      secrets: keychain,
      store: new MemoryStore(),
      http: network,
      clock,
      logger,
      appVersion: '0.1.0-test',
      shell: 'browser',
      profile: 'default',
      systemLanguage: 'en_US',
      ...(options.servicesUrlFromEnv === null
        ? {}
        : { servicesUrlFromEnv: options.servicesUrlFromEnv ?? SERVICES_URL }),
      ...options.dialogs,
      dataDir,
      fs: nodeFileSystem,
      host: nodeHostInfo(),
      redact: () => undefined,
      doctor: doctorPorts,
    },
    { sessionSecrets: session, keychainFix: KEYCHAIN_FIX, limits: { attempts: 1 }, random: () => 0 },
  );
  if (options.stored) {
    network.failure = options.storedWith ?? null;
    await core.keys.set(options.stored.key, { force: true, storage: options.stored.storage });
    network.failure = null;
  }
  keychain.available = options.keychainAvailable ?? true;
  await core.start();

  /** The key the core holds, wherever it keeps it (never sent to the renderer). */
  async function storedKey(): Promise<string | null> {
    const account = `${core.settings.installId()}/default`;
    const wasAvailable = keychain.available;
    keychain.available = true;
    try {
      return (await keychain.get(account)) ?? (await session.get(account));
    } finally {
      keychain.available = wasAvailable;
    }
  }

  return { core, network, keychain, session, clock, logger, storedKey, probe };
}
