import type { ChildProcess } from 'node:child_process';

/**
 * The first capture of `pattern` in what `child` prints (e.g. the address a server listens on);
 * rejects, with the output so far, if the child exits first.
 */
export function firstMatch(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = pattern.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}
