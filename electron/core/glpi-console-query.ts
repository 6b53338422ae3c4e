/**
 * Read-only questions to GLPI's console (docs/glpi-instance-layout.md §5.3, §5.4): which commands it
 * has (`bin/console list --format=json`, Symfony's JSON descriptor) and what GLPI's database says of
 * each plugin (`bin/console plugin:list --format json`, GLPI 10.0.6+). Neither is ever required:
 * when php, the console or the database does not answer, the reason is returned and the static
 * inventory stands alone.
 */
import type { ConsolePlugin, ConsolePluginState, InstalledPlugin } from '../../shared/instances';
import { minimalEnv } from './glpi-console';
import type { ProcessResult, ProcessRunner } from './ports';

export const QUERY_TIMEOUT_MS = 60_000;
const QUERY_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
export const PLUGIN_LIST_COMMAND = 'plugin:list';

export interface ConsoleQueryRequest {
  php: string;
  root: string;
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
}

type Answer = { ok: true; json: unknown } | { ok: false; reason: string; exitCode: number | null };

/** The JSON document in the output: PHP may print notices before it, so it starts at the first `{` or `[`. */
function jsonIn(output: string, open: '{' | '['): unknown {
  const start = output.indexOf(open);
  if (start < 0) return undefined;
  try {
    return JSON.parse(output.slice(start)) as unknown;
  } catch {
    return undefined;
  }
}

function failure(result: ProcessResult, what: string): Answer {
  if (result.error) return { ok: false, reason: `php could not be started (${result.error.code})`, exitCode: null };
  if (result.timedOut) return { ok: false, reason: `${what} did not answer in time`, exitCode: null };
  if (result.exitCode === 131 || result.exitCode === 129)
    return {
      ok: false,
      reason: `${what}: GLPI's database is not up to date with its files (exit code ${result.exitCode})`,
      exitCode: result.exitCode,
    };
  if (result.exitCode === 130)
    return { ok: false, reason: `${what}: GLPI cannot connect to its database (exit code 130)`, exitCode: 130 };
  return {
    ok: false,
    reason: `${what} failed (exit code ${result.exitCode ?? result.signal ?? '?'})`,
    exitCode: result.exitCode,
  };
}

async function ask(runner: ProcessRunner, req: ConsoleQueryRequest, args: string[], open: '{' | '['): Promise<Answer> {
  const what = `bin/console ${args.join(' ')}`;
  const result = await runner.run({
    file: req.php,
    args: ['bin/console', ...args],
    cwd: req.root,
    timeoutMs: req.timeoutMs ?? QUERY_TIMEOUT_MS,
    maxOutputBytes: QUERY_MAX_OUTPUT_BYTES,
    env: minimalEnv(req.env ?? process.env),
  });
  if (result.error || result.timedOut || result.exitCode !== 0) return failure(result, what);
  const json = jsonIn(result.output, open);
  return json === undefined ? { ok: false, reason: `${what} did not print JSON`, exitCode: 0 } : { ok: true, json };
}

/** Command names (and aliases) of Symfony's `list --format=json`: `commands[].name`, `namespaces[].commands[]`. */
export function commandNames(doc: unknown): string[] | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const { commands, namespaces } = doc as { commands?: unknown; namespaces?: unknown };
  if (!Array.isArray(commands)) return null;
  const names = new Set<string>();
  for (const c of commands) {
    const name = (c as { name?: unknown } | null)?.name;
    if (typeof name === 'string') names.add(name);
  }
  for (const ns of Array.isArray(namespaces) ? namespaces : []) {
    const list = (ns as { commands?: unknown } | null)?.commands;
    for (const name of Array.isArray(list) ? list : []) if (typeof name === 'string') names.add(name);
  }
  return [...names].sort();
}

export async function listCommands(
  runner: ProcessRunner,
  req: ConsoleQueryRequest,
): Promise<{ commands: string[] } | { commands: null; reason: string }> {
  const a = await ask(runner, req, ['list', '--format=json'], '{');
  if (!a.ok) return { commands: null, reason: a.reason };
  const names = commandNames(a.json);
  return names ? { commands: names } : { commands: null, reason: 'bin/console list printed no command list' };
}

/** Plugin::getState()'s English labels (the console runs with LANG=C unless set). */
const STATES: Record<string, ConsolePluginState> = {
  New: 'new',
  Enabled: 'activated',
  'Not installed': 'not-installed',
  'To update': 'to-update',
  'Installed / not configured': 'to-configure',
  'Installed / not activated': 'not-activated',
  'Error / to clean': 'to-clean',
  Replaced: 'replaced',
};

/** One record of ListCommand: key, name, version, state (a label), install_method. */
function consolePlugin(r: unknown): ConsolePlugin | null {
  if (typeof r !== 'object' || r === null) return null;
  const o = r as Record<string, unknown>;
  if (typeof o.key !== 'string') return null;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const label = text(o.state) ?? '';
  return {
    key: o.key,
    name: text(o.name),
    version: text(o.version),
    state: STATES[label] ?? 'unknown',
    stateLabel: label,
    marketplace: text(o.install_method) === 'Marketplace',
    mismatch: null,
  };
}

export function parsePluginList(doc: unknown): ConsolePlugin[] | null {
  if (!Array.isArray(doc)) return null;
  const out: ConsolePlugin[] = [];
  for (const r of doc) {
    const p = consolePlugin(r);
    if (!p) return null;
    out.push(p);
  }
  return out;
}

export async function listPlugins(
  runner: ProcessRunner,
  req: ConsoleQueryRequest,
): Promise<{ plugins: ConsolePlugin[]; dbOutdated: false } | { plugins: null; reason: string; dbOutdated: boolean }> {
  const a = await ask(runner, req, [PLUGIN_LIST_COMMAND, '--format', 'json'], '[');
  if (!a.ok) return { plugins: null, reason: a.reason, dbOutdated: a.exitCode === 131 || a.exitCode === 129 };
  const plugins = parsePluginList(a.json);
  return plugins
    ? { plugins, dbOutdated: false }
    : { plugins: null, reason: 'bin/console plugin:list printed an unexpected shape', dbOutdated: false };
}

/**
 * What GLPI's database says against what is on disk: a version that differs from the copy GLPI loads
 * (an update not run yet), or a plugin GLPI knows that no folder holds any more.
 */
export function crossCheck(consolePlugins: ConsolePlugin[], inventory: readonly InstalledPlugin[]): ConsolePlugin[] {
  const loaded = new Map(inventory.filter((p) => !p.shadowedBy).map((p) => [p.key.toLowerCase(), p]));
  return consolePlugins.map((c) => {
    const disk = loaded.get(c.key.toLowerCase());
    let mismatch: string | null = null;
    if (!disk) mismatch = 'GLPI knows this plugin but no plugin folder holds it';
    else if (disk.version !== null && c.version !== null && disk.version !== c.version)
      mismatch = `GLPI's database has ${c.version}, the files in ${disk.location}/ are ${disk.version}`;
    return { ...c, mismatch };
  });
}
