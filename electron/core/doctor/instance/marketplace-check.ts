/** The marketplace folder: present, and writable by the web server (Marketdesk installs there). */
import * as nodePath from 'node:path';
import { ref } from '../../../../shared/messages/ref';
import { refCheck, type Check } from '../check';
import { ID, T, notAFolder, probe, shellQuote } from './common';
import { overrideOf } from './config-check';
import { ownershipDetails, selfLabel, webAccess, type Ctx } from './identity';

export async function marketplaceCheck(ctx: Ctx): Promise<{ check: Check; exists: boolean }> {
  const { info } = ctx;
  const dir = info.marketplaceDir;
  const q = shellQuote(dir);
  const def = overrideOf(info, 'GLPI_MARKETPLACE_DIR');
  const details: Record<string, string> = {
    path: dir,
    'chosen by': def ? `GLPI_MARKETPLACE_DIR in ${def.file}` : 'the default',
  };
  // The fixes' parameters: chown and chmod on POSIX, and the define that could move the folder.
  const fixParams = {
    posix: ctx.posix ? 'yes' : '',
    dir,
    quoted: q,
    owner: ctx.owner,
    rhel: ctx.id.web ? '' : 'yes',
    override: def ? nodePath.join(ctx.root, def.file) : '',
    web: ctx.id.web?.name ?? '',
  };
  const p = await probe(ctx.fs, dir);
  const base = { id: ID.marketplace, title: T.marketplace, details };
  if (p.kind !== 'dir') {
    return {
      check: refCheck(
        { ...base, state: 'failed' },
        ref('instance.marketplace.notFolder', { dir, ...notAFolder(p) }),
        ref('instance.marketplace.fix.create', fixParams),
      ),
      exists: false,
    };
  }
  Object.assign(details, ownershipDetails(ctx, p.stat));
  if (p.link) details.link = 'a symbolic link';
  const access = await webAccess(ctx, dir, p.stat, 'write');
  details['web server'] = access.reason;
  details.Marketdesk = access.self ? 'can write into it' : `cannot write into it (${selfLabel(ctx)})`;
  const u = ctx.platform.user;
  // Marketdesk itself as another account than the web server's: the fix says to run it as that one.
  const other = ctx.posix && u && u.uid !== 0 && (!ctx.id.webIds || u.uid !== ctx.id.webIds.uid);
  const writeFix = (runAs: boolean) =>
    ref('instance.marketplace.fix.write', {
      ...fixParams,
      self: runAs && other ? selfLabel(ctx) : '',
      sudo: ctx.sudo,
    });
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
          writeFix(true),
        ),
      },
      exists: true,
    };
  if (access.verdict === 'denied')
    return {
      check: {
        ...refCheck(
          { ...base, state: 'warning' },
          ref('instance.marketplace.webDenied', { dir, reason: access.reason }),
          writeFix(false),
        ),
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
