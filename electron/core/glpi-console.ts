/**
 * The optional "run GLPI's console" step after an install (docs/glpi-instance-layout.md §5): runs
 * `php bin/console plugin:install|activate <key>` from the GLPI root and turns the exit code and the
 * output into plain words. The process itself is started by a ProcessRunner adapter; no shell is ever
 * involved, and nothing secret (registration key, tokens, passwords) goes into the arguments or the
 * environment: the child gets an allowlisted copy of the environment.
 */
import * as nodePath from 'node:path';
import { AppError } from '../../shared/errors';
import { glpiVersionPattern } from '../../shared/glpi-version';
import type { ConsoleRun } from '../../shared/instances';
import { versionCompare } from '../../shared/php-version';
import type { ProcessResult, ProcessRunner } from './ports';

// ---------------------------------------------------------------------------------------------
// The port

// ---------------------------------------------------------------------------------------------
// Arguments

/** `resume`: `plugin:resume_execution` (GLPI 11), after plugin execution was suspended by an upgrade. */
export type ConsoleAction = 'install' | 'activate' | 'resume';

export const CONSOLE_TIMEOUT_MS = 120_000;
export const CONSOLE_MAX_OUTPUT_BYTES = 256 * 1024;

const PLUGIN_KEY = /^[a-z0-9]+$/i;
/** The first release whose plugin commands are named without the `glpi:` prefix. */
const UNPREFIXED_SINCE = '10.0.6';

type ConsoleLine = '9.5' | '10.0' | '11' | 'unknown';

function consoleLine(glpiVersion: string | null): ConsoleLine {
  const v = glpiVersion?.trim() ?? '';
  if (!glpiVersionPattern.test(v)) return 'unknown';
  const major = Number(v.split('.')[0]);
  if (major >= 11) return '11';
  if (major === 10) return '10.0';
  // Before 9.5 there were no plugin commands; the 9.5 spelling is the best guess.
  return '9.5';
}

/**
 * Whether to use the `glpi:`-prefixed command names: on 9.5 and 10.0.0-10.0.5 they are the real
 * names, later lines strip the prefix, so an unknown version gets them too. A pre-release of 10.0.6
 * counts as earlier (PHP's version_compare puts `10.0.6-rc1` before `10.0.6`).
 */
function prefixedNames(glpiVersion: string | null): boolean {
  const v = glpiVersion?.trim() ?? '';
  if (!glpiVersionPattern.test(v)) return true;
  return versionCompare(v, UNPREFIXED_SINCE) < 0;
}

/** Why a GLPI user name cannot be passed, or null when it can. */
function userNameProblem(user: string): string | null {
  if (user.trim() === '') return 'the GLPI user name is empty';
  if (user.length > 255) return 'the GLPI user name is longer than 255 characters';
  if (/[\p{Cc}\u2028\u2029]/u.test(user)) return 'the GLPI user name contains control characters';
  if (user.startsWith('-')) return 'the GLPI user name starts with "-"';
  return null;
}

