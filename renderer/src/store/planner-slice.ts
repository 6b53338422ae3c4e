import type { ErrorShape } from '../../../shared/errors';
import type { Plan, PlanDownload, PlanProgress } from '../../../shared/plan';
import { toErrorShape } from '../api/transport';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import type { SliceDefinition } from './slice';
import { askToStop } from './ask-to-stop';

export interface PlannerSlice {
  /** The GLPI version to plan for, as typed. */
  to: string;
  /** The last plan (`plan.get`); kept while the next one is made. */
  plan: Plan | null;
  planState: AsyncState;
  /** "Download ahead" is running. */
  downloading: boolean;
  /** The admin asked it to stop (`plan.cancel`); it has not ended yet. */
  stopping: boolean;
  /** The last archive progress reported during "Download ahead" (`plan.progressed`). */
  progress: PlanProgress | null;
  /** What the last "Download ahead" did, one result per planned archive. */
  downloads: PlanDownload[] | null;
  /** `plan.downloadAhead` itself was refused. */
  downloadError: ErrorShape | null;

  setTo: (to: string) => void;
  /** Plans the active instance's upgrade to `to`; a later request wins over an earlier one. */
  makePlan: () => Promise<void>;
  /** Downloads the planned archives of the plan shown into the cache. */
  downloadAhead: () => Promise<void>;
  /** Stops it: the archive being downloaded is not kept, the rest is not started. */
  stopDownloads: () => Promise<void>;
}

export const plannerSlice: SliceDefinition<PlannerSlice> = {
  create(ctx) {
    let seq = 0;
    return {
      to: '11.0.2',
      plan: null,
      planState: IDLE,
      downloading: false,
      stopping: false,
      progress: null,
      downloads: null,
      downloadError: null,
      setTo(to) {
        ctx.patch({ to });
      },
      async makePlan() {
        const mine = ++seq;
        ctx.patch({ planState: LOADING, downloads: null, downloadError: null });
        try {
          const plan = await ctx.api.invoke('plan.get', { to: ctx.slice().to.trim() });
          if (mine === seq) ctx.patch({ plan, planState: READY });
        } catch (err) {
          if (mine === seq) ctx.patch({ planState: failed(toErrorShape(err)) });
        }
      },
      async downloadAhead() {
        const { plan, downloading } = ctx.slice();
        if (!plan || downloading) return;
        ctx.patch({ downloading: true, stopping: false, progress: null, downloads: null, downloadError: null });
        try {
          const downloads = await ctx.api.invoke('plan.downloadAhead', { to: plan.to, instance: plan.instance });
          ctx.patch({ downloads });
        } catch (err) {
          ctx.patch({ downloadError: toErrorShape(err) });
        } finally {
          ctx.patch({ downloading: false, stopping: false, progress: null });
        }
      },
      async stopDownloads() {
        const { downloading, stopping } = ctx.slice();
        if (!downloading || stopping) return;
        await askToStop(
          () => ctx.api.invoke('plan.cancel', {}),
          (value) => ctx.patch({ stopping: value }),
        );
      },
    };
  },
  connect(ctx) {
    return ctx.api.on('plan.progressed', (progress) => {
      if (ctx.slice().downloading) ctx.patch({ progress });
    });
  },
};
