/** The plugins folder(s). */
import * as nodePath from 'node:path';
import type { Check } from '../check';
import { ID, T, probe, shellQuote } from './common';
import { ownershipDetails, rhelNote, type Ctx } from './identity';

export async function pluginsCheck(ctx: Ctx): Promise<Check> {
  const dir = nodePath.join(ctx.root, 'plugins');
  const details: Record<string, string> = { path: dir };
  ctx.info.pluginsDirs.forEach((d, i) => (details[`plugin folder ${i + 1}`] = d));
  const p = await probe(ctx.fs, dir);
  if (p.kind === 'dir') {
    Object.assign(details, ownershipDetails(ctx, p.stat));
    return { id: ID.plugins, title: T.plugins, state: 'ok', summary: `${dir} is present.`, details };
  }
  if (p.kind === 'missing')
    return {
      id: ID.plugins,
      title: T.plugins,
      state: 'warning',
      summary: `${dir} does not exist: GLPI releases ship it (plugins installed by hand go there).`,
      details,
      fix: ctx.posix
        ? `mkdir ${shellQuote(dir)} && chown ${ctx.owner} ${shellQuote(dir)}${rhelNote(ctx)}`
        : `Create ${dir}.`,
    };
  return {
    id: ID.plugins,
    title: T.plugins,
    state: 'failed',
    summary: p.kind === 'error' ? `${dir} cannot be inspected: ${p.error}.` : `${dir} is not a folder.`,
    details,
  };
}