function printable(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

export const RESUME_COMMAND = 'plugin:resume_execution';

/**
 * Whether to spell `plugin:<action>` with the `glpi:` prefix: the console's own command list decides
 * when it could be read (docs/glpi-instance-layout.md §5.3), the GLPI version otherwise.
 */
function prefixed(glpiVersion: string | null, action: string, commands: ReadonlySet<string> | null): boolean {
  if (commands?.has(`plugin:${action}`)) return false;
  if (commands?.has(`glpi:plugin:${action}`)) return true;
  return prefixedNames(glpiVersion);
}

/**
 * The console arguments (what follows `bin/console`) for installing or activating a plugin, or for
 * resuming plugin execution. `commands` is what `bin/console list --format=json` listed, if known.
 * Throws AppError INVALID_INPUT for a key that is not a GLPI plugin key, an unusable user name, or a
 * resume on a console that has no such command.
 */
export function consoleCommand(
  glpiVersion: string | null,
  action: ConsoleAction,
  key: string,
  options: { user: string; commands?: ReadonlySet<string> | null },
): string[] {
  const commands = options.commands ?? null;
  if (action === 'resume') {
    if (commands && !commands.has(RESUME_COMMAND))
      throw new AppError('INVALID_INPUT', `This GLPI console has no ${RESUME_COMMAND} command (GLPI 11 and later).`);
    return [RESUME_COMMAND, '--no-interaction'];
  }
  if (action !== 'install' && action !== 'activate') {
    throw new AppError('INVALID_INPUT', `Unknown console action ${printable(String(action))}.`);
  }
  if (!PLUGIN_KEY.test(key)) {
    throw new AppError('INVALID_INPUT', `${printable(key)} is not a plugin key (letters and digits only).`);
  }
  const args = [`${prefixed(glpiVersion, action, commands) ? 'glpi:' : ''}plugin:${action}`, '--no-interaction'];
  if (action === 'install') {
    // plugin:install needs an existing GLPI user to load in its session (it gives that profile the
    // plugin's rights); with --no-interaction it cannot ask for one.
    const problem = userNameProblem(options.user);
    if (problem) throw new AppError('INVALID_INPUT', `Cannot run plugin:install: ${problem}.`);
    args.push(`--username=${options.user}`);
  }
  args.push(key);
  return args;
}

// ---------------------------------------------------------------------------------------------
// Environment

/** Variables the child may see: what PHP and a locale need, on POSIX and Windows (upper case). */
const ENV_ALLOWED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'PHPRC',
  'PHP_INI_SCAN_DIR',
  // Windows
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'TEMP',
  'TMP',
  'USERPROFILE',
  'USERNAME',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'COMPUTERNAME',
  'OS',
  'PROCESSOR_ARCHITECTURE',
  'NUMBER_OF_PROCESSORS',
]);
/**
 * Families passed too: locale settings, and GLPI's own constants (10.0 and 11 read GLPI_* from the
 * environment, so the console sees what it would see in the admin's terminal).
 */
const ENV_ALLOWED_PREFIXES = ['LC_', 'GLPI_'];
/** Never passed, even inside an allowed family. */
const SECRET_LOOKING = /KEY|SECRET|TOKEN|PASS|PWD|CRED|AUTH|COOKIE|SESSION|PRIVATE|CERT/i;

/**
 * A minimal copy of an environment for a child process: an allowlist (PATH, HOME, locale, PHP's
 * ini variables, what Windows programs need, GLPI_*), never anything that looks like a secret, and
 * LANG=C when no LANG is set so messages come out in a predictable language.
 */
export function minimalEnv(source: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const upper = name.toUpperCase();
    const allowed = ENV_ALLOWED.has(upper) || ENV_ALLOWED_PREFIXES.some((p) => upper.startsWith(p));
    if (allowed && !SECRET_LOOKING.test(upper)) env[name] = value;
  }
  if (!Object.keys(env).some((n) => n.toUpperCase() === 'LANG')) env.LANG = 'C';
  return env;
}

// ---------------------------------------------------------------------------------------------
// Finding php and bin/console

export interface FindConsoleDeps {
  exists(path: string): Promise<boolean>;
  isExecutable(path: string): Promise<boolean>;
  pathEnv: string | undefined;
  platform: NodeJS.Platform;
}

export type ConsoleAvailability =
  { available: true; php: string; console: string } | { available: false; reason: string };

function pathFlavour(platform: NodeJS.Platform): typeof nodePath.posix {
  return platform === 'win32' ? nodePath.win32 : nodePath.posix;
}

/**
 * Whether the console step can run: `<root>/bin/console` must exist, and php is the path set in
 * Settings (absolute, existing, executable) or else the first `php` (`php.exe` on Windows) found in
 * an absolute PATH entry. Empty and relative PATH entries are skipped: they resolve against the
 * current folder, which would let a `php` dropped there be run.
 */
export async function findConsole(
  root: string,
  phpSetting: string | null,
  deps: FindConsoleDeps,
): Promise<ConsoleAvailability> {
  const path = pathFlavour(deps.platform);
  if (root.trim() === '' || !path.isAbsolute(root)) {
    return { available: false, reason: `the GLPI root ${printable(root)} is not an absolute path` };
  }
  const consolePath = path.join(root, 'bin', 'console');
  if (!(await deps.exists(consolePath))) {
    return { available: false, reason: `no bin/console in ${root}: this GLPI tree has no console` };
  }

  const php = await locatePhp(phpSetting, deps);
  return 'php' in php ? { available: true, php: php.php, console: consolePath } : { available: false, ...php };
}

