/** After the probe: one marketplace page, through the app's client, and from it where archives come from. */
import type { GlpiNetworkClient } from '../../glpi-network-client';
import { skipped, type Check } from '../check';

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
      check: skipped(ID, TITLE, 'No registration key is stored: GLPI Network lists plugins to registered instances.'),
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
        check: {
          id: ID,
          title: TITLE,
          state: 'ok',
          summary: `${base}/api/marketplace/plugins answered a page of the catalogue.`,
        },
        archiveUrl: firstDownloadUrl(parsed),
      };
    const check: Check = {
      id: ID,
      title: TITLE,
      state: 'failed',
      summary: `${base}/api/marketplace/plugins answered HTTP ${answer.status}${Array.isArray(parsed) ? '' : ' without a plugin list'}.`,
      fix:
        answer.status === 401 || answer.status === 403
          ? 'GLPI Network refuses the catalogue to this key: check the key and its subscription (Sync on the key screen).'
          : 'Something between this machine and GLPI Network (a proxy or a filtering gateway) answers instead of it. Allow the services host in the proxy or firewall.',
    };
    return { check, archiveUrl: null };
  } catch (err) {
    const e = err as { message?: string; fix?: string };
    return {
      check: {
        id: ID,
        title: TITLE,
        state: 'failed',
        summary: e.message ?? String(err),
        ...(e.fix ? { fix: e.fix } : {}),
      },
      archiveUrl: null,
    };
  }
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
