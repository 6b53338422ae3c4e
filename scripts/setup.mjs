#!/usr/bin/env node
// `npm run setup`: everything the build and the tests need, from a fresh Debian 12 with Node 20.
//   1. Node version check.
//   2. Debian packages (keytar's build tools, the headless keyring, Chromium for Playwright, ...):
//      only the missing ones, through apt-get as root or `sudo -n`; otherwise prints the command.
//   3. `npm ci --no-audit --no-fund` (keytar compiles from source with node-gyp).
// Idempotent: with everything present it only reads dpkg's database and node_modules' lockfile.
//
// MARKETDESK_SETUP_SKIP_NPM=1   skip step 3 (development)
// MARKETDESK_SETUP_FORCE_NPM=1  run `npm ci` even when node_modules matches package-lock.json
// Dependency-free on purpose: it runs before node_modules exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Debian package → why the project needs it. */
export const DEBIAN_PACKAGES = {
  'libsecret-1-dev': 'keytar build (libsecret headers)',
  'g++': 'keytar build (node-gyp)',
  make: 'keytar build (node-gyp)',
  python3: 'keytar build (node-gyp)',
  'pkg-config': 'keytar build (finds libsecret)',
  'gnome-keyring': 'tests: headless Secret Service',
  dbus: 'tests: dbus-run-session, dbus-send',
  'dbus-x11': 'tests: dbus-launch',
  'libsecret-tools': 'tests: secret-tool keyring check',
  chromium: 'e2e: Playwright uses /usr/bin/chromium',
  xvfb: 'future Electron runs (virtual X display)',
  'fonts-dejavu-core': 'e2e: fonts for Chromium',
  openssl: 'tests: certificates for TLS fault servers',
  'ca-certificates': 'HTTPS to the npm registry',
  bzip2: 'stand-in: builds .tar.bz2 plugin archives; benchmarks: tar -xjf baseline',
  lbzip2: 'decodes .tar.bz2 plugins on every core (preferred to bzip2 where installed); tests: both decoders',
  unzip: 'tests and benchmarks: the zip baseline',
  tar: 'tests and benchmarks: the tar baseline',
  curl: 'benchmarks: the download baseline',
  'openssh-server': 'tests: a real sshd, started unprivileged on 127.0.0.1, for SSH instances',
  'openssh-client': 'tests: ssh-keygen and ssh-agent; benchmarks: the scp baseline',
  sudo: 'tests: writing as the web server user through sudo -n over SSH',
  apache2: "tests: a real Apache serving a GLPI tree on 127.0.0.1 proves backups are out of the web's reach",
  'libapache2-mod-php': "tests: PHP run by that Apache (GLPI's documented setup), to prove backed-up PHP is never run",
  'php-cli': "tests: PHP's built-in server serving GLPI's public/ folder",
};

/**
 * The unprivileged account the tests' sshd runs as when the tests run as root (sshd serves only its
 * own user when it is not root). A system user with a shell, for the GLPI console over SSH exec.
 */
export const SSH_TEST_USER = 'marketdesk-ssh';
/** Plays the web server's user (www-data) in the SSH tests: SSH_TEST_USER may sudo to it, and only to it. */
export const WEB_TEST_USER = 'marketdesk-web';
const SUDOERS_FILE = '/etc/sudoers.d/marketdesk-tests';

const NODE_MIN = [20, 19, 0];

function step(title) {
  console.log(`\n==> ${title}`);
}
function info(text) {
  console.log(`    ${text}`);
}
function fail(text) {
  console.error(`\nsetup: FAILED: ${text}`);
  process.exit(1);
}

/** Runs a command with inherited output; resolves to its exit code. */
function run(cmd, args, options = {}) {
  info(`$ ${[cmd, ...args].join(' ')}`);
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, ...options });
    child.on('error', (e) => {
      console.error(`    could not start ${cmd}: ${e.message}`);
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** ID and ID_LIKE from /etc/os-release, e.g. ['debian'] or ['ubuntu', 'debian']. */
function osFamilies() {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const get = (key) => (text.match(new RegExp(`^${key}=("?)([^"\\n]*)\\1$`, 'm'))?.[2] ?? '').toLowerCase();
    return [get('ID'), ...get('ID_LIKE').split(/\s+/)].filter(Boolean);
  } catch {
    return [];
  }
}

/** Debian packages from `names` that are not fully installed (absent, removed, half-configured). */
export function missingDebianPackages(names) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package}\\t${db:Status-Status}\\n', ...names], {
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  // dpkg-query exits 1 when some name is unknown; the lines it did print are still right.
  const installed = new Set(
    r.stdout
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => name),
  );
  return names.filter((n) => !installed.has(n));
}

function versionAtLeast(version, min) {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i];
  }
  return true;
}

