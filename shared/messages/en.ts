/**
 * Every message the core writes for a person (doctor checks, install errors), in English: the one
 * source of the English text the core keeps in `message`/`summary`/`fix`, and the catalogue the
 * shells render a `MessageRef` through. Each entry is a function of its typed parameters.
 */
import type { MessageRef } from './ref';
import { renderRefs } from './ref-list';

type P<K extends string> = Record<K, string>;

const ARCHIVE_REASONS: Record<string, string> = {
  truncated: 'it is cut short',
  corrupt: 'it is damaged',
  empty: 'it is empty',
  'unknown-format': 'its format is not zip, tar.gz or tar.bz2',
  'no-setup-php': 'the plugin folder has no setup.php',
};

const DOWNLOAD_FIXES: Record<string, string> = {
  network: 'Check the connection to GLPI Network (the doctor names the failing step), then try the download again.',
  entitlement: 'The subscription does not include this plugin. Upgrade or renew it, then try again.',
  'not-found': 'Sync the catalogue and try again; if it persists, report it to the plugin author.',
  truncated: 'Try the download again; if it persists, report it to the plugin author.',
  checksum: 'Do not install this file; try again later, or report it to the plugin author.',
};

/** The doctor's SSH steps (`ssh.<step>`), by step. */
const SSH_STEPS = {
  dns: 'DNS resolution',
  tcp: 'TCP connection',
  'host-key': 'SSH handshake and host key',
  auth: 'Authentication',
  sudo: 'Acting as the web server user (sudo)',
};

/** A step's title; the text itself when it names no step. */
function sshStep(step: string): string {
  return (SSH_STEPS as Record<string, string | undefined>)[step] ?? step;
}

