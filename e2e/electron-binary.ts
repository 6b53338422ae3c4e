import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron binary is, without triggering the electron package's lazy download (which
 * needs GitHub, unreachable on the build machines). Returns the reason when there is none.
 */
export function findElectronBinary(root: string): { path: string } | { missing: string } {
  const pkg = join(root, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile) && !override)
    return {
      missing:
        'no Electron binary on this machine (node_modules/electron/path.txt absent: the binary download needs GitHub, which is unreachable here)',
    };
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const full = override ? join(override, relative) : join(pkg, 'dist', relative);
  return existsSync(full) ? { path: full } : { missing: `the Electron binary ${full} is missing` };
}
