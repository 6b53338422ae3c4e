/** Test support: runs CLI commands in-process against one "installation". Not used by the CLI. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startStandin, type Standin } from '../../e2e/standin/standin';
import { localeFromEnv, messageLanguageOf, messagesFor } from '../../shared/messages';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { nodeDoctorPorts } from '../adapters/doctor/doctor-ports';
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeHostInfo } from '../adapters/node-host';
import { nativeBunzip2 } from '../adapters/native-bunzip2';
import { nodeProcessRunner } from '../adapters/process-runner';
import { nodeSshConnector } from '../adapters/ssh/ssh-connector';
import type { TestSshd } from '../adapters/ssh/testing-sshd.testkit';
import { UndiciHttpClient } from '../adapters/undici-http-client';
import { createAppCore } from '../core/create-app-core';
import { systemClock, type SecretStore, type SshConnector } from '../core/ports';
import { sshRoot } from '../core/ssh-instance.testkit';
import { MemoryStore, memoryLogger } from '../core/testing.testkit';
import { parseArgs, runCli } from './cli';
import { cliCoreSetup } from './cli-core';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** Whether the command asked for the key. */
  prompted: boolean;
  json<T = Record<string, unknown>>(): T;
}

/**
 * One installation (settings store, keychain, data folder) shared by every command run through
 * the returned function, as successive `marketdesk` invocations would share them.
 */
export function cliInstallation(
  servicesUrl: () => string,
  keychain: SecretStore = new MemorySecretStore('keychain'),
  /** The environment the CLI reads its language from (LC_ALL, LC_MESSAGES, LANG). */
  env: Record<string, string | undefined> = {},
  /** Reaches SSH instances (nodeSshConnector in the real CLI); absent: they cannot be used. */
  ssh?: SshConnector,
) {
  const store = new MemoryStore();
  const dataDir = mkdtempSync(join(tmpdir(), 'md-cli-'));
  const run = async (argv: string[], stdin = ''): Promise<CliRun> => {
    const args = parseArgs(argv);
    const setup = cliCoreSetup(args);
    const logger = memoryLogger();
    const http = new UndiciHttpClient();
    // known_hosts are read under `home`: this installation's own, not the machine's.
    const host = { ...nodeHostInfo(), home: dataDir };
    const system = { fs: nodeFileSystem, host, processes: nodeProcessRunner, bzip2: nativeBunzip2 };
    const core = createAppCore(
      {
        secrets: keychain,
        store,
        http,
        clock: systemClock,
        logger,
        dataDir,
        ...system,
        appVersion: '0.1.0',
        shell: 'cli',
        profile: args.profile,
        servicesUrlFromEnv: servicesUrl(),
        systemLanguage: 'en_US',
        redact: () => undefined,
        doctor: nodeDoctorPorts(system),
        ssh: ssh ?? nodeSshConnector({}),
        ...setup.ports,
      },
      {
        glpiVersion: setup.glpiVersion,
        sessionSecrets: new MemorySecretStore(),
        keychainFix: 'Start gnome-keyring.',
        limits: { timeoutMs: 1_000, deadlineMs: 2_000, backoffMs: 5 },
      },
    );
    http.useNetwork(() => core.network.runtime());
    let out = '';
    let err = '';
    let prompted = false;
    const code = await runCli(
      args,
      { handlers: core.handlers, events: core.events, logger },
      {
        out: (t) => (out += t + '\n'),
        err: (t) => (err += t + '\n'),
        readSecret: () => {
          prompted = true;
          return Promise.resolve(stdin);
        },
        now: () => new Date(),
        messages: messagesFor(messageLanguageOf(localeFromEnv(env))),
      },
    );
    return { code, out, err, prompted, json: <T>() => JSON.parse(out) as T };
  };
  /** The installation's data folder (downloads, history, pins). */
  return Object.assign(run, { dataDir });
}

/** `instance add` of the GLPI tree at `root` on a test sshd, as `name`: its client key, its host key accepted. */
export function sshAddArgs(sshd: TestSshd, root: string, name: string): string[] {
  return [
    'instance',
    'add',
    sshRoot(sshd, root),
    '--key-file',
    sshd.clientKey.path,
    '--name',
    name,
    '--accept-host-key',
    sshd.hostKey.fingerprint,
  ];
}

/** Starts a GLPI Network stand-in before each test of the calling file and closes it after; returns this test's. */
export function standinPerTest(): () => Standin {
  let standin: Standin | undefined;
  beforeEach(async () => {
    standin = await startStandin({ quiet: true });
  });
  afterEach(async () => {
    await standin?.close();
  });
  return () => {
    if (!standin) throw new Error('the stand-in runs only inside a test');
    return standin;
  };
}

/**
 * What Ctrl+C in the terminal calls while a command runs: the one SIGINT listener it added since
 * `before` (`process.listeners('SIGINT')` taken before it started), called without sending this
 * process a real signal. Throws when the command added none (or several).
 */
export function pressCtrlC(before: readonly unknown[]): void {
  const added = process.listeners('SIGINT').filter((l) => !before.includes(l));
  if (added.length !== 1) throw new Error(`the command listens to Ctrl+C ${added.length} times, not once`);
  (added[0] as () => void)();
}