/** What to do about an errno met while working on `where` (docs/reliability-checklist.md INS-6). */
function errnoFix(errno: string, where: string): string {
  switch (errno) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk holding ${where} is full (or your quota is reached). Free some space, then try again.`;
    case 'EACCES':
    case 'EPERM':
      return `Marketdesk is not allowed to change ${where}. Give the account running Marketdesk write access to it (the same access the web server has), or run Marketdesk as that account, then try again.`;
    case 'EBUSY':
      return `A file in ${where} is in use (often an antivirus scan, an open editor or terminal, or the web server on Windows). Close what uses it, wait a moment, then try again.`;
    case 'EXDEV':
      return `${where} spans two file systems (a mount point inside marketplace/?), so the plugin cannot be switched atomically. Make marketplace/ and marketplace/.marketdesk live on the same file system, then try again.`;
    case 'EROFS':
      return `${where} is on a read-only file system. Remount it read-write, then try again.`;
    default:
      return `Check that ${where} exists and is writable, then try again.`;
  }
}

const PASTE_AGAIN = 'Copy the key again from your GLPI Network account (Registration key) and paste it alone.';

/** What cleaning a pasted key up removed, by code (`quotes,spaces,invisible,copy`). */
const REMOVED: Record<string, string> = {
  quotes: 'quotes',
  spaces: 'spaces and line breaks',
  invisible: 'invisible characters',
  copy: 'the second copy',
};

/** What cleaning up would leave, appended to the key text's result; '' when it would leave no key. */
function cleanedHint(p: P<'cleaned' | 'removed' | 'cleanedLength' | 'decodes'>): string {
  if (!p.cleaned) return '';
  const removed = p.removed
    .split(',')
    .filter(Boolean)
    .map((code) => REMOVED[code] ?? code)
    .join(', ');
  return ` Cleaned up (${removed} removed) it would be ${p.cleaned}, ${p.cleanedLength} characters${p.decodes ? ', which decodes' : ''}.`;
}

/** "`x` at position 3, `y` at position 9": `list` is name@position pairs separated by `|`. */
function atPositions(list: string, word: string): string {
  return list
    .split('|')
    .map((pair) => {
      const at = pair.lastIndexOf('@');
      return at < 0 ? pair : `${pair.slice(0, at)} ${word} ${pair.slice(at + 1)}`;
    })
    .join(', ');
}

const SERVER_SUSPECTS =
  'If GLPI still says the registration is not valid, the GLPI server itself is the suspect: its network path to GLPI Network (proxy, DNS, firewall), its clock (a wrong date breaks TLS), or its glpicrypt.key (GLPI cannot decrypt the key it stored: see the instance checks).';

/** The instance checks' words for a path that should be a folder (`what`: missing, error or other). */
function notAFolder(p: P<'what' | 'error'>): string {
  if (p.what === 'missing') return 'does not exist';
  return p.what === 'error' ? `cannot be inspected: ${p.error}` : 'is not a folder';
}

/** Why a GLPI root was not recognised (`problem`: missing, error, other, inspect or anything else). */
function rootProblem(p: P<'root' | 'problem' | 'error'>): string {
  if (p.problem === 'missing') return `${p.root} does not exist`;
  if (p.problem === 'error') return `${p.root} cannot be opened: ${p.error}`;
  if (p.problem === 'other') return `${p.root} is not a folder`;
  if (p.problem === 'inspect') return `${p.root} cannot be inspected: ${p.error}`;
  return `${p.root} is not a GLPI folder: neither inc/define.php (9.5, 10.0) nor src/autoload/constants.php (11) is there`;
}

/** The web server user by name; its usual names when the distribution does not tell it. */
function webUser(p: P<'web'>): string {
  return p.web || 'the web server user (www-data or apache)';
}

/** What lets the web server read a path: chown and chmod on POSIX, words on Windows. */
function readAccess(p: P<'owner' | 'path' | 'quoted' | 'rhel' | 'mode' | 'config' | 'posix'>): string {
  if (!p.posix) return `Give the account the web server runs as read access to ${p.path}.`;
  return `chown ${p.owner} ${p.quoted}${p.rhel ? ' (apache:apache on RHEL-likes)' : ''} and chmod ${p.mode} ${p.quoted}${p.config ? ' (GLPI also writes there: cache.php, glpicrypt.key)' : ''}`;
}

/** The note about a legacy glpi.key beside glpicrypt.key, when there is one. */
function legacyNote(p: P<'legacy'>): string {
  return p.legacy
    ? ' A legacy glpi.key (GLPI 9.4.6–9.4.x) is in the same folder: GLPI 9.5+ only uses it to decrypt values written before 9.5; it cannot stand in for glpicrypt.key.'
    : '';
}

/** Why a glpicrypt.key has the wrong size, when its size tells (`hint`: newline or base64). */
function sizeHint(p: P<'hint' | 'bytes' | 'quoted'>): string {
  if (p.hint === 'newline')
    return ` Its last byte is a line break (an editor or echo added it): removing it (truncate -s ${p.bytes} ${p.quoted}) gives the original key back.`;
  return p.hint === 'base64'
    ? ' 44 bytes is the size of a base64-encoded key: it must be stored decoded (raw bytes).'
    : '';
}

/** How to install a PHP GLPI accepts (at least `min`, below `max` when there is one). */
function phpUpgrade(p: P<'min' | 'max'>): string {
  return `Install PHP ${p.min} or later${p.max ? ` (below ${p.max})` : ''} for the web server and the command line: Debian/Ubuntu through the distribution's php packages (or packages.sury.org for other versions), RHEL-likes with \`dnf module enable php:<version>\` or Remi's repository.`;
}

/** The instructions for one OS (node's process.platform), or all of them when it is unknown. */
function forPlatform(p: P<'platform'>, ways: { linux: string; windows: string; mac: string }): string {
  if (p.platform === 'linux') return ways.linux;
  if (p.platform === 'win32') return ways.windows;
  if (p.platform === 'darwin') return ways.mac;
  return `${ways.linux}; ${ways.windows}; ${ways.mac}`;
}

const PROXY_SETTINGS = 'Marketdesk: Settings > Network';
const EXTRA_CERTS = 'Marketdesk: Settings > Network > Extra certificates';

/** A network step's duration, which the doctor adds to a step's summary (`ms`, absent in the probe's own text). */
type Timed = { ms?: string };
type PT<K extends string> = P<K> & Timed;

function timed(p: Timed, text: string): string {
  return p.ms ? `${text} (${p.ms} ms)` : text;
}

/** `300 ms`, and why the limit was that short when the probe's total time ran out first (`total`). */
function limitText(p: P<'limit' | 'total'>): string {
  return p.total ? `${p.limit} ms (the time allowed for the whole check ran out)` : `${p.limit} ms`;
}

/** How to set the clock right, for this OS (all of them when unknown). */
function clockFix(p: P<'platform'>): string {
  return forPlatform(p, {
    linux: 'on Linux: turn on network time with `timedatectl set-ntp true` (as root), then check `timedatectl status`',
    windows:
      'on Windows: Settings > Time & language > Date & time, turn on "Set time automatically" and click "Sync now"',
    mac: 'on macOS: System Settings > General > Date & Time, turn on "Set time and date automatically"',
  });
}

/** How to trust a root certificate saved as root.crt, for this OS (all of them when unknown). */
function trustRootFix(p: P<'platform'>): string {
  return forPlatform(p, {
    linux:
      'on Debian/Ubuntu: `cp root.crt /usr/local/share/ca-certificates/ && update-ca-certificates` (as root; the file name must end in .crt); on RHEL/Fedora: `cp root.crt /etc/pki/ca-trust/source/anchors/ && update-ca-trust` (as root)',
    windows:
      'on Windows: run certlm.msc as an administrator, right-click Trusted Root Certification Authorities > All Tasks > Import, and import root.crt',
    mac: 'on macOS: open Keychain Access, import root.crt into the System keychain, then open it and set Trust > "When using this certificate" to Always Trust',
  });
}

/** Get the root `root` names (a certificate's name, or '' for the proxy's authority) and trust it. */
function trustRootSteps(p: P<'root' | 'platform'>): string {
  return `Get the root certificate ${p.root || "of the proxy's authority"} from your IT team (saved as root.crt) and trust it: ${trustRootFix(p)}. Then add the same file in ${EXTRA_CERTS}.`;
}

/** How to let this machine reach `host`:`port` through the firewall (`addresses`: its other addresses). */
function firewall(p: P<'port' | 'host' | 'addresses'>): string {
  return `allow outgoing TCP ${p.port} from this machine to ${p.host}${p.addresses ? ` (${p.addresses})` : ''} in the firewall`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The first hop of a connection: `the proxy <hop>`, or `host:port`. */
function hop(p: P<'hop' | 'proxy'>): string {
  return p.proxy ? `the proxy ${p.hop}` : p.hop;
}

/** ` through the proxy <proxy>`, when there is one. */
function via(p: P<'proxy'>): string {
  return p.proxy ? ` through the proxy ${p.proxy}` : '';
}

/** The connectivity steps' titles: the doctor's (`title.network.<step>`, the core's report) and in sentences. */
export const NETWORK_STEP_TITLES: Record<'route' | 'dns' | 'tcp' | 'tls' | 'http' | 'clock', string> = {
  route: 'Proxy decision',
  dns: 'DNS resolution',
  tcp: 'TCP connection',
  tls: 'TLS handshake',
  http: 'HTTP answer',
  clock: 'Clock',
};

function networkStep(step: string): string | undefined {
  return (NETWORK_STEP_TITLES as Record<string, string | undefined>)[step];
}

/** How the SSH user logged in, by `auth` method. */
const SSH_AUTH: Record<string, string> = {
  agent: 'with a key of the SSH agent',
  key: 'with its key file',
  password: 'with its password',
};

/** What a firewall must let through for SSH on `port`. */
function sshFirewall(p: P<'port'>): string {
  return `a firewall between this computer and the server must let TCP port ${p.port} through`;
}

/** The host key fix's steps: forget the old known_hosts entry (`known`), re-add the instance (`readd`). */
function hostKeySteps(p: P<'known' | 'name' | 'readd'>): string {
  return [
    ...(p.known ? [`remove the old entry from known_hosts: ssh-keygen -R ${p.known}`] : []),
    ...(p.readd
      ? [`replace the key remembered for ${p.name}: marketdesk instance remove ${p.name}, then ${p.readd}`]
      : []),
  ].join('; then ');
}

const RHEL_NOTE = ' (apache:apache on RHEL-likes)';
const CHANGE_KEY = 'security:change_key';
const CHANGE_KEY_LEGACY = 'glpi:security:change_key';

/** The console command that regenerates glpicrypt.key and when it applies (`console`: modern, legacy or unknown). */
function changeKey(p: P<'console'>): string {
  if (p.console === 'legacy') return `${CHANGE_KEY_LEGACY} (GLPI before 10.0.6; \`${CHANGE_KEY}\` from 10.0.6)`;
  const before = p.console === 'modern' ? 'before' : 'before 10.0.6';
  return `${CHANGE_KEY} (GLPI 10.0.6+ and 11; \`${CHANGE_KEY_LEGACY}\` ${before})`;
}

const SECRETS_TO_REENTER =
  'mail collector passwords, LDAP directory passwords, the SMTP password (and OAuth secrets), the proxy password, SNMP/inventory credentials, plugin secrets, and the GLPI Network registration key (Setup > General > GLPI Network)';

/** Where else the marketplace may live: the define that chose it (`override`: its file), or one to add. */
function marketplaceDefine(p: P<'override' | 'web'>): string {
  return p.override
    ? `or change GLPI_MARKETPLACE_DIR in ${p.override} to a folder ${webUser(p)} can write`
    : `or define GLPI_MARKETPLACE_DIR (in inc/downstream.php or config/local_define.php) as a folder ${webUser(p)} can write`;
}

export const en = {
  'doctor.report.heading': () => 'Marketdesk doctor report',
  'doctor.report.when': (p: P<'at'>) => `When: ${p.at}`,
  'doctor.report.profile': (p: P<'profile' | 'shell'>) => `Profile: ${p.profile} (${p.shell})`,
  'doctor.report.servicesUrl': (p: P<'url'>) => `GLPI Network: ${p.url}`,
  'doctor.report.overall': (p: P<'state'>) => `Overall: **${p.state}**`,
  'doctor.report.fix': () => 'Fix:',
  'doctor.report.redacted': () => '_The registration key and proxy credentials are left out of this report._',
  'cli.doctor.overall': (p: P<'state'>) =>
    `Overall: ${p.state}. Save a report with: marketdesk doctor --markdown > report.md`,
  'doctor.state.ok': () => 'OK',
  'doctor.state.warning': () => 'WARNING',
  'doctor.state.failed': () => 'FAILED',
  'doctor.state.skipped': () => 'SKIPPED',
  'doctor.section.network': (p: P<'url'>) => `Reaching GLPI Network (${p.url})`,
  'doctor.section.key': () => 'Registration key',
  'doctor.section.instance': () => 'GLPI instance',
  'doctor.section.ssh': (p: P<'address'>) => `SSH connection (${p.address})`,
  'doctor.notChecked.network': (p: P<'step'>) =>
    `Not checked: the connection to GLPI Network failed first (${networkStep(p.step)?.toLowerCase() ?? 'unknown step'}).`,
  'doctor.notChecked.noKey': () => 'there is no key to check',
  'doctor.notChecked.ssh': (p: P<'step'>) => `Not checked: because ${sshStep(p.step) || 'an earlier step'} failed.`,
  'doctor.notChecked.noInstance': () => 'No GLPI instance is configured in this profile.',
  'doctor.disk.unmeasured': (p: P<'path' | 'error'>) =>
    `The free space of the volume holding ${p.path} could not be measured: ${p.error}.`,
  'doctor.disk.failed': (p: P<'free' | 'path' | 'needed'>) =>
    `Only ${p.free} free on the volume holding ${p.path}: a plugin install (download, unpacking, backup of the old version) needs more than ${p.needed}.`,
  'doctor.disk.warning': (p: P<'free' | 'path' | 'below'>) =>
    `${p.free} free on the volume holding ${p.path}: below ${p.below}, large plugins or several installs may fail.`,
  'doctor.disk.ok': (p: P<'free' | 'path'>) => `${p.free} free on the volume holding ${p.path}.`,
  'doctor.disk.fix': (p: P<'path' | 'quoted'>) =>
    `Free some space on the volume holding ${p.path} (df -h ${p.quoted}): old backups, logs under files/_log, files/_tmp, or unused plugin archives.`,

  'key.text.nothing': () => 'Nothing was pasted.',
  'key.text.onlyWhitespace': (p: P<'chars'>) => `Only whitespace was pasted (${p.chars}), no key.`,
  'key.text.fix.paste': () => 'Paste the key from your GLPI Network account (Registration key).',
  'key.text.fix.pasteAgain': () => PASTE_AGAIN,
  'key.text.tooLong': (p: P<'length' | 'max'>) =>
    `${p.length} characters: a registration key is at most ${p.max}. Something else was pasted with it.`,
  'key.text.tooShort': (p: P<'length'>) => `Only ${p.length} characters: the key looks cut off.`,
  'key.text.lengthOk': (p: P<'length' | 'pasted'>) =>
    `${p.length} characters${p.pasted ? ` (${p.pasted} as pasted)` : ''}.`,
  'key.text.inside': (p: P<'chars' | 'positions' | 'more' | 'width'>) =>
    `The key has ${p.chars} inside it (at position ${p.positions}${p.more ? ` and ${p.more} more` : ''})${p.width ? `: it was wrapped every ${p.width} characters, as mail clients and base64 tools do` : ''}. GLPI Network would not recognise it.`,
  'key.text.fix.join': () =>
    'Join the lines into one (no spaces), or copy the key again from your GLPI Network account page.',
  'key.text.around': (p: P<'chars'>) =>
    `${p.chars} around the key: Marketdesk removes them, but make sure they do not travel with the key into GLPI or a script.`,
  'key.text.fix.around': () =>
    'When you paste the key into GLPI (Setup > General > GLPI Network) or a deployment script, paste it without surrounding spaces or line breaks.',
  'key.text.noWhitespace': () => 'No spaces or line breaks.',
  'key.text.quoted': (p: P<'open' | 'close' | 'typographic'>) =>
    `The key is wrapped in quotes (${p.open}…${p.close}${p.typographic ? ' (typographic)' : ''}), as copied from a configuration file, a script or a mail.`,
  'key.text.strayQuote': (p: P<'quote' | 'start'>) =>
    `There is a stray quote (${p.quote} at the ${p.start ? 'start' : 'end'}) that is not part of the key.`,
  'key.text.fix.quotes': () => 'Remove the quotes and paste the key alone.',
  'key.text.noQuotes': () => 'No quotes around the key.',
  'key.text.masked': () =>
    'The text holds "…" or "•": this is the masked form shown by Marketdesk or GLPI (first and last 4 characters), not the key.',
  'key.text.fix.masked': () => 'Copy the full key from your GLPI Network account page.',
  'key.text.oddCharacters': (p: P<'list' | 'more'>) =>
    `The key holds characters that never appear in a registration key: ${atPositions(p.list, 'at position')}${p.more ? ` and ${p.more} more` : ''}.`,
  'key.text.fix.oddCharacters': () => `${PASTE_AGAIN} Copying from a plain-text editor avoids invisible characters.`,
  'key.text.printable': () => 'Printable ASCII characters only.',
  'key.text.repeated': (p: P<'length' | 'masked'>) =>
    `The same ${p.length} characters (${p.masked}) appear twice in a row: the key was pasted twice.`,
  'key.text.fix.repeated': () => 'Clear the field and paste the key once.',
  'key.text.notRepeated': () => 'The key is not repeated.',
  'key.text.notJson': () =>
    'the key is not base64-encoded JSON; GLPI treats keys as opaque, so there is nothing more to check in it',
  'key.text.damaged': (p: P<'about' | 'why'>) =>
    `The key${p.about === 'repeated' ? ' (one copy of the repeated key)' : p.about ? ' (once cleaned up)' : ''} looks truncated or damaged: ${p.why}.`,
  'key.text.fix.damaged': () =>
    `${PASTE_AGAIN} Make sure the whole key is selected: it is long and often ends with "=".`,
  'key.text.json': (p: P<'about'>) =>
    `The key${p.about === 'repeated' ? ' (one copy of the repeated key)' : p.about ? ' (once cleaned up)' : ''} is complete base64-encoded JSON.`,
  'key.text.refused': (p: P<'reason' | 'cleaned' | 'removed' | 'cleanedLength' | 'decodes'>) =>
    `Marketdesk refuses it: ${p.reason}${cleanedHint(p)}`,
  'key.text.wouldAccept': (p: P<'masked' | 'length' | 'cleaned' | 'removed' | 'cleanedLength' | 'decodes'>) =>
    `Marketdesk would accept ${p.masked} (${p.length} characters), but GLPI Network will not recognise it: see the failed checks above.${cleanedHint(p)}`,
  'key.text.resultOk': (p: P<'masked' | 'length' | 'trimmed'>) =>
    `The key is ${p.masked} (${p.length} characters)${p.trimmed ? ' once the surrounding whitespace is removed' : ''}.`,
  'key.storage.noKeychain': () =>
    'No usable OS keychain: the key is kept in memory for this session only and must be entered again after a restart.',
  'key.storage.fix.noKeychain': () =>
    'Install and unlock an OS keychain (on Linux a Secret Service provider such as gnome-keyring or KWallet, unlocked at login), then save the key again. On a headless server, the CLI reads the key from stdin at each run.',
  'key.storage.notPersistent': () =>
    'The OS keychain is in use, but it does not keep secrets across restarts (a temporary or session-only collection): the key will be asked again.',
  'key.storage.fix.notPersistent': () =>
    'Use a keychain collection that is saved to disk (the login keyring, unlocked at login), then save the key again.',
  'key.storage.sessionOnly': () =>
    'The OS keychain works, but this key was saved for this session only: it will be asked again after a restart.',
  'key.storage.fix.sessionOnly': () => 'Save the key again and choose the keychain.',
  'key.storage.kept': () => 'The key is in the OS keychain, which keeps it across restarts.',
  'key.storage.ready': () => 'The OS keychain is in use and keeps secrets across restarts.',
  'key.noKey': () => 'no registration key is saved in Marketdesk',
  'key.answers.failed': (p: P<'at' | 'cause' | 'last'>) =>
    `The last attempt (${p.at}) could not reach GLPI Network (${p.cause}); ${p.last ? `the last answer is from ${p.last}` : 'GLPI Network has never answered for this key'}.`,
  'key.answers.ok': (p: P<'at' | 'message'>) =>
    `GLPI Network answered on ${p.at}${p.message ? `: "${p.message}"` : ''}.`,
  'key.answers.none': () => 'GLPI Network has not answered for this key yet.',
  'key.verdict.invalid': (p: P<'when' | 'masked' | 'message'>) =>
    `Invalid key: GLPI Network answered on ${p.when || 'its last answer'} that it does not recognise ${p.masked || 'this key'}${p.message ? ` ("${p.message}")` : ''}.`,
  'key.verdict.fix.invalid': () => `${PASTE_AGAIN} Run the key text checks on what you paste.`,
  'key.verdict.terminated': (p: P<'subscription' | 'ended'>) =>
    `Terminated subscription: GLPI Network recognises the key, but the subscription${p.subscription ? ` ${p.subscription}` : ''} is not running${p.ended ? ` (ended ${p.ended})` : ''}. Plugins that need an offer are not available.`,
  'key.verdict.fix.terminated': () =>
    'Renew the GLPI Network subscription (your GLPI Network account or your partner), then Sync.',
  'key.verdict.unreachableValid': (p: P<'when' | 'since' | 'cause' | 'error'>) =>
    `Valid, but this machine cannot reach GLPI Network: the key was valid on ${p.when}, and GLPI Network has been unreachable from here since ${p.since || 'recently'}${p.cause ? ` (${p.cause}: ${p.error})` : ''}.`,
  'key.verdict.unreachableTerminated': (p: P<'when' | 'ended' | 'since' | 'cause' | 'error'>) =>
    `Terminated subscription at the last answer (${p.when})${p.ended ? ` (ended ${p.ended})` : ''}, and this machine cannot reach GLPI Network since ${p.since || 'recently'}${p.cause ? ` (${p.cause}: ${p.error})` : ''}.`,
  'key.verdict.unreachableUnknown': (p: P<'when' | 'since' | 'cause' | 'error' | 'message'>) =>
    `This machine cannot reach GLPI Network since ${p.since || 'recently'}${p.cause ? ` (${p.cause}: ${p.error})` : ''}; the last answer (${p.when}) said "${p.message || 'nothing'}".`,
  'key.verdict.neverReached': (p: P<'since' | 'cause' | 'error'>) =>
    `Unknown: this machine has never reached GLPI Network for this key (unreachable since ${p.since || 'recently'}${p.cause ? ` (${p.cause}: ${p.error})` : ''}), so whether the key is valid is not known.`,
  'key.verdict.fix.unreachable': (p: P<'before'>) =>
    `${p.before ? `${p.before} ` : ''}Run the network checks to find the failing step.`,
  'key.verdict.valid': (p: P<'masked' | 'when' | 'subscription' | 'until'>) =>
    `Valid here: GLPI Network recognised ${p.masked || 'the key'} on ${p.when || 'its last answer'}${p.subscription ? ` (${p.subscription}${p.until ? ` until ${p.until}` : ''})` : ''}. ${SERVER_SUSPECTS}`,

  'instance.root.unrecognised': (p: P<'root' | 'problem' | 'error'>) => rootProblem(p),
  'instance.root.fix.choose': () =>
    'Choose the GLPI root folder: the one holding inc/ (or src/ for GLPI 11), plugins/ and marketplace/.',
  'instance.notRecognised': () => 'the GLPI root was not recognised',
  'instance.root.versionUnknown': (p: P<'layout' | 'source'>) =>
    `A GLPI folder${p.layout ? ` (${p.layout} layout)` : ''}, but its version is unknown: ${p.source}.`,
  'instance.root.fix.incomplete': () =>
    'Check that the GLPI files are complete and readable (an interrupted upgrade leaves a partial tree).',
  'instance.root.unsupported': (p: P<'version' | 'source'>) =>
    `GLPI ${p.version} (from ${p.source}) is not a supported release line (9.5, 10.0, 11).`,
  'instance.root.mixed': (p: P<'version' | 'source' | 'file'>) =>
    `GLPI ${p.version} (from ${p.source}), but ${p.file} disagrees: files of two releases are mixed.`,
  'instance.root.fix.mixed': () =>
    'Finish or redo the upgrade: extract the whole release over the tree and remove leftovers of the old one.',
  'instance.root.ok': (p: P<'version' | 'source'>) => `GLPI ${p.version} (from ${p.source}).`,
  'instance.config.unknown': () =>
    'GLPI_CONFIG_DIR is set in a way that needs PHP to evaluate, so the config folder is unknown.',
  'instance.config.fix.unknown': () =>
    "Write GLPI_CONFIG_DIR as a plain string (define('GLPI_CONFIG_DIR', '/etc/glpi');) in inc/downstream.php or config/local_define.php, or check the folder by hand.",
  'instance.config.unknownWhy': () => 'the config folder is unknown',
  'instance.config.notFolder': (p: P<'dir' | 'how' | 'what' | 'error'>) =>
    `The config folder ${p.dir} (${p.how}) ${notAFolder(p)}.`,
  'instance.config.notFolderWhy': (p: P<'dir' | 'what' | 'error'>) => `the config folder ${p.dir} ${notAFolder(p)}`,
  'instance.config.fix.define': (p: P<'file'>) =>
    `Correct GLPI_CONFIG_DIR in ${p.file}, or restore the folder it names from a backup (it holds config_db.php and glpicrypt.key).`,
  'instance.config.fix.restore': (p: P<'dir'>) =>
    `Restore ${p.dir} from a backup: it holds config_db.php and glpicrypt.key.`,
  'instance.config.denied': (p: P<'dir' | 'how' | 'reason'>) =>
    `The config folder ${p.dir} (${p.how}) is not readable by the web server: ${p.reason}.`,
  'instance.config.unknownAccess': (p: P<'dir' | 'how' | 'reason'>) =>
    `The config folder ${p.dir} (${p.how}) is there, but ${p.reason}.`,
  'instance.config.ok': (p: P<'dir' | 'how' | 'web' | 'verdict'>) =>
    `${p.dir} (${p.how}), readable${p.verdict === 'unknown' ? ' by Marketdesk (the web server user is unknown)' : ` by ${webUser(p)}`}.`,
  'instance.fix.readAccess': (p: P<'owner' | 'path' | 'quoted' | 'rhel' | 'mode' | 'config' | 'posix'>) =>
    readAccess(p),
  'instance.configDb.ok': (p: P<'path'>) => `${p.path} is present: GLPI is installed.`,
  'instance.configDb.missing': (p: P<'path'>) =>
    `${p.path} is missing: GLPI is not installed yet, or this is not the config folder GLPI uses.`,
  'instance.configDb.fix.missing': () =>
    "Finish GLPI's installation (its web installer or console), or point GLPI_CONFIG_DIR to the folder that holds config_db.php.",
  'instance.file.error': (p: P<'path' | 'error'>) => `${p.path} cannot be inspected: ${p.error}.`,
  'instance.file.notFile': (p: P<'path'>) => `${p.path} is not a regular file.`,
  'instance.file.notFolder': (p: P<'path'>) => `${p.path} is not a folder.`,
  'instance.plugins.ok': (p: P<'dir'>) => `${p.dir} is present.`,
  'instance.plugins.missing': (p: P<'dir'>) =>
    `${p.dir} does not exist: GLPI releases ship it (plugins installed by hand go there).`,
  'instance.plugins.fix.create': (p: P<'dir'>) => `Create ${p.dir}.`,
  'instance.network.unknown': (p: P<'source'>) =>
    `The GLPI Network address this instance calls is set in ${p.source} by PHP code Marketdesk does not run: it cannot be compared with this profile's.`,
  'instance.network.ok': (p: P<'api' | 'source'>) =>
    `This instance calls ${p.api}${p.source ? ` (set in ${p.source})` : ''}, the same GLPI Network as this profile.`,
  'instance.network.differs': (p: P<'api' | 'profile' | 'source'>) =>
    `This instance calls ${p.api}${p.source ? ` (set in ${p.source})` : " (GLPI's default)"}, but this profile uses ${p.profile}: the catalogue and the registration Marketdesk checks are not the ones GLPI sees.`,
  'instance.network.fix.override': (p: P<'services' | 'api' | 'constant' | 'file' | 'expected'>) =>
    `Use the same address on both sides: in Marketdesk's Settings (GLPI Network address), set the Services URL to ${p.services || `the services address behind ${p.api}`}; or, in ${p.file}, set ${p.constant} to ${p.expected}, or remove it if this profile uses GLPI's default address.`,
  'instance.network.fix.default': (p: P<'default' | 'services' | 'file'>) =>
    `Use the same address on both sides: in Marketdesk's Settings (GLPI Network address), set the Services URL back to ${p.default}; or, for this instance to use ${p.services}, add define('GLPI_NETWORK_SERVICES', '${p.services}'); to ${p.file}.`,
  'instance.marketplace.notFolder': (p: P<'dir' | 'what' | 'error'>) =>
    `The marketplace folder ${p.dir} ${notAFolder(p)}: plugins cannot be installed from the marketplace.`,
  'instance.marketplace.noSelf': (p: P<'dir' | 'reason' | 'denied'>) =>
    `Marketdesk cannot write into the marketplace folder ${p.dir}, so it cannot install or update plugins there.${p.denied ? ` Nor can the web server: ${p.reason}.` : ''}`,
  'instance.marketplace.webDenied': (p: P<'dir' | 'reason'>) =>
    `Marketdesk can write into ${p.dir}, but ${p.reason}: GLPI's own marketplace page cannot install or update plugins.`,
  'instance.marketplace.ok': (p: P<'dir' | 'web' | 'verdict'>) =>
    `${p.dir} is writable by Marketdesk${p.verdict === 'ok' ? ` and ${webUser(p)}` : ' (the web server user is unknown)'}.`,
  'instance.key.missing': (p: P<'path' | 'legacy'>) =>
    `${p.path} is missing: GLPI cannot decrypt the passwords it stored (the registration key included), so GLPI Network will say the registration is not valid.${legacyNote(p)}`,
  'instance.key.notFile': (p: P<'path' | 'legacy'>) => `${p.path} is not a regular file.${legacyNote(p)}`,
  'instance.key.fix.openDir': (p: P<'dir' | 'web'>) =>
    `Check the permissions of ${p.dir} (${webUser(p)} needs to open it).`,
  'instance.key.empty': (p: P<'path' | 'legacy'>) =>
    `${p.path} is empty: GLPI cannot decrypt the passwords it stored (the registration key included).${legacyNote(p)}`,
  'instance.key.wrongSize': (p: P<'path' | 'size' | 'bytes' | 'hint' | 'quoted' | 'legacy'>) =>
    `${p.path} is ${p.size} bytes; GLPI 9.5+ needs exactly ${p.bytes} raw bytes (a sodium key), so it refuses this one.${sizeHint(p)}${legacyNote(p)}`,
  'instance.key.denied': (p: P<'path' | 'bytes' | 'reason'>) =>
    `${p.path} is ${p.bytes} bytes but not readable by the web server: ${p.reason}. GLPI cannot decrypt the passwords it stored (the registration key included).`,
  'instance.key.unknownAccess': (p: P<'path' | 'bytes' | 'reason'>) =>
    `${p.path} is ${p.bytes} bytes, but ${p.reason}.`,
  'instance.key.fix.makeReadable': (p: P<'web' | 'owner' | 'path' | 'quoted' | 'rhel' | 'mode' | 'config' | 'posix'>) =>
    `Make sure ${webUser(p)} can read it: ${readAccess(p)}.`,
  'instance.key.everyone': (p: P<'path' | 'bytes' | 'reader' | 'web' | 'mode'>) =>
    `${p.path} is ${p.bytes} bytes and readable by ${p.reader === 'web' ? webUser(p) : 'Marketdesk'}, but also by every local user (mode ${p.mode}): anyone with it and a database dump can decrypt GLPI's stored passwords.`,
  'instance.key.ok': (p: P<'path' | 'bytes' | 'reader' | 'web'>) =>
    `${p.path}: ${p.bytes} bytes, ${p.reader === 'web' ? `readable by ${webUser(p)}` : 'readable by Marketdesk (the web server user is unknown)'}.`,
  'instance.key.predates': (p: P<'version'>) => `GLPI ${p.version} predates glpicrypt.key (GLPI 9.5)`,
  'instance.key.fix.restore': (
    p: P<
      | 'owner'
      | 'path'
      | 'quoted'
      | 'rhel'
      | 'mode'
      | 'config'
      | 'posix'
      | 'aside'
      | 'broken'
      | 'root'
      | 'sudo'
      | 'console'
    >,
  ) =>
    `Restore glpicrypt.key from the backup taken with this database (preferred: without the original key, the passwords GLPI stored encrypted cannot be decrypted).${p.posix ? ` Then: ${readAccess(p)}.` : ''} Last resort, without a backup: ${p.aside ? `move the damaged file aside (mv ${p.quoted} ${p.broken}), as the command stops when it cannot read the current key; then ` : ''}cd ${p.root} && ${p.sudo}php bin/console ${changeKey(p)}. It writes a new key; every secret GLPI stored with the old one is lost and must be entered again: ${SECRETS_TO_REENTER}.`,
  'instance.marketplace.fix.create': (p: P<'posix' | 'dir' | 'quoted' | 'owner' | 'rhel' | 'override' | 'web'>) =>
    p.posix
      ? `mkdir ${p.quoted} && chown ${p.owner} ${p.quoted}${p.rhel ? RHEL_NOTE : ''} && chmod 755 ${p.quoted}, ${marketplaceDefine(p)}.`
      : `Create ${p.dir} and let the web server's account write into it, ${marketplaceDefine(p)}.`,
  'instance.marketplace.fix.write': (
    p: P<'posix' | 'dir' | 'quoted' | 'owner' | 'rhel' | 'override' | 'web' | 'self' | 'sudo'>,
  ) =>
    `${p.posix ? `chown -R ${p.owner} ${p.quoted}${p.rhel ? RHEL_NOTE : ''} and chmod -R u+rwX ${p.quoted}, ${marketplaceDefine(p)}` : `Let the web server's account write into ${p.dir}, ${marketplaceDefine(p)}`}.${p.self ? ` Marketdesk runs as ${p.self}: run it as ${p.web || 'the web server user'} (${p.sudo}marketdesk …) or as root to install plugins.` : ''}`,
  'instance.plugins.fix.mkdir': (p: P<'quoted' | 'owner' | 'rhel'>) =>
    `mkdir ${p.quoted} && chown ${p.owner} ${p.quoted}${p.rhel ? RHEL_NOTE : ''}`,
  'php.notAsked': () => 'the PHP checks were not asked for',
  'php.notInstalled': (p: P<'where'>) => `php is not installed on ${p.where || 'this machine'}`,
  'php.cannotRun': (p: P<'error'>) => `php could not be run: ${p.error}`,
  'php.cannotRunWhy': () => 'php could not be run',
  'php.fix.cannotRun': () => 'Check that the php command works in a terminal (php -v).',
  'php.notAVersion': (p: P<'reported'>) => `php reported "${p.reported}", which is not a PHP version.`,
  'php.glpiUnknown': (p: P<'version'>) =>
    `PHP ${p.version}; the GLPI version is unknown, so its requirement was not checked.`,
  'php.tooOld': (p: P<'version' | 'glpi' | 'min'>) =>
    `PHP ${p.version} is too old for ${p.glpi}, which needs PHP ${p.min} or later.`,
  'php.tooRecent': (p: P<'version' | 'glpi' | 'max'>) =>
    `PHP ${p.version} is too recent for ${p.glpi}, which refuses PHP ${p.max} and later.`,
  'php.suits': (p: P<'version' | 'glpi' | 'min' | 'max'>) =>
    `PHP ${p.version} suits ${p.glpi} (PHP ${p.min} or later${p.max ? `, below ${p.max}` : ''}).`,
  'php.extensionsUnlisted': (p: P<'error'>) => `php's extensions could not be listed: ${p.error}`,
  'php.extensionsOk': (p: P<'list'>) => `All the extensions the marketplace needs are loaded (${p.list}).`,
  'php.extensionsMissing': (p: P<'count' | 'list'>) => `Missing PHP extension${p.count === '1' ? '' : 's'}: ${p.list}.`,
  'php.fix.extensions': (p: P<'debian' | 'rhel'>) =>
    `Debian/Ubuntu: ${p.debian}. RHEL-likes: dnf install ${p.rhel}. Then restart the web server or php-fpm.`,
  'php.fix.upgrade': (p: P<'min' | 'max'>) => phpUpgrade(p),
  'php.fix.tooRecent': (p: P<'version' | 'min' | 'max'>) =>
    `Upgrade GLPI to a release that supports PHP ${p.version}, or run GLPI with an older PHP. ${phpUpgrade(p)}`,
  'network.notRun': () => 'Not run: an earlier step failed.',
  'network.unexpected': (p: PT<'error'>) => timed(p, `Unexpected failure: ${p.error}`),
  'network.fix.unexpected': () =>
    'This is not a network problem Marketdesk knows about; send the log to your administrator.',
  'network.route.direct': (p: PT<'target'>) => timed(p, `Direct connection to ${p.target} (no proxy).`),
  'network.route.proxy': (p: PT<'tls' | 'proxy' | 'tunnel'>) =>
    timed(
      p,
      `Through the ${p.tls ? 'HTTPS' : 'HTTP'} proxy ${p.proxy}${p.tunnel ? `, with a CONNECT tunnel to ${p.tunnel}` : ''}.`,
    ),
  'network.route.notUrl': (p: PT<'url'>) => timed(p, `"${p.url}" is not a URL.`),
  'network.route.fix.fullAddress': () => 'Enter a full address such as https://services.glpi-network.com.',
  'network.route.plainHttp': (p: PT<'origin'>) =>
    timed(p, `${p.origin} is plain http: Marketdesk only talks https to GLPI Network (plain http on loopback only).`),
  'network.route.fix.useHttps': (p: P<'address'>) => `Use https://${p.address} instead.`,
  'network.route.scheme': (p: PT<'protocol'>) =>
    timed(p, `${p.protocol} URLs cannot be checked; only https (and http on loopback).`),
  'network.route.fix.enterHttps': () => 'Enter an https:// address.',
  'network.route.proxyNotUrl': (p: Timed) => timed(p, 'The proxy address is not a URL.'),
  'network.route.fix.proxyUrl': () => `Set the proxy as http://host:port in ${PROXY_SETTINGS}.`,
  'network.route.proxyScheme': (p: PT<'proxy' | 'scheme'>) =>
    timed(p, `The proxy ${p.proxy} uses ${p.scheme}; only HTTP proxies (http:// or https://) are supported.`),
  'network.route.fix.proxyScheme': () =>
    `Set the proxy as http://host:port in ${PROXY_SETTINGS} (HTTPS to the target still goes through a CONNECT tunnel, end to end).`,
  'network.dns.ip': (p: PT<'host' | 'proxy'>) =>
    timed(p, `${p.proxy ? `The proxy's address ${p.host}` : p.host} is an IP address: no DNS lookup needed.`),
  'network.dns.ok': (p: PT<'host' | 'proxy' | 'addresses'>) =>
    timed(p, `${p.proxy ? `The proxy's name ${p.host}` : `The name ${p.host}`} resolves to ${p.addresses}.`),
  'network.dns.timeout': (p: PT<'host' | 'limit' | 'total'>) =>
    timed(p, `No DNS answer for ${p.host} within ${limitText(p)}.`),
  'network.dns.notFound': (p: PT<'host' | 'code'>) =>
    timed(
      p,
      `${p.host} could not be resolved: the name does not exist, or this machine's DNS server does not know it (${p.code}).`,
    ),
  'network.dns.again': (p: PT<'host'>) =>
    timed(p, `The DNS server did not answer for ${p.host} (EAI_AGAIN: temporary failure).`),
  'network.dns.failed': (p: PT<'host' | 'error'>) => timed(p, `Resolving ${p.host} failed (${p.error}).`),
  'network.dns.fix.proxy': (p: P<'host'>) =>
    `Check the proxy host name "${p.host}" in ${PROXY_SETTINGS}, and this machine's DNS settings (try \`nslookup ${p.host}\`).`,
  'network.dns.fix.direct': (p: P<'host'>) =>
    `Check this machine's DNS settings and that it resolves ${p.host} (try \`nslookup ${p.host}\`). If your network reaches the internet only through a proxy, set it in ${PROXY_SETTINGS}.`,
  'network.tcp.ok': (p: PT<'target' | 'address'>) => timed(p, `Connected to ${p.target} (${p.address}).`),
  'network.tcp.timeout': (p: PT<'hop' | 'proxy' | 'limit' | 'total'>) =>
    timed(p, `No answer from ${hop(p)} within ${limitText(p)}: a firewall is probably dropping the traffic silently.`),
  'network.tcp.refused': (p: PT<'hop' | 'proxy' | 'port'>) =>
    timed(
      p,
      `The connection to ${hop(p)} was refused (ECONNREFUSED): nothing accepts connections on port ${p.port}, or a firewall rejects them.`,
    ),
  'network.tcp.unreachable': (p: PT<'hop' | 'proxy' | 'code'>) =>
    timed(p, `No network route to ${hop(p)} (${p.code}).`),
  'network.tcp.failed': (p: PT<'hop' | 'proxy' | 'error'>) => timed(p, `Connecting to ${hop(p)} failed (${p.error}).`),
  'network.tcp.fix.proxy': (p: P<'proxy' | 'port' | 'host' | 'addresses'>) =>
    `Check the proxy address and port in ${PROXY_SETTINGS} (now ${p.proxy}), and ${firewall(p)}.`,
  'network.tcp.fix.unreachable': (p: P<'port' | 'host' | 'addresses'>) =>
    `Check this machine's network connection, then ${firewall(p)}; if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
  'network.fix.firewallOrProxy': (p: P<'port' | 'host' | 'addresses'>) =>
    `${capitalize(firewall(p))}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}.`,
  'network.proxy.plain': (p: PT<'proxy' | 'address'>) =>
    timed(p, `Connected to the proxy ${p.proxy} (${p.address}); plain http goes through it without a tunnel.`),
  'network.proxy.tunnel': (p: PT<'proxy' | 'address' | 'target'>) =>
    timed(p, `Connected to the proxy ${p.proxy} (${p.address}); it opened a tunnel to ${p.target}.`),
  'network.proxy.authRejected': (p: PT<'proxy' | 'scheme' | 'tunnel' | 'target'>) =>
    timed(
      p,
      `Proxy authentication required: the proxy ${p.proxy} rejected the credentials given (HTTP 407${p.scheme ? `, it asks for ${p.scheme}` : ''}) ${p.tunnel ? 'for the tunnel to' : 'for'} ${p.target}.`,
    ),
  'network.proxy.authRequired': (p: PT<'proxy' | 'scheme' | 'tunnel' | 'target'>) =>
    timed(
      p,
      `Proxy authentication required: the proxy ${p.proxy} answered HTTP 407${p.scheme ? ` (it asks for ${p.scheme})` : ''} ${p.tunnel ? 'to the tunnel request for' : 'for'} ${p.target}.`,
    ),
  'network.proxy.fix.checkCredentials': (p: P<'other'>) =>
    `Check the proxy user name and password in ${PROXY_SETTINGS}${p.other ? `; the proxy asks for ${p.other}, ask your IT team whether it also accepts Basic` : ''}.`,
  'network.proxy.fix.enterCredentials': (p: P<'other'>) =>
    `Enter the proxy user name and password in ${PROXY_SETTINGS}${p.other ? ` (the proxy asks for ${p.other}; ask your IT team whether it also accepts Basic)` : ''}.`,
  'network.proxyTls.timeout': (p: PT<'proxy' | 'limit' | 'total'>) =>
    timed(p, `The TLS connection to the HTTPS proxy ${p.proxy} did not complete within ${limitText(p)}.`),
  'network.proxyTls.fix.plain': (p: P<'proxy'>) =>
    `Check the proxy address in ${PROXY_SETTINGS}: if the proxy speaks plain HTTP, write it http://${p.proxy}.`,
  'network.proxyTls.untrusted': (p: PT<'proxy' | 'code'>) =>
    timed(p, `The TLS connection to the HTTPS proxy ${p.proxy} failed: its certificate is not trusted (${p.code}).`),
  'network.proxyTls.fix.trust': (p: P<'proxy' | 'platform'>) =>
    `${trustRootSteps({ root: '', platform: p.platform })} If the proxy speaks plain HTTP instead, write it http://${p.proxy} in ${PROXY_SETTINGS}.`,
  'network.proxyTls.failed': (p: PT<'proxy' | 'error'>) =>
    timed(p, `The TLS connection to the HTTPS proxy ${p.proxy} failed (${p.error}).`),
  'network.badExtraCa': (p: PT<'error'>) =>
    timed(p, `An extra certificate is not a valid PEM certificate: ${p.error}.`),
  'network.fix.badExtraCa': () =>
    `Fix or remove it in ${EXTRA_CERTS}: each one must be a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).`,
  'network.tunnel.unreachable': (p: PT<'proxy' | 'target' | 'status'>) =>
    timed(p, `The proxy ${p.proxy} could not reach ${p.target} (${p.status}).`),
  'network.tunnel.fix.unreachable': (p: P<'host' | 'port'>) =>
    `The proxy itself cannot resolve or reach ${p.host}: ask your IT team to allow the proxy to connect to ${p.host} on TCP ${p.port}.`,
  'network.tunnel.refused': (p: PT<'proxy' | 'target' | 'status'>) =>
    timed(p, `The proxy ${p.proxy} refused the tunnel to ${p.target} (${p.status}).`),
  'network.tunnel.fix.refused': (p: P<'proxy' | 'host' | 'port'>) =>
    `Ask your IT team to allow HTTPS tunnels (CONNECT) through the proxy ${p.proxy} to ${p.host}:${p.port}, or check the proxy in ${PROXY_SETTINGS}.`,
  'network.tunnel.timeout': (p: PT<'proxy' | 'target' | 'limit' | 'total'>) =>
    timed(p, `The proxy ${p.proxy} did not answer the tunnel request for ${p.target} within ${limitText(p)}.`),
  'network.tunnel.fix.timeout': (p: P<'proxy' | 'host' | 'port'>) =>
    `Check that ${p.proxy} is an HTTP proxy (its address and port are in ${PROXY_SETTINGS}), and ask your IT team whether it allows CONNECT to ${p.host}:${p.port}.`,
  'network.tunnel.notHttp': (p: PT<'proxy'>) =>
    timed(
      p,
      `${p.proxy} answered the tunnel request with something that is not HTTP: it is probably not an HTTP proxy.`,
    ),
  'network.fix.proxyAddress': () => `Check the proxy address and port in ${PROXY_SETTINGS}.`,
  'network.tunnel.closed': (p: PT<'proxy' | 'target' | 'error'>) =>
    timed(
      p,
      `The proxy ${p.proxy} closed the connection instead of answering the tunnel request for ${p.target} (${p.error}).`,
    ),
  'network.tunnel.fix.closed': (p: P<'host' | 'port'>) =>
    `Check the proxy address and port in ${PROXY_SETTINGS}, and ask your IT team whether it allows CONNECT to ${p.host}:${p.port}.`,
  'network.tls.plainHttp': (p: P<'host'>) => `Plain http to the loopback address ${p.host}: no TLS.`,
  'network.tls.inspected': (p: PT<'host' | 'root'>) =>
    timed(
      p,
      `TLS inspection detected: the certificate for ${p.host} was issued by ${p.root}, a locally trusted root, not a public authority.`,
    ),
  'network.tls.fix.inspectedExtra': (p: P<'root'>) =>
    `Nothing to do if your IT team inspects HTTPS on purpose: Marketdesk trusts ${p.root} because it is in ${EXTRA_CERTS}. If you did not expect it, remove it from there and ask your IT team.`,
  'network.tls.fix.inspectedLocal': (p: P<'root'>) =>
    `Nothing to do if your IT team inspects HTTPS on purpose (${p.root} is trusted on this machine). If you did not expect it, ask your IT team.`,
  'network.tls.ok': (p: PT<'protocol' | 'host' | 'subject' | 'issuer' | 'until' | 'root'>) =>
    timed(
      p,
      `${p.protocol} with ${p.host}: certificate for ${p.subject}, issued by ${p.issuer}, valid until ${p.until}, chain ends in the public root ${p.root}.`,
    ),
  'network.tls.selfSigned': (p: PT<'host' | 'subject'>) =>
    timed(
      p,
      `${p.host} presented a self-signed certificate${p.subject ? ` (${p.subject})` : ''} (DEPTH_ZERO_SELF_SIGNED_CERT): no authority vouches for it.`,
    ),
  'network.tls.fix.selfSigned': (p: P<'host' | 'platform'>) =>
    `If ${p.host} is a server of yours, trust its certificate (saved as root.crt): ${trustRootFix(p)}; then add it in ${EXTRA_CERTS}. If ${p.host} should be a public service, a device on your network (a proxy, an antivirus or a captive portal) is answering in its place: ask your IT team.`,
  'network.tls.untrustedRoot': (p: PT<'host' | 'root'>) =>
    timed(
      p,
      `The certificate for ${p.host} chains up to the root ${p.root}, which this machine does not trust (SELF_SIGNED_CERT_IN_CHAIN). This is typical of TLS inspection by a proxy or an antivirus with a corporate root.`,
    ),
  'network.fix.trustRoot': (p: P<'root' | 'platform'>) => trustRootSteps(p),
  'network.tls.unknownIssuer': (p: PT<'host' | 'issuer' | 'code'>) =>
    timed(
      p,
      `The certificate for ${p.host} was issued by ${p.issuer}, an authority this machine does not know (${p.code}).`,
    ),
  'network.tls.fix.unknownIssuer': (p: P<'host' | 'issuer' | 'platform'>) =>
    `If your network inspects HTTPS (a proxy or an antivirus), this is its authority. ${trustRootSteps({ root: p.issuer, platform: p.platform })} If ${p.host} is a server of yours with a certificate from a public authority, have it send its intermediate certificates too.`,
  'network.tls.expired': (p: PT<'host' | 'until' | 'now'>) =>
    timed(
      p,
      `The certificate for ${p.host} expired${p.until ? ` on ${p.until}` : ''} (CERT_HAS_EXPIRED); this machine's clock reads ${p.now}.`,
    ),
  'network.tls.fix.expired': (p: P<'host' | 'issuer' | 'platform'>) =>
    `Check this machine's clock: if it is wrong, set it right (${clockFix(p)}). If it is right, the certificate really has expired and whoever runs ${p.host} (or, if your network inspects HTTPS, your IT team, as ${p.issuer} issued it) must renew it.`,
  'network.tls.notYetValid': (p: PT<'host' | 'from' | 'now'>) =>
    timed(
      p,
      `The certificate for ${p.host} is valid only from ${p.from || 'a later date'} (CERT_NOT_YET_VALID); this machine's clock reads ${p.now}.`,
    ),
  'network.tls.fix.notYetValid': (p: P<'host' | 'platform'>) =>
    `Check this machine's clock: it is probably behind (${clockFix(p)}). If it is right, whoever runs ${p.host} installed a certificate that is not valid yet.`,
  'network.tls.otherName': (p: PT<'host' | 'names'>) =>
    timed(
      p,
      `The certificate presented for ${p.host} is for another name: ${p.names || 'a different host'} (ERR_TLS_CERT_ALTNAME_INVALID).`,
    ),
  'network.tls.fix.otherName': (p: P<'host' | 'origin'>) =>
    `Check the address (${p.origin}). If it is right, a device on your network (a proxy, a captive portal or a DNS filter) answers in place of ${p.host}: ask your IT team which device presents this certificate.`,
  'network.tls.timeout': (p: PT<'host' | 'limit' | 'total' | 'port'>) =>
    timed(
      p,
      `No TLS handshake with ${p.host} within ${limitText(p)}: something accepts the connection but does not complete TLS (a firewall or a proxy holding it, or a server that does not speak TLS on port ${p.port}).`,
    ),
  'network.tls.fix.timeout': (p: P<'port' | 'host' | 'origin'>) =>
    `${capitalize(firewall({ ...p, addresses: '' }))}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}. Check that ${p.origin} is the right address.`,
  'network.tls.refused': (p: PT<'host' | 'code'>) => timed(p, `The certificate for ${p.host} was refused (${p.code}).`),
  'network.tls.fix.refused': (p: P<'host' | 'issuer' | 'platform'>) =>
    `If your network inspects HTTPS, ${trustRootSteps({ root: p.issuer, platform: p.platform })} Otherwise ask whoever runs ${p.host}.`,
  'network.tls.failed': (p: PT<'host' | 'error'>) => timed(p, `The TLS handshake with ${p.host} failed (${p.error}).`),
  'network.tls.fix.failed': (p: P<'host' | 'port'>) =>
    `A device between this machine and ${p.host} (a firewall, a proxy or an antivirus) may be cutting HTTPS: ${firewall({ ...p, addresses: '' })}, or set the proxy your network requires in ${PROXY_SETTINGS}.`,
  'network.http.status': (p: PT<'target' | 'status'>) =>
    timed(p, `${p.target} answered HTTP ${p.status}: the network path works, but this is not a success answer.`),
  'network.http.fix.serverError': (p: P<'origin'>) =>
    `The server or a device in front of it reports a problem. Try again in a few minutes; if it persists, open ${p.origin} in a browser on this machine to see what answers.`,
  'network.http.fix.clientError': (p: P<'url' | 'host'>) =>
    `Check the URL (${p.url}) and, for 401/403, the registration key. If a proxy or a captive portal answers in place of ${p.host}, ask your IT team.`,
  'network.http.ok': (p: PT<'target' | 'status'>) => timed(p, `${p.target} answered HTTP ${p.status}.`),
  'network.http.timeout': (p: PT<'target' | 'proxy' | 'limit' | 'total'>) =>
    timed(p, `${p.target} accepted the connection${via(p)} but sent no answer within ${limitText(p)}.`),
  'network.http.fix.timeout': (p: P<'host' | 'port'>) =>
    `A device on the way (a firewall, a proxy or an antivirus) may be holding the request, or the server is overloaded. Try again in a few minutes; if it persists, ${firewall({ ...p, addresses: '' })} or set the proxy your network requires in ${PROXY_SETTINGS}.`,
  'network.http.notHttp': (p: PT<'target' | 'proxy' | 'code'>) =>
    timed(p, `${p.target} answered${via(p)} with something that is not HTTP (${p.code}).`),
  'network.http.fix.notHttp': (p: P<'origin' | 'port'>) =>
    `Check the address (${p.origin}): another service answers on port ${p.port}.`,
  'network.http.closed': (p: PT<'target' | 'proxy' | 'error'>) =>
    timed(p, `The connection to ${p.target}${via(p)} was closed before an answer came (${p.error}).`),
  'network.http.fix.closed': (p: P<'host' | 'port'>) =>
    `A device between this machine and ${p.host} (a firewall, a proxy or an antivirus) cut the connection: ${firewall({ ...p, addresses: '' })}, or set the proxy your network requires in ${PROXY_SETTINGS}.`,
  'network.clock.noDate': () => 'The server sent no Date header: the clocks could not be compared.',
  'network.clock.badDate': () => 'The server sent an unreadable Date header: the clocks could not be compared.',
  'network.clock.skewed': (p: PT<'skew' | 'ahead' | 'local' | 'server'>) =>
    timed(
      p,
      `This machine's clock is ${p.skew} ${p.ahead ? 'ahead of' : 'behind'} the server's (local ${p.local}, server ${p.server}).`,
    ),
  'network.clock.fix': (p: P<'platform'>) =>
    `Set this machine's clock right: ${clockFix(p)}. A wrong clock makes valid certificates look expired or not yet valid.`,
  'network.clock.ok': (p: PT<'skew'>) =>
    timed(p, `This machine's clock agrees with the server's (${p.skew}; the Date header has a 1 s resolution).`),
  'network.howTo.clock': (p: P<'platform'>) => clockFix(p),
  'network.howTo.trustRoot': (p: P<'platform'>) => trustRootFix(p),
  'network.registration.noKey': () => 'No registration key is stored.',
  'network.registration.failed': (p: P<'message'>) => `GLPI Network could not be asked: ${p.message}`,
  'network.registration.ok': (p: P<'state'>) => `GLPI Network answered: the key is ${p.state}.`,
  'network.marketplace.noKey': () =>
    'No registration key is stored: GLPI Network lists plugins to registered instances.',
  'network.marketplace.ok': (p: P<'base'>) => `${p.base}/api/marketplace/plugins answered a page of the catalogue.`,
  'network.marketplace.status': (p: P<'base' | 'status' | 'list'>) =>
    `${p.base}/api/marketplace/plugins answered HTTP ${p.status}${p.list ? '' : ' without a plugin list'}.`,
  'network.marketplace.fix.refused': () =>
    'GLPI Network refuses the catalogue to this key: check the key and its subscription (Sync on the key screen).',
  'network.marketplace.fix.intercepted': () =>
    'Something between this machine and GLPI Network (a proxy or a filtering gateway) answers instead of it. Allow the services host in the proxy or firewall.',
  'network.archive.noArchive': () => 'The marketplace page named no archive, so its host could not be checked.',
  'network.archive.same': (p: P<'host'>) => `Archives come from GLPI Network itself (${p.host}): checked above.`,
  'network.archive.unreachable': (p: P<'host' | 'reason'>) =>
    `Archives come from ${p.host}, which cannot be reached: ${p.reason}`,
  'network.archive.reachable': (p: P<'host' | 'warning'>) =>
    `Archives come from ${p.host}, reachable${p.warning ? ` (${p.warning})` : ''}.`,
  'ssh.passed.dns': () => 'The name resolves.',
  'ssh.passed.tcp': () => 'The SSH port answers.',
  'ssh.passed.host-key': () => "The server's host key is the one trusted for this instance.",
  'ssh.passed.auth': () => 'The SSH user is logged in.',
  'ssh.passed.sudo': () => 'sudo works.',
  'ssh.dns.ip': (p: P<'host'>) => `${p.host} is an IP address: no DNS lookup needed.`,
  'ssh.dns.ok': (p: P<'host' | 'addresses'>) => `${p.host} resolves to ${p.addresses}.`,
  'ssh.dns.timeout': (p: P<'host' | 'seconds'>) => `No DNS answer for ${p.host} within ${p.seconds} s.`,
  'ssh.dns.notFound': (p: P<'host' | 'code'>) =>
    `${p.host} could not be resolved (${p.code}): the name does not exist, or this computer's DNS does not know it.`,
  'ssh.dns.fix': (p: P<'host'>) =>
    `Check the host name of the instance (a typo, a missing domain) and this computer's DNS (try nslookup ${p.host}), or add the instance again with the server's IP address.`,
  'ssh.tcp.ok': (p: P<'address' | 'port'>) => `Connected to ${p.address} port ${p.port}.`,
  'ssh.tcp.refused': (p: P<'host' | 'port'>) =>
    `${p.host} port ${p.port} refused the connection: no SSH server listens there.`,
  'ssh.tcp.fix.refused': (p: P<'port'>) =>
    `Check the port of the instance (sshd's Port in /etc/ssh/sshd_config on the server) and that sshd runs there: systemctl status ssh. Otherwise ${sshFirewall(p)}.`,
  'ssh.tcp.unreachable': (p: P<'host' | 'code'>) => `${p.host} cannot be reached from this computer (${p.code}).`,
  'ssh.tcp.fix.unreachable': (p: P<'port'>) => `Check the VPN or the route to the server; ${sshFirewall(p)}.`,
  'ssh.tcp.timeout': (p: P<'host' | 'port' | 'seconds'>) =>
    `No answer from ${p.host} port ${p.port} within ${p.seconds} s: a firewall probably drops the traffic, or the server is down.`,
  'ssh.tcp.fix.timeout': (p: P<'host' | 'port'>) =>
    `Check that the server is up, and that ${sshFirewall(p)} (try: nc -vz ${p.host} ${p.port}).`,
  'ssh.tcp.failed': (p: P<'host' | 'port' | 'code'>) => `Connecting to ${p.host} port ${p.port} failed (${p.code}).`,
  'ssh.tcp.fix.failed': (p: P<'port'>) => `Check the network between this computer and the server; ${sshFirewall(p)}.`,
  'ssh.hostKey.ok': (p: P<'type' | 'fingerprint' | 'remembered' | 'name'>) =>
    `The server presents its ${p.type} key ${p.fingerprint}, ${p.remembered ? `the one remembered for ${p.name}` : "listed in this computer's known_hosts"}.`,
  'ssh.hostKey.fix': (p: P<'file' | 'fingerprint' | 'known' | 'name' | 'readd'>) =>
    `On the server, read its key's fingerprint: ssh-keygen -lf ${p.file} (or ask its administrator), and compare it with ${p.fingerprint}. If they differ, do not connect: someone may be intercepting the connection. Only if they match, ${hostKeySteps(p)}.`,
  'ssh.auth.ok': (p: P<'user' | 'method'>) =>
    `${p.user} is logged in (${SSH_AUTH[p.method] ?? p.method}); files and commands work.`,
  'ssh.sudo.ok': (p: P<'user' | 'runAs' | 'command'>) =>
    `${p.user} may act as ${p.runAs} without a password (${p.command} works).`,
  'ssh.sudo.missing': (p: P<'command' | 'error'>) => `sudo is not installed on the server (${p.command}: ${p.error}).`,
  'ssh.sudo.fix.install': (p: P<'user' | 'runAs' | 'line'>) =>
    `Install sudo on the server (Debian: apt install sudo), then allow ${p.user} to act as ${p.runAs}: visudo -f /etc/sudoers.d/marketdesk and add the line: ${p.line}`,
  'ssh.sudo.timeout': (p: P<'command'>) => `${p.command} did not finish within 10 s on the server.`,
  'ssh.sudo.denied': (p: P<'user' | 'runAs' | 'command' | 'said' | 'exit'>) =>
    `${p.user} may not act as ${p.runAs} without a password: ${p.command} said ${p.said ? `"${p.said}"` : `nothing (exit ${p.exit})`}.`,
  'ssh.sudo.fix.allow': (p: P<'user' | 'runAs' | 'line'>) =>
    `On the server, as root, run visudo -f /etc/sudoers.d/marketdesk and add the line: ${p.line} (Marketdesk runs sftp-server, id and php as ${p.runAs}); or remove "run as" from the instance to work as ${p.user}.`,
  'title.network.route': () => NETWORK_STEP_TITLES.route,
  'title.network.dns': () => NETWORK_STEP_TITLES.dns,
  'title.network.tcp': () => NETWORK_STEP_TITLES.tcp,
  'title.network.tls': () => NETWORK_STEP_TITLES.tls,
  'title.network.http': () => NETWORK_STEP_TITLES.http,
  'title.network.clock': () => NETWORK_STEP_TITLES.clock,
  'title.network.registration': () => 'Registration answer',
  'title.network.marketplace': () => 'Marketplace page',
  'title.network.archive': () => 'Archive host',
  'title.ssh.dns': () => SSH_STEPS.dns,
  'title.ssh.tcp': () => SSH_STEPS.tcp,
  'title.ssh.host-key': () => SSH_STEPS['host-key'],
  'title.ssh.auth': () => SSH_STEPS.auth,
  'title.ssh.sudo': () => SSH_STEPS.sudo,
  'title.key.text.length': () => 'Key length',
  'title.key.text.whitespace': () => 'Spaces and line breaks',
  'title.key.text.quotes': () => 'Quotes',
  'title.key.text.characters': () => 'Characters',
  'title.key.text.repeated': () => 'Pasted twice',
  'title.key.text.encoding': () => 'Key content',
  'title.key.text.result': () => 'After normalisation',
  'title.key.storage': () => 'Where the key is kept',
  'title.key.answers': () => 'Last answers',
  'title.key.verdict': () => 'Verdict',
  'title.instance.root': () => 'GLPI root',
  'title.instance.config-dir': () => 'Config folder',
  'title.instance.glpicrypt-key': () => 'Security key (glpicrypt.key)',
  'title.instance.config-db': () => 'Database settings (config_db.php)',
  'title.instance.marketplace-dir': () => 'Marketplace folder',
  'title.instance.plugins-dir': () => 'Plugins folder',
  'title.instance.glpi-network': () => 'GLPI Network address',
  'title.instance.disk-space': () => 'Free disk space',
  'title.instance.plugin-folders': () => 'Plugin folders',
  'title.php.version': () => 'PHP version',
  'title.php.extensions': () => 'PHP extensions',

  'notify.list.and': (p: P<'head' | 'last'>) => `${p.head} and ${p.last}`,
  'notify.list.more': (p: P<'head' | 'count'>) => `${p.head} and ${p.count} more`,
  'notify.updates.titleOne': (p: P<'instance'>) => `A plugin update for ${p.instance}`,
  'notify.updates.titleMany': (p: P<'count' | 'instance'>) => `${p.count} plugin updates for ${p.instance}`,
  'notify.updates.availableOne': (p: P<'list'>) => `${p.list} is available.`,
  'notify.updates.availableMany': (p: P<'list'>) => `${p.list} are available.`,
  'notify.updates.new': (p: P<'list' | 'count'>) => `New: ${p.list} (${p.count} updates in all).`,
  'notify.subscription.title': () => 'GLPI Network subscription ending',
  'notify.subscription.endsToday': (p: P<'date'>) => `ends today (${p.date})`,
  'notify.subscription.endsTomorrow': (p: P<'date'>) => `ends on ${p.date}, in 1 day`,
  'notify.subscription.endsIn': (p: P<'date' | 'days'>) => `ends on ${p.date}, in ${p.days} days`,
  'notify.subscription.body': (p: P<'name' | 'when'>) =>
    `The subscription${p.name ? ` (${p.name})` : ''} ${p.when}. Renew it to keep premium plugins and their updates.`,
  'guard.duplicate': (p: P<'key' | 'loaded' | 'ignored'>) =>
    `${p.key} is both in ${p.loaded} and in ${p.ignored}: GLPI loads the copy in ${p.loaded} and ignores the other, whatever their versions.`,
  'guard.fix.duplicate': (p: P<'loaded' | 'ignored'>) =>
    `Move ${p.ignored} out of GLPI's plugin folders (GLPI keeps loading ${p.loaded}); if ${p.ignored} is the copy you want, move ${p.loaded} out instead.`,
  'guard.nested': (p: P<'path' | 'inner'>) =>
    `${p.path} has no setup.php but ${p.inner} has one: the plugin was unpacked one folder too deep, so GLPI does not find it.`,
  'guard.fix.nested': (p: P<'path' | 'inner' | 'command'>) =>
    p.command ? `Move the inner folder up: ${p.command}` : `Move the contents of ${p.inner} up into ${p.path}.`,
  'guard.branchName': (p: P<'path' | 'folder' | 'key'>) =>
    `GLPI takes a plugin's key from its folder name, and "${p.folder}" (${p.path}) is not a key (letters and digits only)${p.key ? `: the ${p.key} plugin in it is not loaded as ${p.key}, and once a folder named ${p.key} exists too, PHP can stop with "Cannot redeclare plugin_version_${p.key}()"` : ''}.`,
  'guard.fix.branchName': (p: P<'path' | 'command' | 'key'>) =>
    p.command
      ? `Rename it after the plugin's key: ${p.command}`
      : `Move ${p.path} out of GLPI's plugin folders${p.key ? ` (install ${p.key} under its own name instead)` : ''}.`,
  'guard.archive': (p: P<'path'>) =>
    `${p.path} is an archive that was never unpacked: GLPI reads only folders, so the plugin in it is not installed.`,
  'guard.fix.archive': (p: P<'path' | 'dir'>) =>
    `Delete ${p.path}. To install the plugin, use Marketdesk's catalogue, or unpack it so that ${p.dir}/<key>/setup.php exists.`,
  'guard.vcs': (p: P<'path' | 'vcs'>) =>
    `${p.path} contains a ${p.vcs} folder: it looks like a working copy under development, which Marketdesk will not overwrite.`,
  'guard.fix.vcs': () => 'Update it with your version control tool, or move it away from marketplace/ first.',
  'guard.noSetup': (p: P<'path'>) => `${p.path} has no setup.php: GLPI does not see a plugin there.`,
  'guard.fix.noSetup': (p: P<'path'>) =>
    `Remove ${p.path} if it is a leftover (of a failed copy or a removal), or put the whole plugin in it, with setup.php directly inside.`,
  'guard.phpSyntax': (p: P<'file' | 'output'>) =>
    `php -l finds an error in ${p.file}: ${p.output}. GLPI would stop on it as soon as it loads the plugin.`,
  'guard.fix.phpSyntax': (p: P<'key'>) =>
    `Do not install this archive: report the error to the author of ${p.key}, or pick another version.`,
  'guard.phpUnchecked': (p: P<'file' | 'reason'>) => `${p.file} could not be checked with php -l: ${p.reason}.`,
  'guard.fix.phpUnchecked': () =>
    "Check that php runs on the GLPI server (php -v), or set its path in Settings (GLPI's console).",
  'instance.pluginFolders.ok': (p: P<'dirs'>) =>
    `No duplicate, nested, misnamed, setup.php-less folder and no unpacked archive in ${p.dirs}.`,
  'instance.pluginFolders.found': (p: P<'count' | 'findings'>) =>
    `${p.count === '1' ? '1 problem' : `${p.count} problems`} in the plugin folders: ${renderRefs(p.findings, ' ', inEnglish)}`,
  'instance.pluginFolders.fix': (p: P<'findings'>) =>
    `One fix per problem:\n${renderRefs(p.findings, '\n', (r) => `- ${inEnglish(r)}`)}`,
  'install.failedAt': (p: P<'step'>) => `${p.step} failed:`,
  'install.archive': (p: P<'code' | 'entry'>) =>
    `The archive was refused (${p.code}${p.entry ? `, at ${p.entry}` : ''}): ${ARCHIVE_REASONS[p.code] ?? 'it cannot be unpacked safely'}.`,
  'install.download': (p: P<'code' | 'plugin' | 'status'>) =>
    `The download of ${p.plugin} failed (${p.code}${p.status ? `, HTTP ${p.status}` : ''}).`,
  'install.io': (p: P<'errno'>) => `A file operation failed (${p.errno}).`,
  'install.cancelled': () => 'The operation was cancelled; nothing was changed.',
  'install.version-unreadable': (p: P<'plugin'>) => `The version of ${p.plugin} could not be read from its setup.php.`,
  'install.version-mismatch': (p: P<'plugin'>) =>
    `The archive does not hold the version of ${p.plugin} the catalogue names.`,
  'install.fix.unsafeArchive': () =>
    'This archive cannot be installed safely. Report it to the plugin author; do not unpack it by hand.',
  'install.fix.download': (p: P<'code' | 'offers'>) =>
    p.code === 'entitlement' && p.offers
      ? `This plugin needs one of these GLPI Network offers: ${p.offers}. Upgrade or renew the subscription, then try again.`
      : (DOWNLOAD_FIXES[p.code] ?? 'Try the download again.'),
  'install.fix.errno': (p: P<'errno' | 'where'>) => errnoFix(p.errno, p.where),
  'install.fix.again': () => 'Start it again when you are ready.',
  'install.fix.versionUnreadable': () => 'Report it to the plugin author; this archive cannot be checked.',
  'install.fix.versionMismatch': () =>
    'Sync the catalogue and try again; if it persists, report it to the plugin author.',
  'install.checksum-changed': (p: P<'plugin' | 'version' | 'pinned' | 'received'>) =>
    `The archive of ${p.plugin} ${p.version} has changed: its SHA-256 is now ${p.received}, but it was ${p.pinned} when this version was first installed. The author may have republished the archive in place under the same version, or it was tampered with.`,
  'install.checksumConfirm': (p: P<'pinned' | 'received' | 'command'>) =>
    `  pinned SHA-256:   ${p.pinned}\n  received SHA-256: ${p.received}\nOnce you have checked the new archive, take it with:\n  ${p.command}`,
  'install.fix.checksumChanged': (p: P<'plugin' | 'version' | 'received'>) =>
    `Ask the plugin author (or check the plugin's release page) whether ${p.plugin} ${p.version} was republished, and compare the new SHA-256 ${p.received} with the one they publish. If it matches, confirm it: marketdesk install ${p.plugin}@${p.version} --accept-new-checksum ${p.received} (or "Trust the new archive…" in the app). If not, do not install it.`,
  'bundle.not-found': (p: P<'file'>) => `There is no bundle at ${p.file}.`,
  'bundle.fix.not-found': () =>
    'Check the path: it is read on the computer running Marketdesk (the browser shell: the one serving the page). Then try again.',
  'bundle.unreadable': (p: P<'file' | 'errno'>) => `${p.file} cannot be read (${p.errno}).`,
  'bundle.fix.unreadable': (p: P<'file'>) =>
    `Give the account running Marketdesk read access to ${p.file} (or copy it somewhere it can read), then try again.`,
  'bundle.corrupt': (p: P<'file' | 'reason'>) => `${p.file} is not a readable Marketdesk bundle: ${p.reason}.`,
  'bundle.truncated': (p: P<'file' | 'bytes'>) =>
    `${p.file} is cut short: it ends after ${p.bytes} bytes, before the end of the bundle (an unfinished copy?). Nothing was installed.`,
  'bundle.fix.copyAgain': () =>
    'Copy the bundle again from the computer that made it (its size and SHA-256 are the ones marketdesk bundle create printed), check it with --sha256, then try again.',
  'bundle.tampered': (p: P<'file' | 'plugin' | 'version' | 'expected' | 'actual'>) =>
    `The archive of ${p.plugin} ${p.version} in ${p.file} does not match bundle.json: its SHA-256 is ${p.actual}, bundle.json says ${p.expected}. The bundle was damaged or altered after it was made; nothing was installed.`,
  'bundle.fix.remake': () =>
    'Do not use this bundle. Make it again on the connected computer (marketdesk bundle create … -o FILE), copy it over, and check it with --sha256 and the SHA-256 bundle create printed.',
  'bundle.version': (p: P<'file' | 'format' | 'supported'>) =>
    `${p.file} is a bundle of format ${p.format}, made by a newer Marketdesk; this one reads format ${p.supported}.`,
  'bundle.fix.version': () =>
    'Update Marketdesk on this computer to the version that made the bundle (or a newer one), or make the bundle with the Marketdesk version installed here.',
  'bundle.sha256-mismatch': (p: P<'file' | 'expected' | 'actual'>) =>
    `${p.file} has SHA-256 ${p.actual}, not ${p.expected} as given: it is not the bundle that was made (damaged, altered, or another file). Nothing was installed.`,
  'bundle.fix.sha256': () =>
    'Copy the bundle again from the computer that made it, and compare with the SHA-256 marketdesk bundle create printed there, received over a channel you trust.',
  'bundle.not-writable': (p: P<'file' | 'errno'>) => `The bundle cannot be written to ${p.file} (${p.errno}).`,
  'bundle.fix.not-writable': (p: P<'folder'>) =>
    `Write it to a folder that exists and that you can write to (-o FILE), or give the account running Marketdesk write access to ${p.folder}, then try again.`,
  'bundle.cancelled-create': (p: P<'file'>) =>
    `Cancelled: no bundle was written to ${p.file}. The archives already downloaded stay in the download cache, verified.`,
  'bundle.cancelled-read': (p: P<'file'>) => `Cancelled while reading ${p.file}: nothing was changed.`,
  'bundle.fix.cancelled': () => 'Start it again when you are ready.',
  'bundle.disk-full': (p: P<'file'>) =>
    `The disk holding ${p.file} is full (or your quota is reached); nothing was left half written.`,
  'bundle.fix.disk-full': (p: P<'file'>) =>
    `Free some space on the disk holding ${p.file} (or choose another place), then try again.`,
  'bundle.unresolved': (p: P<'problems'>) => `Some plugins cannot be put in the bundle:\n${p.problems}`,
  'bundle.fix.unresolved': () =>
    'Write a manifest (marketdesk manifest export --instance NAME > plugins.json), change or remove those lines, then make the bundle from it: marketdesk bundle create --manifest plugins.json -o FILE. Nothing was written.',
  'bundle.checksum-mismatch': (p: P<'plugin' | 'version' | 'expected' | 'actual'>) =>
    `The archive of ${p.plugin} ${p.version} has SHA-256 ${p.actual}, not ${p.expected} as the manifest says. Nothing was written.`,
  'bundle.fix.checksumMismatch': () =>
    "Check where the manifest's checksum came from: if the new archive is the right one, update the manifest's sha256 (or remove it) and make the bundle again; if not, do not bundle it.",
  'bundle.fix.checksumChanged': (p: P<'plugin' | 'version' | 'received' | 'command'>) =>
    `Ask the plugin author (or check the plugin's release page) whether ${p.plugin} ${p.version} was republished, and compare the new SHA-256 ${p.received} with the one they publish. If it matches, confirm it: ${p.command} --accept-new-checksum ${p.received}. If not, do not use it.`,
} as const;

/** The catalogue every language implements: a missing or extra message does not compile. */
export type Messages = { readonly [K in keyof typeof en]: (typeof en)[K] };
export type MessageId = keyof Messages;

/** A reference in English (what the lists of references in a parameter are rendered with). */
function inEnglish(r: MessageRef): string {
  const entry = (en as unknown as Record<string, ((p: Record<string, string>) => string) | undefined>)[r.id];
  return entry ? entry(r.params ?? {}) : r.id;
}
