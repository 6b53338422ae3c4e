/**
 * `node dist/node/standin.js [--port N] [--quiet]`: the stand-in as its own process, for
 * `npm run demo` and manual testing. Faults and accounts are then driven through /__standin/.
 */
import { pathToFileURL } from 'node:url';
import { DEMO_KEYS, DEMO_TIERS } from './accounts';
import { syntheticCatalogue } from './catalog-data';
import { startStandin, type Standin } from './standin';

export interface MainOptions {
  port: number;
  quiet: boolean;
  /** Serve syntheticCatalogue(N) instead of the demo catalogue (benchmarks). */
  synthetic?: number;
}

const USAGE =
  'Usage: standin [--port N] [--quiet] [--synthetic N]\n' +
  '  --port N        port on 127.0.0.1 (default 0: a free port)\n' +
  '  --quiet         no line per request\n' +
  '  --synthetic N   a generated catalogue of N plugins instead of the demo one';

/** Parses the command line; throws an Error with a usage hint on anything unexpected. */
export function parseArgs(argv: readonly string[]): MainOptions {
  const options: MainOptions = { port: 0, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--quiet') options.quiet = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      const port = Number(value);
      if (value === undefined || !/^\d+$/.test(value) || port > 65_535)
        throw new Error(`--port expects a number 0-65535, got ${JSON.stringify(value ?? '')}\n${USAGE}`);
      options.port = port;
    } else if (arg === '--synthetic' || arg.startsWith('--synthetic=')) {
      const value = arg === '--synthetic' ? argv[++i] : arg.slice('--synthetic='.length);
      if (value === undefined || !/^\d{1,6}$/.test(value))
        throw new Error(`--synthetic expects a number of plugins, got ${JSON.stringify(value ?? '')}\n${USAGE}`);
      options.synthetic = Number(value);
    } else throw new Error(`Unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return options;
}

/** The startup banner: the URL first (scripts wait for it), then one demo key per line. */
export function banner(url: string): string {
  const lines = [`GLPI Network stand-in listening on ${url}`];
  for (const tier of DEMO_TIERS) lines.push(`  ${tier.padEnd(12)}${DEMO_KEYS[tier]}`);
  return lines.join('\n');
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<Standin> {
  const options = parseArgs(argv);
  const standin = await startStandin({
    port: options.port,
    quiet: options.quiet,
    ...(options.synthetic !== undefined ? { catalogue: syntheticCatalogue(options.synthetic) } : {}),
  });
  console.log(banner(standin.url));
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    if (!options.quiet) console.log(`[standin] ${signal}: closing`);
    standin.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return standin;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
