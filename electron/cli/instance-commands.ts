import type { InstalledPlugin, InstanceDetails, InstanceSummary, SshAddOptions } from '../../shared/instances';
import { instanceWhere } from '../../shared/ssh-target';
import type { CliIo, ParsedArgs } from './cli';
import { EXIT, commandFailed } from './cli';
import { call, type Core } from './cli-core';
import { columns, labelled } from './format';

/** `instance add|list|use|show` and `plugins [--updates]`. */
export async function runInstances(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const [group, command, ...rest] = args.words;
  const json = args.flags.has('--json');
  try {
    if (group === 'plugins')
      return await plugins(
        args,
        core,
        io,
        [command, ...rest].filter((w): w is string => !!w),
      );
    switch (command) {
      case 'add': {
        if (rest.length !== 1)
          return usage(
            io,
            'marketdesk instance add <GLPI root folder | ssh://user@host[:port]/path> [--name NAME]\n' +
              '  SSH: [--auth agent|key|password] [--key-file FILE] [--ask-passphrase] [--save-passphrase]\n' +
              '       [--sudo-user WEB_USER] [--accept-host-key SHA256:...]',
          );
        const name = args.values.get('--name');
        const root = rest[0] ?? '';
        const ssh = /^ssh:\/\//i.test(root) ? await sshOptions(args, io) : undefined;
        if (typeof ssh === 'string') return usage(io, ssh);
        const added = await call(core, 'instances.add', {
          root,
          ...(name !== undefined ? { name } : {}),
          ...(ssh ? { ssh } : {}),
        });
        if (json) io.out(JSON.stringify(await call(core, 'instances.show', { name: added.name })));
        else io.out(`Added "${added.name}": ${describe(added)}${added.active ? '\nIt is the active instance.' : ''}`);
        return EXIT.ok;
      }
      case 'remove': {
        if (rest.length !== 1) return usage(io, 'marketdesk instance remove <name>');
        const list = await call(core, 'instances.remove', { name: rest[0] ?? '' });
        if (json) io.out(JSON.stringify(list));
        else
          io.out(
            `Forgot "${rest[0]}" (nothing on its server or folder was touched).${list.active ? ` The active instance is "${list.active}".` : ''}`,
          );
        return EXIT.ok;
      }
      case 'list': {
        const { instances, active } = await call(core, 'instances.list', {});
        if (json) io.out(JSON.stringify(instances.map((i) => ({ ...i, active: i.name === active }))));
        else if (instances.length === 0) io.out('No instance yet. Add one: marketdesk instance add /var/www/glpi');
        else
          io.out(
            columns(
              ['', 'NAME', 'ROOT'],
              instances.map((i) => [i.name === active ? '*' : '', i.name, instanceWhere(i)]),
            ),
          );
        return EXIT.ok;
      }
      case 'use': {
        if (rest.length !== 1) return usage(io, 'marketdesk instance use <name>');
        const { instance } = await call(core, 'instances.use', { name: rest[0] ?? '' });
        if (json) io.out(JSON.stringify(instance));
        else io.out(`"${rest[0]}" is now the active instance${instance ? `: ${describe(instance)}` : '.'}`);
        return EXIT.ok;
      }
      case 'show': {
        if (rest.length > 1) return usage(io, 'marketdesk instance show [<name>]');
        const shown = await call(core, 'instances.show', rest[0] !== undefined ? { name: rest[0] } : {});
        io.out(json ? JSON.stringify(shown) : details(shown.name, shown.info, shown.networkApiDiffers ?? false));
        return shown.info.problems.length > 0 ? EXIT.other : EXIT.ok;
      }
      default:
        return usage(io, 'marketdesk instance add|list|use|show|remove');
    }
  } catch (err) {
    return commandFailed(err, io);
  }
}

/** How to log in to a new SSH instance, from the options; a usage text when they do not fit. */
async function sshOptions(args: ParsedArgs, io: CliIo): Promise<SshAddOptions | string> {
  const keyFile = args.values.get('--key-file');
  const auth = args.values.get('--auth') ?? (keyFile ? 'key' : 'agent');
  if (auth !== 'agent' && auth !== 'key' && auth !== 'password') return '--auth is one of agent, key, password.';
  if (auth === 'key' && !keyFile) return '--auth key needs --key-file FILE (the private key).';
  if (auth !== 'key' && keyFile) return '--key-file goes with --auth key.';
  const sudoUser = args.values.get('--sudo-user');
  const accept = args.values.get('--accept-host-key');
  let secret: string | undefined;
  if (auth === 'password') secret = await io.readSecret('SSH password (input hidden, kept in the OS keychain): ');
  else if (auth === 'key' && args.flags.has('--ask-passphrase'))
    secret = await io.readSecret('Passphrase of the private key (input hidden): ');
  secret = secret?.replace(/\r?\n$/, '');
  return {
    auth,
    ...(keyFile ? { keyFile } : {}),
    ...(secret ? { secret } : {}),
    ...(args.flags.has('--save-passphrase') ? { saveSecret: true } : {}),
    ...(sudoUser ? { sudoUser } : {}),
    ...(accept ? { acceptHostKey: accept } : {}),
  };
}

