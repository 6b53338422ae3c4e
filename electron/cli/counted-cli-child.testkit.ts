/**
 * Test support, run as a child process (`node --import jiti/register`, inside `unshare --net` where
 * the test can make a network namespace): the real CLI entry point (`main` of cli-main.ts, the
 * composition root bin/marketdesk uses) with every socket connection and DNS lookup Node makes
 * counted. Arguments: the CLI's. Its output is the CLI's; the last stderr line is
 * `network-attempts: N (what)`, which the test checks is `network-attempts: 0`.
 */
import { createRequire } from 'node:module';
import * as net from 'node:net';
import type * as Dns from 'node:dns';

type Fn = (this: unknown, ...args: unknown[]) => unknown;
const attempts: string[] = [];

/** Replaces `holder[name]` by a function that records the call, then calls the original. */
function counted(holder: object, name: string, what: (args: unknown[]) => string): void {
  const table = holder as Record<string, Fn>;
  const original = table[name];
  if (!original) throw new Error(`nothing to count at ${name}`);
  table[name] = function (this: unknown, ...args: unknown[]) {
    attempts.push(what(args));
    return original.apply(this, args);
  };
}

// The CommonJS module objects are the ones net and undici call through; their properties can be replaced.
const dns = createRequire(import.meta.url)('node:dns') as typeof Dns;
counted(dns, 'lookup', (args) => `lookup ${String(args[0])}`);
counted(dns.promises, 'lookup', (args) => `lookup ${String(args[0])}`);
counted(net.Socket.prototype, 'connect', (args) => `connect ${JSON.stringify(args[0])}`);

// What the bundler defines at build time.
(globalThis as Record<string, unknown>).__MARKETDESK_VERSION__ = '0.0.0-test';

async function run(): Promise<number> {
  const { main } = await import('./cli-main');
  return main(process.argv.slice(2));
}

void run()
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 99;
  })
  .then((code) => {
    const list = attempts.length > 0 ? ` (${attempts.join(', ')})` : '';
    process.stderr.write(`network-attempts: ${attempts.length}${list}\n`, () => process.exit(code));
  });
