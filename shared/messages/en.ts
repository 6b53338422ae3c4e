/**
 * Every message the core writes for a person (doctor checks, install errors), in English: the one
 * source of the English text the core keeps in `message`/`summary`/`fix`, and the catalogue the
 * shells render a `MessageRef` through. Each entry is a function of its typed parameters.
 */
type P<K extends string> = Record<K, string>;

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
  'doctor.notChecked.network': (p: P<'step'>) =>
    `Not checked: the connection to GLPI Network failed first (${p.step}).`,
  'doctor.notChecked.noKey': () => 'there is no key to check',
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

  'install.failed': (p: P<'step' | 'message'>) => `${p.step} failed: ${p.message}`,
  'install.archive.unsafe': (p: P<'code'>) => `The archive was refused (${p.code}).`,
  'install.archive.entry': (p: P<'code' | 'entry'>) => `The archive was refused at ${p.entry} (${p.code}).`,
  'install.archive.truncated': () => 'The archive is cut short: the download was incomplete or the file is damaged.',
  'install.archive.corrupt': () => 'The archive is damaged: it cannot be read.',
  'install.fix.unsafeArchive': () =>
    'This archive cannot be installed safely. Report it to the plugin author; do not unpack it by hand.',
  'install.fix.versionUnreadable': () => 'Report it to the plugin author; this archive cannot be checked.',
  'install.fix.versionMismatch': () =>
    'Sync the catalogue and try again; if it persists, report it to the plugin author.',
} as const;

/** The catalogue every language implements: a missing or extra message does not compile. */
export type Messages = { readonly [K in keyof typeof en]: (typeof en)[K] };
export type MessageId = keyof Messages;
