/** The plugin folders as the pre-flight guard sees them: every finding, with its fix. */
import { ref } from '../../../../shared/messages/ref';
import { encodeRefs } from '../../../../shared/messages/ref-list';
import { refCheck, type Check } from '../check';
import { inspectPluginFolders } from '../../install/guard';
import { ID, T } from './common';
import type { Ctx } from './identity';

export async function pluginFoldersCheck(ctx: Ctx): Promise<Check> {
  const findings = await inspectPluginFolders(ctx.info, ctx.fs);
  const base = { id: ID.pluginFolders, title: T.pluginFolders };
  if (findings.length === 0)
    return refCheck(
      { ...base, state: 'ok', details: folders(ctx) },
      ref('instance.pluginFolders.ok', { dirs: ctx.info.pluginsDirs.join(', ') }),
    );
  const details: Record<string, string> = {};
  for (const f of findings) details[f.path] = details[f.path] ? `${details[f.path]}, ${f.id}` : f.id;
  return refCheck(
    { ...base, state: 'warning', details },
    ref('instance.pluginFolders.found', {
      count: String(findings.length),
      findings: encodeRefs(findings.map((f) => f.refs.message)),
    }),
    ref('instance.pluginFolders.fix', { findings: encodeRefs(findings.map((f) => f.refs.fix)) }),
  );
}

function folders(ctx: Ctx): Record<string, string> {
  return Object.fromEntries(ctx.info.pluginsDirs.map((d, i) => [`plugin folder ${i + 1}`, d]));
}
