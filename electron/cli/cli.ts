import { parseArgv, type ParsedArgv } from '../../shared/argv';
import { AppError } from '../../shared/errors';
import { daysLeft, type KeyState, type KeyStatus } from '../../shared/model';
import type { Messages } from '../../shared/messages/en';
import { runBundle } from './bundle-commands';
import { runCatalog } from './catalog-commands';
import { call, type Core } from './cli-core';
import { runConfig } from './config-commands';
import { runDoctor } from './doctor-command';
import { runFleet } from './fleet-commands';
import { errorText, labelled } from './format';
import { runInstances } from './instance-commands';
import { runManifest } from './manifest-commands';
import { runPlan } from './plan-command';
import { runPlugins } from './plugin-commands';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads the key: all of stdin when piped, or a prompt with echo off on a terminal. */
  readSecret(prompt: string): Promise<string>;
  now(): Date;
  /** The language of the core's messages (shared/messages): `en`, or `fr` under a French LANG. */
  messages?: Messages;
}

/** Documented exit codes. */
export const EXIT = { ok: 0, other: 1, invalid: 2, terminated: 3, unreachable: 4, noKey: 5 } as const;

/** A command's failure: an AppError is printed (message and fix, in the CLI's language) and exits 1; anything else is a bug and goes on up. */
export function commandFailed(err: unknown, io: CliIo): number {
  if (!(err instanceof AppError)) throw err;
  io.err(errorText(err, io.messages));
  return EXIT.other;
}

const STATE_EXIT: Record<KeyState, number> = {
  valid: EXIT.ok,
  invalid: EXIT.invalid,
  terminated: EXIT.terminated,
  unreachable: EXIT.unreachable,
  none: EXIT.noKey,
};

export const USAGE = `Usage: marketdesk [--profile NAME] <command>

Commands:
  key set [--force] [--session]    Read the registration key from stdin (or a hidden prompt),
                                   validate it with GLPI Network and store it in the OS keychain.
                                   --force stores a key GLPI Network refused or could not check.
  key status [--refresh] [--json]  Show the key's state from the last answer (--refresh asks again).
  key forget                       Remove the key from the keychain and forget its answers.
  catalog list [--json]            Every plugin of the marketplace for the target GLPI version.
  catalog search <terms> [--json]  Plugins matching the words (name, key, descriptions, authors, tags).
  catalog show <key> [--json]      Everything about one plugin: versions, compatibility, tier.
  catalog refresh [--json]         Fetch the catalogue from GLPI Network now.
  entitlements [--csv|--json]      Which plugins each subscription tier unlocks.
  instance add <root> [--name N]   Add a GLPI instance (its root folder); the first becomes active.
  instance add ssh://user@host[:port]/var/www/glpi [--name N]
        [--auth agent|key|password] [--key-file F] [--ask-passphrase] [--save-passphrase]
        [--sudo-user www-data] [--accept-host-key SHA256:...]
                                   Add a GLPI server over SSH. An unknown host is refused with its
                                   fingerprint: compare it, then add --accept-host-key with it.
  instance list|use <name>|show    List instances, switch the active one, show what was detected.
  instance remove <name>           Forget an instance (its files and server are not touched).
  fleet [--json]                   Every instance checked in parallel: reachable, GLPI version, plugins,
                                   updates, problems. Exit code 1 when one is unreachable or has a problem.
  fleet update (<key>|--all) <instance>...
                                   Update a plugin (or every plugin with an update) in those instances;
                                   one result per instance. Exit code 1 when one failed.
  plugins [--updates] [--json]     The active instance's plugins, versions and available updates.
  install <key>[@version]          Install a plugin (latest compatible, or that version) in the active
                                   instance: verified download, safe extraction, atomic swap.
  update <key> | --all             Update to the newest compatible version (strictly newer only).
  install|update <key> --accept-new-checksum <sha256>
                                   When a version's archive no longer has the SHA-256 it had at its
                                   first install: take that exact new archive once you have checked it.
  restore <key> [--to <version>]   Put back a previous version from the backups.
  remove <key>                     Move the plugin folder to the backups (GLPI keeps its tables).
  history [--json]                 What was installed, updated, restored or removed, by whom.
  config services-url [URL|--reset]  Show or set the GLPI Network services URL (default
                                   https://services.glpi-network.com).
  config proxy [--mode M] [--url U] [--user U] [--password-stdin|--no-password] [--bypass LIST] [--pac URL]
                                   Show or set how GLPI Network is reached (system, manual, pac, direct).
  doctor [--json|--markdown] [--instance NAME]
                                   Check the network path, the key and the GLPI instance; say each fix.
                                   Exit code 1 when a check failed.
  plan --to <GLPI version> [--instance NAME] [--json|--markdown] [--download]
                                   Before upgrading GLPI: what each plugin becomes (keeps working, needs
                                   version X, none yet, absorbed into GLPI, not managed) and the order of
                                   operations. --download fetches the planned archives into the cache now.
  manifest export [--instance NAME] [--yaml] > plugins.json
                                   What an instance has (key, exact version, folder, active, sha256) as a
                                   manifest (format: docs/manifest.schema.json), or as YAML (read too).
  apply plugins.json [--instance NAME] [--plan] [--prune] [--accept-new-checksum SHA256] [--json]
                                   Make the instance match the manifest (exact versions or ranges such as
                                   ~1.21, ^2.9, ">=2.9 <3"): install, update, downgrade, and with --prune
                                   remove what it does not list. --plan only shows the changes. Stops at
                                   the first failure; a second apply says "nothing to do". A version
                                   whose archive changed since it was pinned stops it, until
                                   --accept-new-checksum names the new SHA-256 you checked.
  manifest attach plugins.json --instance NAME | manifest detach --instance NAME
                                   The fleet view shows how that instance drifts from the manifest.
  bundle create (--instance NAME | --manifest plugins.json) [--glpi-version X] -o FILE
                                   One file for a machine without network: the archives (verified,
                                   pinned), their SHA-256, the catalogue records; never the key. Prints
                                   the bundle's SHA-256 to check it with on the other side.
  bundle inspect FILE [--sha256 SHA256]
                                   What a bundle holds, each archive checked against bundle.json.
  bundle import FILE [--instance NAME] [--plan] [--sha256 SHA256] [--accept-new-checksum SHA256]
                                   Verify the whole bundle, then install or update from it with no
                                   network at all (--plan only shows the changes).
  config console [--offer|--no-offer] [--php PATH] [--user GLPI_USER]
                                   Running GLPI's console after installs (install --console runs it once).
  config ca [--add FILE|--remove FILE]
                                   Extra trusted root certificates (PEM), added to the default ones.

Options:
  --profile NAME   Which profile to use (default: "default").
  --glpi-version X The GLPI version to list plugins for, for this command only
                   (default: the profile's target version).
  --json           JSON on stdout, for scripts.
  -h, --help       This help.    -v, --version   Marketdesk's version.

Exit codes: 0 valid and running, 2 invalid key, 3 subscription not running,
            4 GLPI Network unreachable, 5 no key, 1 anything else.
Environment: MARKETDESK_HOME (data folder), GLPI_NETWORK_SERVICES (services URL).
The key is never accepted as a command-line argument: it would end up in shell history.`;

