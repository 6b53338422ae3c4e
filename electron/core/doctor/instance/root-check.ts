/** The GLPI root: recognised, and its version. */
import { ref } from '../../../../shared/messages/ref';
import { refCheck, type Check } from '../check';
import { ID, T } from './common';
import type { Ctx } from './identity';

export function rootCheck(ctx: Ctx): Check {
  const { info } = ctx;
  const details: Record<string, string> = {
    root: info.root,
    version: info.version ?? 'unknown',
    'version from': info.versionSource,
    'release line': info.line,
    'install mode': info.installMode,
  };
  if (info.crossCheck) details['version/ folder'] = info.crossCheck.file;
  for (const o of info.overrides) details[o.name] = `${o.value} (${o.file})`;
  // What the config and marketplace checks report themselves is left to them.
  info.problems
    .filter((p) => !/GLPI_CONFIG_DIR|config folder|marketplace folder|marketplace path/.test(p))
    .forEach((p, i) => (details[`note ${i + 1}`] = p));
  const source = info.versionSource.replace(/ \((.*)\)$/, ', $1');
  const base = { id: ID.root, title: T.root, details };
  if (info.version === null)
    return refCheck(
      { ...base, state: 'warning' },
      ref('instance.root.versionUnknown', {
        layout: info.line === 'unknown' ? '' : info.line,
        source: info.versionSource,
      }),
      ref('instance.root.fix.incomplete'),
    );
  const found = { version: info.version, source };
  if (info.line === 'unknown') return refCheck({ ...base, state: 'warning' }, ref('instance.root.unsupported', found));
  if (info.crossCheck && !info.crossCheck.agrees)
    return refCheck(
      { ...base, state: 'warning' },
      ref('instance.root.mixed', { ...found, file: info.crossCheck.file }),
      ref('instance.root.fix.mixed'),
    );
  return refCheck({ ...base, state: 'ok' }, ref('instance.root.ok', found));
}
