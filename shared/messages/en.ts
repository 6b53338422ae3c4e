/**
 * Every message the core writes for a person (doctor checks, install errors), in English: the one
 * source of the English text the core keeps in `message`/`summary`/`fix`, and the catalogue the
 * shells render a `MessageRef` through. Each entry is a function of its typed parameters.
 */
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
    `Not checked: the connection to GLPI Network failed first (${p.step}).`,
  'doctor.notChecked.noKey': () => 'there is no key to check',
  'doctor.notChecked.ssh': (p: P<'step'>) => `Not checked: because ${sshStep(p.step)} failed.`,
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

  'title.network.route': () => 'Proxy decision',
  'title.network.dns': () => 'DNS resolution',
  'title.network.tcp': () => 'TCP connection',
  'title.network.tls': () => 'TLS handshake',
  'title.network.http': () => 'HTTP answer',
  'title.network.clock': () => 'Clock',
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
  'title.instance.disk-space': () => 'Free disk space',
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
} as const;

/** The catalogue every language implements: a missing or extra message does not compile. */
export type Messages = { readonly [K in keyof typeof en]: (typeof en)[K] };
export type MessageId = keyof Messages;
