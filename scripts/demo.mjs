#!/usr/bin/env node
// `npm run demo`: the GLPI Network stand-in with demo keys, and Marketdesk pointed at it — the
// Electron window where Electron can run, otherwise the browser shell with its URL printed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Without a Secret Service (a headless server, a root shell), run inside a private D-Bus session
// with its own unlocked keyring, so the demo uses a real keychain. Its keys die with the demo.
if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.MARKETDESK_DEMO_INNER) {
  console.log('No D-Bus session here: starting the demo inside a private keyring session (scripts/with-keyring.sh).');
  const child = spawn(
    'bash',
    [join(root, 'scripts/with-keyring.sh'), process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...process.env, MARKETDESK_DEMO_INNER: '1' },
    },
  );
  child.on('exit', (code) => process.exit(code ?? 1));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
} else {
  await run();
}

async function run() {
  // With a private keyring the keys die with the demo, so its settings must too: a fresh folder.
  const home =
    process.env.MARKETDESK_HOME ??
    (process.env.MARKETDESK_DEMO_INNER
      ? mkdtempSync(join(tmpdir(), 'marketdesk-demo-'))
      : join(root, '.md-home', 'demo'));
  mkdirSync(home, { recursive: true });
  const children = [];
  const stopAll = () => {
    for (const c of children) c.kill('SIGTERM');
  };
  process.on('SIGINT', () => (stopAll(), process.exit(0)));
  process.on('SIGTERM', () => (stopAll(), process.exit(0)));

  const standin = spawn(
    process.execPath,
    [join(root, 'dist/node/standin.js'), '--port', process.env.MARKETDESK_STANDIN_PORT ?? '0', '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(standin);
  const banner = await waitFor(standin, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const services = banner.match[1];
  const env = { ...process.env, MARKETDESK_HOME: home, GLPI_NETWORK_SERVICES: services };

  console.log(`\nGLPI Network stand-in: ${services}`);
  console.log(
    banner.output
      .split('\n')
      .filter((l) => /^\s+\w+\s+\S{20,}$/.test(l))
      .join('\n')
      .replace(/^/, 'Demo keys (paste one into the Registration key screen):\n'),
  );
  console.log(`Data folder: ${home}\n`);

  const electron = electronBinary();
  if (electron && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform !== 'linux')) {
    const app = spawn(electron, [root], { stdio: 'inherit', env });
    children.push(app);
    app.on('exit', () => (stopAll(), process.exit(0)));
    return;
  }
  console.log(
    electron
      ? 'No display: using the browser shell instead of the Electron window.'
      : 'No Electron binary on this machine: using the browser shell.',
  );
  const shell = spawn(
    process.execPath,
    [join(root, 'dist/node/browser-shell.js'), '--port', process.env.MARKETDESK_PORT ?? '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    },
  );
  children.push(shell);
  shell.stdout.pipe(process.stdout);
  shell.on('exit', (code) => (stopAll(), process.exit(code ?? 0)));
}

function electronBinary() {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const full = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(full) ? full : null;
}

function waitFor(child, pattern) {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}:\n${output}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      // Give the banner a moment to finish printing the demo keys.
      if (match) setTimeout(() => (clearTimeout(timer), resolve({ match, output })), 100);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}