async function systemPackages() {
  const names = Object.keys(DEBIAN_PACKAGES);
  step('System packages');
  if (process.platform === 'darwin' || process.platform === 'win32') {
    info(`${process.platform === 'darwin' ? 'macOS' : 'Windows'}: skipping system packages.`);
    info('keytar uses the Keychain / Credential Manager and normally installs a prebuilt binary;');
    info('if it compiles, it needs the platform C++ tools (Xcode CLT / Visual Studio Build Tools) and Python 3.');
    info(
      'e2e needs a Chromium: point MARKETDESK_CHROMIUM at it (Playwright must never download its own browser here).',
    );
    return;
  }
  const debianLike = osFamilies().some((f) => f === 'debian' || f === 'ubuntu');
  if (!debianLike || !commandExists('dpkg-query') || !commandExists('apt-get')) {
    info('Not Debian/Ubuntu: skipping apt. Install the equivalents of these Debian packages yourself:');
    for (const [name, why] of Object.entries(DEBIAN_PACKAGES)) info(`  ${name.padEnd(18)} ${why}`);
    return;
  }

  const missing = missingDebianPackages(names);
  if (missing.length === 0) {
    info(`all ${names.length} packages present (${names.join(', ')})`);
    return;
  }
  info(`missing: ${missing.join(' ')}`);
  const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...missing];
  const isRoot = process.getuid?.() === 0;
  const canSudo =
    !isRoot && commandExists('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!isRoot && !canSudo) {
    fail(
      `${missing.length} Debian package(s) missing and this user is not root and cannot use sudo without a password.\n` +
        'Run this once, then run `npm run setup` again:\n\n' +
        `  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${install.join(' ')}\n`,
    );
  }
  // sudo may drop DEBIAN_FRONTEND from the environment, so pass it through `env`.
  const [cmd, prefix] = isRoot ? ['env', []] : ['sudo', ['-n', 'env']];
  const noninteractive = 'DEBIAN_FRONTEND=noninteractive';
  if ((await run(cmd, [...prefix, noninteractive, 'apt-get', 'update'])) !== 0) {
    fail(
      '`apt-get update` failed (see above). Check the network access to the Debian archive and /etc/apt/sources.list*.',
    );
  }
  if ((await run(cmd, [...prefix, noninteractive, ...install])) !== 0) {
    fail(`\`${install.join(' ')}\` failed (see above).`);
  }
  const still = missingDebianPackages(names);
  if (still.length > 0) fail(`still not installed after apt-get: ${still.join(' ')}`);
  info(`installed: ${missing.join(' ')}`);
}

/**
 * Whether node_modules already holds exactly what package-lock.json describes, as `npm ci` would
 * leave it (compared with npm's own record of the tree, node_modules/.package-lock.json), and keytar's
 * native module is built. Returns a reason string when it does not.
 */
export function nodeModulesOutOfDate(dir = root) {
  let lock, hidden, pkg;
  try {
    lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch (e) {
    return `cannot read package.json/package-lock.json: ${e.message}`;
  }
  try {
    hidden = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8'));
  } catch {
    return 'node_modules is missing or was not installed by npm';
  }
  const rootEntry = lock.packages?.[''] ?? {};
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    if (JSON.stringify(pkg[field] ?? {}) !== JSON.stringify(rootEntry[field] ?? {})) {
      return `package.json ${field} differ from package-lock.json`;
    }
  }
  const wanted = lock.packages ?? {};
  const have = hidden.packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '') continue;
    const got = have[path];
    if (!got) {
      if (entry.optional) continue; // another platform's binary, skipped by npm here too
      return `${path} is not installed`;
    }
    if (got.version !== entry.version || got.integrity !== entry.integrity) {
      return `${path} is ${got.version}, package-lock.json wants ${entry.version}`;
    }
  }
  for (const path of Object.keys(have)) {
    if (!(path in wanted)) return `${path} is installed but not in package-lock.json`;
    if (!have[path].link && !existsSync(join(dir, path, 'package.json'))) return `${path} was removed`;
  }
  if (wanted['node_modules/keytar'] && !existsSync(join(dir, 'node_modules/keytar/build/Release/keytar.node'))) {
    return 'keytar is not built (node_modules/keytar/build/Release/keytar.node missing)';
  }
  return null;
}

/** Runs npm ci, echoing its output and keeping the tail to explain a failure. */
function npmCi() {
  const args = ['ci', '--no-audit', '--no-fund'];
  info(`$ npm ${args.join(' ')}`);
  return new Promise((done) => {
    let tail = '';
    const keep = (chunk, stream) => {
      stream.write(chunk);
      tail = (tail + chunk.toString()).slice(-20_000);
    };
    const child = spawn('npm', args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    child.stdout.on('data', (c) => keep(c, process.stdout));
    child.stderr.on('data', (c) => keep(c, process.stderr));
    child.on('error', (e) => done({ code: 127, tail: `could not start npm: ${e.message}` }));
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 128 : 1), tail }));
  });
}

