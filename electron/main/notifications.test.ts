import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InstalledPlugin, InstanceSummary } from '../../shared/instances';
import { fr } from '../../shared/messages';
import type { SubscriptionInfo } from '../../shared/model';
import {
  APP_USER_MODEL_ID,
  decideSubscription,
  decideUpdates,
  DesktopNotifier,
  EMPTY_LEDGER,
  ledgerFile,
  parseLedger,
  subscriptionStage,
  type KeyInput,
  type NotificationLedger,
  type Notice,
  type UpdatesInput,
} from './notifications';

const plugin = (key: string, update: string | null, name: string | null = null) =>
  ({ key, name, update }) as InstalledPlugin;

function view(plugins: InstalledPlugin[], instance: string | null = 'prod', catalogue = true): UpdatesInput {
  return { instance: instance ? ({ name: instance } as InstanceSummary) : null, catalogue, plugins };
}

/** Runs decisions in a row, carrying the ledger, and returns the notices. */
function sequence(views: UpdatesInput[]): (Notice | null)[] {
  let ledger: NotificationLedger = EMPTY_LEDGER;
  return views.map((v) => {
    const d = decideUpdates(v, ledger);
    ledger = d.ledger;
    return d.notice;
  });
}

describe('decideUpdates', () => {
  it('announces the updates found, with names and versions, and opens Installed on click', () => {
    const { notice } = decideUpdates(
      view([plugin('fields', '1.21.0', 'Fields'), plugin('formcreator', '2.13.9'), plugin('tag', null)]),
      EMPTY_LEDGER,
    );
    expect(notice).toEqual({
      kind: 'updates',
      title: '2 plugin updates for prod',
      body: 'Fields 1.21.0 and formcreator 2.13.9 are available.',
      command: 'show-installed',
    });
    expect(decideUpdates(view([plugin('fields', '1.21.0', 'Fields')]), EMPTY_LEDGER).notice).toMatchObject({
      title: 'A plugin update for prod',
      body: 'Fields 1.21.0 is available.',
    });
  });

  it('lists three and counts the rest', () => {
    const { notice } = decideUpdates(view(['a', 'b', 'c', 'd', 'e'].map((k) => plugin(k, '2.0'))), EMPTY_LEDGER);
    expect(notice?.body).toBe('a 2.0, b 2.0, c 2.0 and 2 more are available.');
  });

  it('never announces the same set twice, nor a smaller one', () => {
    const two = [plugin('a', '2.0'), plugin('b', '3.0')];
    expect(sequence([view(two), view(two), view([plugin('a', '2.0')]), view([]), view(two)])).toEqual([
      expect.objectContaining({ kind: 'updates' }),
      null,
      null,
      null,
      null,
    ]);
  });

  it('announces when the count grows, naming what is new', () => {
    const notices = sequence([view([plugin('a', '2.0')]), view([plugin('a', '2.0'), plugin('b', '3.0', 'Bee')])]);
    expect(notices[1]).toMatchObject({ title: '2 plugin updates for prod', body: 'New: Bee 3.0 (2 updates in all).' });
  });

  it('announces a newer version of a plugin already announced (a new set with the same count)', () => {
    const notices = sequence([view([plugin('a', '2.0')]), view([plugin('a', '2.1')])]);
    expect(notices[1]).toMatchObject({ body: 'a 2.1 is available.' });
  });

  it('keeps instances apart', () => {
    const same = [plugin('a', '2.0')];
    const notices = sequence([view(same, 'prod'), view(same, 'staging'), view(same, 'prod')]);
    expect(notices.map((n) => n?.title ?? null)).toEqual([
      'A plugin update for prod',
      'A plugin update for staging',
      null,
    ]);
  });

  it('says nothing without an active instance or without a catalogue, and keeps the ledger', () => {
    const ledger: NotificationLedger = { updates: { prod: ['x@1'] }, subscription: [] };
    expect(decideUpdates(view([plugin('a', '2.0')], null), ledger)).toEqual({ notice: null, ledger });
    expect(decideUpdates(view([plugin('a', '2.0')], 'prod', false), ledger)).toEqual({ notice: null, ledger });
    expect(decideUpdates(view([]), ledger)).toEqual({ notice: null, ledger });
  });

  it('does not change the ledger it was given', () => {
    const ledger: NotificationLedger = { updates: {}, subscription: [] };
    decideUpdates(view([plugin('a', '2.0')]), ledger);
    expect(ledger).toEqual({ updates: {}, subscription: [] });
  });
});

