import { AppError } from '../../shared/errors';
import type { ConsoleRun } from '../../shared/instances';
import { DownloadError } from '../core/download';
import { isInstallError } from '../core/install/errors';
import type { CliIo, Core, ParsedArgs } from './cli';
import { EXIT } from './cli';
import { columns } from './format';

const USAGE = `Usage:
  marketdesk install <key>[@version] [--console]
  marketdesk update <key> [--console] | --all
  marketdesk restore <key> [--to <version>]
  marketdesk remove <key>
  marketdesk history [--json]`;

/** `install`, `update`, `restore`, `remove`, `history`: non-zero with a one-line reason on failure. */
export async function runPlugins(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const [command, ...rest] = args.words;
  const json = args.flags.has('--json');
  const progress = (step: string, fraction: number) => {
    if (!json && fraction === 0) io.err(`  ${step}…`);
  };
  try {
    switch (command) {
      case 'install': {
        if (rest.length !== 1) return usage(io);
        const [key = '', version] = (rest[0] ?? '').split('@');
        const r = await cancellable(core, key, () => core.plugins.install(key, version || undefined, progress));
        const ran = args.flags.has('--console') ? await glpiConsole(core, r.key, io, json) : null;
        io.out(
          json
            ? JSON.stringify(ran ? { ...r, console: ran.runs } : r)
            : `${r.key} ${r.from ? `${r.from} → ` : ''}${r.to} installed (sha256 ${r.sha256}).${ran ? '' : next(r.from)}`,
        );
        return ran && !ran.ok ? EXIT.other : EXIT.ok;
      }
      case 'update': {
        if (args.flags.has('--all')) {
          if (rest.length > 0) return usage(io);
          const { plugins } = await core.plugins.list();
          const todo = plugins.filter((p) => p.update !== null && p.location === 'marketplace' && !p.shadowedBy);
          if (todo.length === 0) {
            io.out(json ? '[]' : 'Everything is up to date.');
            return EXIT.ok;
          }
          const rows: { key: string; from: string | null; to: string | null; result: string }[] = [];
          for (const p of todo) {
            try {
              const r = await core.plugins.install(p.key, p.update ?? undefined, progress);
              rows.push({ key: p.key, from: r.from, to: r.to, result: 'updated' });
            } catch (err) {
              rows.push({ key: p.key, from: p.version, to: p.update, result: `failed: ${reason(err)}` });
            }
          }
          io.out(
            json
              ? JSON.stringify(rows)
              : columns(
                  ['KEY', 'FROM', 'TO', 'RESULT'],
                  rows.map((r) => [r.key, r.from ?? '-', r.to ?? '-', r.result]),
                ),
          );
          return rows.every((r) => r.result === 'updated') ? EXIT.ok : EXIT.other;
        }
        if (rest.length !== 1) return usage(io);
        const key = rest[0] ?? '';
        const r = await cancellable(core, key, () => core.plugins.update(key, progress));
        const ran = args.flags.has('--console') ? await glpiConsole(core, r.key, io, json) : null;
        io.out(
          json
            ? JSON.stringify(ran ? { ...r, console: ran.runs } : r)
            : `${r.key} ${r.from ?? '?'} → ${r.to} updated.${ran ? '' : next(r.from)}`,
        );
        return ran && !ran.ok ? EXIT.other : EXIT.ok;
      }
      case 'restore': {
        if (rest.length !== 1) return usage(io);
        const r = await core.plugins.restore(rest[0] ?? '', args.values.get('--to'));
        io.out(
          json
            ? JSON.stringify(r)
            : `${r.key} restored: ${r.from ?? 'nothing'} → ${r.to ?? '?'}. Then, in GLPI: Setup > Plugins, run the update of ${r.key} if GLPI asks for it.`,
        );
        return EXIT.ok;
      }
      case 'remove': {
        if (rest.length !== 1) return usage(io);
        const r = await core.plugins.remove(rest[0] ?? '');
        io.out(json ? JSON.stringify(r) : `${r.key} ${r.from ?? ''} moved to the backups (${r.backup}). ${r.message}`);
        return EXIT.ok;
      }
      case 'history': {
        if (rest.length > 0) return usage(io);
        const entries = await core.plugins.history();
        io.out(
          json
            ? JSON.stringify(entries)
            : columns(
                ['WHEN', 'WHO', 'WHAT', 'PLUGIN', 'FROM', 'TO', 'RESULT'],
                entries.map((e) => [
                  e.at,
                  e.user,
                  e.action,
                  e.key,
                  e.from ?? '-',
                  e.to ?? '-',
                  e.result === 'ok' ? 'ok' : `failed at ${e.error?.step}: ${e.error?.message ?? ''}`,
                ]),
              ),
        );
        return EXIT.ok;
      }
    }
    return usage(io);
  } catch (err) {
    if (!(err instanceof AppError) && !isInstallError(err) && !(err instanceof DownloadError)) throw err;
    io.err(reason(err));
    return EXIT.other;
  }
}

/** Ctrl+C during an install asks the pipeline to stop; marketplace/ is left as it was. */
async function cancellable<T>(core: Core, key: string, run: () => Promise<T>): Promise<T> {
  const onInterrupt = () => void core.plugins.cancel(key);
  process.once('SIGINT', onInterrupt);
  try {
    return await run();
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** `--console`: plugin:install then plugin:activate in GLPI's console, stopping at the first failure. */
async function glpiConsole(core: Core, key: string, io: CliIo, json: boolean) {
  const runs: ConsoleRun[] = [];
  for (const action of ['install', 'activate'] as const) {
    const run = await core.plugins.runConsoleNow(key, action);
    runs.push(run);
    if (!json) {
      io.err(`$ ${run.commandLine}`);
      if (run.output.trim()) io.err(run.output.trimEnd());
      io.err(`${run.message}${run.fix ? ` Fix: ${run.fix}` : ''}`);
    }
    if (!run.ok) return { ok: false, runs };
  }
  return { ok: true, runs };
}

function reason(err: unknown): string {
  if (isInstallError(err)) return `${err.step} failed: ${err.message}${err.fix ? ` Fix: ${err.fix}` : ''}`;
  if (err instanceof DownloadError || err instanceof AppError)
    return `${err.message}${err.fix ? ` Fix: ${err.fix}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

function next(from: string | null): string {
  return from
    ? '\nNext, in GLPI: Setup > Plugins, run the update of the plugin (GLPI marks it "to update").'
    : '\nNext, in GLPI: Setup > Plugins, install then enable the plugin.';
}

function usage(io: CliIo): number {
  io.err(USAGE);
  return EXIT.other;
}
