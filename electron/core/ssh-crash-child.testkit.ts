/**
 * Test support, run as a child process (`node --import jiti/register`): connects to a real sshd
 * through the whole core, updates fields on the server and SIGKILLs itself at a swap pause point,
 * leaving the server as a crashed Marketdesk would. Argument: JSON {@link CrashOrder}.
 */
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeHostInfo } from '../adapters/node-host';
import { installPlugin } from './install/pipeline';
import type { SwapPoint } from './install/swap';
import { localDownload, pluginArchive } from './install/testing-install.testkit';
import { systemClock } from './ports';
import { keyAuthFor, sshCore } from './ssh-instance.testkit';
import { memoryLogger } from './testing.testkit';

export interface CrashOrder {
  root: string;
  keyFile: string;
  fingerprint: string;
  point: SwapPoint;
  version: string;
}

async function main(order: CrashOrder): Promise<void> {
  const { c, dataDir } = sshCore('http://127.0.0.1:9');
  await c.instances.add(order.root, 'srv', keyAuthFor(order.keyFile, order.fingerprint));
  const { info, target } = await c.instances.show('srv');
  const url = 'https://services.test/fields.tar.gz';
  await installPlugin(
    {
      fs: target.fs,
      localFs: nodeFileSystem,
      clock: systemClock,
      host: nodeHostInfo(),
      logger: memoryLogger(),
      dataDir,
      download: localDownload({ [url]: pluginArchive('fields', order.version) }),
      swap: {
        pause: (p) => {
          if (p === order.point) process.kill(process.pid, 'SIGKILL');
        },
      },
    },
    {
      instance: info,
      key: 'fields',
      version: order.version,
      source: { url, servicesOrigin: 'https://services.test', headers: {}, key: 'k', uid: 'u' },
      allowed: true,
    },
  );
  process.stdout.write('finished without being killed\n');
  process.exit(3);
}

main(JSON.parse(process.argv[2] ?? '{}') as CrashOrder).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
