import { join } from 'node:path';
import type { PluginsView } from '../../shared/instances';
import { en, type Messages } from '../../shared/messages';
import { daysLeft, type KeyStatus } from '../../shared/model';
import type { RendererCommand } from './app-menu';
import { readJsonFile, writeJsonFileAtomic } from './json-file';

/** A desktop notification to show, and the page command clicking it sends. */
export interface Notice {
  kind: 'updates' | 'subscription';
  title: string;
  body: string;
  command: RendererCommand;
}

/** What was already announced, per profile, so nothing is announced twice (across restarts too). */
export interface NotificationLedger {
  /** Per instance name: the `key@version` updates already announced. */
  updates: Record<string, string[]>;
  /** `<end date>@<stage>` subscription reminders already shown. */
  subscription: string[];
}

/**
 * Windows shows a process's notifications (and groups its taskbar button) under its Application
 * User Model ID, which must be the one on the Start menu shortcut: electron-builder's `appId`.
 */
export const APP_USER_MODEL_ID = 'org.marketdesk.app';

export const EMPTY_LEDGER: NotificationLedger = { updates: {}, subscription: [] };

/** Reminders before the subscription's end, in days: at 30 (or less), 7 (or less) and 1 (or the last day). */
export const SUBSCRIPTION_STAGES = [30, 7, 1] as const;

const MAX_UPDATE_IDS = 500;
const MAX_SUBSCRIPTION_IDS = 30;
const LISTED = 3;

export type UpdatesInput = Pick<PluginsView, 'instance' | 'catalogue' | 'plugins'>;
export type KeyInput = Pick<KeyStatus, 'state' | 'subscription'>;

export interface Decision {
  notice: Notice | null;
  ledger: NotificationLedger;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** The ledger in a file, or an empty one when the file is missing, damaged or foreign. */
export function parseLedger(value: unknown): NotificationLedger {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return EMPTY_LEDGER;
  const v = value as Record<string, unknown>;
  const updates: Record<string, string[]> = {};
  if (v.updates && typeof v.updates === 'object' && !Array.isArray(v.updates)) {
    for (const [instance, ids] of Object.entries(v.updates)) updates[instance] = strings(ids);
  }
  return { updates, subscription: strings(v.subscription) };
}

/** `a`, `a and b`, `a, b, c and 2 more`. */
function list(items: string[], m: Messages): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length <= LISTED)
    return m['notify.list.and']({ head: items.slice(0, -1).join(', '), last: items.at(-1) ?? '' });
  return m['notify.list.more']({ head: items.slice(0, LISTED).join(', '), count: String(items.length - LISTED) });
}

/**
 * Whether to announce the active instance's updates: when at least one `key@version` update is
 * there that was not announced for this instance before (the count grew, or the set changed), once
 * per such set. Fewer updates (some were installed) announce nothing. Without a catalogue (no
 * valid key) nothing is known, so nothing changes.
 */
export function decideUpdates(view: UpdatesInput, ledger: NotificationLedger, m: Messages = en): Decision {
  const instance = view.instance?.name;
  if (!instance || !view.catalogue) return { notice: null, ledger };
  const current = view.plugins.filter((p) => p.update !== null);
  const seen = new Set(ledger.updates[instance] ?? []);
  const fresh = current.filter((p) => !seen.has(`${p.key}@${p.update}`));
  if (fresh.length === 0) return { notice: null, ledger };

  const ids = [...seen, ...fresh.map((p) => `${p.key}@${p.update}`)].slice(-MAX_UPDATE_IDS);
  const label = (p: (typeof current)[number]) => `${p.name ?? p.key} ${p.update}`;
  const total = current.length;
  const names = list(fresh.map(label), m);
  const body =
    fresh.length === total
      ? m[total === 1 ? 'notify.updates.availableOne' : 'notify.updates.availableMany']({ list: names })
      : m['notify.updates.new']({ list: names, count: String(total) });
  return {
    notice: {
      kind: 'updates',
      title:
        total === 1
          ? m['notify.updates.titleOne']({ instance })
          : m['notify.updates.titleMany']({ count: String(total), instance }),
      body,
      command: 'show-installed',
    },
    ledger: { ...ledger, updates: { ...ledger.updates, [instance]: ids } },
  };
}

