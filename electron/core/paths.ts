import { join } from 'node:path';

export const APP_NAME = 'Marketdesk';

/**
 * The data folder (settings, caches, logs) shared by every shell, so the CLI, the browser shell
 * and the desktop app see the same profiles. MARKETDESK_HOME overrides it (tests, demos).
 * Without it: Electron's userData location for an app named Marketdesk.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (env.MARKETDESK_HOME) return env.MARKETDESK_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}
