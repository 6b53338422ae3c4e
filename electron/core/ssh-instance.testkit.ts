/**
 * Test support: the whole core (handlers included) reaching GLPI trees on a real sshd through the
 * production connector, with a home folder of its own (so ~/.ssh/known_hosts is the test's).
 * Not imported by production code.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope } from '../../shared/errors';
import type { SshAddOptions } from '../../shared/instances';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { nodeHostInfo } from '../adapters/node-host';
import { nodeProcessRunner } from '../adapters/process-runner';
import { nodeSshConnector } from '../adapters/ssh/ssh-connector';
import { startSshd, type TestSshd } from '../adapters/ssh/testing-sshd.testkit';
import { startStandin, type Standin } from '../../e2e/standin/standin';
import { afterAll, beforeAll } from 'vitest';
import type { CoreOptions } from './create-app-core';
import { dispatch } from './dispatch';
import { MemoryStore, memoryLogger } from './testing.testkit';
import { nodeTestCore } from './testing-core.testkit';

export interface SshCoreOptions extends Partial<Pick<CoreOptions, 'sshTimeoutMs' | 'fleetTimeoutMs'>> {
  /** The connector's environment (SSH_AUTH_SOCK); empty by default, so no agent of the machine is used. */
  env?: NodeJS.ProcessEnv;
  /** Reuse a home (and its ~/.ssh) or a data folder, e.g. a crashed child's. */
  home?: string;
  dataDir?: string;
}

export type SshCore = ReturnType<typeof sshCore>;

/** A browser-shell core talking to the stand-in at `servicesUrl`, with the real SSH connector. */
export function sshCore(servicesUrl: string, o: SshCoreOptions = {}) {
  const home = o.home ?? mkdtempSync(join(tmpdir(), 'md-ssh-home-'));
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const store = new MemoryStore();
  const keychain = new MemorySecretStore('keychain');
  const session = new MemorySecretStore();
  const logger = memoryLogger();
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'md-ssh-data-'));
  const c = nodeTestCore(
    {
      secrets: keychain,
      store,
      logger,
      dataDir,
      host: { ...nodeHostInfo(), home },
      servicesUrlFromEnv: servicesUrl,
      processes: nodeProcessRunner,
      ssh: nodeSshConnector(o.env ?? {}),
    },
    {
      sessionSecrets: session,
      ...(o.sshTimeoutMs ? { sshTimeoutMs: o.sshTimeoutMs } : {}),
      ...(o.fleetTimeoutMs ? { fleetTimeoutMs: o.fleetTimeoutMs } : {}),
    },
  );
  const call = async <T>(channel: string, payload: unknown = {}) =>
    (await dispatch(c.handlers, channel, payload, logger)) as Envelope<T>;
  return { c, call, store, keychain, session, logger, home, dataDir };
}

/** The value of a successful envelope; a failure throws with its message (the test then says why). */
export function ok<T>(e: Envelope<T>): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value;
}

export function sshRoot(sshd: TestSshd, path: string): string {
  return `ssh://${sshd.user}@${sshd.host}:${sshd.port}${path}`;
}

/** Key authentication with the server's test key, the host key confirmed unless told otherwise. */
export function keyAuth(sshd: TestSshd, extra: Partial<SshAddOptions> = {}): SshAddOptions {
  return { ...keyAuthFor(sshd.clientKey.path, sshd.hostKey.fingerprint), ...extra };
}

export function keyAuthFor(keyFile: string, fingerprint: string): SshAddOptions {
  return { auth: 'key', keyFile, acceptHostKey: fingerprint };
}

/** A real sshd and a GLPI Network stand-in for the calling describe block, handed to `set` once started. */
export function serversPerBlock(set: (servers: { sshd: TestSshd; standin: Standin }) => void): void {
  let servers: { sshd: TestSshd; standin: Standin } | undefined;
  beforeAll(async () => {
    const [sshd, standin] = await Promise.all([startSshd(), startStandin({ quiet: true })]);
    servers = { sshd, standin };
    set(servers);
  });
  afterAll(async () => {
    await Promise.all([servers?.sshd.close(), servers?.standin.close()]);
  });
}
