/**
 * Real web servers from Debian serving a GLPI tree on 127.0.0.1, to prove what can be fetched by URL:
 * Apache 2.4 with mod_php (`apache2 -f <conf> -DFOREGROUND`, its own minimal config, PidFile and
 * ErrorLog in a temp folder, `AllowOverride All` so GLPI's .htaccess files apply, as GLPI's install
 * documentation configures it), and PHP's built-in server (`php -S`). As root, Apache's children
 * run as `www-data` (User/Group) and the tree is made world-readable.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const PHP_MODULE = 'libphp8.2.so';
const START_TIMEOUT_MS = 10_000;

/** Why a real Apache with mod_php cannot run here, or null when it can. */
export function apacheUnavailable(): string | null {
  if (!existsSync(APACHE)) return `${APACHE} is missing (Debian package apache2; run npm run setup)`;
  if (!existsSync(join(MODULES, PHP_MODULE)))
    return `${join(MODULES, PHP_MODULE)} is missing (Debian package libapache2-mod-php; run npm run setup)`;
  return null;
}

/** Why `php -S` cannot run here, or null when it can. */
export function phpUnavailable(): string | null {
  return spawnSync('php', ['-v']).status === 0 ? null : 'php is missing (Debian package php-cli; run npm run setup)';
}

export interface WebServer {
  url: string;
  /** GET `path`: status and body. */
  get(path: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess, log: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited (${child.exitCode}): ${await log()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`the web server did not answer within ${START_TIMEOUT_MS} ms: ${await log()}`);
}

function serverOf(url: string, child: ChildProcess, cleanup: () => Promise<void>): WebServer {
  return {
    url,
    async get(path) {
      const res = await fetch(`${url}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      return { status: res.status, body: await res.text() };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await cleanup();
    },
  };
}

/** Makes every folder and file under `root` (and its parents up to `/`) readable by another account. */
async function openToOthers(root: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    await fsp.chmod(dir, 0o755);
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) await fsp.chmod(p, 0o644);
    }
  };
  await walk(root);
  for (let dir = join(root, '..'); dir !== '/'; dir = join(dir, '..')) {
    const mode = (await fsp.stat(dir)).mode;
    if ((mode & 0o005) !== 0o005) await fsp.chmod(dir, (mode & 0o777) | 0o005);
  }
}

/**
 * Apache with mod_php serving `documentRoot` on 127.0.0.1 (AllowOverride All, as GLPI's install
 * documentation says), stopped by {@link WebServer.stop} and killed when the test process exits.
 */
export async function startApache(documentRoot: string): Promise<WebServer> {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'marketdesk-apache-'));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  if (root) await openToOthers(documentRoot);
  const load = (name: string, file: string): string => `LoadModule ${name} ${join(MODULES, file)}`;
  const conf = [
    `ServerRoot ${dir}`,
    `ServerName 127.0.0.1`,
    `Listen 127.0.0.1:${port}`,
    `PidFile ${join(dir, 'apache.pid')}`,
    `ErrorLog ${join(dir, 'error.log')}`,
    `Mutex file:${dir}`,
    load('mpm_prefork_module', 'mod_mpm_prefork.so'),
    load('authz_core_module', 'mod_authz_core.so'),
    load('authz_host_module', 'mod_authz_host.so'),
    load('access_compat_module', 'mod_access_compat.so'),
    load('dir_module', 'mod_dir.so'),
    load('mime_module', 'mod_mime.so'),
    load('rewrite_module', 'mod_rewrite.so'),
    load('php_module', PHP_MODULE),
    ...(root ? ['User www-data', 'Group www-data'] : []),
    'StartServers 1',
    'MinSpareServers 1',
    'MaxSpareServers 2',
    'TypesConfig /etc/mime.types',
    `DocumentRoot ${documentRoot}`,
    '<Directory />',
    '  AllowOverride None',
    '  Require all denied',
    '</Directory>',
    `<Directory ${documentRoot}>`,
    '  Options FollowSymLinks',
    '  AllowOverride All',
    '  Require all granted',
    '</Directory>',
    'DirectoryIndex index.php index.html',
    '<FilesMatch ".+\\.ph(ar|p|tml)$">',
    '  SetHandler application/x-httpd-php',
    '</FilesMatch>',
    '',
  ].join('\n');
  const confFile = join(dir, 'apache.conf');
  await fsp.writeFile(confFile, conf);
  const child = spawn(APACHE, ['-f', confFile, '-DFOREGROUND'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: at shutdown, prefork signals its whole group (it would kill the test runner).
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  const url = `http://127.0.0.1:${port}`;
  const log = async () => `${stderr}${await fsp.readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`;
  await waitUntilServing(url, child, log);
  return serverOf(url, child, async () => {
    process.off('exit', kill);
    await fsp.rm(dir, { recursive: true, force: true });
  });
}

/** PHP's built-in server (`php -S 127.0.0.1:<port> -t <documentRoot>`): it ignores .htaccess files. */
export async function startPhpServer(documentRoot: string): Promise<WebServer> {
  const port = await freePort();
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', documentRoot], { stdio: 'ignore' });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(url, child, () => Promise.resolve('php -S'));
  return serverOf(url, child, () => {
    process.off('exit', kill);
    return Promise.resolve();
  });
}
