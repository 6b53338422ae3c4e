import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { nodeProcessRunner } from '../../adapters/process-runner';
import { findPhp as findPhpOn, parsePhpProbeOutput, PHP_PROBE_CODE, createPhpProbe as probeWith } from './php-probe';
import { ALL_EXTENSIONS } from './instance/testing-doctor.testkit';

const createPhpProbe = (php: string, options?: { timeoutMs?: number }) => probeWith(nodeProcessRunner, php, options);
const findPhp = (env: { PATH?: string }, platform: NodeJS.Platform) =>
  findPhpOn(nodeFileSystem, { pathEnv: env.PATH, platform });

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A fake php: a shell script in a folder whose name a shell would choke on. */
function fakePhp(body: string, mode = 0o755): { php: string; dir: string } {
  const dir = join(mkdtempSync(join(tmpdir(), 'md-php-')), 'my php;$(x)');
  temps.push(join(dir, '..'));
  mkdirSync(dir);
  const php = join(dir, 'php');
  writeFileSync(php, `#!/bin/sh\n${body}\n`);
  chmodSync(php, mode);
  return { php, dir };
}

describe('createPhpProbe', () => {
  it('runs php -r with the probe code, without a shell, once for both answers', async () => {
    const { php, dir } = fakePhp(
      `echo call >> "$(dirname "$0")/calls"\nprintf '%s' "$2" > "$(dirname "$0")/code"\n[ "$1" = "-r" ] || exit 3\nprintf '8.2.7\\n${ALL_EXTENSIONS.join(',')}'`,
    );
    const probe = createPhpProbe(php);
    await expect(probe.version()).resolves.toBe('8.2.7');
    await expect(probe.extensions()).resolves.toEqual(ALL_EXTENSIONS);
    expect(readFileSync(join(dir, 'code'), 'utf8')).toBe(PHP_PROBE_CODE);
    expect(PHP_PROBE_CODE).toBe(`echo PHP_VERSION, "\\n", implode(",", get_loaded_extensions());`);
    expect(readFileSync(join(dir, 'calls'), 'utf8')).toBe('call\n');
  });

  it('skips start-up warnings printed before the answer', async () => {
    const { php } = fakePhp(
      `printf 'PHP Warning:  Module "zip" is already loaded in Unknown on line 0\\n8.1.2-1ubuntu2.14\\nCore,zip\\n'`,
    );
    const probe = createPhpProbe(php);
    await expect(probe.version()).resolves.toBe('8.1.2-1ubuntu2.14');
    await expect(probe.extensions()).resolves.toEqual(['Core', 'zip']);
  });

  it('says when php does not exist', async () => {
    const missing = join(tmpdir(), 'md-no-such-dir', 'php');
    await expect(createPhpProbe(missing).version()).rejects.toThrow(`${missing} does not exist`);
  });

  it('says when php cannot be executed', async () => {
    const { php } = fakePhp('echo 8.2.7', 0o644);
    await expect(createPhpProbe(php).version()).rejects.toThrow(`${php} cannot be executed (permission denied)`);
  });

  it('gives the exit code and the first line of its output when php fails', async () => {
    const { php } = fakePhp(`echo 'PHP Fatal error:  Unable to start' >&2\necho 'second line' >&2\nexit 255`);
    await expect(createPhpProbe(php).extensions()).rejects.toThrow(
      `${php} failed (exit code 255): PHP Fatal error:  Unable to start`,
    );
  });

  it('gives up after the timeout', async () => {
    const { php } = fakePhp('exec sleep 5');
    const started = Date.now();
    await expect(createPhpProbe(php, { timeoutMs: 200 }).version()).rejects.toThrow(
      `${php} did not answer within 200 ms`,
    );
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('refuses output without a version', async () => {
    const { php } = fakePhp(`echo 'Could not open input file'`);
    await expect(createPhpProbe(php).version()).rejects.toThrow('php printed no version');
  });
});

describe('parsePhpProbeOutput', () => {
  it('reads a version without extensions line', () => {
    expect(parsePhpProbeOutput('7.4.33\n')).toEqual({ version: '7.4.33', extensions: [] });
  });
});

describe('findPhp', () => {
  it('finds the first executable php on PATH', async () => {
    const { php, dir } = fakePhp('echo 8.2.7');
    const empty = mkdtempSync(join(tmpdir(), 'md-path-'));
    temps.push(empty);
    mkdirSync(join(empty, 'php')); // a folder named php is not a php
    await expect(findPhp({ PATH: [empty, dir].join(delimiter) }, 'linux')).resolves.toBe(php);
    await expect(findPhp({ PATH: empty }, 'linux')).resolves.toBeNull();
    await expect(findPhp({}, 'linux')).resolves.toBeNull();
  });
});
