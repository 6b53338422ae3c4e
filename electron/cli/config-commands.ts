import { resolve } from 'node:path';
import type { ProfileSettings } from '../../shared/model';
import type { CliIo, ParsedArgs } from './cli';
import { splitList } from '../core/proxy';
import { EXIT, commandFailed } from './cli';
import { call, type Core } from './cli-core';
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
    if (what === 'console') return await runConsoleConfig(args, core, io);
    return await runServicesUrl(args, core, io);
  } catch (err) {
    return commandFailed(err, io);
  }
}

async function runProxy(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const v = (name: string) => args.values.get(name);
  const mode = v('--mode');
  // The modes are checked where every shell's are: the contract's schema.
  const patch = {
    ...(mode !== undefined ? { proxyMode: mode as ProfileSettings['network']['proxyMode'] } : {}),
    ...(v('--url') !== undefined ? { proxyUrl: v('--url') ?? '' } : {}),
    ...(v('--user') !== undefined ? { proxyUser: v('--user') ?? '' } : {}),
    ...(v('--bypass') !== undefined ? { bypass: splitList(v('--bypass') ?? '') } : {}),
    ...(v('--pac') !== undefined ? { pacUrl: v('--pac') ?? '' } : {}),
  };
  let settings = await (Object.keys(patch).length > 0
    ? call(core, 'settings.update', { network: patch })
    : call(core, 'settings.get', {}));
  if (args.flags.has('--password-stdin') || args.flags.has('--no-password')) {
    const password = args.flags.has('--no-password')
      ? null
      : (await io.readSecret('Proxy password (input hidden): ')).trim();
    settings = await call(core, 'settings.proxyPassword', { password });
  }
  const n = settings.network;
  if (args.flags.has('--json')) {
    io.out(JSON.stringify({ ...n, proxyPasswordSet: settings.proxyPasswordSet }));
    return EXIT.ok;
  }
  const route = await call(core, 'settings.networkRoute', {});
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
      ['GLPI Network', `${route.kind === 'direct' ? 'direct' : `through ${route.proxy ?? '?'}`}: ${route.why}`],
    ]),
  );
  return EXIT.ok;
}

async function runConsoleConfig(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const php = args.values.get('--php');
  const user = args.values.get('--user');
  const offer = args.flags.has('--offer') ? true : args.flags.has('--no-offer') ? false : undefined;
  const patch = {
    ...(php !== undefined ? { php } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(offer !== undefined ? { offer } : {}),
  };
  const { glpiConsole: c } = await (Object.keys(patch).length > 0
    ? call(core, 'settings.update', { glpiConsole: patch })
    : call(core, 'settings.get', {}));
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
  // The desktop app's own channels: the CLI's core picks the --add file and confirms (cliCoreSetup).
  const files =
    add !== undefined
      ? (await call(core, 'settings.addCaFile', {})).files
      : remove !== undefined
        ? (await call(core, 'settings.removeCaFile', { file: resolve(remove) })).files
        : await call(core, 'settings.caFiles', {});
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
async function runServicesUrl(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const [, what, ...rest] = args.words;
  if (what !== 'services-url' || rest.length > 1 || (rest.length === 1 && args.flags.has('--reset'))) {
    io.err(CONFIG_USAGE);
    return EXIT.other;
  }
  const settings =
    rest.length === 1 || args.flags.has('--reset')
      ? (await call(core, 'settings.servicesUrl', { url: rest[0] ?? null })).settings
      : await call(core, 'settings.get', {});
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
}