async function plugins(args: ParsedArgs, core: Core, io: CliIo, rest: string[]): Promise<number> {
  if (rest.length > 0) return usage(io, 'marketdesk plugins [--updates] [--json]');
  const result = await call(core, 'plugins.list', {});
  // No active instance: the core says so, with its fix.
  if (!result.instance) await call(core, 'instances.show', {});
  let list = result.plugins;
  if (!result.catalogue) io.err('No catalogue (no valid key or GLPI Network unreachable): updates cannot be checked.');
  if (args.flags.has('--updates')) list = list.filter((p) => p.update !== null);
  if (args.flags.has('--json')) io.out(JSON.stringify(list.map(pluginJson)));
  else
    io.out(
      columns(
        ['KEY', 'NAME', 'VERSION', 'WHERE', 'GLPI', 'UPDATE', 'NOTE'],
        list.map((p) => [
          p.key,
          p.name ?? '-',
          p.version ?? 'unknown',
          p.location,
          `${p.glpiMin ?? '?'} - ${p.glpiMax ?? '?'}`,
          p.update ?? '-',
          [
            p.shadowedBy ? `shadowed by ${p.shadowedBy}/` : '',
            p.vcs ? `${p.vcs} checkout` : '',
            p.problem ?? '',
            p.updateBlocked ?? '',
          ]
            .filter(Boolean)
            .join('; '),
        ]),
      ),
    );
  return EXIT.ok;
}

/** The documented `plugins --json` shape. */
function pluginJson(p: InstalledPlugin) {
  return {
    key: p.key,
    name: p.name,
    version: p.version,
    problem: p.problem,
    location: p.location,
    glpiMin: p.glpiMin,
    glpiMax: p.glpiMax,
    update: p.update,
    updateBlocked: p.updateBlocked,
    shadowedBy: p.shadowedBy,
    vcs: p.vcs,
    path: p.path,
  };
}

function describe(info: InstanceSummary): string {
  return `GLPI ${info.version ?? 'version unknown'} (${info.line}, ${info.installMode}), marketplace ${info.marketplaceWritable ? 'writable' : 'NOT writable'}${info.problems.length ? `\nProblems:\n- ${info.problems.join('\n- ')}` : ''}`;
}

const MARKETPLACE_MODES = ['off (0)', 'console only (1)', 'web only (2)', 'console and web (3)'];

function details(name: string, info: InstanceDetails['info'], apiDiffers: boolean): string {
  const mode = info.marketplaceEnable;
  const api = info.networkApiUrl;
  const rows: [string, string][] = [
    ['Instance', name],
    ['Root', info.root],
    ['GLPI version', `${info.version ?? 'unknown'} (from ${info.versionSource})`],
    [
      'Cross-check',
      info.crossCheck
        ? `${info.crossCheck.file}: ${info.crossCheck.agrees ? 'agrees' : `says ${info.crossCheck.version ?? '?'}`}`
        : 'no version/ folder',
    ],
    ['Line', info.line],
    ['Install mode', info.installMode],
    ['Config folder', info.configDir ?? 'unknown'],
    ['Marketplace', `${info.marketplaceDir} (${info.marketplaceWritable ? 'writable' : 'not writable'})`],
    ['Plugin folders', info.pluginsDirs.join(', ')],
    ...(mode
      ? [
          [
            'GLPI marketplace',
            `${mode.value === null ? 'unknown (needs PHP)' : MARKETPLACE_MODES[mode.value]}${mode.source === 'default' ? '' : ` (${mode.source})`}`,
          ] as [string, string],
        ]
      : []),
    ...(api
      ? [
          [
            'GLPI Network API',
            `${api.value ?? 'unknown (needs PHP)'}${api.overridden ? ` (set in ${api.source})` : ''}${apiDiffers ? " - differs from this profile's services URL" : ''}`,
          ] as [string, string],
        ]
      : []),
    ...(info.webRoot ? [['Web root', info.webRoot] as [string, string]] : []),
    ...info.overrides.map((o): [string, string] => [`Override ${o.name}`, `${o.value} (${o.file})`]),
    ...(info.notes ?? []).map((n): [string, string] => ['Note', n]),
    ...info.problems.map((p): [string, string] => ['Problem', p]),
  ];
  return labelled(rows);
}

function usage(io: CliIo, text: string): number {
  io.err(`Usage: ${text}`);
  return EXIT.other;
}
