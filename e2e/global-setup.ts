import { findElectronBinary } from './electron-binary';
import { ROOT } from './fixtures';

/** Says once, up front, why the Electron project will skip (the list reporter hides reasons). */
export default function globalSetup(): void {
  const binary = findElectronBinary(ROOT);
  if ('missing' in binary) console.log(`[electron] every spec is skipped: ${binary.missing}.`);
  else console.log(`[electron] running against ${binary.path}`);
}
