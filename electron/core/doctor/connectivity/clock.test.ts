import { describe, expect, it } from 'vitest';
import { clockStep } from '.';
import { NOW, FakePort, run, step } from './probe.testkit';

describe('runConnectivityProbe: clock', () => {
  const withDate = async (date: string | undefined, platform = 'linux') => {
    const port = new FakePort();
    const headers: Record<string, string> = {};
    if (date) headers['date'] = date;
    port.httpWith = () => Promise.resolve({ status: 200, statusText: 'OK', headers });
    return step(await run(port, { platform }), 'clock');
  };

  it('warns beyond 5 minutes, with the skew and the fix for this OS', async () => {
    const s = await withDate(new Date(NOW.getTime() - 2 * 3_600_000).toUTCString());
    expect(s).toMatchObject({
      state: 'warning',
      summary:
        "This machine's clock is 2 h 0 min ahead of the server's (local 2026-06-01T10:00:00.000Z, server 2026-06-01T08:00:00.000Z).",
      fix: "Set this machine's clock right: on Linux: turn on network time with `timedatectl set-ntp true` (as root), then check `timedatectl status`. A wrong clock makes valid certificates look expired or not yet valid.",
      details: { skew: '+2 h 0 min' },
    });
    const behind = await withDate(new Date(NOW.getTime() + 6 * 60_000).toUTCString(), 'win32');
    expect(behind.summary).toMatch(/^This machine's clock is 6 min 0 s behind the server's/);
    expect(behind.fix).toContain(
      'Settings > Time & language > Date & time, turn on "Set time automatically" and click "Sync now"',
    );
  });

  it('accepts up to 5 minutes', async () => {
    const s = await withDate(new Date(NOW.getTime() - 4 * 60_000).toUTCString());
    expect(s.state).toBe('ok');
    expect(s.summary).toBe(
      "This machine's clock agrees with the server's (+4 min 0 s; the Date header has a 1 s resolution).",
    );
  });

  it('skips without a usable Date header', async () => {
    expect(await withDate(undefined)).toMatchObject({
      state: 'skipped',
      summary: 'The server sent no Date header: the clocks could not be compared.',
    });
    expect((await withDate('yesterday-ish')).state).toBe('skipped');
  });

  it('gives every OS when the platform is unknown', () => {
    const fix = clockStep(new Date(0).toUTCString(), NOW).fix ?? '';
    expect(fix).toContain('timedatectl set-ntp true');
    expect(fix).toContain('Sync now');
    expect(fix).toContain('Date & Time');
  });
});
