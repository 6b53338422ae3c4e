#!/usr/bin/env node
// `npm run dev`: rebuilds on change and runs the browser shell against the demo stand-in.
// Vite watches the renderer and the Node bundles; restart the shell after a Node-side change.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const vite = (config) =>
  spawn('npx', ['vite', 'build', '--watch', '--config', config], { cwd: root, stdio: 'inherit' });
const watchers = [vite('vite.renderer.config.ts'), vite('vite.node.config.ts'), vite('vite.preload.config.ts')];
const demo = spawn(process.execPath, [join(root, 'scripts/demo.mjs')], { cwd: root, stdio: 'inherit' });
const stop = () => [...watchers, demo].forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
