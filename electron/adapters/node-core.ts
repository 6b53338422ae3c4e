import { homedir } from 'node:os';
import { systemLanguageOf } from '../../shared/locale';
import type { CorePorts } from '../core/app-core';
import { createAppCore } from '../core/create-app-core';
import type { ClientLimits } from '../core/glpi-network-client';
import { resolveDataDir } from '../core/paths';
import type { ProxyEnv } from '../core/proxy';
import { systemClock } from '../core/ports';
import { Redactor } from '../core/redact';
import { LOG_LEVELS, createFileLogger } from './file-logger';
import { JsonFileStore } from './json-file-store';
import { keychainFix, loadSecretStore } from './keychain';
import { MemorySecretStore } from './memory-secret-store';
import { nodeDoctorPorts } from './doctor/doctor-ports';
import { nodeFileSystem } from './node-file-system';
import { nodeHostInfo } from './node-host';
import { nodePacRunner } from './pac-runner';
import { nativeBunzip2 } from './native-bunzip2';
import { collectBuffers } from './buffer-collector';
import { nodeProcessRunner } from './process-runner';
import { nodeSshConnector } from './ssh/ssh-connector';
import { UndiciHttpClient } from './undici-http-client';

/** The browser shell's and the CLI's composition root: Node adapters, then the core. */
export async function createNodeCore(options: {
  profile: string;
  shell: 'browser' | 'cli';
  env: NodeJS.ProcessEnv;
  /** The CLI's answers to the core's questions (its command line). */
  ports?: Pick<CorePorts, 'confirm' | 'pickFile'>;
  /** The CLI's --glpi-version, for this run only. */
  glpiVersion?: string;
}) {
  const dataDir = resolveDataDir(options.env, process.platform, homedir());
  const redactor = new Redactor();
  const envLevel = LOG_LEVELS.find((l) => l === options.env.MARKETDESK_LOG_LEVEL);
  const logger = createFileLogger(dataDir, redactor, { level: envLevel ?? 'info' });
  const http = new UndiciHttpClient();
  const system = {
    fs: nodeFileSystem,
    host: nodeHostInfo(options.env),
    processes: nodeProcessRunner,
    bzip2: nativeBunzip2,
    collectBuffers,
  };
  const core = createAppCore(
    {
      secrets: await loadSecretStore(logger),
      dataDir,
      ...system,
      store: new JsonFileStore(dataDir),
      http,
      clock: systemClock,
      logger,
      appVersion: __MARKETDESK_VERSION__,
      shell: options.shell,
      profile: options.profile,
      servicesUrlFromEnv: options.env.GLPI_NETWORK_SERVICES,
      systemLanguage: systemLanguage(options.env),
      redact: (s) => redactor.add(s),
      proxyEnv: proxyEnv(options.env),
      pac: { fetch: fetchPac, run: nodePacRunner },
      doctor: nodeDoctorPorts(system),
      ssh: nodeSshConnector(options.env),
      ...options.ports,
    },
    {
      glpiVersion: options.glpiVersion,
      sessionSecrets: new MemorySecretStore('session'),
      keychainFix: keychainFix(process.platform),
      limits: limitsFromEnv(options.env),
    },
  );
  http.useNetwork(() => core.network.runtime());
  // The log level setting, unless MARKETDESK_LOG_LEVEL says otherwise for this run.
  if (!envLevel) {
    logger.setLevel(core.settings.get().logLevel);
    core.events.on('settings.changed', (s) => logger.setLevel(s.logLevel));
  }
  return { dataDir, redactor, logger, core };
}

/** A PAC script, fetched directly, at most 1 MiB, within 5 s. */
async function fetchPac(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > 1024 * 1024) throw new Error('the script is larger than 1 MiB');
  return text;
}

function proxyEnv(env: NodeJS.ProcessEnv): ProxyEnv {
  const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;
  return Object.fromEntries(names.filter((n) => env[n] !== undefined).map((n) => [n, env[n]]));
}

/** LC_ALL, LC_MESSAGES or LANG (fr_FR.UTF-8 → fr_FR); falls back to the runtime's locale. */
function systemLanguage(env: NodeJS.ProcessEnv): string {
  return systemLanguageOf(env.LC_ALL || env.LC_MESSAGES || env.LANG || Intl.DateTimeFormat().resolvedOptions().locale);
}

/** MARKETDESK_TIMEOUT_MS shortens every network timeout (tests and slow-network diagnosis). */
function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<ClientLimits> {
  const t = Number(env.MARKETDESK_TIMEOUT_MS);
  if (!Number.isFinite(t) || t <= 0) return {};
  return { timeoutMs: t, connectTimeoutMs: Math.min(t, 5_000), deadlineMs: t * 3, backoffMs: Math.min(500, t / 4) };
}
