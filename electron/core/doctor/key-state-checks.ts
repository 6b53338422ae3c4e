/**
 * The doctor's checks of the stored key (checkKeyState): where it is kept, the last answers of
 * GLPI Network, and what its state means. No text produced here holds the key, only its masked form.
 */
import type { KeyStatus, KeyStorage } from '../../../shared/model';
import { ref, type MessageRef } from '../../../shared/messages/ref';
import { refCheck, skipped, type Check } from './check';

export interface KeyStateInput {
  status: KeyStatus;
  /** The secret store in use: the OS keychain, or memory for this session. */
  backend: KeyStorage;
  /** Whether that store keeps the key across restarts. */
  backendPersists: boolean;
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** "2025-03-01 09:15 UTC" for a full timestamp; dates and unparsable values as given. */
export function formatWhen(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function subscriptionText(s: KeyStatus['subscription']): string | null {
  if (!s) return null;
  const span = s.begins || s.ends ? `, ${s.begins ?? '?'} → ${s.ends ?? '?'}` : '';
  return `${s.title} (${s.offer}), ${s.running ? 'running' : 'not running'}${span}`;
}

/** What the last answer said, when the state no longer tells (GLPI Network unreachable since). */
function lastAnswerKind(s: KeyStatus): 'valid' | 'terminated' | 'unknown' | 'none' {
  if (!s.checkedAt) return 'none';
  if (s.subscription) return s.subscription.running ? 'valid' : 'terminated';
  if (s.owner) return 'valid';
  return 'unknown';
}

/** 1. Where the key is kept. */
function storageCheck({ status: s, backend, backendPersists }: KeyStateInput): Check {
  const details: Record<string, string> = {
    profile: s.profile,
    'store in use': backend === 'keychain' ? 'OS keychain' : 'memory (this session only)',
  };
  if (s.storage) details['this key'] = s.storage === 'keychain' ? 'in the OS keychain' : 'for this session only';
  const base = { id: 'key.storage', title: 'Where the key is kept', details };
  if (backend === 'session')
    return refCheck({ ...base, state: 'warning' }, ref('key.storage.noKeychain'), ref('key.storage.fix.noKeychain'));
  if (!backendPersists)
    return refCheck(
      { ...base, state: 'warning' },
      ref('key.storage.notPersistent'),
      ref('key.storage.fix.notPersistent'),
    );
  if (s.storage === 'session')
    return refCheck({ ...base, state: 'warning' }, ref('key.storage.sessionOnly'), ref('key.storage.fix.sessionOnly'));
  return refCheck({ ...base, state: 'ok' }, ref(s.state !== 'none' ? 'key.storage.kept' : 'key.storage.ready'));
}

/** What the last answers check shows: the masked key, the dates and what was said. */
function answerDetails(s: KeyStatus): Record<string, string> {
  const details: Record<string, string> = { key: s.maskedKey ?? 'unknown' };
  details['last answer'] = s.checkedAt ? formatWhen(s.checkedAt) : 'none yet';
  if (s.message) details.message = s.message;
  if (s.owner) details.owner = s.owner;
  const sub = subscriptionText(s.subscription);
  if (sub) details.subscription = sub;
  if (s.failure)
    details['last attempt'] =
      `${formatWhen(s.failure.at)}, failed: ${s.failure.cause}${s.failure.status !== undefined ? ` (HTTP ${s.failure.status})` : ''}, ${s.failure.message}`;
  if (s.unreachableSince) details['unreachable since'] = formatWhen(s.unreachableSince);
  if (s.nextCheckAt) details['next check'] = formatWhen(s.nextCheckAt);
  if (s.checking) details['checking now'] = 'yes';
  return details;
}

/** 2. The last answers, with their dates. */
function answersCheck(s: KeyStatus, details: Record<string, string>): Check {
  const base = { id: 'key.answers', title: 'Last answers', details };
  if (s.failure) {
    const last = s.checkedAt ? formatWhen(s.checkedAt) : '';
    const summary = ref('key.answers.failed', { at: formatWhen(s.failure.at), cause: s.failure.cause, last });
    return { ...refCheck({ ...base, state: 'warning' }, summary), fix: s.failure.fix };
  }
  if (!s.checkedAt) return refCheck({ ...base, state: 'warning' }, ref('key.answers.none'));
  return refCheck(
    { ...base, state: 'ok' },
    ref('key.answers.ok', { at: formatWhen(s.checkedAt), message: s.message ?? '' }),
  );
}

function verdict(maskedKey: string, state: Check['state'], summary: MessageRef, fix?: MessageRef): Check {
  return refCheck({ id: 'key.verdict', title: 'Verdict', state, details: { key: maskedKey } }, summary, fix);
}

/** The verdict of a key GLPI Network cannot be reached about, by what it last said. */
function unreachableVerdict(s: KeyStatus, maskedKey: string): Check {
  const when = s.checkedAt ? formatWhen(s.checkedAt) : '';
  const since = s.unreachableSince ? formatWhen(s.unreachableSince) : s.failure ? formatWhen(s.failure.at) : '';
  const failed = { since, cause: s.failure?.cause ?? '', error: s.failure?.message ?? '' };
  const ended = s.subscription?.ends ?? '';
  const fix = ref('key.verdict.fix.unreachable', { before: s.failure?.fix ? sentence(s.failure.fix) : '' });
  switch (lastAnswerKind(s)) {
    case 'valid':
      return verdict(maskedKey, 'warning', ref('key.verdict.unreachableValid', { when, ...failed }), fix);
    case 'terminated':
      return verdict(maskedKey, 'warning', ref('key.verdict.unreachableTerminated', { when, ended, ...failed }), fix);
    case 'unknown':
      return verdict(
        maskedKey,
        'warning',
        ref('key.verdict.unreachableUnknown', { when, message: s.message ?? '', ...failed }),
        fix,
      );
    case 'none':
      return verdict(maskedKey, 'failed', ref('key.verdict.neverReached', failed), fix);
  }
}

/** The verdict of a key GLPI Network recognised, with what to compare when GLPI disagrees. */
function validVerdict(s: KeyStatus, maskedKey: string): Check {
  const c = verdict(
    maskedKey,
    'ok',
    ref('key.verdict.valid', {
      masked: s.maskedKey ?? '',
      when: s.checkedAt ? formatWhen(s.checkedAt) : '',
      subscription: s.subscription?.title ?? '',
      until: s.subscription?.ends ?? '',
    }),
  );
  c.details!['if GLPI disagrees'] =
    `On the GLPI server: compare the key saved in GLPI (same first and last 4 characters: ${s.maskedKey ?? '?'}), its clock (date -u), its path to GLPI Network (curl -sS -o /dev/null -w '%{http_code}\\n' https://services.glpi-network.com/api/registration/, through its proxy if it has one), and its glpicrypt.key (instance checks).`;
  return c;
}

/** 3. The verdict: what the key's state means; none for a state without one. */
function verdictCheck(s: KeyStatus, maskedKey: string): Check | null {
  switch (s.state) {
    case 'invalid':
      return verdict(
        maskedKey,
        'failed',
        ref('key.verdict.invalid', {
          when: s.checkedAt ? formatWhen(s.checkedAt) : '',
          masked: s.maskedKey ?? '',
          message: s.message ?? '',
        }),
        ref('key.verdict.fix.invalid'),
      );
    case 'terminated':
      return verdict(
        maskedKey,
        'warning',
        ref('key.verdict.terminated', { subscription: s.subscription?.title ?? '', ended: s.subscription?.ends ?? '' }),
        ref('key.verdict.fix.terminated'),
      );
    case 'unreachable':
      return unreachableVerdict(s, maskedKey);
    case 'valid':
      return validVerdict(s, maskedKey);
    default:
      return null;
  }
}

/** The stored key's checks: where it is kept, the last answers, and the verdict. */
export function checkKeyState(input: KeyStateInput): Check[] {
  const s = input.status;
  const storage = storageCheck(input);
  if (s.state === 'none')
    return [
      storage,
      skipped('key.answers', 'Last answers', ref('key.noKey')),
      skipped('key.verdict', 'Verdict', ref('key.noKey')),
    ];
  const details = answerDetails(s);
  const v = verdictCheck(s, details.key!);
  return v ? [storage, answersCheck(s, details), v] : [storage, answersCheck(s, details)];
}