export interface ParsedArgs extends ParsedArgv {
  profile: string;
}

/** Options that take a value (`--glpi-version 10.0.18` or `--glpi-version=10.0.18`). */
const VALUE_OPTIONS = [
  '--profile',
  '--glpi-version',
  '--name',
  '--to',
  '--mode',
  '--url',
  '--user',
  '--bypass',
  '--pac',
  '--add',
  '--remove',
  '--php',
  '--instance',
  '--auth',
  '--key-file',
  '--sudo-user',
  '--accept-host-key',
  '--accept-new-checksum',
  '--manifest',
  '-o',
  '--output',
  '--sha256',
];

export function parseArgs(argv: string[]): ParsedArgs {
  const args = parseArgv(argv, VALUE_OPTIONS);
  return { ...args, profile: args.values.get('--profile') ?? 'default' };
}

/** Runs one command through the core's handlers; returns the exit code. */
export async function runCli(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  try {
    return await runCommand(args, core, io);
  } catch (err) {
    return commandFailed(err, io);
  }
}

function runCommand(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const group = args.words[0];
  if (group === 'catalog' || group === 'entitlements') return runCatalog(args, core, io);
  if (group === 'instance' || group === 'plugins') return runInstances(args, core, io);
  if (group === 'config') return runConfig(args, core, io);
  if (group === 'doctor') return runDoctor(args, core, io);
  if (group === 'fleet') return runFleet(args, core, io);
  if (group === 'plan') return runPlan(args, core, io);
  if (group === 'manifest' || group === 'apply') return runManifest(args, core, io);
  if (group === 'bundle') return runBundle(args, core, io);
  if (group && ['install', 'update', 'restore', 'remove', 'history'].includes(group)) return runPlugins(args, core, io);
  return runKey(args, core, io);
}

