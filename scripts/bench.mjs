#!/usr/bin/env node
// `npm run bench`: each figure is a ratio against a baseline measured in the same run, on the
// same machine, so the numbers mean something whatever the machine's speed.
//
// Key slice: the CLI's end-to-end validation (`key status --refresh`: process start, settings,
// keychain read, GLPI Network request, answer check) against the least a script could do (a bare
// Node process that fetches the same URL with the same headers), both against the local stand-in.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

if (process.platform === 'linux' && !process.env.MARKETDESK_REAL_KEYCHAIN) {
  const r = spawnSync(
    'bash',
    [join(root, 'scripts/with-keyring.sh'), process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}

const standin = spawn(process.execPath, [join(root, 'dist/node/standin.js'), '--quiet'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const banner = await new Promise((resolve) => {
  let out = '';
  standin.stdout.on('data', (c) => {
    out += c;
    if (/\n\s+invalid\s+\S+/.test(out)) resolve(out);
  });
});
const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)[1];
const key = /\n\s+standard\s+(\S+)/.exec(banner)[1];
const home = mkdtempSync(join(tmpdir(), 'marketdesk-bench-'));
const env = { ...process.env, MARKETDESK_HOME: home, GLPI_NETWORK_SERVICES: url };
const cli = [join(root, 'dist/node/cli.js')];

try {
  const set = spawnSync(process.execPath, [...cli, 'key', 'set'], { input: key, env });
  if (set.status !== 0) throw new Error(`key set failed: ${set.stderr}`);

  const baseline = `fetch(${JSON.stringify(url + '/api/registration/info')}, { headers: { 'X-Registration-Key': ${JSON.stringify(key)}, Accept: 'application/json' } }).then((r) => r.json()).then((j) => process.exit(j.is_valid ? 0 : 1))`;
  const base = time(() => spawnSync(process.execPath, ['-e', baseline], { env }));
  const ours = time(() => spawnSync(process.execPath, [...cli, 'key', 'status', '--refresh', '--json'], { env }));
  const status = time(() => spawnSync(process.execPath, [...cli, 'key', 'status', '--json'], { env }));

  console.log(`key validation, ${RUNS} runs each (median ms)`);
  console.log(`  baseline: bare node fetch of registration/info   ${base.toFixed(1)} ms`);
  console.log(
    `  marketdesk key status --refresh --json           ${ours.toFixed(1)} ms   ratio ${(ours / base).toFixed(2)}x`,
  );
  console.log(
    `  marketdesk key status --json (cached answer)     ${status.toFixed(1)} ms   ratio ${(status / base).toFixed(2)}x`,
  );
} finally {
  standin.kill();
  rmSync(home, { recursive: true, force: true });
}

// The in-process benchmarks (catalogue sync, search, browser), built with the app.
const inner = spawnSync(process.execPath, [join(root, 'dist/node/bench.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(inner.status ?? 1);

function time(fn) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const r = fn();
    if (r.status !== 0) throw new Error(`run failed (${r.status}): ${r.stderr}`);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
