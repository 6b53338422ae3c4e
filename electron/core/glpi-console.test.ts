import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import {
  CONSOLE_MAX_OUTPUT_BYTES,
  CONSOLE_TIMEOUT_MS,
  consoleCommand,
  findConsole,
  locatePhp,
  minimalEnv,
  runConsoleStep,
  type ConsoleStepRequest,
  type FindConsoleDeps,
} from './glpi-console';
import type { ProcessRequest, ProcessResult, ProcessRunner } from './ports';

describe('consoleCommand', () => {
  it.each([
    ['9.5.0', 'glpi:plugin:install'],
    ['9.5.13', 'glpi:plugin:install'],
    ['10.0.0', 'glpi:plugin:install'],
    ['10.0.5', 'glpi:plugin:install'],
    ['10.0.6-rc1', 'glpi:plugin:install'],
    ['10.0.6', 'plugin:install'],
    ['10.0.18', 'plugin:install'],
    ['11.0.0', 'plugin:install'],
    ['11.0.0-rc1', 'plugin:install'],
    [null, 'glpi:plugin:install'],
    ['not a version', 'glpi:plugin:install'],
  ])('names the install command for %s %s', (version, name) => {
    expect(consoleCommand(version, 'install', 'fields', { user: 'glpi' })).toEqual([
      name,
      '--no-interaction',
      '--username=glpi',
      'fields',
    ]);
  });

  it.each([
    ['9.5.7', 'glpi:plugin:activate'],
    ['10.0.5', 'glpi:plugin:activate'],
    ['10.0.6', 'plugin:activate'],
    ['11.0.1', 'plugin:activate'],
    [null, 'glpi:plugin:activate'],
  ])('names the activate command for %s %s, without --username', (version, name) => {
    expect(consoleCommand(version, 'activate', 'Fields2', { user: 'glpi' })).toEqual([
      name,
      '--no-interaction',
      'Fields2',
    ]);
  });

  it.each(['', 'my-plugin', 'plug in', '../etc', 'fields;rm', '-fields', 'fïelds', 'fields\n'])(
    'refuses the plugin key %j',
    (key) => {
      expect(() => consoleCommand('10.0.18', 'install', key, { user: 'glpi' })).toThrow(AppError);
      expect(() => consoleCommand('10.0.18', 'activate', key, { user: 'glpi' })).toThrow(/not a plugin key/);
    },
  );

  it.each(['', '   ', '-glpi', '--force', 'glpi\nadmin', 'glpi\u0000', 'a\u009bb', 'x'.repeat(256)])(
    'refuses the user name %j for install',
    (user) => {
      expect(() => consoleCommand('10.0.18', 'install', 'fields', { user })).toThrow(AppError);
    },
  );

  it('keeps a user name with spaces, quotes and non-ASCII letters as one argument', () => {
    const args = consoleCommand('11.0.0', 'install', 'fields', { user: `Jean-Éric O'Neil; $(id)` });
    expect(args).toEqual(['plugin:install', '--no-interaction', `--username=Jean-Éric O'Neil; $(id)`, 'fields']);
  });

  it('does not validate the user for activate, which takes none', () => {
    expect(consoleCommand('11.0.0', 'activate', 'fields', { user: '' })).toEqual([
      'plugin:activate',
      '--no-interaction',
      'fields',
    ]);
  });
});

