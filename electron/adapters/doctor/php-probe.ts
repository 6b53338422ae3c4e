import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { PhpProbe } from '../../core/doctor/instance-checks';

/** What is run: the version on one line, the loaded extensions comma-separated on the next. */
export const PHP_PROBE_CODE = 'echo PHP_VERSION, "\\n", implode(",", get_loaded_extensions());';
export const PHP_PROBE_TIMEOUT_MS = 10_000;

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

function run(phpPath: string, timeoutMs: number): Promise<PhpFacts> {
  return new Promise((resolve, reject) => {
    execFile(
      phpPath,
      ['-r', PHP_PROBE_CODE],
      { shell: false, timeout: timeoutMs, windowsHide: true, maxBuffer: 1_048_576, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const e = error;
          const why =
            e.code === 'ENOENT'
              ? `${phpPath} does not exist`
              : e.code === 'EACCES'
                ? `${phpPath} cannot be executed (permission denied)`
                : e.killed
                  ? `${phpPath} did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`
                  : `${phpPath} failed (${typeof e.code === 'number' ? `exit code ${e.code}` : String(e.signal ?? e.code ?? 'error')})${stderr.trim() ? `: ${stderr.trim().split('\n')[0]!.slice(0, 200)}` : ''}`;
          reject(new Error(why));
          return;
        }
        try {
          resolve(parsePhpProbeOutput(stdout));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      },
    );
  });
}

/** A probe of the php at `phpPath` (run without a shell, once, on first use). */
export function createPhpProbe(phpPath: string, options: { timeoutMs?: number } = {}): PhpProbe {
  let facts: Promise<PhpFacts> | null = null;
  const once = () => (facts ??= run(phpPath, options.timeoutMs ?? PHP_PROBE_TIMEOUT_MS));
  return {
    version: async () => (await once()).version,
    extensions: async () => (await once()).extensions,
  };
}

/** The first executable `php` on PATH, or null (the doctor then says php is not installed). */
export async function findPhp(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): Promise<string | null> {
  const names = platform === 'win32' ? ['php.exe'] : ['php'];
  // Relative PATH entries resolve against the current folder: a php dropped there must not be run.
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => isAbsolute(d))) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (!(await stat(candidate)).isFile()) continue;
        await access(candidate, platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
        return candidate;
      } catch {
        // keep looking
      }
    }
  }
  return null;
}
