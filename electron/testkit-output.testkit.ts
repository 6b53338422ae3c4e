import { execFileSync } from 'node:child_process';

/**
 * Runs a `.testkit.ts` file in a fresh Node process (TypeScript through jiti), with `nodeFlags`
 * before it and `args` after, and returns what it printed on its standard output. Throws, with its
 * standard error, when it fails or runs over a minute.
 */
export function testkitOutput(file: string, args: string[] = [], nodeFlags: string[] = []): string {
  return execFileSync(process.execPath, [...nodeFlags, '--import', 'jiti/register', file, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}
