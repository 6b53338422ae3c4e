/** The plugins folder(s). */
import * as nodePath from 'node:path';
import { ref } from '../../../../shared/messages/ref';
import { refCheck, type Check } from '../check';
import { ID, T, probe, shellQuote } from './common';
import { ownershipDetails, type Ctx } from './identity';

export async function pluginsCheck(ctx: Ctx): Promise<Check> {
  const dir = nodePath.join(ctx.root, 'plugins');
  const details: Record<string, string> = { path: dir };
  ctx.info.pluginsDirs.forEach((d, i) => (details[`plugin folder ${i + 1}`] = d));
  const p = await probe(ctx.fs, dir);
  const base = { id: ID.plugins, title: T.plugins, details };
  if (p.kind === 'dir') {
    Object.assign(details, ownershipDetails(ctx, p.stat));
    return refCheck({ ...base, state: 'ok' }, ref('instance.plugins.ok', { dir }));
  }
  if (p.kind === 'missing') {
    const summary = ref('instance.plugins.missing', { dir });
    if (!ctx.posix)
      return refCheck({ ...base, state: 'warning' }, summary, ref('instance.plugins.fix.create', { dir }));
    // On POSIX the fix is a command: only its note for RHEL-likes has words to translate.
    const fix = ref('instance.plugins.fix.mkdir', {
      quoted: shellQuote(dir),
      owner: ctx.owner,
      rhel: ctx.id.web ? '' : 'yes',
    });
    return refCheck({ ...base, state: 'warning' }, summary, fix);
  }
  return refCheck(
    { ...base, state: 'failed' },
    p.kind === 'error'
      ? ref('instance.file.error', { path: dir, error: p.error })
      : ref('instance.file.notFolder', { path: dir }),
  );
}
