import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Points TMPDIR (hence `os.tmpdir()` in this process and every process started after) at a folder
 * of this test run, and returns what removes it: whatever a test leaves behind (a GLPI tree handed
 * to the app, a data folder, an archive) goes with it, instead of piling up in /tmp run after run.
 * 0755: sshd and the web server in the tests run as other accounts and must reach their folders.
 */
export function useRunTmpdir(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'marketdesk-tests-'));
  chmodSync(root, 0o755);
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