const sub = (ends: string | null, running = true): SubscriptionInfo => ({
  title: 'Basic',
  offer: 'basic',
  running,
  begins: '2024-07-01',
  ends,
});
const key = (s: SubscriptionInfo | null, state: KeyInput['state'] = 'valid'): KeyInput => ({ state, subscription: s });
const at = (iso: string) => new Date(iso);

describe('subscriptionStage', () => {
  it.each([
    [null, null],
    [-1, null],
    [0, 1],
    [1, 1],
    [2, 7],
    [7, 7],
    [8, 30],
    [30, 30],
    [31, null],
  ])('%s days left → stage %s', (days, stage) => {
    expect(subscriptionStage(days)).toBe(stage);
  });
});

describe('decideSubscription', () => {
  it('reminds within 30 days of the end, and opens the key screen on click', () => {
    const { notice } = decideSubscription(key(sub('2025-07-01')), at('2025-06-11T10:00:00Z'), EMPTY_LEDGER);
    expect(notice).toEqual({
      kind: 'subscription',
      title: 'GLPI Network subscription ending',
      body: 'The subscription (Basic) ends on 2025-07-01, in 21 days. Renew it to keep premium plugins and their updates.',
      command: 'show-key',
    });
  });

  it('says nothing more than 30 days before, after the end, or for a key that is not valid', () => {
    expect(decideSubscription(key(sub('2025-07-01')), at('2025-05-01T00:00:00Z'), EMPTY_LEDGER).notice).toBeNull();
    expect(decideSubscription(key(sub('2025-07-01')), at('2025-07-03T00:00:00Z'), EMPTY_LEDGER).notice).toBeNull();
    const soon = at('2025-06-25T00:00:00Z');
    expect(decideSubscription(key(sub('2025-07-01'), 'invalid'), soon, EMPTY_LEDGER).notice).toBeNull();
    expect(decideSubscription(key(sub('2025-07-01'), 'terminated'), soon, EMPTY_LEDGER).notice).toBeNull();
    expect(decideSubscription(key(sub('2025-07-01', false)), soon, EMPTY_LEDGER).notice).toBeNull();
    expect(decideSubscription(key(sub(null)), soon, EMPTY_LEDGER).notice).toBeNull();
    expect(decideSubscription(key(null), soon, EMPTY_LEDGER).notice).toBeNull();
    expect(decideSubscription(key(sub('not a date')), soon, EMPTY_LEDGER).notice).toBeNull();
  });

  it('uses the last answer kept while GLPI Network is unreachable', () => {
    const { notice } = decideSubscription(
      key(sub('2025-07-01'), 'unreachable'),
      at('2025-06-25T00:00:00Z'),
      EMPTY_LEDGER,
    );
    expect(notice?.kind).toBe('subscription');
  });

  it('reminds once per stage: at 30, 7 and 1 days, then starts over with a new end date', () => {
    let ledger: NotificationLedger = EMPTY_LEDGER;
    const check = (ends: string, now: string) => {
      const d = decideSubscription(key(sub(ends)), at(now), ledger);
      ledger = d.ledger;
      return d.notice?.body ?? null;
    };
    expect(check('2025-07-01', '2025-06-05T09:00:00Z')).toContain('in 27 days');
    expect(check('2025-07-01', '2025-06-05T18:00:00Z')).toBeNull();
    expect(check('2025-07-01', '2025-06-20T09:00:00Z')).toBeNull();
    expect(check('2025-07-01', '2025-06-25T09:00:00Z')).toContain('in 7 days');
    expect(check('2025-07-01', '2025-06-28T09:00:00Z')).toBeNull();
    expect(check('2025-07-01', '2025-07-01T09:00:00Z')).toContain('ends today (2025-07-01)');
    expect(check('2025-07-01', '2025-07-01T20:00:00Z')).toBeNull();
    // Renewed: a new end date is a new event.
    expect(check('2026-07-01', '2026-06-10T09:00:00Z')).toContain('2026-07-01');
    expect(ledger.subscription).toEqual(['2025-07-01@30', '2025-07-01@7', '2025-07-01@1', '2026-07-01@30']);
  });

  it('first seen 5 days before the end: one reminder, then the last day only', () => {
    let ledger: NotificationLedger = EMPTY_LEDGER;
    const notices = ['2025-06-26T09:00:00Z', '2025-06-29T09:00:00Z', '2025-07-01T09:00:00Z'].map((now) => {
      const d = decideSubscription(key(sub('2025-07-01')), at(now), ledger);
      ledger = d.ledger;
      return d.notice !== null;
    });
    expect(notices).toEqual([true, false, true]);
  });
});

