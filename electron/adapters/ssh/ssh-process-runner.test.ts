import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessRequest, ProcessRunner } from '../../core/ports';
import type { SshConnection } from './ssh-connect';
import { commandLine, shellQuote, sshProcessRunner } from './ssh-process-runner';
import { connectTestSshd, sshdUnavailable, startSshd, type TestSshd } from './testing-sshd.testkit';

describe('the command line', () => {
  it('quotes every word for a POSIX shell', () => {
    expect(shellQuote('/usr/bin/php')).toBe('/usr/bin/php');
    expect(shellQuote("it's; rm -rf / $(x) `y`")).toBe(`'it'\\''s; rm -rf / $(x) \`y\`'`);
    expect(shellQuote('')).toBe("''");
    const sh = spawnSync(
      'sh',
      ['-c', `printf '%s|' ${['a b', "it's", '$HOME', '*', '\\n'].map(shellQuote).join(' ')}`],
      {
        encoding: 'utf8',
      },
    );
    expect(sh.stdout).toBe("a b|it's|$HOME|*|\\n|");
  });

  it('goes to the folder, bounds the time, and runs through sudo -n and env -i when asked', () => {
    const req: ProcessRequest = {
      file: '/usr/bin/php',
      args: ['bin/console', 'plugin:install', 'fields'],
      cwd: '/var/www/glpi',
      timeoutMs: 120_000,
      maxOutputBytes: 1000,
      env: { PATH: '/usr/bin:/bin', LANG: 'C' },
    };
    expect(commandLine(req, { sudoUser: 'www-data' })).toBe(
      'cd /var/www/glpi 2>/dev/null || exit 96; exec timeout -k 2 120 sudo -n -u www-data -- env -i PATH=/usr/bin:/bin LANG=C /usr/bin/php bin/console plugin:install fields',
    );
    expect(() => commandLine({ ...req, env: { 'A;B': 'x' } })).toThrow(/not an environment variable name/);
  });
});

const why = sshdUnavailable();

describe.skipIf(why !== null)(`sshProcessRunner on a real sshd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let conn: SshConnection;
  let runner: ProcessRunner;
  const req = (file: string, args: string[], extra: Partial<ProcessRequest> = {}): ProcessRequest => ({
    file,
    args,
    cwd: sshd.dir,
    timeoutMs: 10_000,
    maxOutputBytes: 10_000,
    ...extra,
  });

  beforeAll(async () => {
    sshd = await startSshd();
    conn = await connectTestSshd(sshd);
    runner = sshProcessRunner(conn.client);
  });
  afterAll(async () => {
    conn?.close();
    await sshd?.close();
  });

  it('runs a program in its folder with its arguments as words, and reports its exit code', async () => {
    const r = await runner.run(
      req('/bin/sh', ['-c', 'pwd; id -un; echo "$1"; echo err >&2; exit 3', 'sh', "a b 'c'; $(id)"]),
    );
    expect(r).toMatchObject({ exitCode: 3, timedOut: false, truncated: false });
    expect(r.error).toBeUndefined();
    expect(r.output.split('\n').slice(0, 3)).toEqual([sshd.dir, sshd.user, "a b 'c'; $(id)"]);
    expect(r.output).toContain('err');
  });

  it('passes exactly the environment it is given', async () => {
    const r = await runner.run(req('/usr/bin/env', [], { env: { LANG: 'C', ONLY: 'this' } }));
    expect(r.output.trim().split('\n').sort()).toEqual(['LANG=C', 'ONLY=this']);
  });

  it('says when the folder or the program is missing', async () => {
    expect((await runner.run(req('/bin/true', [], { cwd: `${sshd.dir}/missing` }))).error?.code).toBe('EBADCWD');
    expect((await runner.run(req('/usr/bin/no-such-php', []))).error?.code).toBe('ENOENT');
  });

  it('keeps at most maxOutputBytes and says so', async () => {
    const r = await runner.run(req('/bin/sh', ['-c', 'head -c 50000 /dev/zero | tr "\\0" x'], { maxOutputBytes: 100 }));
    expect(r.output).toBe('x'.repeat(100));
    expect(r.truncated).toBe(true);
    expect(r.exitCode).toBe(0);
  });

  it('stops a program that runs too long, on the server too', async () => {
    // A shell and its child: both must be gone (timeout signals the whole process group).
    const seconds = 1000 + (Date.now() % 1000);
    const marker = `md-marker-${seconds}`;
    const started = Date.now();
    const r = await runner.run(req('/bin/sh', ['-c', `sleep ${seconds}; echo ${marker}`], { timeoutMs: 1000 }));
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(8000);
    expect(spawnSync('pgrep', ['-f', marker]).status).toBe(1);
    expect(spawnSync('pgrep', ['-fx', `sleep ${seconds}`]).status).toBe(1);
  });

  it('through sudo -n with no rule for it: says sudo wants a password, never waits for one', async () => {
    const r = await sshProcessRunner(conn.client, { sudoUser: 'root' }).run(req('/usr/bin/id', ['-un']));
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/sudo|password|not found/i);
  });
});
