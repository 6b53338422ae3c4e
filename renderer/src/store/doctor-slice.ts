import type { CheckState, DoctorReport } from '../../../shared/doctor';
import type { ErrorShape } from '../../../shared/errors';
import type { InstanceList } from '../../../shared/instances';
import type { NetworkSettings } from '../../../shared/model';
import { toErrorShape } from '../api/transport';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import type { SliceDefinition } from './slice';

/** What the network settings form may change (extra CA files are not settable from the UI process). */
export type NetworkPatch = Partial<Omit<NetworkSettings, 'extraCaFiles'>>;

/** The last proxy password action: stored, removed, or failed (the password itself is never kept). */
export type PasswordOutcome =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'set' }
  | { status: 'removed' }
  | { status: 'error'; error: ErrorShape };

export interface DoctorSlice {
  /** The last report, as the core gave it (already redacted). */
  report: DoctorReport | null;
  /** The run in flight (`loading`) or how the last one ended. */
  run: AsyncState;
  /** The instance the report's instance checks looked at (null: none was configured). */
  reportInstance: string | null;
  /** The network settings or the proxy password changed after `report` was made. */
  stale: boolean;
  /** The profile's GLPI instances (instances.list), for the instance selector. */
  instances: InstanceList | null;
  /** The instance the instance checks look at; null: the active one. */
  instance: string | null;
  /** Saving the network settings (`ready`: saved). */
  networkSave: AsyncState;
  password: PasswordOutcome;

  /** Runs every check (doctor.run); a second call while one runs waits for the same run. */
  runChecks: () => Promise<void>;
  loadInstances: () => Promise<void>;
  chooseInstance: (name: string | null) => void;
  /** Saves the proxy settings (settings.update { network }); resolves true when the core took them. */
  saveNetwork: (patch: NetworkPatch) => Promise<boolean>;
  /** Stores (or, with null, removes) the proxy password in the keychain (settings.proxyPassword). */
  setProxyPassword: (password: string | null) => Promise<boolean>;
  /** Forgets how the last save ended (the form was edited again). */
  clearNetworkSave: () => void;
}

/** How many checks of the report are in each state. */
export function countStates(report: DoctorReport): Record<CheckState, number> {
  const counts: Record<CheckState, number> = { ok: 0, warning: 0, failed: 0, skipped: 0 };
  for (const section of report.sections) for (const check of section.checks) counts[check.state] += 1;
  return counts;
}

export const doctorSlice: SliceDefinition<DoctorSlice> = {
  create(ctx) {
    let running: Promise<void> | null = null;
    return {
      report: null,
      run: IDLE,
      reportInstance: null,
      stale: false,
      instances: null,
      instance: null,
      networkSave: IDLE,
      password: { status: 'idle' },

      runChecks() {
        if (running) return running;
        ctx.patch({ run: LOADING });
        const instance = ctx.slice().instance;
        running = (async () => {
          try {
            const report = await ctx.api.invoke('doctor.run', instance ? { instance } : {});
            const reportInstance = instance ?? ctx.slice().instances?.active ?? null;
            ctx.patch({ report, run: READY, stale: false, reportInstance });
          } catch (err) {
            ctx.patch({ run: failed(toErrorShape(err)) });
          } finally {
            running = null;
          }
        })();
        return running;
      },

      async loadInstances() {
        try {
          const instances = await ctx.api.invoke('instances.list', {});
          const chosen = ctx.slice().instance;
          // A chosen instance that was removed meanwhile falls back to the active one.
          const keep = chosen !== null && instances.instances.some((i) => i.name === chosen);
          ctx.patch({ instances, instance: keep ? chosen : null });
        } catch {
          // Without the list there is no selector: the doctor checks the active instance.
          ctx.patch({ instances: null });
        }
      },

      chooseInstance(name) {
        const active = ctx.slice().instances?.active ?? null;
        ctx.patch({ instance: name === active ? null : name });
      },

      async saveNetwork(patch) {
        if (ctx.slice().networkSave.status === 'loading') return false;
        ctx.patch({ networkSave: LOADING });
        try {
          const settings = await ctx.api.invoke('settings.update', { network: patch });
          ctx.get().ui.receiveSettings(settings);
          ctx.patch({ networkSave: READY, stale: ctx.slice().report !== null });
          return true;
        } catch (err) {
          ctx.patch({ networkSave: failed(toErrorShape(err)) });
          return false;
        }
      },

      async setProxyPassword(password) {
        if (ctx.slice().password.status === 'saving') return false;
        ctx.patch({ password: { status: 'saving' } });
        try {
          const settings = await ctx.api.invoke('settings.proxyPassword', { password });
          ctx.get().ui.receiveSettings(settings);
          ctx.patch({
            password: { status: password ? 'set' : 'removed' },
            stale: ctx.slice().report !== null,
          });
          return true;
        } catch (err) {
          ctx.patch({ password: { status: 'error', error: toErrorShape(err) } });
          return false;
        }
      },

      clearNetworkSave() {
        if (ctx.slice().networkSave.status !== 'idle') ctx.patch({ networkSave: IDLE });
      },
    };
  },

  connect(ctx) {
    // An instance was added, removed or switched: the selector follows (once it has been read).
    return ctx.api.on('plugins.changed', () => {
      if (ctx.slice().instances) void ctx.slice().loadInstances();
    });
  },
};