function explainNpmFailure(code, tail) {
  const lines = [`\`npm ci\` failed with exit code ${code}.`];
  if (/gyp ERR!|node-gyp/.test(tail)) {
    lines.push(
      'keytar (the OS keychain binding) did not compile. It is built from source with node-gyp because',
      'its prebuilt binary comes from GitHub, which is not reachable here. It needs the Debian packages',
      'libsecret-1-dev g++ make python3 pkg-config (this script installs them on Debian/Ubuntu) and',
      "Node's headers (shipped with Node from NodeSource or nodejs.org under <prefix>/include/node).",
    );
    const noise = /gyp ERR! (stack|System|command|cwd|node -v|node-gyp -v|\$npm_package|not ok)/;
    const telling = /error:|not found|No package|gyp ERR! (find|configure|build error)|Error: `make`/i;
    const firstErrors = [...new Set(tail.split('\n').map((l) => l.trim()))]
      .filter((l) => telling.test(l) && !noise.test(l))
      .slice(0, 10);
    if (firstErrors.length > 0) lines.push('What failed:', ...firstErrors.map((l) => `  ${l}`));
  } else if (
    /npm error code (ETIMEDOUT|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET)|request to \S+ failed/.test(tail)
  ) {
    lines.push('The npm registry could not be reached (see the network error above).');
  } else if (/can only install packages when your package.json and package-lock.json/i.test(tail)) {
    lines.push('package.json and package-lock.json are out of sync: run `npm install` and commit the lockfile.');
  }
  return lines.join('\n');
}

async function npmDependencies() {
  step('npm dependencies');
  if (process.env.MARKETDESK_SETUP_SKIP_NPM === '1') {
    info('MARKETDESK_SETUP_SKIP_NPM=1: skipping `npm ci`');
    return;
  }
  if (process.env.MARKETDESK_SETUP_FORCE_NPM !== '1') {
    const why = nodeModulesOutOfDate();
    if (!why) {
      info('node_modules already matches package-lock.json and keytar is built: skipping `npm ci`');
      info('(MARKETDESK_SETUP_FORCE_NPM=1 reinstalls anyway)');
      return;
    }
    info(`needs \`npm ci\`: ${why}`);
  }
  const started = Date.now();
  const { code, tail } = await npmCi();
  if (code !== 0) fail(explainNpmFailure(code, tail));
  if (!existsSync(join(root, 'node_modules/keytar/build/Release/keytar.node'))) {
    fail('`npm ci` succeeded but keytar has no native module (node_modules/keytar/build/Release/keytar.node).');
  }
  info(`npm ci done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function ensureUser(name, shell) {
  if (spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0) return info(`${name}: present`);
  const args = ['--system', '--create-home', '--home-dir', `/var/lib/${name}`, '--shell', shell];
  if ((await run('useradd', [...args, name])) !== 0) fail(`could not create the user ${name}`);
  info(`${name}: created`);
}

/**
 * As root on Linux: the accounts of the SSH tests ({@link SSH_TEST_USER}, {@link WEB_TEST_USER})
 * and one sudoers rule: the first may run anything as the second, without a password, and nothing
 * else.
 */
async function sshTestAccounts() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return;
  step(`Test accounts for the SSH tests (${SSH_TEST_USER}, ${WEB_TEST_USER})`);
  await ensureUser(SSH_TEST_USER, '/bin/sh');
  await ensureUser(WEB_TEST_USER, '/usr/sbin/nologin');
  const rule = `${SSH_TEST_USER} ALL=(${WEB_TEST_USER}) NOPASSWD: ALL\n`;
  if (existsSync(SUDOERS_FILE) && readFileSync(SUDOERS_FILE, 'utf8') === rule) return info(`${SUDOERS_FILE}: present`);
  writeFileSync(`${SUDOERS_FILE}.tmp`, rule, { mode: 0o440 });
  if (spawnSync('visudo', ['-cf', `${SUDOERS_FILE}.tmp`], { stdio: 'inherit' }).status !== 0) {
    rmSync(`${SUDOERS_FILE}.tmp`, { force: true });
    fail(`the sudoers rule for the SSH tests does not check (visudo -cf)`);
  }
  renameSync(`${SUDOERS_FILE}.tmp`, SUDOERS_FILE);
  info(`${SUDOERS_FILE}: written`);
}

async function main() {
  const started = Date.now();
  step(`Node ${process.versions.node} on ${process.platform}/${process.arch}`);
  if (!versionAtLeast(process.versions.node, NODE_MIN)) {
    fail(`Node ${NODE_MIN.join('.')} or later is needed (package.json "engines"); this is ${process.versions.node}.`);
  }
  info('ok');
  await systemPackages();
  await sshTestAccounts();
  await npmDependencies();
  console.log(`\nsetup: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
