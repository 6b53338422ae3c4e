/**
 * The doctor's result type, shared by every group of checks (instance, key, network). A check never
 * throws for what it inspects: a problem becomes a `warning` or `failed` result with a fix.
 */
import type { Check, CheckState } from '../../../shared/doctor';
import { english, isMessageId, type MessageRef } from '../../../shared/messages/ref';

export { worstState, type Check, type CheckState } from '../../../shared/doctor';

export const CHECK_STATES: readonly CheckState[] = ['ok', 'warning', 'failed', 'skipped'];

/** A check not run; `why` a catalogue reference (its English is the summary) or a plain English text. */
export function skipped(id: string, title: string, why: string | MessageRef): Check {
  if (typeof why === 'string') return { id, title, state: 'skipped', summary: why };
  return { id, title, state: 'skipped', summary: english(why), refs: { summary: why } };
}

/**
 * The check with its title as a reference (`title.<check id>` in shared/messages) when the
 * catalogue's English is the title it has: every shell then shows the title in its language.
 */
export function withTitleRef(check: Check): Check {
  const id = `title.${check.id}`;
  if (!isMessageId(id) || english({ id }) !== check.title) return check;
  return { ...check, refs: { ...check.refs, title: { id } } };
}

/**
 * A check whose summary (and fix) are catalogue references: their English is the summary and the
 * fix every shell shows in English, the references let the others render them in their language.
 */
export function refCheck(base: Omit<Check, 'summary' | 'fix' | 'refs'>, summary: MessageRef, fix?: MessageRef): Check {
  return {
    ...base,
    summary: english(summary),
    ...(fix ? { fix: english(fix) } : {}),
    refs: { summary, ...(fix ? { fix } : {}) },
  };
}
