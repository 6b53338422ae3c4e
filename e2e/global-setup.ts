import { findElectronBinary } from './electron-binary';
import { ROOT } from './fixtures';
import { useRunTmpdir } from './test-tmpdir';

/**
 * Says once, up front, why the Electron project will skip (the list reporter hides reasons), and
 * gives the run its own temporary folder (test-tmpdir.ts); what it returns removes that folder.
 */
export default function globalSetup(): () => void {
  const binary = findElectronBinary(ROOT);
  if ('missing' in binary) console.log(`[electron] every spec is skipped: ${binary.missing}.`);
  else console.log(`[electron] running against ${binary.path}`);
  return useRunTmpdir();
}