describe('APP_USER_MODEL_ID', () => {
  it("is electron-builder's appId (the Start menu shortcut's), or Windows shows no notification", () => {
    const yml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(/^appId:\s*(\S+)\s*$/m.exec(yml)?.[1]).toBe(APP_USER_MODEL_ID);
  });
});

describe('parseLedger', () => {
  it('reads a ledger and drops what is not one', () => {
    expect(parseLedger({ updates: { prod: ['a@1', 3] }, subscription: ['x', null] })).toEqual({
      updates: { prod: ['a@1'] },
      subscription: ['x'],
    });
    for (const bad of [null, 'x', [], { updates: [] }]) expect(parseLedger(bad)).toEqual(EMPTY_LEDGER);
  });
});

describe('DesktopNotifier', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'md-notify-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function notifier(enabled = () => true, show = vi.fn<(n: Notice) => void>()) {
    const onError = vi.fn();
    const n = new DesktopNotifier({
      file: ledgerFile(dir, 'default'),
      enabled,
      show,
      now: () => at('2025-06-25T09:00:00Z'),
      onError,
    });
    return { n, show, onError };
  }

  it('shows a notice once, even after a restart (the ledger is in a file)', () => {
    const first = notifier();
    first.n.updates(view([plugin('a', '2.0')]));
    first.n.updates(view([plugin('a', '2.0')]));
    first.n.subscription(key(sub('2025-07-01')));
    expect(first.show).toHaveBeenCalledTimes(2);
    expect(JSON.parse(readFileSync(join(dir, 'notifications-default.json'), 'utf8'))).toEqual({
      updates: { prod: ['a@2.0'] },
      subscription: ['2025-07-01@7'],
    });

    const restarted = notifier();
    restarted.n.updates(view([plugin('a', '2.0')]));
    restarted.n.subscription(key(sub('2025-07-01')));
    expect(restarted.show).not.toHaveBeenCalled();
  });

  it('shows and records nothing while turned off', () => {
    let on = false;
    const { n, show } = notifier(() => on);
    expect(n.updates(view([plugin('a', '2.0')]))).toBeNull();
    expect(show).not.toHaveBeenCalled();
    on = true;
    expect(n.updates(view([plugin('a', '2.0')]))).not.toBeNull();
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('starts afresh from a damaged ledger file', () => {
    writeFileSync(join(dir, 'notifications-default.json'), '{oops');
    const { n, show } = notifier();
    n.updates(view([plugin('a', '2.0')]));
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('still shows (once) when the ledger cannot be written, and reports it', () => {
    const onError = vi.fn();
    const show = vi.fn();
    // A folder where the file should be: the write fails.
    const n = new DesktopNotifier({ file: dir, enabled: () => true, show, now: () => new Date(), onError });
    n.updates(view([plugin('a', '2.0')]));
    n.updates(view([plugin('a', '2.0')]));
    expect(show).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalled();
  });

  it('reports a failing show without throwing', () => {
    const { n, onError } = notifier(
      () => true,
      vi.fn(() => {
        throw new Error('no notification server');
      }),
    );
    expect(() => n.updates(view([plugin('a', '2.0')]))).not.toThrow();
    expect(onError).toHaveBeenCalled();
  });
});

describe('notifications in the UI language', () => {
  it('says the updates and the subscription reminder in French with the French catalogue', () => {
    const view = {
      instance: { name: 'prod' },
      catalogue: true,
      plugins: [
        { key: 'fields', name: 'Fields', update: '1.21.10' },
        { key: 'tag', name: 'Tag', update: '2.10.0' },
      ],
    } as unknown as UpdatesInput;
    const updates = decideUpdates(view, EMPTY_LEDGER, fr).notice;
    expect(updates?.title).toBe('2 mises à jour de greffons pour prod');
    expect(updates?.body).toBe('Fields 1.21.10 et Tag 2.10.0 sont disponibles.');
    const reminder = decideSubscription(
      { state: 'valid', subscription: { running: true, ends: '2026-12-08T23:59:59Z', title: 'Standard' } } as KeyInput,
      new Date('2026-12-06T10:00:00Z'),
      EMPTY_LEDGER,
      fr,
    ).notice;
    expect(reminder?.title).toBe('Fin prochaine de l’abonnement GLPI Network');
    expect(reminder?.body).toMatch(
      /^L’abonnement \(Standard\) se termine le 2026-12-08, dans \d jours\. Renouvelez-le/,
    );
  });
});
