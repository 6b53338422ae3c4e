import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { Channel, Req, Res } from '../../shared/ipc/contract';
import { glpiVersionPattern } from '../../shared/glpi-version';
import type { AppCore, CorePorts } from '../core/app-core';
import { dispatch } from '../core/dispatch';
import type { Logger } from '../core/ports';
import type { ParsedArgs } from './cli';

/** What the CLI uses of the core: the same handlers and events as the desktop app and the browser shell. */
export type Core = Pick<AppCore, 'handlers' | 'events'> & { logger: Logger };

/** One request through the contract, validated and wrapped as for the other shells; AppError on failure. */
export async function call<C extends Channel>(core: Core, channel: C, req: Req<C>): Promise<Res<C>> {
  const envelope = await dispatch(core.handlers, channel, req, core.logger);
  if (!envelope.ok) throw AppError.fromShape(envelope.error);
  return envelope.value as Res<C>;
}

/**
 * Runs `run`; Ctrl+C meanwhile calls `cancel` (once: a second Ctrl+C ends the process as usual),
 * and the command ends with what the stopped operation reports.
 */
export async function untilInterrupted<T>(cancel: () => Promise<unknown>, run: () => Promise<T>): Promise<T> {
  const onInterrupt = () => void cancel().catch(() => undefined);
  process.once('SIGINT', onInterrupt);
  try {
    return await run();
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** What a command line sets in the core it runs on, given to the core when the CLI creates it. */
export interface CliCoreSetup {
  ports: Required<Pick<CorePorts, 'confirm' | 'pickFile'>>;
  /** The catalogue commands' `--glpi-version`, for this run only. */
  glpiVersion?: string;
}

/**
 * The command line is the admin's own dialog: what they typed on this computer is what they
 * confirm (`config services-url URL`, `config ca --remove FILE`), and `config ca --add FILE` is
 * the file they pick. The page of the other shells can do neither (docs/development.md).
 */
export function cliCoreSetup(args: ParsedArgs): CliCoreSetup {
  const add = args.values.get('--add');
  const version = args.values.get('--glpi-version');
  const catalogue = ['catalog', 'entitlements'].includes(args.words[0] ?? '');
  return {
    ports: {
      confirm: () => Promise.resolve(true),
      pickFile: () => Promise.resolve(add === undefined ? null : resolve(add)),
    },
    ...(catalogue && version !== undefined && glpiVersionPattern.test(version) ? { glpiVersion: version } : {}),
  };
}
