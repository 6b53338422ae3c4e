import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { minimalEnv } from '../core/glpi-console';
import type { ProcessRequest, ProcessResult, ProcessRunner } from '../core/ports';

/** How long to wait for the pipes to close once the process is gone (a grandchild may hold them). */
const PIPE_GRACE_MS = 2_000;
/** How long to wait for the process to go after SIGKILL before giving up on it. */
const KILL_GRACE_MS = 5_000;

/**
 * ProcessRunner over child_process.spawn: no shell, no window on Windows, stdin closed, stdout and
 * stderr collected together in arrival order. On POSIX the child leads its own process group so a
 * timeout can kill everything it started; on Windows `taskkill /T /F` does the same.
 */
export const nodeProcessRunner: ProcessRunner = {
  async run(req: ProcessRequest): Promise<ProcessResult> {
    const cwdProblem = await checkCwd(req.cwd);
    if (cwdProblem) return notStarted('EBADCWD', cwdProblem);

    let child: ChildProcess;
    try {
      child = spawn(req.file, req.args, {
        cwd: req.cwd,
        env: req.env ?? minimalEnv(process.env),
        shell: false,
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
      });
    } catch (e) {
      // spawn throws synchronously for bad arguments (e.g. a NUL byte), not for a missing program.
      const err = e as NodeJS.ErrnoException;
      return notStarted(err.code ?? 'ESPAWN', err.message);
    }
    return collect(child, req);
  },
};

async function checkCwd(cwd: string): Promise<string | null> {
  try {
    return (await stat(cwd)).isDirectory() ? null : `${cwd} is not a folder`;
  } catch (e) {
    return `${cwd} cannot be used as working folder: ${(e as Error).message}`;
  }
}

function notStarted(code: string, message: string): ProcessResult {
  return { exitCode: null, signal: null, output: '', truncated: false, timedOut: false, error: { code, message } };
}

function collect(child: ChildProcess, req: ProcessRequest): Promise<ProcessResult> {
  return new Promise<ProcessResult>((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    let timedOut = false;
    let exit: { code: number | null; signal: string | null } | null = null;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const onData = (chunk: Buffer): void => {
      // Past the cap, data is still read (and dropped) so the child never blocks on a full pipe.
      if (truncated) return;
      const room = req.maxOutputBytes - kept;
      if (chunk.length > room) {
        truncated = true;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        kept += Math.max(room, 0);
        return;
      }
      chunks.push(chunk);
      kept += chunk.length;
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);

    const finish = (error?: { code: string; message: string }): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      child.stdout?.destroy();
      child.stderr?.destroy();
      const result: ProcessResult = {
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        output: Buffer.concat(chunks).toString('utf8'),
        truncated,
        timedOut,
      };
      if (error) result.error = error;
      resolve(result);
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      // A failed start (ENOENT, EACCES, ...) leaves no pid; later errors (a failed kill) are not fatal.
      if (child.pid === undefined) finish({ code: err.code ?? 'ESPAWN', message: err.message });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      timers.push(setTimeout(() => finish(), PIPE_GRACE_MS));
    });
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      finish();
    });

    timers.push(
      setTimeout(() => {
        if (exit) return;
        timedOut = true;
        killTree(child);
        timers.push(setTimeout(() => finish(), KILL_GRACE_MS));
      }, req.timeoutMs),
    );
  });
}

function killTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
    killer.on('error', () => child.kill('SIGKILL'));
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
