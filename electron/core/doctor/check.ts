/**
 * The doctor's result type, shared by every group of checks (instance, key, network). A check never
 * throws for what it inspects: a problem becomes a `warning` or `failed` result with a fix.
 */
export type CheckState = 'ok' | 'warning' | 'failed' | 'skipped';

export interface Check {
  /** Stable, dotted id (`instance.glpicrypt-key`), for the UI, the CLI's `--json` and tests. */
  id: string;
  title: string;
  state: CheckState;
  /** One or two sentences; for `skipped`, always why. */
  summary: string;
  /** Label → value pairs (paths, owners, modes, dates) shown under the summary. */
  details?: Record<string, string>;
  /** What to do, with exact commands where there are some. */
  fix?: string;
}

export const CHECK_STATES: readonly CheckState[] = ['ok', 'warning', 'failed', 'skipped'];

/** The worst state of a list (failed > warning > ok > skipped); `skipped` for an empty list. */
export function worstState(checks: readonly Check[]): CheckState {
  const rank: Record<CheckState, number> = { skipped: 0, ok: 1, warning: 2, failed: 3 };
  return checks.reduce<CheckState>((worst, c) => (rank[c.state] > rank[worst] ? c.state : worst), 'skipped');
}

export function skipped(id: string, title: string, why: string): Check {
  return { id, title, state: 'skipped', summary: why };
}