/**
 * php for the console step and the pre-flight guard's `php -l`: the path set in Settings (absolute,
 * existing, executable), or else the first `php` (`php.exe` on Windows) of an absolute PATH entry.
 */
export async function locatePhp(
  phpSetting: string | null,
  deps: FindConsoleDeps,
): Promise<{ php: string } | { reason: string }> {
  const path = pathFlavour(deps.platform);
  const setting = phpSetting?.trim() ?? '';
  if (setting !== '') {
    if (!path.isAbsolute(setting)) {
      return { reason: `the php path set in Settings is not absolute: ${setting}` };
    }
    if (!(await deps.exists(setting))) {
      return { reason: `the php set in Settings does not exist: ${setting}` };
    }
    if (!(await deps.isExecutable(setting))) {
      return { reason: `the php set in Settings is not executable: ${setting}` };
    }
    return { php: setting };
  }

  const name = deps.platform === 'win32' ? 'php.exe' : 'php';
  const delimiter = deps.platform === 'win32' ? ';' : ':';
  for (const raw of (deps.pathEnv ?? '').split(delimiter)) {
    // Windows allows quoted PATH entries ("C:\Program Files\PHP").
    const dir = deps.platform === 'win32' ? raw.trim().replace(/^"(.*)"$/, '$1') : raw;
    if (dir === '' || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    if ((await deps.exists(candidate)) && (await deps.isExecutable(candidate))) {
      return { php: candidate };
    }
  }
  return { reason: 'php is not installed or not on PATH; set its path in Settings' };
}

// ---------------------------------------------------------------------------------------------
// Running the step

export interface ConsoleStepRequest {
  /** Absolute path of php, as findConsole returned it. */
  php: string;
  /** The GLPI root (the folder holding bin/console); the console runs from there. */
  root: string;
  glpiVersion: string | null;
  action: ConsoleAction;
  /** The plugin key (ignored by `resume`). */
  key: string;
  /** An existing GLPI user, loaded by plugin:install into its session. */
  user: string;
  /** The console's commands (`list --format=json`), when they could be read. */
  commands?: ReadonlySet<string> | null;
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** The environment the child's is taken from (default process.env), through `minimalEnv`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** For quoting the displayed command line (default: this machine's). */
  platform?: NodeJS.Platform;
}

/** One step's result: the shape the contract carries to the renderer (shared/instances.ts). */
export type ConsoleStepResult = ConsoleRun;

