/** The GLPI root: recognised, and its version. */
import type { Check } from '../check';
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
  if (info.version === null)
    return {
      id: ID.root,
      title: T.root,
      state: 'warning',
      summary: `A GLPI folder${info.line === 'unknown' ? '' : ` (${info.line} layout)`}, but its version is unknown: ${info.versionSource}.`,
      details,
      fix: 'Check that the GLPI files are complete and readable (an interrupted upgrade leaves a partial tree).',
    };
  if (info.line === 'unknown')
    return {
      id: ID.root,
      title: T.root,
      state: 'warning',
      summary: `GLPI ${info.version} (from ${source}) is not a supported release line (9.5, 10.0, 11).`,
      details,
    };
  if (info.crossCheck && !info.crossCheck.agrees)
    return {
      id: ID.root,
      title: T.root,
      state: 'warning',
      summary: `GLPI ${info.version} (from ${source}), but ${info.crossCheck.file} disagrees: files of two releases are mixed.`,
      details,
      fix: 'Finish or redo the upgrade: extract the whole release over the tree and remove leftovers of the old one.',
    };
  return {
    id: ID.root,
    title: T.root,
    state: 'ok',
    summary: `GLPI ${info.version} (from ${source}).`,
    details,
  };
}