/** The reminder stage `days` before the end falls in, or null outside the last 30 days. */
export function subscriptionStage(days: number | null): number | null {
  if (days === null || days < 0 || days > SUBSCRIPTION_STAGES[0]) return null;
  return [...SUBSCRIPTION_STAGES].reverse().find((stage) => days <= stage) ?? null;
}

/**
 * Whether to remind that the subscription ends: in its last 30 days, then again in its last 7 and
 * on its last day, once per end date and stage (a renewal moves the end date, which starts over).
 * Only a running subscription of a key GLPI Network accepted (or the last such answer, while it
 * cannot be reached) counts.
 */
export function decideSubscription(
  status: KeyInput,
  now: Date,
  ledger: NotificationLedger,
  m: Messages = en,
): Decision {
  const sub = status.subscription;
  if ((status.state !== 'valid' && status.state !== 'unreachable') || !sub?.running || !sub.ends) {
    return { notice: null, ledger };
  }
  const days = daysLeft(sub.ends, now);
  const stage = subscriptionStage(days);
  if (days === null || stage === null) return { notice: null, ledger };
  const id = `${sub.ends}@${stage}`;
  if (ledger.subscription.includes(id)) return { notice: null, ledger };

  const date = sub.ends.slice(0, 10);
  // daysLeft counts to the end of the end date (UTC), as the key screen does.
  const today = date === now.toISOString().slice(0, 10);
  const when = today
    ? m['notify.subscription.endsToday']({ date })
    : days === 1
      ? m['notify.subscription.endsTomorrow']({ date })
      : m['notify.subscription.endsIn']({ date, days: String(days) });
  return {
    notice: {
      kind: 'subscription',
      title: m['notify.subscription.title'](),
      body: m['notify.subscription.body']({ name: sub.title ?? '', when }),
      command: 'show-key',
    },
    ledger: { ...ledger, subscription: [...ledger.subscription, id].slice(-MAX_SUBSCRIPTION_IDS) },
  };
}

export interface NotifierOptions {
  /** The ledger's file: `ledgerFile(dataDir, profile)`. */
  file: string;
  /** The profile's `notifications` setting (and whether the OS can show any). */
  enabled: () => boolean;
  show: (notice: Notice) => void;
  now: () => Date;
  /** The catalogue of the UI's language (the profile's language setting, else the system's). */
  messages?: () => Messages;
  onError?: (err: unknown) => void;
}

/** `<data>/notifications-<profile>.json` (profile names are letters, digits, - and _). */
export function ledgerFile(dataDir: string, profile: string): string {
  return join(dataDir, `notifications-${profile}.json`);
}

/**
 * Applies the decisions: shows a notice and records it before anything else can announce it again.
 * While notifications are off nothing is recorded, so turning them on announces what is current.
 */
export class DesktopNotifier {
  private ledger: NotificationLedger | null = null;

  constructor(private readonly o: NotifierOptions) {}

  updates(view: UpdatesInput): Notice | null {
    return this.apply((ledger) => decideUpdates(view, ledger, this.o.messages?.()));
  }

  subscription(status: KeyInput): Notice | null {
    return this.apply((ledger) => decideSubscription(status, this.o.now(), ledger, this.o.messages?.()));
  }

  private apply(decide: (ledger: NotificationLedger) => Decision): Notice | null {
    try {
      if (!this.o.enabled()) return null;
      this.ledger ??= parseLedger(readJsonFile(this.o.file));
      const { notice, ledger } = decide(this.ledger);
      if (!notice) return null;
      this.ledger = ledger;
      try {
        writeJsonFileAtomic(this.o.file, ledger);
      } catch (err) {
        this.o.onError?.(err); // still shown, and still remembered for this run
      }
      this.o.show(notice);
      return notice;
    } catch (err) {
      this.o.onError?.(err);
      return null;
    }
  }
}
