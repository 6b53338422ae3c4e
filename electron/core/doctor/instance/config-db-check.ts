/** The database settings, config_db.php. */
import * as nodePath from 'node:path';
import type { Check } from '../check';
import { ID, T, probe } from './common';
import { ownershipDetails, type Ctx } from './identity';

export async function configDbCheck(ctx: Ctx, dir: string): Promise<Check> {
  const path = nodePath.join(dir, 'config_db.php');
  const p = await probe(ctx.fs, path);
  if (p.kind === 'file')
    return {
      id: ID.configDb,
      title: T.configDb,
      state: 'ok',
      summary: `${path} is present: GLPI is installed.`,
      details: { path, ...ownershipDetails(ctx, p.stat) },
    };
  if (p.kind === 'missing')
    return {
      id: ID.configDb,
      title: T.configDb,
      state: 'warning',
      summary: `${path} is missing: GLPI is not installed yet, or this is not the config folder GLPI uses.`,
      details: { path },
      fix: "Finish GLPI's installation (its web installer or console), or point GLPI_CONFIG_DIR to the folder that holds config_db.php.",
    };
  return {
    id: ID.configDb,
    title: T.configDb,
    state: 'failed',
    summary: p.kind === 'error' ? `${path} cannot be inspected: ${p.error}.` : `${path} is not a regular file.`,
    details: { path },
  };
}
