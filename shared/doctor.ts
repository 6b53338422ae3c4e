/** The doctor's report, as every shell shows it (the checks themselves run in the core). */
import type { MessageRef } from './messages/ref';

export type CheckState = 'ok' | 'warning' | 'failed' | 'skipped';

export interface Check {
  /** Stable, dotted id (`instance.glpicrypt-key`), for the UI, the CLI's `--json`, links and tests. */
  id: string;
  title: string;
  state: CheckState;
  /** One or two sentences; for `skipped`, always why. */
  summary: string;
  /** Label → value pairs (paths, owners, modes, dates) shown under the summary. */
  details?: Record<string, string>;
  /** What to do, with exact commands where there are some. */
  fix?: string;
  /** The same texts as catalogue references (shared/messages), for the shells to render in their language. */
  refs?: { title?: MessageRef; summary?: MessageRef; fix?: MessageRef };
}

export interface DoctorSection {
  /** `ssh`: the SSH steps, for an instance on a GLPI server reached over SSH. */
  id: 'network' | 'key' | 'ssh' | 'instance';
  title: string;
  titleRef?: MessageRef;
  checks: Check[];
}

export interface DoctorReport {
  at: string;
  profile: string;
  shell: string;
  servicesUrl: string;
  /** The worst state of all checks. */
  state: CheckState;
  sections: DoctorSection[];
  /** The whole report as Markdown, with the key and credentials redacted. */
  markdown: string;
}

/** The worst state of a list (failed > warning > ok > skipped); `skipped` for an empty list. */
export function worstState(checks: readonly Pick<Check, 'state'>[]): CheckState {
  const rank: Record<CheckState, number> = { skipped: 0, ok: 1, warning: 2, failed: 3 };
  return checks.reduce<CheckState>((worst, c) => (rank[c.state] > rank[worst] ? c.state : worst), 'skipped');
}

/**
 * The doctor check a network or key failure points to (`#doctor/<id>` in the app): the step that
 * names its cause and fix.
 */
export function doctorStepFor(cause: string | null | undefined): string {
  switch (cause) {
    case 'dns':
      return 'network.dns';
    case 'refused':
    case 'reset':
    case 'timeout':
      return 'network.tcp';
    case 'tls':
      return 'network.tls';
    case 'proxy':
      return 'network.route';
    case 'http':
    case 'bad-response':
      return 'network.http';
    default:
      return 'network.registration';
  }
}
