#!/usr/bin/env node
// `npm start`: the Electron app, when this machine has the Electron binary.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pathFile = join(root, 'node_modules/electron/path.txt');
const binary = existsSync(pathFile)
  ? join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  : null;
if (!binary || !existsSync(binary)) {
  console.error('The Electron binary is not installed on this machine (its download needs GitHub).');
  console.error('Use the browser shell instead: node dist/node/browser-shell.js   (or: npm run demo)');
  process.exit(1);
}
const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
