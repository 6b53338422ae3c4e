/**
 * What the Installed view shows of GLPI's own console (docs/glpi-instance-layout.md §5.3-§5.5): the
 * commands it lists, each plugin's state in GLPI's database cross-checked against the files, and
 * whether `plugin:resume_execution` is offered and the plugins are ready for it.
 *
 * Whether plugin execution is suspended is a row of GLPI's database (`glpi_configs`, context `core`,
 * name `plugins_execution_mode`: `on`, `suspended_by_update` or `suspended_manually`), which no
 * console command prints: Marketdesk cannot see it and says so instead of guessing.
 */
import type { ConsoleGlpiState, ConsolePlugin, InstalledPlugin } from '../../shared/instances';
import { RESUME_COMMAND } from './glpi-console';
import { crossCheck, listPlugins, PLUGIN_LIST_COMMAND, type ConsoleQueryRequest } from './glpi-console-query';
import type { ProcessRunner } from './ports';

type Listed = { commands: string[] } | { commands: null; reason: string };

export async function consoleState(
  runner: ProcessRunner,
  query: ConsoleQueryRequest,
  listed: Listed,
  inventory: readonly InstalledPlugin[],
): Promise<ConsoleGlpiState> {
  const notes: string[] = [];
  if (listed.commands === null) notes.push(`GLPI's console commands could not be listed: ${listed.reason}`);
  const commands = listed.commands;
  let plugins: ConsolePlugin[] | null = null;
  let dbOutdated = false;
  if (commands?.includes(PLUGIN_LIST_COMMAND)) {
    const r = await listPlugins(runner, query);
    if (r.plugins) plugins = crossCheck(r.plugins, inventory);
    else {
      notes.push(`plugin states could not be read: ${r.reason}`);
      dbOutdated = r.dbOutdated;
    }
  } else if (commands) {
    notes.push(`this GLPI console has no ${PLUGIN_LIST_COMMAND} command (GLPI 10.0.6 and later have it)`);
  }
  return { commands, plugins, notes, resume: resumeOffer(commands, plugins, dbOutdated) };
}

function resumeOffer(
  commands: string[] | null,
  plugins: ConsolePlugin[] | null,
  dbOutdated: boolean,
): ConsoleGlpiState['resume'] {
  if (!commands?.includes(RESUME_COMMAND)) return { offered: false, ready: false, reason: null };
  const notReady = (reason: string) => ({ offered: true, ready: false, reason });
  if (dbOutdated)
    return notReady(
      "GLPI's database is not up to date: GLPI suspends plugin execution at this point. Update the database (php bin/console db:update), then the plugins, then resume.",
    );
  if (!plugins)
    return notReady('the plugin states could not be read, so Marketdesk cannot tell whether they are ready');
  const toUpdate = plugins.filter((p) => p.state === 'to-update').map((p) => p.key);
  if (toUpdate.length > 0)
    return notReady(`GLPI still has to run the update of ${toUpdate.join(', ')} (Setup > Plugins, or plugin:install)`);
  const differing = plugins.filter((p) => p.mismatch !== null && p.state !== 'to-clean').map((p) => p.key);
  if (differing.length > 0)
    return notReady(`GLPI's database and the plugin folders disagree for ${differing.join(', ')}`);
  return { offered: true, ready: true, reason: null };
}
