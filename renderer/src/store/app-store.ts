import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api } from '../api/transport';
import { bundleSlice, type BundleSlice } from './bundle-slice';
import { catalogSlice, type CatalogSlice } from './catalog-slice';
import { doctorSlice, type DoctorSlice } from './doctor-slice';
import { fleetSlice, type FleetSlice } from './fleet-slice';
import { installedSlice, type InstalledSlice } from './installed-slice';
import { keySlice, type KeySlice } from './key-slice';
import { manifestSlice, type ManifestSlice } from './manifest-slice';
import { plannerSlice, type PlannerSlice } from './planner-slice';
import { settingsSlice, type SettingsSlice } from './settings-slice';
import type { SliceContext, SliceDefinition } from './slice';
import { uiSlice, type UiSlice } from './ui-slice';

/** Adding a slice: its own file exporting a SliceDefinition, one line here and one in SLICES. */
export interface AppState {
  key: KeySlice;
  ui: UiSlice;
  catalog: CatalogSlice;
  installed: InstalledSlice;
  doctor: DoctorSlice;
  settings: SettingsSlice;
  fleet: FleetSlice;
  planner: PlannerSlice;
  manifest: ManifestSlice;
  bundle: BundleSlice;
}

const SLICES: { [K in keyof AppState]: SliceDefinition<AppState[K]> } = {
  key: keySlice,
  ui: uiSlice,
  catalog: catalogSlice,
  installed: installedSlice,
  doctor: doctorSlice,
  settings: settingsSlice,
  fleet: fleetSlice,
  planner: plannerSlice,
  manifest: manifestSlice,
  bundle: bundleSlice,
};

export interface AppStore extends StoreApi<AppState> {
  /** The clock relative times are computed against (fixed in tests). */
  now(): Date;
  /** Stops following the core's events. */
  dispose(): void;
}

export interface AppStoreOptions {
  now?: () => Date;
}

/** One store per window: a cache of the core's truth that hydrates on start and follows events. */
export function createAppStore(api: Api, options: AppStoreOptions = {}): AppStore {
  const now = options.now ?? (() => new Date());
  const names = Object.keys(SLICES) as (keyof AppState)[];
  const contexts = new Map<keyof AppState, SliceContext<unknown>>();

  const store = createStore<AppState>()((set, get) => {
    function contextFor<K extends keyof AppState>(name: K): SliceContext<AppState[K]> {
      const ctx: SliceContext<AppState[K]> = {
        api,
        now,
        get,
        slice: () => get()[name],
        patch: (partial) => set((s) => ({ [name]: { ...s[name], ...partial } })),
        // Only called from `connect`, once the store exists.
        subscribe: (listener) => store.subscribe(listener),
      };
      contexts.set(name, ctx);
      return ctx;
    }
    const build = <K extends keyof AppState>(name: K): AppState[K] => SLICES[name].create(contextFor(name));
    return Object.fromEntries(names.map((name) => [name, build(name)])) as unknown as AppState;
  });

  const offs = names.map((name) => {
    const def: SliceDefinition<unknown> = SLICES[name];
    const ctx = contexts.get(name);
    return def.connect && ctx ? def.connect(ctx) : () => undefined;
  });

  return {
    ...store,
    now,
    dispose() {
      for (const off of offs.splice(0)) off();
    },
  };
}
