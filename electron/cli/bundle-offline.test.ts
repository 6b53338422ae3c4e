/**
 * `bundle import` with the network truly absent: the real CLI entry point runs as a child process
 * (counted-cli-child.testkit.ts counts every socket connection and DNS lookup it makes) inside a
 * network namespace with only a down loopback (`unshare --net`), and, everywhere, with GLPI Network
 * pointed at a sentinel server that must see no connection.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../../e2e/standin/standin';
import { copyBundle, sentinelPerFile, sha256File } from '../core/bundle/testing-bundle.testkit';
import { fakeGlpi } from '../core/testing-glpi.testkit';
import { EXIT } from './cli';
import { cliInstallation, standinPerTest } from './cli-harness.testkit';

const CHILD = join(__dirname, 'counted-cli-child.testkit.ts');
/** Four CLI children, each compiling the CLI with jiti first: seconds each, more on a busy machine. */
const CHILDREN_MS = 180_000;

/** Why a network namespace cannot be made here, or null. */
function unshareUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  const r = spawnSync('unshare', ['--net', 'true'], { encoding: 'utf8' });
  if (r.error) return `unshare cannot be run (${r.error.message})`;
  if (r.status !== 0)
    return `unshare --net is refused here (${r.stderr.trim() || `exit ${r.status}`}; needs root or user namespaces)`;
  return null;
}

const standin = standinPerTest();
const network = sentinelPerFile();

/** A bundle of fields ~1.21.20 (a real-shaped .tar.bz2) made against the stand-in, and its SHA-256. */
async function bundle(): Promise<{ file: string; sha256: string }> {
  const run = cliInstallation(() => standin().url);
  await run(['key', 'set'], DEMO_KEYS.standard);
  const dir = mkdtempSync(join(tmpdir(), 'md-offline-'));
  writeFileSync(
    join(dir, 'plugins.json'),
    JSON.stringify({ format: 1, plugins: [{ key: 'fields', version: '~1.21.20' }] }),
  );
  const out = join(dir, 'glpi-plugins.mdbundle');
  const made = await run([
    'bundle',
    'create',
    '--manifest',
    join(dir, 'plugins.json'),
    '--glpi-version',
    '10.0.18',
    '-o',
    out,
  ]);
  expect(made.code).toBe(EXIT.ok);
  // What the admin carries to the offline machine.
  const file = copyBundle(out, 'glpi-plugins.mdbundle');
  return { file, sha256: sha256File(file) };
}

/** Runs `marketdesk <args>` as a child; `isolated` inside a fresh network namespace. */
function marketdesk(home: string, args: string[], isolated: boolean, services: string) {
  const node = [process.execPath, '--import', 'jiti/register', CHILD, ...args];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MARKETDESK_HOME: home,
    GLPI_NETWORK_SERVICES: services,
    MARKETDESK_TIMEOUT_MS: '2000',
  };
  for (const proxy of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete env[proxy];
  const r = isolated
    ? spawnSync('unshare', ['--net', ...node], { encoding: 'utf8', env, timeout: 120_000 })
    : spawnSync(node[0]!, node.slice(1), { encoding: 'utf8', env, timeout: 120_000 });
  const lines = r.stderr.trimEnd().split('\n');
  return { code: r.status, out: r.stdout, err: lines.slice(0, -1).join('\n'), attempts: lines.at(-1) ?? '' };
}

/** Adds a GLPI tree, plans and imports the bundle, imports it again: all offline, no connection attempted. */
function importOffline(isolated: boolean, services: string, made: { file: string; sha256: string }) {
  const home = mkdtempSync(join(tmpdir(), 'md-offline-home-'));
  const root = fakeGlpi();
  const steps = [
    marketdesk(home, ['instance', 'add', root, '--name', 'dmz'], isolated, services),
    marketdesk(home, ['bundle', 'import', made.file, '--plan'], isolated, services),
    marketdesk(home, ['bundle', 'import', made.file, '--sha256', made.sha256], isolated, services),
    marketdesk(home, ['bundle', 'import', made.file], isolated, services),
  ];
  for (const s of steps) {
    expect(s.attempts).toBe('network-attempts: 0');
    expect(s.code, s.err).toBe(EXIT.ok);
  }
  const [, plan, imported, again] = steps;
  expect(plan?.out).toContain('update    fields 1.21.0 → 1.21.23');
  expect(imported?.out).toBe('dmz:\ndone      update    fields 1.21.0 → 1.21.23\n');
  expect(again?.out).toBe('dmz: nothing to do, it has every plugin of the bundle at its version.\n');
  expect(readFileSync(join(root, 'marketplace/fields/setup.php'), 'utf8')).toContain("'1.21.23'");
}

const why = unshareUnavailable();

describe.skipIf(why !== null)(`bundle import in a network namespace${why ? ` (skipped: ${why})` : ''}`, () => {
  it(
    'has no interface there but a down loopback, and imports with no connection attempted',
    async () => {
      const probe = spawnSync(
        'unshare',
        ['--net', process.execPath, '-e', 'console.log(JSON.stringify(require("os").networkInterfaces()))'],
        {
          encoding: 'utf8',
        },
      );
      expect(probe.stdout.trim()).toBe('{}');
      importOffline(true, 'https://services.glpi-network.com', await bundle());
    },
    CHILDREN_MS,
  );
});

describe('bundle import with GLPI Network a sentinel that must see nothing', () => {
  it(
    'imports with no socket opened and no connection received',
    async () => {
      importOffline(false, network().url, await bundle());
      expect(network().connections()).toBe(0);
    },
    CHILDREN_MS,
  );
});
