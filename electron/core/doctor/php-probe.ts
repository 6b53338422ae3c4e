/**
 * The doctor's probe of the PHP command line: `php -r <code>` run once through the ProcessRunner
 * port (no shell), and php looked for on PATH through the FileSystem port.
 */
import * as nodePath from 'node:path';
import type { FileSystem, HostInfo, ProcessRunner } from '../ports';
import type { PhpProbe } from './instance-checks';

/** What is run: the version on one line, the loaded extensions comma-separated on the next. */
export const PHP_PROBE_CODE = 'echo PHP_VERSION, "\\n", implode(",", get_loaded_extensions());';
export const PHP_PROBE_TIMEOUT_MS = 10_000;
const PHP_PROBE_MAX_OUTPUT = 1_048_576;

export interface PhpFacts {
  version: string;
  extensions: string[];
}

/**
 * Reads the probe's output. php may print start-up warnings first (a missing extension named in
 * php.ini, with display_errors on), so the version is the last line that looks like one.
 */
export function parsePhpProbeOutput(stdout: string): PhpFacts {
  const lines = stdout.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const version = lines[i]!.trim();
    if (/^\d+\.\d+\.\d+\S*$/.test(version)) {
      const extensions = (lines[i + 1] ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      return { version, extensions };
    }
  }
  throw new Error(`php printed no version: ${JSON.stringify(stdout.slice(0, 200))}`);
}

async function run(runner: ProcessRunner, phpPath: string, timeoutMs: number): Promise<PhpFacts> {
  const r = await runner.run({
    file: phpPath,
    args: ['-r', PHP_PROBE_CODE],
    // The folder of php itself: it exists whenever php does (EBADCWD otherwise, read as "does not exist").
    cwd: nodePath.dirname(phpPath),
    timeoutMs,
    maxOutputBytes: PHP_PROBE_MAX_OUTPUT,
  });
  const code = r.error?.code;
  if (code === 'ENOENT' || code === 'EBADCWD') throw new Error(`${phpPath} does not exist`);
  if (code === 'EACCES') throw new Error(`${phpPath} cannot be executed (permission denied)`);
  if (r.error) throw new Error(`${phpPath} could not be started (${r.error.code})`);
  if (r.timedOut)
    throw new Error(
      `${phpPath} did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`,
    );
  if (r.exitCode !== 0) {
    const first = r.output.trim().split('\n')[0]?.slice(0, 200);
    const how = r.exitCode !== null ? `exit code ${r.exitCode}` : (r.signal ?? 'error');
    throw new Error(`${phpPath} failed (${how})${first ? `: ${first}` : ''}`);
  }
  return parsePhpProbeOutput(r.output);
}

/** A probe of the php at `phpPath` (run once, on first use). */
export function createPhpProbe(runner: ProcessRunner, phpPath: string, options: { timeoutMs?: number } = {}): PhpProbe {
  let facts: Promise<PhpFacts> | null = null;
  const once = () => (facts ??= run(runner, phpPath, options.timeoutMs ?? PHP_PROBE_TIMEOUT_MS));
  return {
    version: async () => (await once()).version,
    extensions: async () => (await once()).extensions,
  };
}

/** The first executable `php` on PATH, or null (the doctor then says php is not installed). */
export async function findPhp(fs: FileSystem, host: Pick<HostInfo, 'pathEnv' | 'platform'>): Promise<string | null> {
  const path = host.platform === 'win32' ? nodePath.win32 : nodePath.posix;
  const name = host.platform === 'win32' ? 'php.exe' : 'php';
  // Relative PATH entries resolve against the current folder: a php dropped there must not be run.
  for (const dir of (host.pathEnv ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d))) {
    const candidate = path.join(dir, name);
    const isFile = await fs.stat(candidate).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isFile && (host.platform === 'win32' || (await fs.access(candidate, 'execute')))) return candidate;
  }
  return null;
}
