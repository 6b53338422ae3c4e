/**
 * Every English string of the UI. Components read them only through `t()` (see ./t.ts), so a
 * French catalogue only has to satisfy `Catalog`. `{name}` marks a parameter; an object with
 * `one`/`other` is chosen by `count` with the locale's plural rules.
 */
export const en = {
  'app.name': 'Marketdesk',
  'app.skipToContent': 'Skip to content',
  'app.loadFailed': 'Marketdesk could not read its state.',
  'app.retry': 'Try again',
  'app.context': 'Profile: {profile} · {shell}',
  'app.shell.electron': 'Desktop app',
  'app.shell.browser': 'Browser shell',

  'nav.label': 'Main',
  'nav.key': 'Registration key',

  'badge.label': 'Registration key status: ',
  'badge.loading': 'Checking…',
  'badge.checking': 'Checking…',
  'badge.none': 'No key',
  'badge.valid': 'Valid',
  'badge.validTier': 'Valid · {tier}',
  'badge.invalid': 'Invalid key',
  'badge.terminated': 'Subscription terminated',
  'badge.unreachable': 'Unreachable',
  'badge.error': 'Status unknown',

  'announce.state': 'Registration key: {state}',

  'key.title': 'Registration key',

  'key.state.loading.title': 'Reading the key status…',
  'key.state.error.title': 'The key status could not be read',
  'key.state.none.title': 'No registration key',
  'key.state.none.text':
    'A registration key links this GLPI to your GLPI Network account. GLPI needs it to use the plugin marketplace, even for free plugins.',
  'key.state.none.where':
    'Get your key from your GLPI Network account at https://services.glpi-network.com (registration page), then paste it below.',
  'key.state.checking.title': 'Checking the key with GLPI Network…',
  'key.state.checking.text': 'This usually takes a few seconds.',
  'key.state.valid.title': 'The key is valid',
  'key.state.valid.text': 'GLPI Network recognises this key and the subscription is running.',
  'key.state.invalid.title': 'The key is not valid',
  'key.state.invalid.text':
    'GLPI Network does not recognise this key. It may be mistyped, cut off or revoked: copy it again from your GLPI Network account and replace it.',
  'key.state.terminated.title': 'The subscription has ended',
  'key.state.terminated.text':
    'GLPI Network recognises this key but the subscription linked to it is terminated. Renew it on GLPI Network (https://services.glpi-network.com). Free plugins still need a valid registration.',
  'key.state.unreachable.title': 'GLPI Network could not be reached',
  'key.state.unreachable.text': 'Marketdesk could not check the key. Nothing was changed: the key is still stored.',

  'key.failure.title': 'Why the check failed',
  'key.failure.cause': 'Cause',
  'key.failure.message': 'Error',
  'key.failure.fix': 'What to do:',
  'key.failure.status': 'HTTP status',
  'key.failure.at': 'Failed at',
  'key.failure.since': 'Unreachable since {date}',
  'key.failure.lastKnown': 'Last known answer',
  'key.failure.noLastKnown': 'No earlier answer from GLPI Network is known.',
  'cause.dns': 'Name resolution (DNS)',
  'cause.refused': 'Connection refused',
  'cause.timeout': 'Timeout',
  'cause.tls': 'TLS certificate',
  'cause.proxy': 'Proxy',
  'cause.http': 'HTTP error',
  'cause.bad-response': 'Unexpected answer',

  'key.details.owner': 'Registered by',
  'key.details.subscription': 'Subscription',
  'key.details.offer': 'Offer reference',
  'key.details.period': 'Period',
  'key.details.periodRange': 'From {begins} to {ends}',
  'key.details.periodFrom': 'From {begins}',
  'key.details.periodTo': 'Until {ends}',
  'key.details.daysLeft': { one: '{count} day left', other: '{count} days left' },
  'key.details.endsToday': 'Ends today',
  'key.details.ended': { one: 'Ended {count} day ago', other: 'Ended {count} days ago' },
  'key.details.endsSoon': '{left} · Renew soon',
  'key.details.message': 'GLPI Network says',
  'key.details.checked': 'Last checked',
  'key.details.nextCheck': 'Next check: {when}',

  'key.stored.label': 'Stored key',
  'key.stored.keychain': 'Kept in the system keychain.',
  'key.stored.session': 'Kept for this session only: it is forgotten when Marketdesk closes.',
  'key.field.label': 'Registration key',
  'key.field.help':
    'The key is sent to GLPI Network to be checked, then kept in the system keychain. It is never shown again.',
  'key.save': 'Save',
  'key.cancel': 'Cancel',
  'key.sync': 'Sync',
  'key.replace': 'Replace key',
  'key.forget': 'Forget',
  'key.busy': 'Wait until the check is finished.',

  'key.error.title': 'The key was not saved',
  'key.error.fix': 'What to do: {fix}',
  'key.error.result': 'What GLPI Network answered',
  'key.error.invalid': 'GLPI Network does not recognise this key.',
  'key.error.unverified': 'The key could not be checked with GLPI Network.',
  'key.error.saveAnyway': 'Save anyway',
  'key.error.saveAnywayHelp': 'Keep the key even though GLPI Network did not confirm it.',
  'key.error.sessionOnly': 'Keep for this session only',
  'key.error.sessionOnlyHelp':
    'The key stays in memory until Marketdesk closes; you will have to paste it again next time.',
  'key.action.failed': 'The action failed: {message}',

  'forget.title': 'Forget the stored key?',
  'forget.text': 'The key is removed from this computer. GLPI Network is not told; you can paste the key again later.',
  'forget.confirm': 'Forget the key',
  'forget.cancel': 'Keep the key',

  'time.justNow': 'just now',
  'time.minutesAgo': { one: '{count} minute ago', other: '{count} minutes ago' },
  'time.hoursAgo': { one: '{count} hour ago', other: '{count} hours ago' },
  'time.daysAgo': { one: '{count} day ago', other: '{count} days ago' },
  'time.inMinutes': { one: 'in {count} minute', other: 'in {count} minutes' },
  'time.inHours': { one: 'in {count} hour', other: 'in {count} hours' },
  'time.inDays': { one: 'in {count} day', other: 'in {count} days' },
  'time.soon': 'in a moment',
  'time.withDate': '{relative} ({date})',
} as const;

export type PluralForms = { readonly one: string; readonly other: string };
export type MessageKey = keyof typeof en;
/** The shape every language file must satisfy. */
export type Catalog = { readonly [K in MessageKey]: (typeof en)[K] extends string ? string : PluralForms };
