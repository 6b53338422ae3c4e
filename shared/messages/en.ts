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
