import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgv, profileArg } from '../../shared/argv';
import { createNodeCore } from '../adapters/node-core';
import { PROFILE_NAME } from '../core/profile-settings';
import { startBrowserShell } from './browser-shell';

/** `node dist/node/browser-shell.js [--port N] [--profile NAME]`: the app in any browser. */
export async function main(argv: string[]): Promise<void> {
  const args = parseArgv(argv, ['--port', '--profile']);
  const port = Number(args.values.get('--port') ?? process.env.MARKETDESK_PORT ?? 0);
  const launch = profileArg(args, PROFILE_NAME);
  if ('error' in launch) {
    console.error(launch.error);
    process.exit(1);
  }
  const { profile } = launch;
  const staticDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error(`The renderer is not built (${staticDir} is missing). Run: npm run build`);
    process.exit(1);
  }
  const { core, logger, dataDir } = await createNodeCore({ profile, shell: 'browser', env: process.env });
  const shell = await startBrowserShell({ core, logger, staticDir, port, files: core.bundleFiles });
  // The address is printed once the catalogue's list is in memory: the first page never waits for
  // the cache to be read.
  await core.start();
  logger.info('Browser shell started', { origin: shell.origin, profile });
  console.log(`Marketdesk (browser shell) is ready. Open this address in a browser on this machine:`);
  console.log(`  ${shell.url}`);
  console.log(`Data folder: ${dataDir}   Profile: ${profile}   Stop with Ctrl+C.`);
  const stop = () => {
    core.stop();
    // The temporary bundle files go before the process does.
    void Promise.all([shell.close(), core.bundleFiles.releaseAll()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2));
}
