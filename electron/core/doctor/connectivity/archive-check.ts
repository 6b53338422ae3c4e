/**
 * After the probe: the host archives come from (often another one, e.g. GitHub releases, which the
 * firewall and the proxy must allow too), probed the same way when it is not GLPI Network itself.
 */
import { skipped, type Check } from '../check';
import { STEP_TITLES, type ConnectivityReport } from './types';

const ID = 'network.archive';
const TITLE = 'Archive host';

export async function archiveCheck(
  probe: (url: string) => Promise<ConnectivityReport>,
  base: string,
  url: string | null,
): Promise<Check> {
  if (!url) return skipped(ID, TITLE, 'The marketplace page named no archive, so its host could not be checked.');
  const archive = new URL(url);
  if (archive.origin === new URL(base).origin)
    return {
      id: ID,
      title: TITLE,
      state: 'ok',
      summary: `Archives come from GLPI Network itself (${archive.host}): checked above.`,
    };
  const report = await probe(url);
  const failed = report.steps.find((s) => s.state === 'failed');
  const warned = report.steps.find((s) => s.state === 'warning');
  return {
    id: ID,
    title: TITLE,
    state: report.state,
    summary: failed
      ? `Archives come from ${archive.host}, which cannot be reached: ${failed.summary}`
      : `Archives come from ${archive.host}, reachable${warned ? ` (${warned.summary})` : ''}.`,
    details: Object.fromEntries(report.steps.map((s) => [STEP_TITLES[s.id], `${s.state}: ${s.summary}`])),
    ...(failed?.fix ? { fix: failed.fix } : warned?.fix ? { fix: warned.fix } : {}),
  };
}
