import { AppError } from '../../shared/errors';
import type { CliIo, Core, ParsedArgs } from './cli';
import { resolve } from 'node:path';
import { caFileList, trustCaFile, untrustCaFile } from '../core/settings-handlers';
import { redactProxyUrl, splitList } from '../core/proxy';
import { EXIT } from './cli';
import { labelled } from './format';

const CONFIG_USAGE = `Usage:
  marketdesk config services-url [URL | --reset]
  marketdesk config proxy [--mode system|manual|pac|direct] [--url URL] [--user USER] [--password-stdin | --no-password]
                          [--bypass host,.domain,10.0.0.0/8] [--pac URL]
  marketdesk config ca [--add FILE | --remove FILE]
  marketdesk config console [--offer | --no-offer] [--php PATH] [--user GLPI_USER]`;

/** `config services-url|proxy|ca`: where GLPI Network is, and how to reach it. */
export async function runConfig(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const what = args.words[1];
  try {
    if (what === 'proxy') return await runProxy(args, core, io);
    if (what === 'ca') return await runCa(args, core, io);
    if (what === 'console') return runConsoleConfig(args, core, io);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.err(`${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
    return EXIT.other;
  }
  return runServicesUrl(args, core, io);
}

async function runProxy(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const v = (name: string) => args.values.get(name);
  const mode = v('--mode');
  if (mode !== undefined && !['system', 'manual', 'pac', 'direct'].includes(mode)) {
    io.err(CONFIG_USAGE);
    return EXIT.other;
  }
  const patch = {
    ...(mode ? { proxyMode: mode as 'system' | 'manual' | 'pac' | 'direct' } : {}),
    ...(v('--url') !== undefined ? { proxyUrl: v('--url') ?? '' } : {}),
    ...(v('--user') !== undefined ? { proxyUser: v('--user') ?? '' } : {}),
    ...(v('--bypass') !== undefined ? { bypass: splitList(v('--bypass') ?? '') } : {}),
    ...(v('--pac') !== undefined ? { pacUrl: v('--pac') ?? '' } : {}),
  };
  let settings = Object.keys(patch).length > 0 ? core.settings.updateNetwork(patch) : core.settings.get();
  if (args.flags.has('--password-stdin') || args.flags.has('--no-password')) {
    const password = args.flags.has('--no-password')
      ? null
      : (await io.readSecret('Proxy password (input hidden): ')).trim();
    await core.network.setProxyPassword(password);
    settings = core.settings.markProxyPassword(password !== null && password !== '');
  }
  core.network.invalidate();
  const n = settings.network;
  if (args.flags.has('--json')) {
    io.out(JSON.stringify({ ...n, proxyPasswordSet: settings.proxyPasswordSet }));
    return EXIT.ok;
  }
  const route = (await core.network.runtime()).route(settings.servicesUrl);
  io.out(
    labelled([
      ['Mode', n.proxyMode],
      ['Proxy', n.proxyUrl || '-'],
      [
        'User',
        n.proxyUser ? `${n.proxyUser} (password ${settings.proxyPasswordSet ? 'in the keychain' : 'not set'})` : '-',
      ],
      ['Bypass', n.bypass.join(', ') || '-'],
      ['PAC script', n.pacUrl || '-'],
      [
        'GLPI Network',
        `${route.kind === 'direct' ? 'direct' : `through ${redactProxyUrl(route.proxyUrl)}`}: ${route.why}`,
      ],
    ]),
  );
  return EXIT.ok;
}

function runConsoleConfig(args: ParsedArgs, core: Core, io: CliIo): number {
  const php = args.values.get('--php');
  const user = args.values.get('--user');
  const offer = args.flags.has('--offer') ? true : args.flags.has('--no-offer') ? false : undefined;
  const patch = {
    ...(php !== undefined ? { php } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(offer !== undefined ? { offer } : {}),
  };
  const c = (Object.keys(patch).length > 0 ? core.settings.updateGlpiConsole(patch) : core.settings.get()).glpiConsole;
  io.out(
    args.flags.has('--json')
      ? JSON.stringify(c)
      : labelled([
          ['Offered in the app', c.offer ? 'yes' : 'no'],
          ['php', c.php || 'the first php on PATH'],
          ['GLPI user', c.user],
        ]),
  );
  return EXIT.ok;
}

async function runCa(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const add = args.values.get('--add');
  const remove = args.values.get('--remove');
  // The same checks as the desktop app's settings screen (settings-handlers.ts).
  if (add !== undefined) await trustCaFile(core, resolve(add));
  else if (remove !== undefined) await untrustCaFile(core, resolve(remove));
  core.network.invalidate();
  const files = await caFileList(core.network);
  if (args.flags.has('--json')) {
    io.out(JSON.stringify(files));
    return EXIT.ok;
  }
  io.out(
    files.length === 0
      ? 'No extra certificates: only the default roots are trusted.'
      : files.map((f) => `${f.file}: ${f.problem ?? f.subjects.join('; ')}`).join('\n'),
  );
  return EXIT.ok;
}

/** `config services-url [URL | --reset]`: where GLPI Network is (the key is sent there). */
function runServicesUrl(args: ParsedArgs, core: Core, io: CliIo): number {
  const [, what, ...rest] = args.words;
  if (what !== 'services-url' || rest.length > 1 || (rest.length === 1 && args.flags.has('--reset'))) {
    io.err(CONFIG_USAGE);
    return EXIT.other;
  }
  try {
    const settings =
      rest.length === 1
        ? core.settings.setServicesUrl(rest[0] ?? '')
        : args.flags.has('--reset')
          ? core.settings.setServicesUrl(null)
          : core.settings.get();
    const note =
      settings.servicesUrlSource === 'env'
        ? ' (from GLPI_NETWORK_SERVICES, which wins over the setting)'
        : ` (${settings.servicesUrlSource})`;
    io.out(
      args.flags.has('--json')
        ? JSON.stringify({ servicesUrl: settings.servicesUrl, source: settings.servicesUrlSource })
        : `${settings.servicesUrl}${note}`,
    );
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.err(`${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
    return EXIT.other;
  }
}
