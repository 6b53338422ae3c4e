import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, _electron, type Page } from '@playwright/test';
import { findElectronBinary } from './electron-binary';
import { startStandin, type Standin } from './standin/standin';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export interface AppUnderTest {
  /** The app's page (Electron: a new one after `restart`). */
  page: Page;
  /** The data folder (MARKETDESK_HOME) this run uses. */
  home: string;
  /** Every file under the data folder, as text, for "the key is nowhere" checks. */
  filesText(): string;
  /** Quits the app and starts it again on the same data folder: a new process reading what it kept. */
  restart(): Promise<void>;
}

interface Fixtures {
  standin: Standin;
  app: AppUnderTest;
  /** Extra environment for the app (e.g. LANG=fr_FR.UTF-8 for a French admin). */
  appEnv: Record<string, string>;
}

/**
 * `app` is the browser shell opened in Chromium (project browser-shell) or the Electron app
 * (project electron, skipped with the reason when no binary exists). Each test gets a fresh data
 * folder and its own GLPI Network stand-in.
 */
export const test = base.extend<Fixtures>({
  appEnv: [{}, { option: true }],
  standin: async ({}, use) => {
    const standin = await startStandin({ quiet: true });
    await use(standin);
    await standin.close();
  },
  app: async ({ standin, page, appEnv }, use, testInfo) => {
    const home = mkdtempSync(join(tmpdir(), 'marketdesk-e2e-'));
    const env = {
      ...process.env,
      MARKETDESK_HOME: home,
      GLPI_NETWORK_SERVICES: standin.url,
      MARKETDESK_TIMEOUT_MS: '1500',
      LANG: 'en_US.UTF-8',
      ...appEnv,
    };
    const filesText = () => readTree(home);
    try {
      if (testInfo.project.name === 'electron') {
        const binary = findElectronBinary(ROOT);
        if ('missing' in binary) {
          testInfo.skip(true, `Electron e2e skipped: ${binary.missing}. The same specs ran against the browser shell.`);
          return;
        }
        const launch = () => _electron.launch({ executablePath: binary.path, args: [ROOT, '--no-sandbox'], env });
        let electronApp = await launch();
        try {
          const app: AppUnderTest = {
            page: await electronApp.firstWindow(),
            home,
            filesText,
            restart: async () => {
              await electronApp.close();
              electronApp = await launch();
              app.page = await electronApp.firstWindow();
            },
          };
          await use(app);
        } finally {
          await electronApp.close();
        }
        return;
      }
      let shell = await startShell(env);
      try {
        await page.goto(shell.url);
        const restart = async () => {
          await stop(shell.child);
          shell = await startShell(env);
          await page.goto(shell.url);
        };
        await use({ page, home, filesText, restart });
      } finally {
        await stop(shell.child);
      }
    } finally {
      rmSync(home, { recursive: true, force: true, maxRetries: 3 });
    }
  },
});

export { expect } from '@playwright/test';

/** Stops the shell and waits for it to exit: it may still write its log while shutting down. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function startShell(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/node/browser-shell.js'), '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser shell did not start:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser shell exited with ${code}:\n${output}`));
    });
  });
  return { url, child };
}

function readTree(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    text += statSync(path).isDirectory() ? readTree(path) : `\n--- ${path}\n${readFileSync(path, 'latin1')}`;
  }
  return text;
}
