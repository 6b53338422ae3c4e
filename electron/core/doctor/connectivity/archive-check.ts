/**
 * After the probe: the host archives come from (often another one, e.g. GitHub releases, which the
 * firewall and the proxy must allow too), probed the same way when it is not GLPI Network itself.
 */
import { ref } from '../../../../shared/messages/ref';
import { refCheck, skipped, type Check } from '../check';
import { STEP_TITLES, type ConnectivityReport } from './types';

const ID = 'network.archive';
const TITLE = 'Archive host';

export async function archiveCheck(
  probe: (url: string) => Promise<ConnectivityReport>,
  base: string,
  url: string | null,
): Promise<Check> {
  if (!url) return skipped(ID, TITLE, ref('network.archive.noArchive'));
  const archive = new URL(url);
  if (archive.origin === new URL(base).origin)
    return refCheck({ id: ID, title: TITLE, state: 'ok' }, ref('network.archive.same', { host: archive.host }));
  const report = await probe(url);
  const failed = report.steps.find((s) => s.state === 'failed');
  const warned = report.steps.find((s) => s.state === 'warning');
  const common = {
    id: ID,
    title: TITLE,
    state: report.state,
    details: Object.fromEntries(report.steps.map((s) => [STEP_TITLES[s.id], `${s.state}: ${s.summary}`])),
  };
  // The step's own summary stays in English inside (a parameter); its fix is the step's reference.
  const summary = failed
    ? ref('network.archive.unreachable', { host: archive.host, reason: failed.summary })
    : ref('network.archive.reachable', { host: archive.host, warning: warned?.summary ?? '' });
  const step = failed ?? warned;
  if (step?.refs?.fix) return refCheck(common, summary, step.refs.fix);
  return { ...refCheck(common, summary), ...(step?.fix ? { fix: step.fix } : {}) };
}
