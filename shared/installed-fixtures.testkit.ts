/** Test support, not product code (*.testkit.ts): installed plugins as the inventory reports them. */
import type { InstalledPlugin } from './instances';

/**
 * One installed plugin with neutral defaults (in marketplace/ under /srv/glpi, version 1.0.0, no
 * GLPI range, no problem, no update), for tests that care about a few fields only.
 */
export function installedPlugin(key: string, overrides: Partial<InstalledPlugin> = {}): InstalledPlugin {
  const location = overrides.location ?? 'marketplace';
  return {
    key,
    location,
    path: `/srv/glpi/${location}/${key}`,
    name: key,
    version: '1.0.0',
    glpiMin: null,
    glpiMax: null,
    problem: null,
    vcs: null,
    shadowedBy: null,
    invalidKey: false,
    update: null,
    updateBlocked: null,
    ...overrides,
  };
}
