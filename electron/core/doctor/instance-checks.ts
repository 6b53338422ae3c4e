/**
 * The doctor's checks of a GLPI instance (issue "The doctor", point 4): the root, the config folder
 * and its `glpicrypt.key`, `config_db.php`, the marketplace and plugins folders, what is in them
 * (the pre-flight guard's findings), the GLPI Network address it calls (against the profile's),
 * free disk space,
 * and the PHP command line with the extensions the marketplace needs.
 *
 * Everything goes through ports (FileSystem, PhpProbe, DoctorPlatform), so tests can make a file
 * unreadable or a folder unwritable even when they run as root. Permissions are judged for the web
 * server user from the owner/group/mode bits (ACLs, SELinux and parent folders are not considered);
 * this process's own access (FileSystem.access) is reported too, and speaks for the web server when
 * Marketdesk runs as that user or as root. The key file's content is never read, only its size.
 * One module per check, under instance/.
 */
import * as nodePath from 'node:path';
import { detectInstance } from '../glpi-instance';
import { ref } from '../../../shared/messages/ref';
import { refCheck, skipped, type Check } from './check';
import { ID, T, probe } from './instance/common';
import { configCheck, type ConfigUse } from './instance/config-check';
import { configDbCheck } from './instance/config-db-check';
import { diskCheck } from './instance/disk-check';
import { readIdentity, type Ctx } from './instance/identity';
import { keyCheck } from './instance/key-check';
import { marketplaceCheck } from './instance/marketplace-check';
import { networkCheck } from './instance/network-check';
import { phpChecks } from './instance/php-checks';
import { pluginFoldersCheck } from './instance/plugin-folders-check';
import { pluginsCheck } from './instance/plugins-check';
import { rootCheck } from './instance/root-check';
import type { InstanceCheckDeps } from './instance/types';

export { DOCTOR_READ_LIMIT, shellQuote } from './instance/common';
export { DISK_FAILED_BYTES, DISK_WARNING_BYTES } from './instance/disk-check';
export { GLPICRYPT_KEY_BYTES } from './instance/key-check';
export { MARKETPLACE_EXTENSIONS } from './instance/php-checks';
export type { DoctorPlatform, InstanceCheckDeps, PhpProbe } from './instance/types';

/** Runs every instance check on the GLPI folder `root`. Never throws for what it inspects. */
export async function checkInstance(root: string, deps: InstanceCheckDeps): Promise<Check[]> {
  root = nodePath.resolve(root);
  const { fs, platform } = deps;
  const checks: Check[] = [];

  const rootProbe = await probe(fs, root);
  const here = async (rel: string) => probe(fs, nodePath.join(root, rel));
  const markers =
    rootProbe.kind === 'dir' ? [await here('inc/define.php'), await here('src/autoload/constants.php')] : [];
  if (rootProbe.kind !== 'dir' || !markers.some((p) => p.kind === 'file')) {
    const markerErrors = markers.map((p) => (p.kind === 'error' ? p.error : '')).filter(Boolean);
    const problem =
      rootProbe.kind === 'missing' || rootProbe.kind === 'error'
        ? rootProbe.kind
        : rootProbe.kind !== 'dir'
          ? 'other'
          : markerErrors.length > 0
            ? 'inspect'
            : 'not-glpi';
    const error = rootProbe.kind === 'error' ? rootProbe.error : markerErrors.join('; ');
    checks.push(
      refCheck(
        { id: ID.root, title: T.root, state: 'failed', details: { root } },
        ref('instance.root.unrecognised', { root, problem, error }),
        ref('instance.root.fix.choose'),
      ),
    );
    for (const [name, checkId] of Object.entries(ID).slice(1))
      checks.push(skipped(checkId, T[name as keyof typeof T], ref('instance.notRecognised')));
    return checks;
  }

  const info = await detectInstance(root, fs);
  const id = await readIdentity(fs, platform);
  const webText = id.web ? id.web.name : 'the web server user (www-data or apache)';
  const ctx: Ctx = {
    root,
    fs,
    platform,
    id,
    info,
    posix: platform.os !== 'win32',
    webText,
    owner: id.web ? `${id.web.name}:${id.web.group}` : 'www-data:www-data',
    sudo: `sudo -u ${id.web?.name ?? 'www-data'} `,
  };

  checks.push(rootCheck(ctx));
  const config = await configCheck(ctx);
  checks.push(config.check);
  checks.push(...(await configFileChecks(ctx, config.usable)));
  const market = await marketplaceCheck(ctx);
  checks.push(market.check);
  checks.push(await pluginsCheck(ctx));
  checks.push(await pluginFoldersCheck(ctx));
  checks.push(networkCheck(ctx, deps.servicesUrl));
  checks.push(await diskCheck(ctx, market.exists ? info.marketplaceDir : root));
  checks.push(...(await phpChecks(ctx, deps.php)));
  return checks;
}

async function configFileChecks(ctx: Ctx, use: ConfigUse): Promise<Check[]> {
  if ('why' in use) return [skipped(ID.key, T.key, use.why), skipped(ID.configDb, T.configDb, use.why)];
  return [await keyCheck(ctx, use.dir), await configDbCheck(ctx, use.dir)];
}
