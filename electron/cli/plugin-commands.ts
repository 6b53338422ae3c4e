import { AppError } from '../../shared/errors';
import type { ActionReport, ChecksumChangedDetails, ConsoleRun, PluginFolderFinding } from '../../shared/instances';
import { en, type Messages } from '../../shared/messages/en';
import { render } from '../../shared/messages/ref';
import type { CliIo, ParsedArgs } from './cli';
import { EXIT, commandFailed } from './cli';
import { call, untilInterrupted, type Core } from './cli-core';
import { columns, errorText } from './format';

const USAGE = `Usage:
  marketdesk install <key>[@version] [--console] [--accept-new-checksum <sha256>]
  marketdesk update <key> [--console] [--accept-new-checksum <sha256>] | --all
  marketdesk restore <key> [--to <version>]
  marketdesk remove <key>
  marketdesk history [--json]`;

/** `install`, `update`, `restore`, `remove`, `history`: non-zero with a one-line reason on failure. */
export async function runPlugins(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const [command, ...rest] = args.words;
  const json = args.flags.has('--json');
  // The steps of the running job, from the events every shell gets.
  const off = core.events.on('plugins.progressed', (p) => {
    if (!json && p.fraction === 0) io.err(`  ${p.step}…`);
  });
  try {
    if (command === 'update' && args.flags.has('--all'))
      return rest.length > 0 ? usage(io) : await updateAll(core, io, json);
    if (command === 'history') return rest.length > 0 ? usage(io) : await history(core, io, json);
    const key = rest[0] ?? '';
    if (rest.length !== 1) return usage(io);
    const accepted = args.values.get('--accept-new-checksum');
    const accept = accepted === undefined ? {} : { acceptNewChecksum: accepted };
    switch (command) {
      case 'install': {
        const [name = '', version] = key.split('@');
        const r = await cancellable(core, name, () =>
          call(core, 'plugins.install', { key: name, ...(version ? { version } : {}), ...accept }),
        );
        const text = `${r.key} ${r.from ? `${r.from} → ` : ''}${r.to} installed (sha256 ${r.sha256}).`;
        return await done(args, core, io, r, text);
      }
      case 'update': {
        const r = await cancellable(core, key, () => call(core, 'plugins.update', { key, ...accept }));
        return await done(args, core, io, r, `${r.key} ${r.from ?? '?'} → ${r.to} updated.`);
      }
      case 'restore': {
        const to = args.values.get('--to');
        const r = await call(core, 'plugins.restore', { key, ...(to !== undefined ? { version: to } : {}) });
        io.out(json ? JSON.stringify(r) : `${r.key} restored: ${r.from ?? 'nothing'} → ${r.to ?? '?'}.\n${r.next}`);
        return EXIT.ok;
      }
      case 'remove': {
        const r = await call(core, 'plugins.remove', { key });
        io.out(json ? JSON.stringify(r) : r.message);
        return EXIT.ok;
      }
    }
    return usage(io);
  } catch (err) {
    const failed = commandFailed(err, io);
    const confirm = err instanceof AppError ? confirmCommand(err, args, io.messages) : null;
    if (confirm) io.err(confirm);
    return failed;
  } finally {
    off();
  }
}

/**
 * After a `checksum-changed` refusal: both checksums, and the exact command that takes the new
 * archive (the same command, with --accept-new-checksum and the received SHA-256).
 */
function confirmCommand(err: AppError, args: ParsedArgs, messages: Messages = en): string | null {
  const details = err.details as Partial<ChecksumChangedDetails> | undefined;
  if (err.code !== 'INSTALL_FAILED' || details?.code !== 'checksum-changed' || !details.pinned || !details.received)
    return null;
  const [command = 'install', target = ''] = args.words;
  const profile = args.profile === 'default' ? [] : ['--profile', args.profile];
  const line = ['marketdesk', command, target, ...profile, '--accept-new-checksum', details.received].join(' ');
  return messages['install.checksumConfirm']({ pinned: details.pinned, received: details.received, command: line });
}

/** Prints an install's or update's report; `--console` then runs GLPI's console, and its failure is the exit code. */
async function done(args: ParsedArgs, core: Core, io: CliIo, r: ActionReport, text: string): Promise<number> {
  const json = args.flags.has('--json');
  if (!json) for (const w of r.warnings ?? []) io.err(warningText(w, io.messages));
  const ran = args.flags.has('--console') ? await glpiConsole(core, r.key, io, json) : null;
  io.out(json ? JSON.stringify(ran ? { ...r, console: ran.runs } : r) : `${text}${ran ? '' : `\n${r.next}`}`);
  return ran && !ran.ok ? EXIT.other : EXIT.ok;
}

/** A pre-flight guard warning, in the CLI's language: its message, then its fix. */
function warningText(w: PluginFolderFinding, messages: Messages = en): string {
  const [message, fix] = [render(messages, w.refs.message, w.message), render(messages, w.refs.fix, w.fix)];
  return `${messages['doctor.state.warning']()}: ${message}\n  ${messages['doctor.report.fix']()} ${fix}`;
}

/** `update --all`: every marketplace plugin with a newer compatible version, one after the other. */
async function updateAll(core: Core, io: CliIo, json: boolean): Promise<number> {
  const { plugins } = await call(core, 'plugins.list', {});
  const todo = plugins.filter((p) => p.update !== null && p.location === 'marketplace' && !p.shadowedBy);
  if (todo.length === 0) {
    io.out(json ? '[]' : 'Everything is up to date.');
    return EXIT.ok;
  }
  const rows: { key: string; from: string | null; to: string | null; result: string }[] = [];
  for (const p of todo) {
    try {
      const r = await cancellable(core, p.key, () =>
        call(core, 'plugins.install', { key: p.key, ...(p.update ? { version: p.update } : {}) }),
      );
      rows.push({ key: p.key, from: r.from, to: r.to, result: 'updated' });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      rows.push({ key: p.key, from: p.version, to: p.update, result: `failed: ${errorText(err, io.messages, true)}` });
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

async function history(core: Core, io: CliIo, json: boolean): Promise<number> {
  const entries = await call(core, 'plugins.history', {});
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

/** Ctrl+C during an install asks the pipeline to stop (`plugins.cancel`); marketplace/ is left as it was. */
function cancellable<T>(core: Core, key: string, run: () => Promise<T>): Promise<T> {
  return untilInterrupted(() => call(core, 'plugins.cancel', { key }), run);
}

/** `--console`: plugin:install then plugin:activate in GLPI's console, stopping at the first failure. */
async function glpiConsole(core: Core, key: string, io: CliIo, json: boolean) {
  const runs: ConsoleRun[] = [];
  for (const action of ['install', 'activate'] as const) {
    // The admin asked for it on the command line: run it whatever the "offer" setting says.
    const run = await call(core, 'plugins.console', { key, action, force: true });
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

function usage(io: CliIo): number {
  io.err(USAGE);
  return EXIT.other;
}
