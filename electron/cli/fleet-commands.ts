import type { FleetRow, FleetUpdateResult } from '../../shared/instances';
import type { CliIo, ParsedArgs } from './cli';
import { EXIT, commandFailed } from './cli';
import { call, untilInterrupted, type Core } from './cli-core';
import { columns } from './format';

const USAGE_TEXT =
  'marketdesk fleet [--json]\n' +
  '       marketdesk fleet update (<plugin key> | --all) <instance> [<instance> ...] [--json]';

/**
 * `fleet`: every instance checked in parallel (exit 1 when one is unreachable or has a problem);
 * `fleet update`: one plugin, or all updates, across the named instances (exit 1 when one failed).
 */
export async function runFleet(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const [, command, ...rest] = args.words;
  const json = args.flags.has('--json');
  try {
    if (command === undefined) {
      const report = await call(core, 'fleet.check', {});
      if (json) io.out(JSON.stringify(report));
      else if (report.rows.length === 0) io.out('No instance yet. Add one: marketdesk instance add /var/www/glpi');
      else {
        io.out(fleetTable(report.rows));
        if (!report.catalogue)
          io.err('No catalogue (no valid key or GLPI Network unreachable): updates cannot be checked.');
        for (const r of report.rows.filter((row) => row.error))
          io.err(`${r.name}: ${r.error?.message}${r.error?.fix ? `\nFix: ${r.error.fix}` : ''}`);
      }
      return report.rows.every((r) => r.reachable && !r.error && r.problems.length === 0) ? EXIT.ok : EXIT.other;
    }
    if (command === 'update') {
      const all = args.flags.has('--all');
      const key = all ? undefined : rest[0];
      const names = all ? rest : rest.slice(1);
      if ((!all && !key) || names.length === 0) return usage(io);
      // Ctrl+C: the update being made stops as its own Cancel would, the rest is not started.
      const results = await untilInterrupted(
        () => call(core, 'fleet.cancel', {}),
        () => call(core, 'fleet.update', { names, ...(key ? { key } : {}) }),
      );
      io.out(json ? JSON.stringify(results) : resultTable(results));
      for (const r of results.filter((x) => !x.ok && x.fix)) io.err(`${r.instance} ${r.key}: Fix: ${r.fix}`);
      return results.every((r) => r.ok) ? EXIT.ok : EXIT.other;
    }
    return usage(io);
  } catch (err) {
    return commandFailed(err, io);
  }
}

function fleetTable(rows: FleetRow[]): string {
  return columns(
    ['', 'NAME', 'WHERE', 'GLPI', 'PLUGINS', 'UPDATES', 'STATE'],
    rows.map((r) => [
      r.active ? '*' : '',
      r.name,
      r.where,
      r.version ?? '-',
      r.reachable ? String(r.plugins) : '-',
      r.updates.length ? `${r.updates.length} (${r.updates.map((u) => u.key).join(', ')})` : '-',
      !r.reachable
        ? `unreachable: ${r.error?.code ?? '?'}`
        : r.error
          ? r.error.message
          : r.problems.length
            ? `${r.problems.length} problem(s): ${r.problems.join('; ')}`
            : 'ok',
    ]),
  );
}

function resultTable(results: FleetUpdateResult[]): string {
  return columns(
    ['INSTANCE', 'PLUGIN', 'RESULT', 'DETAIL'],
    results.map((r) => [r.instance, r.key, r.ok ? 'ok' : 'FAILED', r.message]),
  );
}

function usage(io: CliIo): number {
  io.err(`Usage: ${USAGE_TEXT}`);
  return EXIT.other;
}
