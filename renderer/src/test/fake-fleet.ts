import { AppError } from '../../../shared/errors';
import type { FleetRow, FleetUpdateResult } from '../../../shared/instances';
import type { CoreHarness } from './core-harness';
import { StoppableHold } from './stoppable-hold';

/**
 * Stand-in for the core's fleet service (fleet.check, fleet.update), installed into the real core's
 * handler map like FakePlugins: requests go through the real dispatch, progress through the real
 * EventHub. An update takes the plugin's update out of its row, as the next check would show.
 */

export function makeFleetRow(name: string, overrides: Partial<FleetRow> = {}): FleetRow {
  return {
    name,
    where: `/srv/${name}`,
    kind: 'local',
    active: false,
    reachable: true,
    error: null,
    version: '10.0.18',
    plugins: 3,
    updates: [],
    problems: [],
    checkedAt: '2025-06-15T12:00:00Z',
    ms: 12,
    ...overrides,
  };
}

export class FakeFleet {
  rows: FleetRow[];
  catalogue = true;
  readonly calls: { channel: string; req: unknown }[] = [];
  /**
   * Updates that fail, by `instance/key`, with their message and fix; one with `checksumChanged`
   * goes through once `acceptNewChecksum` names its new checksum.
   */
  readonly failures = new Map<string, Pick<FleetUpdateResult, 'message' | 'fix' | 'checksumChanged'>>();
  /** The next update waits after its first progress until this (used once), or `fleet.cancel`. */
  hold: Promise<void> | null = null;
  private readonly waiting = new StoppableHold();

  constructor(harness: CoreHarness, rows: FleetRow[]) {
    this.rows = structuredClone(rows);
    const handlers = harness.core.handlers;
    handlers['fleet.check'] = (req) => {
      this.calls.push({ channel: 'fleet.check', req });
      return Promise.resolve(structuredClone({ rows: this.rows, catalogue: this.catalogue }));
    };
    handlers['fleet.cancel'] = (req) => {
      this.calls.push({ channel: 'fleet.cancel', req });
      return Promise.resolve({ cancelled: this.waiting.stop() });
    };
    handlers['fleet.update'] = async (req) => {
      this.calls.push({ channel: 'fleet.update', req });
      const unknown = req.names.find((n) => !this.rows.some((r) => r.name === n));
      if (unknown) throw new AppError('INVALID_INPUT', `No instance named ${unknown}.`);
      const results: FleetUpdateResult[] = [];
      let stopped = false;
      for (const row of this.rows.filter((r) => req.names.includes(r.name))) {
        for (const u of row.updates.filter((x) => req.key === undefined || x.key === req.key)) {
          harness.core.events.emit('fleet.progressed', {
            instance: row.name,
            key: u.key,
            step: 'download',
            fraction: 0.5,
          });
          const hold = this.hold;
          this.hold = null;
          stopped ||= hold !== null && (await this.waiting.wait(hold)) === 'stopped';
          if (stopped) {
            const message = 'Stopped: nothing was changed here.';
            results.push({ instance: row.name, key: u.key, ok: false, from: u.from, to: null, message });
            continue;
          }
          const failure = this.failures.get(`${row.name}/${u.key}`);
          const trusted =
            req.acceptNewChecksum !== undefined && failure?.checksumChanged?.received === req.acceptNewChecksum;
          if (failure && !trusted) {
            results.push({ instance: row.name, key: u.key, ok: false, from: u.from, to: null, ...failure });
            continue;
          }
          results.push({
            instance: row.name,
            key: u.key,
            ok: true,
            from: u.from,
            to: u.to,
            message: `${u.key} updated.`,
          });
          row.updates = row.updates.filter((x) => x !== u);
        }
      }
      return results;
    };
  }
}
