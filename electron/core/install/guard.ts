/**
 * The pre-flight guard (docs/development.md "Pre-flight guard"): what in GLPI's plugin folders
 * crashes GLPI or confuses it, each finding with its fix. GLPI takes a plugin's key from its folder
 * name, looks for `<folder>/<key>/setup.php` in each plugins folder in order and includes the
 * setup.php of every folder it lists (src/Plugin.php, checkStates and loadPluginSetupFile), so:
 * the same key in two folders (the first wins), a folder unpacked one level too deep, a folder
 * named after a branch or a download (its setup.php declares the same functions as the real one:
 * "Cannot redeclare"), an archive nobody unpacked, a working copy Marketdesk will not replace, a
 * folder without setup.php. And, when php can be run where the instance is, `php -l` on the
 * setup.php and hook.php about to be put in place.
 *
 * Reads only: the install pipeline and the doctor decide what to do with the findings.
 */
import * as nodePath from 'node:path';
import type { PluginFolderFinding, PluginFolderProblem } from '../../../shared/instances';
import { english, ref, type MessageRef } from '../../../shared/messages/ref';
import { shellQuote } from '../doctor/instance/common';
import type { InstanceInfo } from '../glpi-instance';
import { mapLimit } from '../map-limit';
import type { DirEntry, FileSystem, ProcessResult, ProcessRunner } from '../ports';

export type { PluginFolderFinding } from '../../../shared/instances';

