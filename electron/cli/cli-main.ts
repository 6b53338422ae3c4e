import { pathToFileURL } from 'node:url';
import { profileArg } from '../../shared/argv';
import { localeFromEnv, messageLanguageOf, messagesFor } from '../../shared/messages';
import { createNodeCore } from '../adapters/node-core';
import { PROFILE_NAME } from '../core/profile-settings';
import { EXIT, USAGE, parseArgs, runCli } from './cli';
import { cliCoreSetup } from './cli-core';
import { readSecret } from './read-secret';

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.flags.has('-h') || args.flags.has('--help') || argv.length === 0) {
    console.log(USAGE);
    return argv.length === 0 ? EXIT.other : EXIT.ok;
  }
  if (args.flags.has('-v') || args.flags.has('--version')) {
    console.log(__MARKETDESK_VERSION__);
    return EXIT.ok;
  }
  const launch = profileArg(args, PROFILE_NAME);
  if ('error' in launch) {
    console.error(launch.error);
    return EXIT.other;
  }
  const { core, logger } = await createNodeCore({
    profile: launch.profile,
    shell: 'cli',
    env: process.env,
    ...cliCoreSetup(args),
  });
  try {
    return await runCli(
      args,
      { handlers: core.handlers, events: core.events, logger },
      {
        out: (t) => process.stdout.write(t + '\n'),
        err: (t) => process.stderr.write(t + '\n'),
        readSecret,
        now: () => new Date(),
        messages: messagesFor(messageLanguageOf(localeFromEnv(process.env))),
      },
    );
  } catch (err) {
    logger.error('CLI command failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    console.error(`marketdesk: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.other;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Exit explicitly: pooled keep-alive sockets would otherwise hold the process for seconds.
  void main(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.exit(code)));
}