describe('findConsole', () => {
  function deps(files: Record<string, 'x' | 'r'>, pathEnv: string | undefined, platform: NodeJS.Platform = 'linux') {
    const seen: string[] = [];
    const d: FindConsoleDeps = {
      exists: (p) => {
        seen.push(p);
        return Promise.resolve(p in files);
      },
      isExecutable: (p) => Promise.resolve(files[p] === 'x'),
      pathEnv,
      platform,
    };
    return { d, seen };
  }

  it('finds bin/console and the first executable php on PATH', async () => {
    const { d } = deps(
      { '/srv/glpi/bin/console': 'r', '/usr/local/bin/php': 'r', '/usr/bin/php': 'x', '/bin/php': 'x' },
      '/usr/local/bin:/usr/bin:/bin',
    );
    expect(await findConsole('/srv/glpi', null, d)).toEqual({
      available: true,
      php: '/usr/bin/php',
      console: '/srv/glpi/bin/console',
    });
  });

  it('says when the tree has no console', async () => {
    const { d } = deps({ '/usr/bin/php': 'x' }, '/usr/bin');
    expect(await findConsole('/srv/glpi', null, d)).toEqual({
      available: false,
      reason: 'no bin/console in /srv/glpi: this GLPI tree has no console',
    });
  });

  it('says when php is nowhere on PATH, or PATH is unset', async () => {
    const reason = 'php is not installed or not on PATH; set its path in Settings';
    const { d } = deps({ '/srv/glpi/bin/console': 'r' }, '/usr/bin:/bin');
    expect(await findConsole('/srv/glpi', null, d)).toEqual({ available: false, reason });
    const { d: noPath } = deps({ '/srv/glpi/bin/console': 'r' }, undefined);
    expect(await findConsole('/srv/glpi', '  ', noPath)).toEqual({ available: false, reason });
  });

  it('skips empty and relative PATH entries (they resolve against the current folder)', async () => {
    const { d, seen } = deps(
      { '/srv/glpi/bin/console': 'r', php: 'x', 'bin/php': 'x', '/opt/php/php': 'x' },
      ':bin::/opt/php',
    );
    expect(await findConsole('/srv/glpi', null, d)).toMatchObject({ available: true, php: '/opt/php/php' });
    expect(seen).toEqual(['/srv/glpi/bin/console', '/opt/php/php']);
  });

  it('uses the php set in Settings when it is absolute, present and executable', async () => {
    const files = {
      '/srv/glpi/bin/console': 'r',
      '/usr/bin/php': 'x',
      '/opt/php83/bin/php': 'x',
      '/opt/ro/php': 'r',
    } as const;
    const { d } = deps({ ...files }, '/usr/bin');
    expect(await findConsole('/srv/glpi', '/opt/php83/bin/php', d)).toMatchObject({ php: '/opt/php83/bin/php' });
    expect(await findConsole('/srv/glpi', 'php83', d)).toEqual({
      available: false,
      reason: 'the php path set in Settings is not absolute: php83',
    });
    expect(await findConsole('/srv/glpi', '/opt/php84/bin/php', d)).toEqual({
      available: false,
      reason: 'the php set in Settings does not exist: /opt/php84/bin/php',
    });
    expect(await findConsole('/srv/glpi', '/opt/ro/php', d)).toEqual({
      available: false,
      reason: 'the php set in Settings is not executable: /opt/ro/php',
    });
  });

  it('looks for php.exe on a Windows PATH, quoted entries included', async () => {
    const { d } = deps(
      { 'C:\\glpi\\bin\\console': 'r', 'C:\\Program Files\\PHP\\php.exe': 'x' },
      'C:\\Windows\\system32;"C:\\Program Files\\PHP";',
      'win32',
    );
    expect(await findConsole('C:\\glpi', null, d)).toEqual({
      available: true,
      php: 'C:\\Program Files\\PHP\\php.exe',
      console: 'C:\\glpi\\bin\\console',
    });
  });

  it('refuses a relative GLPI root', async () => {
    const { d } = deps({ 'glpi/bin/console': 'r', '/usr/bin/php': 'x' }, '/usr/bin');
    expect(await findConsole('glpi', null, d)).toMatchObject({ available: false });
  });
});

class FakeRunner implements ProcessRunner {
  readonly requests: ProcessRequest[] = [];
  constructor(private readonly result: Partial<ProcessResult>) {}
  run(req: ProcessRequest): Promise<ProcessResult> {
    this.requests.push(req);
    return Promise.resolve({
      exitCode: 0,
      signal: null,
      output: '',
      truncated: false,
      timedOut: false,
      ...this.result,
    });
  }
}

const base: ConsoleStepRequest = {
  php: '/usr/bin/php',
  root: '/var/www/glpi',
  glpiVersion: '10.0.18',
  action: 'install',
  key: 'fields',
  user: 'glpi',
  env: { PATH: '/usr/bin:/bin' },
  platform: 'linux',
};

async function step(result: Partial<ProcessResult>, req: Partial<ConsoleStepRequest> = {}) {
  const runner = new FakeRunner(result);
  const out = await runConsoleStep(runner, { ...base, ...req });
  return { out, runner };
}

