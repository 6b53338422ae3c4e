#!/usr/bin/env node
// The `marketdesk` command. The CLI is bundled by `npm run build` into dist/node/cli.js.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/node/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('marketdesk is not built yet: run `npm run build` in the Marketdesk folder.');
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
const code = await main(process.argv.slice(2));
process.stdout.write('', () => process.exit(code));
