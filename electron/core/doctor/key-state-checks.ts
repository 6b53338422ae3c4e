/**
 * The doctor's checks of the stored key (checkKeyState): where it is kept, the last answers of
 * GLPI Network, and what its state means. No text produced here holds the key, only its masked form.
 */
import type { KeyStatus, KeyStorage } from '../../../shared/model';
import { skipped, type Check } from './check';
import { PASTE_AGAIN } from './key-text-checks';

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

const SERVER_SUSPECTS =
  'If GLPI still says the registration is not valid, the GLPI server itself is the suspect: its network path to GLPI Network (proxy, DNS, firewall), its clock (a wrong date breaks TLS), or its glpicrypt.key (GLPI cannot decrypt the key it stored: see the instance checks).';

/** 1. Where the key is kept. */
function storageCheck({ status: s, backend, backendPersists }: KeyStateInput): Check {
  const details: Record<string, string> = {
    profile: s.profile,
    'store in use': backend === 'keychain' ? 'OS keychain' : 'memory (this session only)',
  };
  if (s.storage) details['this key'] = s.storage === 'keychain' ? 'in the OS keychain' : 'for this session only';
  const base = { id: 'key.storage', title: 'Where the key is kept', details };
  if (backend === 'session')
    return {
      ...base,
      state: 'warning',
      summary:
        'No usable OS keychain: the key is kept in memory for this session only and must be entered again after a restart.',
      fix: 'Install and unlock an OS keychain (on Linux a Secret Service provider such as gnome-keyring or KWallet, unlocked at login), then save the key again. On a headless server, the CLI reads the key from stdin at each run.',
    };
  if (!backendPersists)
    return {
      ...base,
      state: 'warning',
      summary:
        'The OS keychain is in use, but it does not keep secrets across restarts (a temporary or session-only collection): the key will be asked again.',
      fix: 'Use a keychain collection that is saved to disk (the login keyring, unlocked at login), then save the key again.',
    };
  if (s.storage === 'session')
    return {
      ...base,
      state: 'warning',
      summary:
        'The OS keychain works, but this key was saved for this session only: it will be asked again after a restart.',
      fix: 'Save the key again and choose the keychain.',
    };
  return {
    ...base,
    state: 'ok',
    summary:
      s.state !== 'none'
        ? 'The key is in the OS keychain, which keeps it across restarts.'
        : 'The OS keychain is in use and keeps secrets across restarts.',
  };
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
  if (s.failure)
    return {
      ...base,
      state: 'warning',
      summary: `The last attempt (${formatWhen(s.failure.at)}) could not reach GLPI Network (${s.failure.cause}); ${s.checkedAt ? `the last answer is from ${formatWhen(s.checkedAt)}` : 'GLPI Network has never answered for this key'}.`,
      fix: s.failure.fix,
    };
  return {
    ...base,
    state: s.checkedAt ? 'ok' : 'warning',
    summary: s.checkedAt
      ? `GLPI Network answered on ${formatWhen(s.checkedAt)}${s.message ? `: "${s.message}"` : ''}.`
      : 'GLPI Network has not answered for this key yet.',
  };
}

function verdict(maskedKey: string, state: Check['state'], summary: string, fix?: string): Check {
  const c: Check = { id: 'key.verdict', title: 'Verdict', state, summary, details: { key: maskedKey } };
  if (fix) c.fix = fix;
  return c;
}

/** The subscription's end, when it is known, for a terminated one. */
function endedText(s: KeyStatus): string {
  return s.subscription?.ends ? ` (ended ${s.subscription.ends})` : '';
}

/** The verdict of a key GLPI Network cannot be reached about, by what it last said. */
function unreachableVerdict(s: KeyStatus, maskedKey: string): Check {
  const when = s.checkedAt ? formatWhen(s.checkedAt) : null;
  const since = s.unreachableSince ? formatWhen(s.unreachableSince) : s.failure ? formatWhen(s.failure.at) : 'recently';
  const cause = s.failure ? ` (${s.failure.cause}: ${s.failure.message})` : '';
  const fix = `${s.failure?.fix ? `${sentence(s.failure.fix)} ` : ''}Run the network checks to find the failing step.`;
  switch (lastAnswerKind(s)) {
    case 'valid':
      return verdict(
        maskedKey,
        'warning',
        `Valid, but this machine cannot reach GLPI Network: the key was valid on ${when}, and GLPI Network has been unreachable from here since ${since}${cause}.`,
        fix,
      );
    case 'terminated':
      return verdict(
        maskedKey,
        'warning',
        `Terminated subscription at the last answer (${when})${endedText(s)}, and this machine cannot reach GLPI Network since ${since}${cause}.`,
        fix,
      );
    case 'unknown':
      return verdict(
        maskedKey,
        'warning',
        `This machine cannot reach GLPI Network since ${since}${cause}; the last answer (${when}) said "${s.message ?? 'nothing'}".`,
        fix,
      );
    case 'none':
      return verdict(
        maskedKey,
        'failed',
        `Unknown: this machine has never reached GLPI Network for this key (unreachable since ${since}${cause}), so whether the key is valid is not known.`,
        fix,
      );
  }
}

/** The verdict of a key GLPI Network recognised, with what to compare when GLPI disagrees. */
function validVerdict(s: KeyStatus, maskedKey: string): Check {
  const when = s.checkedAt ? formatWhen(s.checkedAt) : null;
  const until = s.subscription?.ends ? ` until ${s.subscription.ends}` : '';
  const c = verdict(
    maskedKey,
    'ok',
    `Valid here: GLPI Network recognised ${s.maskedKey ?? 'the key'} on ${when ?? 'its last answer'}${s.subscription ? ` (${s.subscription.title}${until})` : ''}. ${SERVER_SUSPECTS}`,
  );
  c.details!['if GLPI disagrees'] =
    `On the GLPI server: compare the key saved in GLPI (same first and last 4 characters: ${s.maskedKey ?? '?'}), its clock (date -u), its path to GLPI Network (curl -sS -o /dev/null -w '%{http_code}\\n' https://services.glpi-network.com/api/registration/, through its proxy if it has one), and its glpicrypt.key (instance checks).`;
  return c;
}

/** 3. The verdict: what the key's state means; none for a state without one. */
function verdictCheck(s: KeyStatus, maskedKey: string): Check | null {
  const when = s.checkedAt ? formatWhen(s.checkedAt) : null;
  switch (s.state) {
    case 'invalid':
      return verdict(
        maskedKey,
        'failed',
        `Invalid key: GLPI Network answered on ${when ?? 'its last answer'} that it does not recognise ${s.maskedKey ?? 'this key'}${s.message ? ` ("${s.message}")` : ''}.`,
        `${PASTE_AGAIN} Run the key text checks on what you paste.`,
      );
    case 'terminated':
      return verdict(
        maskedKey,
        'warning',
        `Terminated subscription: GLPI Network recognises the key, but the subscription${s.subscription ? ` ${s.subscription.title}` : ''} is not running${endedText(s)}. Plugins that need an offer are not available.`,
        'Renew the GLPI Network subscription (your GLPI Network account or your partner), then Sync.',
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
      skipped('key.answers', 'Last answers', 'no registration key is saved in Marketdesk'),
      skipped('key.verdict', 'Verdict', 'no registration key is saved in Marketdesk'),
    ];
  const details = answerDetails(s);
  const v = verdictCheck(s, details.key!);
  return v ? [storage, answersCheck(s, details), v] : [storage, answersCheck(s, details)];
}
