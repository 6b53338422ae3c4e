/** The marketplace folder: present, and writable by the web server (Marketdesk installs there). */
import * as nodePath from 'node:path';
import { ref } from '../../../../shared/messages/ref';
import { refCheck, type Check } from '../check';
import { ID, T, notAFolder, probe, shellQuote } from './common';
import { overrideOf } from './config-check';
import { ownershipDetails, rhelNote, selfLabel, webAccess, type Ctx } from './identity';

export async function marketplaceCheck(ctx: Ctx): Promise<{ check: Check; exists: boolean }> {
  const { info } = ctx;
  const dir = info.marketplaceDir;
  const q = shellQuote(dir);
  const def = overrideOf(info, 'GLPI_MARKETPLACE_DIR');
  const details: Record<string, string> = {
    path: dir,
    'chosen by': def ? `GLPI_MARKETPLACE_DIR in ${def.file}` : 'the default',
  };
  const defineHint = def
    ? `or change GLPI_MARKETPLACE_DIR in ${nodePath.join(ctx.root, def.file)} to a folder ${ctx.webText} can write`
    : `or define GLPI_MARKETPLACE_DIR (in inc/downstream.php or config/local_define.php) as a folder ${ctx.webText} can write`;
  const p = await probe(ctx.fs, dir);
  const base = { id: ID.marketplace, title: T.marketplace, details };
  if (p.kind !== 'dir') {
    return {
      check: {
        ...refCheck({ ...base, state: 'failed' }, ref('instance.marketplace.notFolder', { dir, ...notAFolder(p) })),
        fix: ctx.posix
          ? `mkdir ${q} && chown ${ctx.owner} ${q}${rhelNote(ctx)} && chmod 755 ${q}, ${defineHint}.`
          : `Create ${dir} and let the web server's account write into it, ${defineHint}.`,
      },
      exists: false,
    };
  }
  Object.assign(details, ownershipDetails(ctx, p.stat));
  if (p.link) details.link = 'a symbolic link';
  const access = await webAccess(ctx, dir, p.stat, 'write');
  details['web server'] = access.reason;
  details.Marketdesk = access.self ? 'can write into it' : `cannot write into it (${selfLabel(ctx)})`;
  const permFix = ctx.posix
    ? `chown -R ${ctx.owner} ${q}${rhelNote(ctx)} and chmod -R u+rwX ${q}, ${defineHint}`
    : `Let the web server's account write into ${dir}, ${defineHint}`;
  const u = ctx.platform.user;
  const runAs =
    ctx.posix && u && u.uid !== 0 && (!ctx.id.webIds || u.uid !== ctx.id.webIds.uid)
      ? ` Marketdesk runs as ${selfLabel(ctx)}: run it as ${ctx.id.web?.name ?? 'the web server user'} (${ctx.sudo}marketdesk …) or as root to install plugins.`
      : '';
  if (!access.self)
    return {
      check: {
        ...refCheck(
          { ...base, state: 'failed' },
          ref('instance.marketplace.noSelf', {
            dir,
            reason: access.reason,
            denied: access.verdict === 'denied' ? 'yes' : '',
          }),
        ),
        fix: `${permFix}.${runAs}`,
      },
      exists: true,
    };
  if (access.verdict === 'denied')
    return {
      check: {
        ...refCheck(
          { ...base, state: 'warning' },
          ref('instance.marketplace.webDenied', { dir, reason: access.reason }),
        ),
        fix: `${permFix}.`,
      },
      exists: true,
    };
  return {
    check: refCheck(
      { ...base, state: 'ok' },
      ref('instance.marketplace.ok', { dir, web: ctx.id.web?.name ?? '', verdict: access.verdict }),
    ),
    exists: true,
  };
}