function quote(arg: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    return /^[A-Za-z0-9_\\/.:=@+,-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`;
  }
  return /^[A-Za-z0-9_/.:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function commandLineOf(root: string, php: string, args: readonly string[], platform: NodeJS.Platform): string {
  const cd = platform === 'win32' ? 'cd /d' : 'cd';
  return `${cd} ${quote(root, platform)} && ${[php, ...args].map((a) => quote(a, platform)).join(' ')}`;
}

/** GLPI 11 refuses to run bin/console as root unless told --allow-superuser (exit 1 and this text). */
function isRootRefusal(output: string): boolean {
  return output.includes('--allow-superuser') || /running as root is discouraged/i.test(output);
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function kib(bytes: number): string {
  return `${Math.round(bytes / 1024)} KiB`;
}

/**
 * Runs `php bin/console <plugin:install|activate> ... <key>` from the GLPI root and explains the
 * outcome. Never throws for an expected failure (bad arguments, php missing, timeout, non-zero exit).
 * `--allow-superuser` is never added: files GLPI creates as root break it for the web server.
 */
export async function runConsoleStep(runner: ProcessRunner, req: ConsoleStepRequest): Promise<ConsoleStepResult> {
  const platform = req.platform ?? process.platform;
  const path = pathFlavour(platform);
  const timeoutMs = req.timeoutMs ?? CONSOLE_TIMEOUT_MS;
  const maxOutputBytes = req.maxOutputBytes ?? CONSOLE_MAX_OUTPUT_BYTES;
  const line = consoleLine(req.glpiVersion);
  const refused = (message: string, fix?: string): ConsoleStepResult => ({
    commandLine: '',
    ok: false,
    exitCode: null,
    output: '',
    truncated: false,
    message,
    ...(fix === undefined ? {} : { fix }),
  });

  let args: string[];
  try {
    args = [
      'bin/console',
      ...consoleCommand(req.glpiVersion, req.action, req.key, { user: req.user, commands: req.commands ?? null }),
    ];
  } catch (e) {
    if (e instanceof AppError) return refused(e.message, 'Check the plugin key and the GLPI user name in Settings.');
    throw e;
  }
  // A relative php would be looked up from the GLPI root, a folder the web server can write to.
  if (!path.isAbsolute(req.php))
    return refused(`The php path is not absolute: ${req.php}`, 'Set its path in Settings.');
  if (!path.isAbsolute(req.root)) return refused(`The GLPI root is not an absolute path: ${req.root}`);

  const commandLine = commandLineOf(req.root, req.php, args, platform);
  const result = await runner.run({
    file: req.php,
    args,
    cwd: req.root,
    timeoutMs,
    maxOutputBytes,
    env: minimalEnv(req.env ?? process.env),
  });
  const verdict = interpret(result, { ...req, line, timeoutMs, commandLine });
  const truncatedNote = result.truncated ? ` (output cut at ${kib(maxOutputBytes)})` : '';
  return {
    commandLine,
    ok: verdict.ok,
    exitCode: result.exitCode,
    output: result.output,
    truncated: result.truncated,
    message: verdict.message + truncatedNote,
    ...(verdict.fix === undefined ? {} : { fix: verdict.fix }),
  };
}

interface Verdict {
  ok: boolean;
  message: string;
  fix?: string;
}

type VerdictContext = ConsoleStepRequest & { line: ConsoleLine; timeoutMs: number; commandLine: string };

const READ_OUTPUT = 'Read the console output above for the reason.';

function checkState(key: string): string {
  return `Check plugin "${key}" in GLPI (Setup > Plugins).`;
}

function pastTense(action: ConsoleAction): string {
  return action === 'install' ? 'installed' : action === 'activate' ? 'activated' : 'resumed';
}

function interpret(result: ProcessResult, ctx: VerdictContext): Verdict {
  if (result.error) return startFailure(result.error, ctx);
  const stopped = stoppedOrRefused(result, ctx);
  if (stopped) return stopped;
  if (ctx.action === 'resume') return resumeVerdict(result);
  if (result.exitCode === null) {
    return {
      ok: false,
      message: `bin/console was killed by ${result.signal ?? 'a signal'} before it finished.`,
      fix: `The plugin may be half ${pastTense(ctx.action)}. ${checkState(ctx.key)}`,
    };
  }
  return result.exitCode === 0 ? success(ctx) : exitFailure(result.exitCode, ctx);
}

/** plugin:resume_execution: 0 resumed, 1 (FAILURE) "An unexpected error occurred", 131 database not up to date. */
function resumeVerdict(result: ProcessResult): Verdict {
  if (result.exitCode === 0) return { ok: true, message: 'GLPI resumed the execution of all active plugins.' };
  if (result.exitCode === 131)
    return {
      ok: false,
      message: "GLPI's database is not up to date with its files (bin/console exit code 131): plugins stay suspended.",
      fix: 'Back up, then run php bin/console db:update (or the web installer), update the plugins, and resume again.',
    };
  return {
    ok: false,
    message: `GLPI could not resume plugin execution (bin/console exit code ${result.exitCode ?? result.signal ?? '?'}).`,
    fix: READ_OUTPUT,
  };
}

/** php could not be started at all. */
function startFailure(error: NonNullable<ProcessResult['error']>, { php, root }: VerdictContext): Verdict {
  switch (error.code) {
    case 'ENOENT':
      return {
        ok: false,
        message: `php was not found at ${php}.`,
        fix: "Install PHP's command-line interpreter or set its path in Settings.",
      };
    case 'EACCES':
    case 'EPERM':
      return {
        ok: false,
        message: `${php} cannot be run (permission denied).`,
        fix: 'Make it executable for this user or set another php in Settings.',
      };
    case 'EBADCWD':
      return {
        ok: false,
        message: `The GLPI folder ${root} cannot be opened to run bin/console there.`,
        fix: "Check that the instance's root folder still exists and that this user can enter it.",
      };
    default:
      return { ok: false, message: `php could not be started (${error.code}): ${error.message}` };
  }
}

/** The console was stopped at the time limit or refused to run as root; null otherwise. */
function stoppedOrRefused(result: ProcessResult, ctx: VerdictContext): Verdict | null {
  if (result.timedOut) {
    return {
      ok: false,
      message: `bin/console did not finish within ${duration(ctx.timeoutMs)} and was stopped.`,
      fix: `The plugin may be half ${pastTense(ctx.action)}. ${checkState(ctx.key)} If needed, run the command yourself to see where it stops.`,
    };
  }
  if (result.exitCode !== 0 && isRootRefusal(result.output)) {
    return {
      ok: false,
      message: 'GLPI refuses to run its console as root: files it would create as root break GLPI for the web server.',
      fix:
        "Run Marketdesk as the web server's user (www-data on Debian/Ubuntu, apache on RHEL-like systems), " +
        `or run the command yourself as that user, e.g. sudo -u www-data sh -c ${quote(ctx.commandLine, 'linux')}. ` +
        'Marketdesk does not add --allow-superuser.',
    };
  }
  return null;
}

/** Exit code 0: trusted from GLPI 10 on; 9.5 exits 0 even when the command failed. */
function success({ key, action, line }: VerdictContext): Verdict {
  if (line === '9.5' || line === 'unknown') {
    const which = line === '9.5' ? 'GLPI 9.5' : 'If this is GLPI 9.5, it';
    return {
      ok: true,
      message: `bin/console finished (exit code 0). ${which} does not report failures in its exit code; read the output.`,
      fix: checkState(key),
    };
  }
  return { ok: true, message: `GLPI ${pastTense(action)} plugin "${key}".` };
}

/** A non-zero exit code, read as the console of this GLPI line defines it. */
function exitFailure(code: number, ctx: VerdictContext): Verdict {
  const { key, action, line } = ctx;
  if (code === 1) {
    return {
      ok: false,
      message: `GLPI could not ${action === 'install' ? 'install' : 'activate'} plugin "${key}" (bin/console exit code 1).`,
      fix:
        action === 'install'
          ? `${READ_OUTPUT} Usual causes: the GLPI user "${ctx.user}" does not exist, the plugin's requirements are not met, or it is already installed.`
          : `${READ_OUTPUT} Usual causes: the plugin is not installed yet, needs configuring first, or is already active.`,
    };
  }
  if (code === 128) {
    return {
      ok: false,
      message: 'GLPI reports missing system requirements (bin/console exit code 128).',
      fix: `${READ_OUTPUT} php bin/console glpi:system:check_requirements lists them all.`,
    };
  }
  const dbOutdated: Verdict = {
    ok: false,
    message: `GLPI's database is not up to date with its files (bin/console exit code ${code}).`,
    fix: "Back up, then update GLPI's database (php bin/console db:update, or GLPI's web installer) and run this step again.",
  };
  if (code === 129 && line === '10.0') return dbOutdated;
  if (code === 129 && line === '11') {
    return {
      ok: false,
      message: 'GLPI cannot write to its configuration files (bin/console exit code 129).',
      fix: `${READ_OUTPUT} Give this user write access to the files listed there, or run the command as the web server's user.`,
    };
  }
  if (code === 129) {
    return {
      ok: false,
      message:
        'bin/console exit code 129: on GLPI 10 the database is not up to date; on GLPI 11 GLPI cannot write to its configuration files.',
      fix: READ_OUTPUT,
    };
  }
  if (code === 130 && (line === '11' || line === 'unknown')) {
    return {
      ok: false,
      message: 'GLPI cannot connect to its database (bin/console exit code 130).',
      fix: "Check that the database server is running and that GLPI's database settings work from this machine.",
    };
  }
  if (code === 131 && (line === '11' || line === 'unknown')) return dbOutdated;
  if (code === 255) {
    return {
      ok: false,
      message: 'PHP stopped with a fatal error (exit code 255).',
      fix: `${READ_OUTPUT} ${checkState(key)}`,
    };
  }
  return { ok: false, message: `bin/console failed with exit code ${code}.`, fix: `${READ_OUTPUT} ${checkState(key)}` };
}
