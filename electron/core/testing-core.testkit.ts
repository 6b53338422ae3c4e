/**
 * Test support: the whole core over the local adapters (files, host, HTTP) with in-memory secrets
 * and settings. Not imported by production code.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeHostInfo } from '../adapters/node-host';
import { UndiciHttpClient } from '../adapters/undici-http-client';
import type { CorePorts } from './app-core';
import { createAppCore, type CoreOptions } from './create-app-core';
import { systemClock } from './ports';
import { MemoryStore, memoryLogger } from './testing.testkit';

/**
 * A browser-shell core of the default profile, in a fresh data folder, whose GLPI Network is a
 * closed local port unless `ports` says otherwise; `ports` and `options` replace any default.
 */
export function nodeTestCore(ports: Partial<CorePorts> = {}, options: Partial<CoreOptions> = {}) {
  return createAppCore(
    {
      secrets: new MemorySecretStore('keychain'),
      store: new MemoryStore(),
      http: new UndiciHttpClient(),
      clock: systemClock,
      logger: memoryLogger(),
      dataDir: mkdtempSync(join(tmpdir(), 'md-core-')),
      fs: nodeFileSystem,
      host: nodeHostInfo(),
      appVersion: '0.1.0',
      shell: 'browser',
      profile: 'default',
      servicesUrlFromEnv: 'http://127.0.0.1:9',
      systemLanguage: 'en_US',
      redact: () => undefined,
      ...ports,
    },
    { sessionSecrets: new MemorySecretStore(), keychainFix: 'fix', ...options },
  );
}
