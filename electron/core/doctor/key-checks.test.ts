import { describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../../../e2e/standin/accounts';
import type { KeyStatus } from '../../../shared/model';
import type { Check } from './check';
import { checkKeyState, checkKeyText, formatWhen } from './key-checks';

const KEY = DEMO_KEYS.standard; // base64 of a JSON object, shaped like real keys
const MASK = `${KEY.slice(0, 4)}…${KEY.slice(-4)}`;

function byId(checks: Check[], id: string): Check {
  const c = checks.find((x) => x.id === `key.text.${id}`) ?? checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${checks.map((x) => x.id).join(', ')}`);
  return c;
}

function states(checks: Check[]): Record<string, string> {
  return Object.fromEntries(checks.map((c) => [c.id.replace(/^key\.text\./, ''), c.state]));
}

/** Every 10-character piece of the key: none may appear in what the checks say. */
function leaks(checks: Check[], key: string): string[] {
  const text = JSON.stringify(checks);
  const found: string[] = [];
  for (let i = 0; i + 10 <= key.length; i++) if (text.includes(key.slice(i, i + 10))) found.push(key.slice(i, i + 10));
  return found;
}

describe('checkKeyText', () => {
  it('passes a clean key and shows it masked', () => {
    const checks = checkKeyText(KEY);
    expect(states(checks)).toEqual({
      length: 'ok',
      whitespace: 'ok',
      quotes: 'ok',
      characters: 'ok',
      repeated: 'ok',
      encoding: 'ok',
      result: 'ok',
    });
    expect(byId(checks, 'result').summary).toBe(`The key is ${MASK} (${KEY.length} characters).`);
    expect(byId(checks, 'encoding').details?.fields).toBe(
      'customer_reference, owner_name, subscription_title, signature',
    );
  });

  it('warns about whitespace around the key, which normalisation removes', () => {
    const checks = checkKeyText(`  ${KEY}\r\n`);
    expect(byId(checks, 'whitespace')).toMatchObject({ state: 'warning' });
    expect(byId(checks, 'whitespace').summary).toMatch(/^2 spaces, 1 line break around the key/);
    expect(byId(checks, 'result')).toMatchObject({ state: 'ok' });
    expect(byId(checks, 'result').summary).toContain('once the surrounding whitespace is removed');
    expect(byId(checks, 'length').summary).toBe(`${KEY.length} characters (${KEY.length + 4} as pasted).`);
  });

  it('fails on a space inside the key and says where', () => {
    const checks = checkKeyText(`${KEY.slice(0, 20)} ${KEY.slice(20)}`);
    expect(byId(checks, 'whitespace')).toMatchObject({ state: 'failed' });
    expect(byId(checks, 'whitespace').summary).toContain('1 space inside it (at position 21)');
    expect(byId(checks, 'result').state).toBe('failed');
    expect(byId(checks, 'result').summary).toContain(`Cleaned up (spaces and line breaks removed) it would be ${MASK}`);
  });

  it('recognises a key wrapped at 76 characters like a mail client does', () => {
    const long = `${KEY}${KEY}`.slice(0, 200); // long enough to wrap twice, not a repetition once cut
    const wrapped = [long.slice(0, 76), long.slice(76, 152), long.slice(152)].join('\n');
    const w = byId(checkKeyText(wrapped), 'whitespace');
    expect(w.state).toBe('failed');
    expect(w.summary).toContain('2 line breaks inside it (at position 77, 154)');
    expect(w.summary).toContain('wrapped every 76 characters');
    expect(w.fix).toMatch(/^Join the lines/);
  });

  it.each([
    ['ASCII quotes', `"${KEY}"`, 'The key is wrapped in quotes ("…")'],
    ['single quotes', `'${KEY}'`, "The key is wrapped in quotes ('…')"],
    ['typographic quotes', `\u201c${KEY}\u201d`, 'The key is wrapped in quotes (\u201c…\u201d (typographic))'],
    ['French quotes', `\u00ab${KEY}\u00bb`, 'The key is wrapped in quotes (\u00ab…\u00bb (typographic))'],
    ['a stray quote', `${KEY}"`, 'There is a stray quote (" at the end)'],
  ])('fails on %s', (_name, raw, summary) => {
    const checks = checkKeyText(raw);
    expect(byId(checks, 'quotes').state).toBe('failed');
    expect(byId(checks, 'quotes').summary).toContain(summary);
    expect(byId(checks, 'encoding').state).toBe('ok'); // the key inside is fine
    expect(byId(checks, 'result').state).toBe('failed');
  });

  it.each([
    ['a zero-width space', '\u200b', 'zero-width space (U+200B) at position 11'],
    ['a soft hyphen', '\u00ad', 'soft hyphen (U+00AD) at position 11'],
    ['a no-break space', '\u00a0', 'no-break space (U+00A0) at position 11'],
    ['a control character', '\u0007', 'control character U+0007 at position 11'],
    ['an accented letter', 'é', 'U+00E9 at position 11'],
  ])('fails on %s inside the key', (_name, c, text) => {
    const checks = checkKeyText(`${KEY.slice(0, 10)}${c}${KEY.slice(10)}`);
    expect(byId(checks, 'characters').state).toBe('failed');
    expect(byId(checks, 'characters').summary).toContain(text);
    expect(byId(checks, 'whitespace').state).toBe('ok');
  });

  it('recognises the masked form pasted instead of the key', () => {
    const checks = checkKeyText(MASK);
    expect(byId(checks, 'characters').state).toBe('failed');
    expect(byId(checks, 'characters').summary).toContain('this is the masked form');
  });

  it.each([
    ['back to back', `${KEY}${KEY}`],
    ['on two lines', `${KEY}\n${KEY}`],
    ['with a space', `${KEY} ${KEY}`],
  ])('fails on a key pasted twice (%s)', (_name, raw) => {
    const checks = checkKeyText(raw);
    expect(byId(checks, 'repeated')).toMatchObject({
      state: 'failed',
      summary: `The same ${KEY.length} characters (${MASK}) appear twice in a row: the key was pasted twice.`,
    });
    expect(byId(checks, 'encoding').summary).toContain('(one copy of the repeated key) is complete');
    expect(byId(checks, 'length').summary).toMatch(new RegExp(`^${KEY.length} characters`));
    expect(byId(checks, 'result').state).toBe('failed');
  });

  it.each([
    ['cut in the middle', KEY.slice(0, 60), 'stop before the end'],
    ['missing its last characters', KEY.slice(0, -6), 'stop before the end'],
    ['with an impossible length', KEY.slice(0, 61), 'impossible for base64'],
    ['with wrong padding', `${KEY.replace(/=+$/, '')}A=`, 'padding is wrong'],
    [
      'with a character outside base64',
      `${KEY.slice(0, 30)}*${KEY.slice(31)}`,
      'outside base64 (U+002A) at position 31',
    ],
  ])('fails on a base64-JSON key %s', (_name, raw, why) => {
    const checks = checkKeyText(raw);
    const e = byId(checks, 'encoding');
    expect(e.state).toBe('failed');
    expect(e.summary).toMatch(/^The key looks truncated or damaged: /);
    expect(e.summary).toContain(why);
    expect(byId(checks, 'result').state).toBe('failed');
  });

  it('does not judge the content of a key that is not base64 JSON', () => {
    const checks = checkKeyText('ABCD-1234-EFGH-5678-IJKL');
    expect(byId(checks, 'encoding')).toMatchObject({
      state: 'skipped',
      summary:
        'the key is not base64-encoded JSON; GLPI treats keys as opaque, so there is nothing more to check in it',
    });
    expect(byId(checks, 'result').state).toBe('ok');
  });

  it.each([
    ['nothing', '', 'Nothing was pasted.'],
    ['only whitespace', ' \n\t', 'Only whitespace was pasted (1 space, 1 line break, 1 tab), no key.'],
  ])('fails on %s and skips the rest', (_name, raw, summary) => {
    const checks = checkKeyText(raw);
    expect(checks[0]).toMatchObject({ id: 'key.text.length', state: 'failed', summary });
    expect(checks.slice(1).every((c) => c.state === 'skipped' && c.summary === 'there is no key to check')).toBe(true);
    expect(checks).toHaveLength(7);
  });

  it('fails on a key too short or too long', () => {
    expect(byId(checkKeyText('abc'), 'length')).toMatchObject({
      state: 'failed',
      summary: 'Only 3 characters: the key looks cut off.',
    });
    expect(byId(checkKeyText('x'.repeat(5000)), 'length').summary).toContain('at most 4096');
  });

  it('never repeats the key, whatever was pasted', () => {
    const inputs = [
      KEY,
      ` ${KEY}\n`,
      `"${KEY}"`,
      `\u201c${KEY}\u201d`,
      `${KEY}${KEY}`,
      `${KEY}\n${KEY}`,
      `${KEY.slice(0, 20)} ${KEY.slice(20)}`,
      `${KEY.slice(0, 10)}\u200b${KEY.slice(10)}`,
      KEY.slice(0, 60),
      `${KEY.slice(0, 30)}*${KEY.slice(31)}`,
      DEMO_KEYS.invalid,
      'ABCD-1234-EFGH-5678-IJKL-MNOP',
    ];
    for (const raw of inputs) {
      const checks = checkKeyText(raw);
      const key = raw.trim().replace(/^["\u201c]|["\u201d]$/g, '');
      expect(JSON.stringify(checks)).not.toContain(raw.trim());
      expect(leaks(checks, key), `leaks of ${JSON.stringify(raw.slice(0, 8))}…`).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

function status(over: Partial<KeyStatus> = {}): KeyStatus {
  return {
    profile: 'default',
    state: 'valid',
    checking: false,
    maskedKey: MASK,
    storage: 'keychain',
    owner: 'Globex Standard',
    subscription: {
      title: 'GLPI Network Standard',
      offer: 'standard',
      running: true,
      begins: '2025-01-01',
      ends: '2026-06-30',
    },
    message: 'The registration key is valid.',
    checkedAt: '2025-03-01T09:15:00.000Z',
    failure: null,
    unreachableSince: null,
    nextCheckAt: '2025-03-02T09:15:00.000Z',
    ...over,
  };
}

const FAILURE = {
  cause: 'timeout' as const,
  message: 'services.glpi-network.com did not answer within 15 s',
  fix: 'Check the proxy settings',
  at: '2025-03-03T08:00:00.000Z',
};

describe('checkKeyState', () => {
  const keychain = { backend: 'keychain' as const, backendPersists: true };

  it('says a valid key is valid here and names the GLPI server as the suspect', () => {
    const checks = checkKeyState({ status: status(), ...keychain });
    expect(states(checks)).toEqual({ 'key.storage': 'ok', 'key.answers': 'ok', 'key.verdict': 'ok' });
    const v = byId(checks, 'key.verdict');
    expect(v.summary).toMatch(/^Valid here: GLPI Network recognised eyJ.…....? on 2025-03-01 09:15 UTC/);
    expect(v.summary).toContain('(GLPI Network Standard until 2026-06-30)');
    expect(v.summary).toContain(
      'If GLPI still says the registration is not valid, the GLPI server itself is the suspect',
    );
    for (const suspect of ['network path', 'clock', 'glpicrypt.key']) expect(v.summary).toContain(suspect);
    expect(v.details?.['if GLPI disagrees']).toContain('date -u');
    expect(byId(checks, 'key.answers').summary).toBe(
      'GLPI Network answered on 2025-03-01 09:15 UTC: "The registration key is valid.".',
    );
    expect(byId(checks, 'key.answers').details).toMatchObject({
      'last answer': '2025-03-01 09:15 UTC',
      subscription: 'GLPI Network Standard (standard), running, 2025-01-01 → 2026-06-30',
      'next check': '2025-03-02 09:15 UTC',
    });
  });

  it('says an invalid key is invalid', () => {
    const checks = checkKeyState({
      status: status({
        state: 'invalid',
        owner: null,
        subscription: null,
        message: 'The registration key is invalid.',
      }),
      ...keychain,
    });
    const v = byId(checks, 'key.verdict');
    expect(v.state).toBe('failed');
    expect(v.summary).toMatch(/^Invalid key: GLPI Network answered on 2025-03-01 09:15 UTC/);
    expect(v.fix).toContain('Copy the key again');
  });

  it('says a terminated subscription is terminated, not invalid', () => {
    const checks = checkKeyState({
      status: status({
        state: 'terminated',
        subscription: {
          title: 'GLPI Network Standard',
          offer: 'standard',
          running: false,
          begins: '2024-01-01',
          ends: '2025-02-01',
        },
      }),
      ...keychain,
    });
    const v = byId(checks, 'key.verdict');
    expect(v.state).toBe('warning');
    expect(v.summary).toMatch(
      /^Terminated subscription: GLPI Network recognises the key, but the subscription GLPI Network Standard is not running \(ended 2025-02-01\)/,
    );
  });

  it('says a valid key cannot be checked from this machine, with the date it became unreachable', () => {
    const checks = checkKeyState({
      status: status({ state: 'unreachable', failure: FAILURE, unreachableSince: '2025-03-02T07:00:00.000Z' }),
      ...keychain,
    });
    const v = byId(checks, 'key.verdict');
    expect(v.state).toBe('warning');
    expect(v.summary).toBe(
      'Valid, but this machine cannot reach GLPI Network: the key was valid on 2025-03-01 09:15 UTC, and GLPI Network has been unreachable from here since 2025-03-02 07:00 UTC (timeout: services.glpi-network.com did not answer within 15 s).',
    );
    expect(v.fix).toBe('Check the proxy settings. Run the network checks to find the failing step.');
    const a = byId(checks, 'key.answers');
    expect(a.state).toBe('warning');
    expect(a.details?.['last attempt']).toBe(
      '2025-03-03 08:00 UTC, failed: timeout, services.glpi-network.com did not answer within 15 s',
    );
    expect(a.details?.['unreachable since']).toBe('2025-03-02 07:00 UTC');
  });

  it('fails when GLPI Network was never reached for this key', () => {
    const checks = checkKeyState({
      status: status({
        state: 'unreachable',
        owner: null,
        subscription: null,
        message: null,
        checkedAt: null,
        failure: FAILURE,
        unreachableSince: FAILURE.at,
      }),
      ...keychain,
    });
    expect(byId(checks, 'key.verdict')).toMatchObject({ state: 'failed' });
    expect(byId(checks, 'key.verdict').summary).toMatch(/^Unknown: this machine has never reached GLPI Network/);
    expect(byId(checks, 'key.answers').summary).toContain('GLPI Network has never answered for this key');
  });

  it('skips the answers and the verdict without a key', () => {
    const checks = checkKeyState({
      status: status({
        state: 'none',
        maskedKey: null,
        storage: null,
        owner: null,
        subscription: null,
        checkedAt: null,
      }),
      ...keychain,
    });
    expect(states(checks)).toEqual({ 'key.storage': 'ok', 'key.answers': 'skipped', 'key.verdict': 'skipped' });
    expect(byId(checks, 'key.verdict').summary).toBe('no registration key is saved in Marketdesk');
  });

  it.each([
    [{ backend: 'session' as const, backendPersists: false }, 'session', 'No usable OS keychain'],
    [{ backend: 'keychain' as const, backendPersists: false }, 'keychain', 'does not keep secrets across restarts'],
    [{ backend: 'keychain' as const, backendPersists: true }, 'session', 'this key was saved for this session only'],
  ])('warns about a store that forgets the key (%j, key in %s)', (backend, storage, text) => {
    const checks = checkKeyState({ status: status({ storage: storage as 'keychain' | 'session' }), ...backend });
    expect(byId(checks, 'key.storage').state).toBe('warning');
    expect(byId(checks, 'key.storage').summary).toContain(text);
  });

  it('formats timestamps in UTC and keeps plain dates', () => {
    expect(formatWhen('2025-03-01T10:15:00+01:00')).toBe('2025-03-01 09:15 UTC');
    expect(formatWhen('2025-03-01')).toBe('2025-03-01');
    expect(formatWhen('soon')).toBe('soon');
  });
});
