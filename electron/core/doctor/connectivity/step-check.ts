/** A probe step as one of the doctor's checks (the network section). */
import type { Check } from '../check';
import { STEP_TITLES, type StepResult } from './types';

/**
 * A probe step as a check; a step that ran says how long it took (` (12 ms)`): its summary
 * reference gets the `ms` parameter every network step's message ends with.
 */
export function stepCheck(step: StepResult, routeWhy?: string): Check {
  const timed = step.state !== 'skipped';
  const summary = step.refs?.summary;
  const refs = step.refs && {
    ...step.refs,
    summary: timed && summary ? { ...summary, params: { ...summary.params, ms: String(step.ms) } } : summary,
  };
  return {
    id: `network.${step.id}`,
    title: STEP_TITLES[step.id],
    state: step.state,
    summary: timed ? `${step.summary} (${step.ms} ms)` : step.summary,
    ...(step.details || routeWhy ? { details: { ...step.details, ...(routeWhy ? { why: routeWhy } : {}) } } : {}),
    ...(step.fix ? { fix: step.fix } : {}),
    ...(refs ? { refs } : {}),
  };
}