/** `key set|status|forget`: the exit code says the key's state. */
async function runKey(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const [group, command, ...rest] = args.words;
  const json = args.flags.has('--json');
  if (group !== 'key' || !command) {
    io.err(USAGE);
    return EXIT.other;
  }
  const allowed: Record<string, string[]> = {
    set: ['--force', '--session', '--json'],
    status: ['--refresh', '--json'],
    forget: ['--json'],
  };
  const known = allowed[command];
  if (!known) {
    io.err(`Unknown command "key ${command}".\n\n${USAGE}`);
    return EXIT.other;
  }
  const unknownFlag = [...args.flags].find((f) => !known.includes(f));
  if (unknownFlag) {
    io.err(`Unknown option ${unknownFlag} for "key ${command}".`);
    return EXIT.other;
  }
  if (rest.length > 0) {
    io.err(
      command === 'set'
        ? 'Refusing a key on the command line: it would be kept in shell history and visible to other users in the process list. Pipe it in (marketdesk key set < keyfile) or type it at the prompt.'
        : `Unexpected argument "${rest[0]}".`,
    );
    return EXIT.other;
  }

  try {
    let status: KeyStatus;
    if (command === 'set') {
      const key = await io.readSecret('GLPI Network registration key (input hidden): ');
      status = await call(core, 'key.set', {
        key,
        force: args.flags.has('--force'),
        storage: args.flags.has('--session') ? 'session' : 'keychain',
      });
    } else if (command === 'forget') {
      status = await call(core, 'key.forget', {});
    } else {
      status = await call(core, args.flags.has('--refresh') ? 'key.sync' : 'key.status', {});
    }
    io.out(json ? JSON.stringify(toJson(status)) : describe(status, io.now()));
    return STATE_EXIT[status.state];
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const preview =
      err.details && typeof err.details === 'object' && 'state' in err.details ? (err.details as KeyStatus) : null;
    if (json)
      io.out(
        JSON.stringify({
          ...(preview ? toJson(preview) : {}),
          error: { code: err.code, message: err.message, fix: err.fix ?? null },
          stored: false,
        }),
      );
    else io.err(`${errorText(err, io.messages)}${preview ? `\n\n${describe(preview, io.now())}` : ''}`);
    switch (err.code) {
      case 'KEY_MALFORMED':
      case 'KEY_INVALID':
        return EXIT.invalid;
      case 'KEY_UNVERIFIED':
        return EXIT.unreachable;
      default:
        return EXIT.other;
    }
  }
}

/** The `--json` shape: stable field names for scripts. */
export function toJson(s: KeyStatus) {
  return {
    profile: s.profile,
    state: s.state,
    owner: s.owner,
    subscription: s.subscription,
    message: s.message,
    checkedAt: s.checkedAt,
    maskedKey: s.maskedKey,
    storage: s.storage,
    ...(s.state === 'unreachable' && s.failure
      ? { cause: s.failure.cause, fix: s.failure.fix, detail: s.failure.message, unreachableSince: s.unreachableSince }
      : {}),
  };
}

const STATE_TEXT: Record<KeyState, string> = {
  none: 'no key stored',
  valid: 'valid',
  invalid: 'invalid (GLPI Network does not recognise this key)',
  terminated: 'valid key, but the subscription is terminated',
  unreachable: 'GLPI Network unreachable',
};

export function describe(s: KeyStatus, now: Date): string {
  const rows: [string, string][] = [['State', STATE_TEXT[s.state]]];
  if (s.state === 'none') {
    rows.push(['Next step', 'marketdesk key set   (paste the key from your GLPI Network account)']);
    return labelled(rows);
  }
  const where = s.storage === 'session' ? 'this session only' : s.storage === 'keychain' ? 'OS keychain' : 'not stored';
  rows.unshift(['Registration key', `${s.maskedKey ?? '?'} (${where})`]);
  if (s.failure) {
    rows.push(['Problem', `${s.failure.message} [${s.failure.cause}]`]);
    rows.push(['Fix', s.failure.fix]);
    if (s.unreachableSince) rows.push(['Unreachable since', `${s.unreachableSince} (${ago(s.unreachableSince, now)})`]);
    if (s.checkedAt) rows.push(['Last known answer', `from ${s.checkedAt}`]);
  }
  if (s.owner) rows.push(['Registered by', s.owner]);
  if (s.subscription) {
    const sub = s.subscription;
    rows.push(['Subscription', `${sub.title} (${sub.offer}), ${sub.running ? 'running' : 'not running'}`]);
    if (sub.begins || sub.ends) {
      const left = daysLeft(sub.ends, now);
      rows.push([
        'Period',
        `${sub.begins ?? '?'} to ${sub.ends ?? '?'}${left !== null ? ` (${left >= 0 ? `${left} days left` : `ended ${-left} days ago`})` : ''}`,
      ]);
    }
  }
  if (s.message) rows.push(['GLPI Network says', s.message]);
  if (s.checkedAt) rows.push(['Checked', `${s.checkedAt} (${ago(s.checkedAt, now)})`]);
  return labelled(rows);
}

function ago(iso: string, now: Date): string {
  const minutes = Math.round((now.getTime() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours ago` : `${Math.round(hours / 24)} days ago`;
}
