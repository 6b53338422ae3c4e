/** The database settings, config_db.php. */
import * as nodePath from 'node:path';
import { ref } from '../../../../shared/messages/ref';
import { refCheck, type Check } from '../check';
import { ID, T, probe } from './common';
import { ownershipDetails, type Ctx } from './identity';

export async function configDbCheck(ctx: Ctx, dir: string): Promise<Check> {
  const path = nodePath.join(dir, 'config_db.php');
  const p = await probe(ctx.fs, path);
  if (p.kind === 'file')
    return refCheck(
      { id: ID.configDb, title: T.configDb, state: 'ok', details: { path, ...ownershipDetails(ctx, p.stat) } },
      ref('instance.configDb.ok', { path }),
    );
  if (p.kind === 'missing')
    return refCheck(
      { id: ID.configDb, title: T.configDb, state: 'warning', details: { path } },
      ref('instance.configDb.missing', { path }),
      ref('instance.configDb.fix.missing'),
    );
  return refCheck(
    { id: ID.configDb, title: T.configDb, state: 'failed', details: { path } },
    p.kind === 'error' ? ref('instance.file.error', { path, error: p.error }) : ref('instance.file.notFile', { path }),
  );
}
