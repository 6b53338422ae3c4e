import type { ErrorShape } from '../../../shared/errors';
import type { FleetReport, FleetUpdateResult } from '../../../shared/instances';
import type { Events } from '../../../shared/ipc/contract';
import { toErrorShape } from '../api/transport';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import { askToStop } from './ask-to-stop';
import type { SliceDefinition } from './slice';

/** The update the Fleet view ran last: every plugin with an update, or one plugin key. */
export interface FleetUpdateRun {
  names: string[];
  key: string | null;
  results: FleetUpdateResult[];
}

export interface FleetSlice {
  /** The last check of every instance (`fleet.check`); kept while the next one runs. */
  report: FleetReport | null;
  checkState: AsyncState;
  /** The instances chosen for an update, by name. */
  selected: readonly string[];
  /** `fleet.update` is running. */
  updating: boolean;
  /** The admin asked the update to stop (`fleet.cancel`); it has not ended yet. */
  stopping: boolean;
  /** The last step the core reported during the update (`fleet.progressed`). */
  progress: Events['fleet.progressed'] | null;
  /** What the last update did, one result per instance and plugin. */
  lastRun: FleetUpdateRun | null;
  /** `fleet.update` itself was refused. */
  updateError: ErrorShape | null;

  /** Checks every instance of the profile; a later check wins over an earlier one. */
  check: () => Promise<void>;
  select: (name: string, selected: boolean) => void;
  /** Selects every instance of the report, or none. */
  selectAll: (selected: boolean) => void;
  /** Updates `key` (or every plugin with an update) in the selected instances, then checks again. */
  update: (key?: string) => Promise<void>;
  /**
   * For a result refused because the version's archive changed: updates that plugin in that
   * instance again, taking exactly the new SHA-256 the result named; its result replaces the old one.
   */
  trustNewChecksum: (instance: string, key: string) => Promise<void>;
  /** Stops the running update: the update being made stops, the rest is left as it is. */
  stopUpdate: () => Promise<void>;
}

/** The plugin keys that have an update in at least one of the named rows, sorted. */
export function updatableKeys(report: FleetReport | null, names: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const row of report?.rows ?? []) {
    if (names.includes(row.name)) for (const u of row.updates) keys.add(u.key);
  }
  return [...keys].sort();
}

export const fleetSlice: SliceDefinition<FleetSlice> = {
  create(ctx) {
    let checkSeq = 0;

    async function check(): Promise<void> {
      const seq = ++checkSeq;
      ctx.patch({ checkState: LOADING });
      try {
        const report = await ctx.api.invoke('fleet.check', {});
        if (seq !== checkSeq) return;
        // An instance removed meanwhile cannot stay selected.
        const names = report.rows.map((r) => r.name);
        ctx.patch({ report, checkState: READY, selected: ctx.slice().selected.filter((n) => names.includes(n)) });
      } catch (err) {
        if (seq === checkSeq) ctx.patch({ checkState: failed(toErrorShape(err)) });
      }
    }

    return {
      report: null,
      checkState: IDLE,
      selected: [],
      updating: false,
      stopping: false,
      progress: null,
      lastRun: null,
      updateError: null,
      check,
      select(name, selected) {
        const rest = ctx.slice().selected.filter((n) => n !== name);
        ctx.patch({ selected: selected ? [...rest, name] : rest });
      },
      selectAll(selected) {
        ctx.patch({ selected: selected ? (ctx.slice().report?.rows.map((r) => r.name) ?? []) : [] });
      },
      async update(key) {
        const s = ctx.slice();
        if (s.updating || s.selected.length === 0) return;
        const names = [...s.selected];
        ctx.patch({ updating: true, stopping: false, progress: null, updateError: null, lastRun: null });
        try {
          const results = await ctx.api.invoke('fleet.update', key ? { names, key } : { names });
          ctx.patch({ lastRun: { names, key: key ?? null, results } });
        } catch (err) {
          ctx.patch({ updateError: toErrorShape(err) });
        } finally {
          ctx.patch({ updating: false, stopping: false, progress: null });
        }
        await check();
      },
      async trustNewChecksum(instance, key) {
        const { updating, lastRun } = ctx.slice();
        const old = lastRun?.results.find((r) => r.instance === instance && r.key === key);
        if (updating || !old?.checksumChanged) return;
        ctx.patch({ updating: true, stopping: false, progress: null });
        let results: FleetUpdateResult[];
        try {
          const req = { names: [instance], key, acceptNewChecksum: old.checksumChanged.received };
          results = await ctx.api.invoke('fleet.update', req);
        } catch (err) {
          const { message, fix } = toErrorShape(err);
          results = [{ instance, key, ok: false, from: old.from, to: null, message, ...(fix ? { fix } : {}) }];
        } finally {
          ctx.patch({ updating: false, stopping: false, progress: null });
        }
        const run = ctx.slice().lastRun;
        const same = (r: FleetUpdateResult) => r.instance === instance && r.key === key;
        if (run) ctx.patch({ lastRun: { ...run, results: run.results.flatMap((r) => (same(r) ? results : [r])) } });
        await check();
      },
      async stopUpdate() {
        const { updating, stopping } = ctx.slice();
        if (!updating || stopping) return;
        await askToStop(
          () => ctx.api.invoke('fleet.cancel', {}),
          (stopping) => ctx.patch({ stopping }),
        );
      },
    };
  },
  connect(ctx) {
    return ctx.api.on('fleet.progressed', (progress) => {
      if (ctx.slice().updating) ctx.patch({ progress });
    });
  },
};