describe('runConsoleStep', () => {
  it('runs php bin/console from the GLPI root with the defaults', async () => {
    const { out, runner } = await step({
      exitCode: 0,
      output: 'Plugin "fields" has been installed and can be activated.',
    });
    expect(runner.requests).toHaveLength(1);
    expect(runner.requests[0]).toEqual({
      file: '/usr/bin/php',
      args: ['bin/console', 'plugin:install', '--no-interaction', '--username=glpi', 'fields'],
      cwd: '/var/www/glpi',
      timeoutMs: CONSOLE_TIMEOUT_MS,
      maxOutputBytes: CONSOLE_MAX_OUTPUT_BYTES,
      env: { PATH: '/usr/bin:/bin', LANG: 'C' },
    });
    expect(CONSOLE_TIMEOUT_MS).toBe(120_000);
    expect(CONSOLE_MAX_OUTPUT_BYTES).toBe(256 * 1024);
    expect(out).toEqual({
      commandLine:
        'cd /var/www/glpi && /usr/bin/php bin/console plugin:install --no-interaction --username=glpi fields',
      ok: true,
      exitCode: 0,
      output: 'Plugin "fields" has been installed and can be activated.',
      truncated: false,
      message: 'GLPI installed plugin "fields".',
    });
  });

  it('shell-quotes the displayed command line', async () => {
    const { out } = await step({}, { root: "/srv/my glpi's", user: 'Jean Dupont', php: '/opt/php 8/php' });
    expect(out.commandLine).toBe(
      `cd '/srv/my glpi'\\''s' && '/opt/php 8/php' bin/console plugin:install --no-interaction '--username=Jean Dupont' fields`,
    );
    const { out: win } = await step(
      {},
      { root: 'C:\\GLPI', php: 'C:\\Program Files\\PHP\\php.exe', platform: 'win32', glpiVersion: '9.5.7' },
    );
    expect(win.commandLine).toBe(
      'cd /d C:\\GLPI && "C:\\Program Files\\PHP\\php.exe" bin/console glpi:plugin:install --no-interaction --username=glpi fields',
    );
  });

  it('passes the timeout and output cap it is given', async () => {
    const { runner } = await step({}, { timeoutMs: 5000, maxOutputBytes: 1024, action: 'activate' });
    expect(runner.requests[0]).toMatchObject({
      timeoutMs: 5000,
      maxOutputBytes: 1024,
      args: ['bin/console', 'plugin:activate', '--no-interaction', 'fields'],
    });
  });

  it('never passes secrets in the environment or the arguments', async () => {
    const secret = 'AbCdEf0123456789registrationkey';
    const env = {
      PATH: '/usr/bin',
      HOME: '/home/admin',
      LC_ALL: 'fr_FR.UTF-8',
      GLPI_CONFIG_DIR: '/etc/glpi',
      MARKETDESK_REGISTRATION_KEY: secret,
      GLPI_NETWORK_REGISTRATION_KEY: secret,
      GLPI_DB_PASSWORD: secret,
      LC_SECRET_TOKEN: secret,
      AWS_SECRET_ACCESS_KEY: secret,
      GITHUB_TOKEN: secret,
      HTTPS_PROXY: `http://admin:${secret}@proxy:3128`,
      DB_PASSWORD: secret,
      SSH_AUTH_SOCK: '/tmp/ssh-agent',
      ELECTRON_RUN_AS_NODE: '1',
      NODE_OPTIONS: '--require /tmp/evil.js',
      UNDEFINED_ONE: undefined,
    };
    const { runner } = await step({}, { env });
    const req = runner.requests[0];
    expect(req?.env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/admin',
      LC_ALL: 'fr_FR.UTF-8',
      GLPI_CONFIG_DIR: '/etc/glpi',
      LANG: 'C',
    });
    expect(JSON.stringify(req)).not.toContain(secret);
  });

  it('uses process.env through the allowlist when no environment is given', async () => {
    const runner = new FakeRunner({});
    const { env: _env, ...withoutEnv } = base;
    await runConsoleStep(runner, withoutEnv);
    expect(runner.requests[0]?.env).toEqual(minimalEnv(process.env));
    expect(Object.keys(runner.requests[0]?.env ?? {}).filter((k) => k.startsWith('MARKETDESK_'))).toEqual([]);
  });

  it('keeps an existing LANG and matches Windows variable names whatever their case', () => {
    expect(minimalEnv({ LANG: 'de_DE.UTF-8', Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', Npm_Token: 'x' })).toEqual(
      {
        LANG: 'de_DE.UTF-8',
        Path: 'C:\\Windows',
        SystemRoot: 'C:\\Windows',
      },
    );
  });

  it('refuses bad arguments without running anything', async () => {
    for (const req of [{ key: 'my-plugin' }, { user: '-x' }, { php: 'php' }, { root: 'glpi' }]) {
      const { out, runner } = await step({}, req);
      expect(runner.requests).toEqual([]);
      expect(out.ok).toBe(false);
      expect(out.message).not.toBe('');
    }
  });

  describe('interprets the outcome', () => {
    it('exit 0 on 10.0 and 11 is success', async () => {
      const { out } = await step({ exitCode: 0 }, { glpiVersion: '11.0.0', action: 'activate' });
      expect(out).toMatchObject({ ok: true, message: 'GLPI activated plugin "fields".' });
      expect(out.fix).toBeUndefined();
    });

    it('exit 0 on 9.5 says the exit code proves nothing', async () => {
      const { out } = await step(
        { exitCode: 0, output: 'Plugin "fields" requirements not met.' },
        { glpiVersion: '9.5.13' },
      );
      expect(out.ok).toBe(true);
      expect(out.message).toContain('GLPI 9.5 does not report failures in its exit code; read the output');
      expect(out.fix).toContain('Setup > Plugins');
    });

    it('exit 0 on an unknown version carries the 9.5 caveat', async () => {
      const { out } = await step({ exitCode: 0 }, { glpiVersion: null });
      expect(out.ok).toBe(true);
      expect(out.message).toContain('does not report failures in its exit code');
    });

    it('exit 1 is the plugin command failing', async () => {
      const { out } = await step({ exitCode: 1, output: 'User name defined by --username option is invalid.' });
      expect(out.ok).toBe(false);
      expect(out.exitCode).toBe(1);
      expect(out.message).toBe('GLPI could not install plugin "fields" (bin/console exit code 1).');
      expect(out.fix).toContain('"glpi" does not exist');
      const { out: act } = await step({ exitCode: 1 }, { action: 'activate' });
      expect(act.message).toBe('GLPI could not activate plugin "fields" (bin/console exit code 1).');
    });

    it('exit 1 on 9.5 is a failure too (an exception)', async () => {
      const { out } = await step({ exitCode: 1 }, { glpiVersion: '9.5.0' });
      expect(out.ok).toBe(false);
    });

    it('exit 128 is missing system requirements', async () => {
      for (const glpiVersion of ['10.0.18', '11.0.0', null]) {
        const { out } = await step({ exitCode: 128 }, { glpiVersion });
        expect(out.ok).toBe(false);
        expect(out.message).toMatch(/missing system requirements/);
      }
    });

    it('exit 129 on GLPI 10 is a database that is not up to date', async () => {
      const { out } = await step({ exitCode: 129 }, { glpiVersion: '10.0.3' });
      expect(out.ok).toBe(false);
      expect(out.message).toMatch(/database is not up to date/);
      expect(out.fix).toMatch(/db:update/);
    });

    it('exit 129 on GLPI 11 is denied write access to the configuration', async () => {
      const { out } = await step({ exitCode: 129 }, { glpiVersion: '11.0.1' });
      expect(out.message).toMatch(/cannot write to its configuration files/);
      expect(out.message).not.toMatch(/database/);
    });

    it('exit 129 on an unknown version names both meanings', async () => {
      const { out } = await step({ exitCode: 129 }, { glpiVersion: null });
      expect(out.message).toMatch(/database is not up to date/);
      expect(out.message).toMatch(/cannot write to its configuration files/);
    });

    it('exit 130 on GLPI 11 is an unavailable database, 131 an outdated one', async () => {
      const { out: c130 } = await step({ exitCode: 130 }, { glpiVersion: '11.0.0' });
      expect(c130).toMatchObject({
        ok: false,
        message: 'GLPI cannot connect to its database (bin/console exit code 130).',
      });
      const { out: c131 } = await step({ exitCode: 131 }, { glpiVersion: '11.0.0' });
      expect(c131.message).toMatch(/database is not up to date/);
    });

    it('exit 130 on GLPI 10 has no special meaning', async () => {
      const { out } = await step({ exitCode: 130 }, { glpiVersion: '10.0.18' });
      expect(out).toMatchObject({ ok: false, message: 'bin/console failed with exit code 130.' });
    });

    it('exit 255 is a PHP fatal error, anything else a plain failure', async () => {
      const { out } = await step({ exitCode: 255, output: 'PHP Fatal error: ...' });
      expect(out.message).toMatch(/fatal error/);
      const { out: other } = await step({ exitCode: 2 });
      expect(other).toMatchObject({ ok: false, message: 'bin/console failed with exit code 2.' });
    });

    it('a timeout says the process was stopped', async () => {
      const { out } = await step({ exitCode: null, signal: 'SIGKILL', timedOut: true }, { timeoutMs: 30_000 });
      expect(out.ok).toBe(false);
      expect(out.message).toBe('bin/console did not finish within 30 s and was stopped.');
      expect(out.fix).toMatch(/half installed/);
    });

    it('a signal says the process was killed', async () => {
      const { out } = await step({ exitCode: null, signal: 'SIGTERM' });
      expect(out).toMatchObject({
        ok: false,
        exitCode: null,
        message: 'bin/console was killed by SIGTERM before it finished.',
      });
    });

    it('ENOENT means php is missing, EACCES that it cannot be run, EBADCWD that the root is gone', async () => {
      const { out } = await step({ exitCode: null, error: { code: 'ENOENT', message: 'spawn /usr/bin/php ENOENT' } });
      expect(out).toMatchObject({ ok: false, message: 'php was not found at /usr/bin/php.' });
      expect(out.fix).toMatch(/Settings/);
      const { out: acc } = await step({ exitCode: null, error: { code: 'EACCES', message: 'spawn EACCES' } });
      expect(acc.message).toMatch(/permission denied/);
      const { out: cwd } = await step({ exitCode: null, error: { code: 'EBADCWD', message: 'gone' } });
      expect(cwd.message).toMatch(/\/var\/www\/glpi cannot be opened/);
      const { out: other } = await step({ exitCode: null, error: { code: 'E2BIG', message: 'too big' } });
      expect(other).toMatchObject({ ok: false, message: 'php could not be started (E2BIG): too big' });
    });

    it("explains GLPI 11's refusal to run as root, without adding --allow-superuser", async () => {
      const output = [
        '\tWARNING: running as root is discouraged.',
        '\tYou should run the script as the same user that your web server runs as to avoid file permissions being ruined.',
        '\tUse --allow-superuser option to bypass this limitation.',
      ].join('\n');
      const { out, runner } = await step({ exitCode: 1, output }, { glpiVersion: '11.0.0' });
      expect(runner.requests[0]?.args).not.toContain('--allow-superuser');
      expect(out.ok).toBe(false);
      expect(out.message).toMatch(/refuses to run its console as root/);
      expect(out.fix).toMatch(/web server's user/);
      expect(out.fix).toContain('sudo -u www-data');
      expect(out.fix).toContain('does not add --allow-superuser');
    });

    it('flags truncated output in the message', async () => {
      const { out } = await step(
        { exitCode: 0, output: 'x'.repeat(10), truncated: true },
        { maxOutputBytes: 10 * 1024 },
      );
      expect(out.truncated).toBe(true);
      expect(out.message).toMatch(/output cut at 10 KiB/);
    });
  });
});

describe('locatePhp (the console step and the guard’s php -l)', () => {
  const deps = (executable: string[], pathEnv: string, platform: NodeJS.Platform = 'linux') => ({
    exists: (p: string) => Promise.resolve(executable.includes(p)),
    isExecutable: (p: string) => Promise.resolve(executable.includes(p)),
    pathEnv,
    platform,
  });

  it('takes the php set in Settings, else the first php of an absolute PATH entry', async () => {
    expect(await locatePhp('/opt/php/bin/php', deps(['/opt/php/bin/php'], '/usr/bin'))).toEqual({
      php: '/opt/php/bin/php',
    });
    expect(await locatePhp('php', deps(['/usr/bin/php'], '/usr/bin'))).toEqual({
      reason: 'the php path set in Settings is not absolute: php',
    });
    expect(await locatePhp(null, deps(['/usr/bin/php', 'bin/php'], 'bin::/usr/local/bin:/usr/bin'))).toEqual({
      php: '/usr/bin/php',
    });
    expect(await locatePhp('', deps([], '/usr/bin'))).toEqual({
      reason: 'php is not installed or not on PATH; set its path in Settings',
    });
    expect(await locatePhp(null, deps(['C:\\PHP\\php.exe'], '"C:\\PHP";C:\\Windows', 'win32'))).toEqual({
      php: 'C:\\PHP\\php.exe',
    });
  });
});
