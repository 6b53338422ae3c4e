/** After the probe: one marketplace page, through the app's client, and from it where archives come from. */
import { AppError } from '../../../../shared/errors';
import { ref } from '../../../../shared/messages/ref';
import type { GlpiNetworkClient } from '../../glpi-network-client';
import { refCheck, skipped, type Check } from '../check';

export interface MarketplaceCheckDeps {
  client: Pick<GlpiNetworkClient, 'request'>;
  /** The instance uid GLPI Network expects with the key. */
  uid: () => string;
}

const ID = 'network.marketplace';
const TITLE = 'Marketplace page';

export async function marketplaceCheck(
  deps: MarketplaceCheckDeps,
  base: string,
  secret: string | null,
): Promise<{ check: Check; archiveUrl: string | null }> {
  if (!secret)
    return {
      check: skipped(ID, TITLE, ref('network.marketplace.noKey')),
      archiveUrl: null,
    };
  try {
    const answer = await deps.client.request('/api/marketplace/plugins', {
      Accept: 'application/json',
      'X-Registration-Key': secret,
      'X-Glpi-Network-Uid': deps.uid(),
      'X-Range': '0-19',
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = undefined;
    }
    if ((answer.status === 200 || answer.status === 206) && Array.isArray(parsed))
      return {
        check: refCheck({ id: ID, title: TITLE, state: 'ok' }, ref('network.marketplace.ok', { base })),
        archiveUrl: firstDownloadUrl(parsed),
      };
    const check = refCheck(
      { id: ID, title: TITLE, state: 'failed' },
      ref('network.marketplace.status', {
        base,
        status: String(answer.status),
        list: Array.isArray(parsed) ? 'yes' : '',
      }),
      ref(
        answer.status === 401 || answer.status === 403
          ? 'network.marketplace.fix.refused'
          : 'network.marketplace.fix.intercepted',
      ),
    );
    return { check, archiveUrl: null };
  } catch (err) {
    return { check: requestFailed(err), archiveUrl: null };
  }
}

/** The client's error as the check, with its references when it has them. */
function requestFailed(err: unknown): Check {
  const e = err as { message?: string; fix?: string };
  const check: Check = {
    id: ID,
    title: TITLE,
    state: 'failed',
    summary: e.message ?? String(err),
    ...(e.fix ? { fix: e.fix } : {}),
  };
  if (!(err instanceof AppError) || !err.ref) return check;
  return { ...check, refs: { summary: err.ref, ...(err.fixRef ? { fix: err.fixRef } : {}) } };
}

/** The download address of the first version of the first plugin of a marketplace page, if any. */
function firstDownloadUrl(page: unknown[]): string | null {
  for (const plugin of page) {
    const versions = (plugin as { versions?: unknown }).versions;
    if (!Array.isArray(versions)) continue;
    for (const v of versions) {
      const url = (v as { download_url?: unknown }).download_url;
      if (typeof url === 'string' && /^https?:\/\//.test(url)) return url;
    }
  }
  return null;
}
