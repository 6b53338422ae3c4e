import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProcessRequest } from '../core/ports';
import { nodeProcessRunner } from './process-runner';

const temps: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  // realpath: macOS's tmpdir is behind a symlink and `pwd` prints the resolved path.
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'md-runner-')));
  temps.push(d);
  return d;
}

function script(dir: string, name: string, body: string, mode = 0o755): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, mode);
  return p;
}

/** A stand-in for php: prints its arguments and folder, writes to stderr, exits with $FAKE_EXIT. */
const FAKE_PHP = [
  'echo "args: $*"',
  'echo "cwd: $(pwd)"',
  'echo "lang: ${LANG-unset}"',
  'echo "on stderr" >&2',
  'exit "${FAKE_EXIT:-0}"',
].join('\n');

function request(file: string, cwd: string, extra: Partial<ProcessRequest> = {}): ProcessRequest {
  return { file, args: [], cwd, timeoutMs: 10_000, maxOutputBytes: 64 * 1024, ...extra };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed process waiting to be reaped still answers kill(0); on Linux /proc tells zombies apart.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe.skipIf(process.platform === 'win32')('nodeProcessRunner', () => {
  it('runs the program without a shell, in cwd, with its arguments and exit code', async () => {
    const bin = tempDir();
    const root = tempDir();
    const php = script(bin, 'php', FAKE_PHP);
    const result = await nodeProcessRunner.run(
      request(php, root, {
        args: ['bin/console', 'plugin:install', '--username=Jean $(id)', 'fields;rm -rf /'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', FAKE_EXIT: '3' },
      }),
    );
    expect(result.error).toBeUndefined();
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeNull();
    expect(result.timedOut).toBe(false);
    expect(result.truncated).toBe(false);
    expect(result.output).toContain('args: bin/console plugin:install --username=Jean $(id) fields;rm -rf /\n');
    expect(result.output).toContain(`cwd: ${root}\n`);
    expect(result.output).toContain('on stderr\n');
    // The given env is the whole env: no LANG was added to it.
    expect(result.output).toContain('lang: unset\n');
  });

  it('interleaves stdout and stderr in arrival order', async () => {
    const dir = tempDir();
    const prog = script(dir, 'talk', 'echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three');
    const result = await nodeProcessRunner.run(request(prog, dir, { env: { PATH: process.env.PATH ?? '' } }));
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe('one\ntwo\nthree\n');
  });

  it('passes a minimal copy of process.env, with LANG=C, when no env is given', async () => {
    vi.stubEnv('LANG', undefined);
    vi.stubEnv('MARKETDESK_TEST_SECRET_TOKEN', 'do-not-leak-me');
    vi.stubEnv('GLPI_CONFIG_DIR', '/etc/glpi-test');
    const dir = tempDir();
    const prog = script(dir, 'env', 'env');
    const result = await nodeProcessRunner.run(request(prog, dir));
    expect(result.exitCode).toBe(0);
    const lines = result.output.split('\n');
    expect(lines).toContain('LANG=C');
    expect(lines).toContain('GLPI_CONFIG_DIR=/etc/glpi-test');
    expect(lines.some((l) => l.startsWith('PATH='))).toBe(true);
    expect(result.output).not.toContain('do-not-leak-me');
  });

  it('kills a process that runs too long, and what it started', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'child.pid');
    const prog = script(dir, 'hang', `echo started\nsleep 1000 &\necho $! > '${pidFile}'\nwait`);
    const result = await nodeProcessRunner.run(
      request(prog, dir, { timeoutMs: 300, env: { PATH: process.env.PATH ?? '' } }),
    );
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGKILL');
    expect(result.error).toBeUndefined();
    expect(result.output).toBe('started\n');
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    expect(grandchild).toBeGreaterThan(0);
    await vi.waitFor(() => expect(isAlive(grandchild)).toBe(false), { timeout: 3000, interval: 50 });
  });

  it('caps the output but keeps reading so the program can finish', async () => {
    const dir = tempDir();
    // 1 MiB: far more than a pipe buffer, so a runner that stopped reading would leave it blocked.
    const prog = script(dir, 'chatty', "head -c 1048576 /dev/zero | tr '\\0' x\necho end >&2");
    const result = await nodeProcessRunner.run(
      request(prog, dir, { maxOutputBytes: 1000, timeoutMs: 10_000, env: { PATH: process.env.PATH ?? '' } }),
    );
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.output)).toBe(1000);
    expect(result.output).toBe('x'.repeat(1000));
  });

  it('does not flag output that exactly fits', async () => {
    const dir = tempDir();
    const prog = script(dir, 'fits', 'printf 12345');
    const result = await nodeProcessRunner.run(request(prog, dir, { maxOutputBytes: 5, env: {} }));
    expect(result).toMatchObject({ exitCode: 0, output: '12345', truncated: false });
  });

  it('reports a missing program as ENOENT without throwing', async () => {
    const dir = tempDir();
    const result = await nodeProcessRunner.run(request(join(dir, 'no-such-php'), dir));
    expect(result).toMatchObject({ exitCode: null, signal: null, timedOut: false, output: '' });
    expect(result.error?.code).toBe('ENOENT');
  });

  it('reports a file that is not executable as EACCES without throwing', async () => {
    const dir = tempDir();
    const prog = script(dir, 'php', FAKE_PHP, 0o644);
    const result = await nodeProcessRunner.run(request(prog, dir));
    expect(result.exitCode).toBeNull();
    expect(result.error?.code).toBe('EACCES');
  });

  it('reports a missing working folder as EBADCWD, not as a missing program', async () => {
    const dir = tempDir();
    const php = script(dir, 'php', FAKE_PHP);
    const result = await nodeProcessRunner.run(request(php, join(dir, 'gone')));
    expect(result.exitCode).toBeNull();
    expect(result.error?.code).toBe('EBADCWD');
    expect(result.error?.message).toContain(join(dir, 'gone'));
  });
});
