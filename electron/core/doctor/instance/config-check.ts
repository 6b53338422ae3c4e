/** The config folder (GLPI_CONFIG_DIR): present, and readable by the web server. */
import * as nodePath from 'node:path';
import type { InstanceInfo } from '../../glpi-instance';
import type { FileStat } from '../../ports';
import { ref, type MessageRef } from '../../../../shared/messages/ref';
import { refCheck, type Check } from '../check';
import { ID, T, notAFolder, probe } from './common';
import { ownershipDetails, readAccessParams, webAccess, type Ctx } from './identity';

export function overrideOf(info: InstanceInfo, name: string) {
  return info.overrides.find((o) => o.name === name) ?? null;
}

/** Whether the config folder can be used by the checks of the files inside it. */
export type ConfigUse = { dir: string } | { why: MessageRef };

export async function configCheck(ctx: Ctx): Promise<{ check: Check; usable: ConfigUse }> {
  const { info } = ctx;
  const details: Record<string, string> = {};
  if (info.configDir === null) {
    configNotes(info, details);
    return {
      check: refCheck(
        { id: ID.config, title: T.config, state: 'warning', details },
        ref('instance.config.unknown'),
        ref('instance.config.fix.unknown'),
      ),
      usable: { why: ref('instance.config.unknownWhy') },
    };
  }
  const dir = info.configDir;
  const { how, where } = describeConfigDir(ctx, dir, details);
  const p = await probe(ctx.fs, dir);
  if (p.kind === 'dir') return { check: await configAccess(ctx, dir, how, p, details), usable: { dir } };
  const what = notAFolder(p);
  return {
    check: refCheck(
      { id: ID.config, title: T.config, state: 'failed', details },
      ref('instance.config.notFolder', { dir, how, ...what }),
      where ? ref('instance.config.fix.define', { file: where }) : ref('instance.config.fix.restore', { dir }),
    ),
    usable: { why: ref('instance.config.notFolderWhy', { dir, ...what }) },
  };
}

/** The problems about GLPI_CONFIG_DIR, and what cannot be seen from the files. */
function configNotes(info: InstanceInfo, details: Record<string, string>): void {
  info.problems.filter((p) => p.includes('GLPI_CONFIG_DIR')).forEach((p, i) => (details[`note ${i + 1}`] = p));
  if (info.line !== '9.5')
    details['not visible here'] =
      'GLPI 10 and 11 also read GLPI_CONFIG_DIR from the web server environment (SetEnv, fastcgi_param); such a setting wins over these files and cannot be seen from here';
}

/** How the config folder was chosen (`how`), and the file whose define to correct when it is wrong (`where`). */
function describeConfigDir(
  ctx: Ctx,
  dir: string,
  details: Record<string, string>,
): { how: string; where: string | null } {
  const { info, root } = ctx;
  const def = overrideOf(info, 'GLPI_CONFIG_DIR');
  details.path = dir;
  const packaged = def?.file === 'inc/downstream.php';
  const fhs = /^\/etc\/glpi(\/config)?\/?$/.test(dir);
  const how = def
    ? `set by GLPI_CONFIG_DIR in ${def.file}${packaged ? (fhs ? ' (the /etc/glpi layout of Debian/RPM packages)' : ' (the layout of packaged installs, like /etc/glpi)') : ''}`
    : 'the default';
  details['chosen by'] = how;
  if (def?.file === 'config/local_define.php')
    details['local_define.php'] =
      `GLPI only reads ${nodePath.join(root, 'config', 'local_define.php')}, even with the config folder moved`;
  configNotes(info, details);
  return { how, where: def ? nodePath.join(root, def.file) : null };
}

/** The existing config folder: can the web server open it? */
async function configAccess(
  ctx: Ctx,
  dir: string,
  how: string,
  p: { stat: FileStat; link: boolean },
  details: Record<string, string>,
): Promise<Check> {
  Object.assign(details, ownershipDetails(ctx, p.stat));
  if (p.link) details.link = 'a symbolic link';
  const access = await webAccess(ctx, dir, p.stat, 'read');
  details['web server'] = access.reason;
  details.Marketdesk = access.self ? 'can open it' : 'cannot open it';
  const fixPerm = ref('instance.fix.readAccess', readAccessParams(ctx, dir, '750', true));
  const base = { id: ID.config, title: T.config, details };
  const said = { dir, how, reason: access.reason };
  if (access.verdict === 'denied')
    return refCheck({ ...base, state: 'failed' }, ref('instance.config.denied', said), fixPerm);
  if (access.verdict === 'unknown' && !access.self)
    return refCheck({ ...base, state: 'warning' }, ref('instance.config.unknownAccess', said), fixPerm);
  return refCheck(
    { ...base, state: 'ok' },
    ref('instance.config.ok', { dir, how, web: ctx.id.web?.name ?? '', verdict: access.verdict }),
  );
}