const KEY = /^[a-z0-9]+$/i;
const VCS = ['.git', '.hg', '.svn'];
const ARCHIVE = /\.(zip|tar\.gz|tgz|tar\.bz2|tbz2)$/i;
/** `glpi-fields-1.21.0`, `fields-main`, `glpi_plugin_fields-master`: a prefix, the key, then `-`, `_` or `.` and anything. */
const DOWNLOAD_NAME = /^(?:glpi[-_](?:plugins?[-_])?)?([a-z0-9]+)[-_.]/i;
const DECLARED_KEY = /function\s+plugin_version_([a-z0-9]+)\s*\(/i;
const FOLDERS_AT_ONCE = 8;
const SETUP_READ_LIMIT = 1_048_576;

export type GuardInstance = Pick<InstanceInfo, 'marketplaceDir' | 'pluginsDirs'>;

/** A folder or file as found in one plugins folder. */
interface Entry {
  dir: string;
  name: string;
  path: string;
  kind: 'dir' | 'file' | 'other';
}

/**
 * Every finding in the instance's plugin folders. With `installing`, the findings that would make
 * the install of that key crash GLPI or be refused block it (`severity: 'blocks'`): its folder in
 * marketplace/ is a working copy, an earlier plugins folder holds it (GLPI would ignore the new
 * copy), or a folder named after a branch or a download declares it while no folder of that name
 * exists yet (installing it would make PHP stop with "Cannot redeclare"; when one exists, GLPI
 * already stops there and the install changes nothing about it). Everything else warns.
 */
export async function inspectPluginFolders(
  instance: GuardInstance,
  fs: FileSystem,
  options: { installing?: string } = {},
): Promise<PluginFolderFinding[]> {
  const installing = options.installing?.toLowerCase() ?? null;
  const findings: PluginFolderFinding[] = [];
  const loadedFrom = new Map<string, string>();
  const listed = await Promise.all(instance.pluginsDirs.map((dir) => listFolder(fs, dir)));
  const keys = new Set(
    listed.flat().flatMap((e) => (e.kind === 'dir' && KEY.test(e.name) ? [e.name.toLowerCase()] : [])),
  );
  for (const [d, dir] of instance.pluginsDirs.entries()) {
    const entries = listed[d] ?? [];
    const found = await mapLimit(entries, FOLDERS_AT_ONCE, (entry) =>
      inspectEntry(fs, entry, { inMarketplace: dir === instance.marketplaceDir, installing, keys }),
    );
    found.forEach((f) => findings.push(...f));
    // The folder the install is about to create counts as there: a copy elsewhere becomes a duplicate.
    const planned = dir === instance.marketplaceDir ? plannedFolder(dir, options.installing, entries) : null;
    for (const entry of planned ? [...entries, planned] : entries) {
      if (entry.kind !== 'dir' || !KEY.test(entry.name)) continue;
      const key = entry.name.toLowerCase();
      const loaded = loadedFrom.get(key);
      if (loaded === undefined) loadedFrom.set(key, entry.path);
      else findings.push(duplicate(entry, loaded, installing, instance.marketplaceDir));
    }
  }
  if (installing === null || !keys.has(installing)) return findings;
  return findings.map((f) => (f.id === 'branch-name' && f.severity === 'blocks' ? { ...f, severity: 'warns' } : f));
}

/** The marketplace/ folder an install of `key` creates, when it is not there yet. */
function plannedFolder(dir: string, key: string | undefined, entries: readonly Entry[]): Entry | null {
  if (key === undefined || !KEY.test(key)) return null;
  if (entries.some((e) => e.name.toLowerCase() === key.toLowerCase())) return null;
  return { dir, name: key, path: nodePath.join(dir, key), kind: 'dir' };
}

/** The entries of a plugins folder GLPI lists (hidden ones skipped), symlinks resolved; none when it cannot be read. */
async function listFolder(fs: FileSystem, dir: string): Promise<Entry[]> {
  let entries: DirEntry[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return []; // a missing plugins folder is the instance's problem, reported by detectInstance
  }
  // In code-unit order, as PHP's scandir lists them: no collator (the first localeCompare of a
  // process loads ICU's collation data, 8 ms of a command-line install).
  const visible = entries
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return mapLimit(visible, FOLDERS_AT_ONCE, async (e) => {
    const path = nodePath.join(dir, e.name);
    return { dir, name: e.name, path, kind: e.type === 'symlink' ? await kindOf(fs, path) : e.type };
  });
}

async function kindOf(fs: FileSystem, path: string): Promise<Entry['kind']> {
  try {
    const s = await fs.stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
  } catch {
    return 'other';
  }
}

/** Where an entry is looked at from: its folder, the key being installed, every key GLPI finds a folder for. */
interface Scope {
  inMarketplace: boolean;
  installing: string | null;
  keys: ReadonlySet<string>;
}

async function inspectEntry(fs: FileSystem, entry: Entry, scope: Scope): Promise<PluginFolderFinding[]> {
  if (entry.kind === 'file') return ARCHIVE.test(entry.name) ? [archive(entry)] : [];
  if (entry.kind !== 'dir') return [];
  let names: DirEntry[];
  try {
    names = await fs.readdir(entry.path);
  } catch {
    return []; // unreadable: the inventory says so for this folder
  }
  const has = (name: string) => names.some((n) => n.name === name);
  if (!KEY.test(entry.name)) return [await branchName(fs, entry, has('setup.php'), scope)];
  const findings: PluginFolderFinding[] = [];
  const vcs = scope.inMarketplace ? VCS.filter(has).at(-1) : undefined;
  if (vcs) findings.push(vcsFinding(entry, vcs, entry.name.toLowerCase() === scope.installing));
  if (!has('setup.php')) findings.push(await missingSetup(fs, entry, names));
  return findings;
}

function finding(
  id: PluginFolderProblem,
  blocks: boolean,
  key: string | null,
  path: string,
  message: MessageRef,
  fix: MessageRef,
): PluginFolderFinding {
  return {
    id,
    severity: blocks ? 'blocks' : 'warns',
    key,
    path,
    message: english(message),
    fix: english(fix),
    refs: { message, fix },
  };
}

function duplicate(
  entry: Entry,
  loaded: string,
  installing: string | null,
  marketplaceDir: string,
): PluginFolderFinding {
  // The install goes to marketplace/: an earlier copy elsewhere would be the one GLPI loads.
  const shadowsInstall =
    entry.name.toLowerCase() === installing &&
    entry.dir === marketplaceDir &&
    nodePath.dirname(loaded) !== marketplaceDir;
  return finding(
    'duplicate',
    shadowsInstall,
    entry.name,
    entry.path,
    ref('guard.duplicate', { key: entry.name, loaded, ignored: entry.path }),
    ref('guard.fix.duplicate', { loaded, ignored: entry.path }),
  );
}

function archive(entry: Entry): PluginFolderFinding {
  return finding(
    'archive',
    false,
    null,
    entry.path,
    ref('guard.archive', { path: entry.path }),
    ref('guard.fix.archive', { path: entry.path, dir: entry.dir }),
  );
}

function vcsFinding(entry: Entry, vcs: string, blocks: boolean): PluginFolderFinding {
  return finding(
    'vcs',
    blocks,
    entry.name,
    entry.path,
    ref('guard.vcs', { path: entry.path, vcs }),
    ref('guard.fix.vcs'),
  );
}

/** A folder whose name is no key: the key its setup.php declares (else the one its name suggests). */
async function branchName(fs: FileSystem, entry: Entry, hasSetup: boolean, scope: Scope): Promise<PluginFolderFinding> {
  const declared = hasSetup ? await declaredKey(fs, nodePath.join(entry.path, 'setup.php')) : null;
  const key = declared ?? DOWNLOAD_NAME.exec(entry.name)?.[1] ?? null;
  const target = key ? nodePath.join(entry.dir, key) : null;
  // Renamed only where no folder of that key exists in any plugins folder (else: two copies).
  const renamable = key !== null && target !== null && !scope.keys.has(key.toLowerCase()) && posix(entry.path);
  return finding(
    'branch-name',
    declared !== null && declared.toLowerCase() === scope.installing,
    key,
    entry.path,
    ref('guard.branchName', { path: entry.path, folder: entry.name, key: key ?? '' }),
    ref('guard.fix.branchName', {
      path: entry.path,
      key: key ?? '',
      command: renamable ? `mv ${shellQuote(entry.path)} ${shellQuote(target)}` : '',
    }),
  );
}

/** No setup.php: the plugin one folder too deep (`x/x/setup.php`, `x/x-main/setup.php`), or no plugin at all. */
async function missingSetup(fs: FileSystem, entry: Entry, names: DirEntry[]): Promise<PluginFolderFinding> {
  const candidates = names.filter((n) => n.type === 'dir' && !n.name.startsWith('.'));
  const holders = (
    await mapLimit(candidates, FOLDERS_AT_ONCE, async (n) =>
      (await exists(fs, nodePath.join(entry.path, n.name, 'setup.php'))) ? n.name : null,
    )
  ).filter((n): n is string => n !== null);
  const inner = holders.length === 1 && holders[0] !== undefined ? nodePath.join(entry.path, holders[0]) : null;
  if (!inner)
    return finding(
      'no-setup-php',
      false,
      entry.name,
      entry.path,
      ref('guard.noSetup', { path: entry.path }),
      ref('guard.fix.noSetup', { path: entry.path }),
    );
  const aside = `${entry.path}.nested`;
  const command = posix(entry.path)
    ? [
        `mv ${shellQuote(entry.path)} ${shellQuote(aside)}`,
        `mv ${shellQuote(nodePath.join(aside, nodePath.basename(inner)))} ${shellQuote(entry.path)}`,
        `rmdir ${shellQuote(aside)}`,
      ].join(' && ')
    : '';
  return finding(
    'nested',
    false,
    entry.name,
    entry.path,
    ref('guard.nested', { path: entry.path, inner }),
    ref('guard.fix.nested', { path: entry.path, inner, command }),
  );
}

async function declaredKey(fs: FileSystem, setupPhp: string): Promise<string | null> {
  try {
    const text = new TextDecoder().decode(await fs.readFile(setupPhp, { maxBytes: SETUP_READ_LIMIT }));
    return DECLARED_KEY.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

async function exists(fs: FileSystem, path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Commands are offered for POSIX paths (local or over SSH); Windows gets the fix in words. */
function posix(path: string): boolean {
  return path.startsWith('/');
}

// ---------------------------------------------------------------------------------------------
// php -l on what is about to be put in place

/** How to run php where the instance is: its ProcessRunner (over SSH, the server's) and php's path there. */
export interface PhpLint {
  runner: ProcessRunner;
  php: string;
}

const LINT_TIMEOUT_MS = 30_000;
const LINT_MAX_OUTPUT = 16 * 1024;
const LINTED = ['setup.php', 'hook.php'];
/** How php -l reports a file it cannot compile (PHP 7 and 8: "Parse error", "Fatal error"). */
const SYNTAX_ERROR = /\b(parse|fatal) error\b/i;

/**
 * `php -l` on the staged folder's setup.php and hook.php (hook.php when there is one). A syntax
 * error blocks (GLPI includes both files, and stops on it); php that cannot be run only warns.
 */
export async function lintStaged(
  fs: FileSystem,
  staged: string,
  key: string,
  lint: PhpLint,
): Promise<PluginFolderFinding[]> {
  const findings: PluginFolderFinding[] = [];
  for (const name of LINTED) {
    const file = nodePath.join(staged, name);
    if (!(await exists(fs, file))) continue;
    const r = await lint.runner.run({
      file: lint.php,
      args: ['-d', 'display_errors=1', '-d', 'log_errors=0', '-l', file],
      cwd: staged,
      timeoutMs: LINT_TIMEOUT_MS,
      maxOutputBytes: LINT_MAX_OUTPUT,
    });
    if (r.exitCode === 0) continue;
    const output = phpMessage(r.output, staged, key);
    const where = `${key}/${name}`;
    if (!r.error && !r.timedOut && SYNTAX_ERROR.test(output))
      findings.push(
        finding(
          'php-syntax',
          true,
          key,
          where,
          ref('guard.phpSyntax', { file: where, output }),
          ref('guard.fix.phpSyntax', { key }),
        ),
      );
    else
      findings.push(
        finding(
          'php-unchecked',
          false,
          key,
          where,
          ref('guard.phpUnchecked', { file: where, reason: whyUnchecked(r, output) }),
          ref('guard.fix.phpUnchecked'),
        ),
      );
  }
  return findings;
}

function whyUnchecked(r: ProcessResult, output: string): string {
  if (r.error) return `php could not be started (${r.error.code}: ${r.error.message})`;
  if (r.timedOut) return `php did not answer within ${LINT_TIMEOUT_MS / 1000} s`;
  const exit = r.exitCode === null ? `php stopped (${r.signal ?? 'no exit code'})` : `php exited with ${r.exitCode}`;
  return output ? `${exit}: ${output}` : exit;
}

/** php's own words, on one line, naming the file by `<key>/…` rather than by the staging path. */
function phpMessage(output: string, staged: string, key: string): string {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('Errors parsing') && !line.startsWith('No syntax errors'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .split(staged)
    .join(key)
    .slice(0, 500);
}

/** A blocking finding, as the install pipeline throws it (the InstallError's cause). */
export class GuardError extends Error {
  override readonly name = 'GuardError';
  constructor(readonly finding: PluginFolderFinding) {
    super(finding.message);
  }
}
