/**
 * The GLPI Network address the instance calls (docs/glpi-instance-layout.md §4.4) against this
 * profile's services URL: when they differ, the catalogue and registration Marketdesk checks are not
 * the ones GLPI sees.
 */
import * as nodePath from 'node:path';
import { ref } from '../../../../shared/messages/ref';
import { refCheck, type Check } from '../check';
import {
  DEFAULT_NETWORK_SERVICES,
  networkApiDiffers,
  networkApiOverride,
  servicesApiUrl,
} from '../../glpi-instance-services';
import { ID, T } from './common';
import type { Ctx } from './identity';

export function networkCheck(ctx: Ctx, servicesUrl: string): Check {
  const { info } = ctx;
  const api = info.networkApiUrl;
  const profileApi = servicesApiUrl(servicesUrl);
  const source = api.overridden ? api.source : '';
  const details: Record<string, string> = {
    'instance calls': api.value ?? 'unknown without running PHP',
    'set by': api.overridden ? api.source : "GLPI's default",
    'this profile calls': profileApi,
  };
  const base = { id: ID.network, title: T.network, details };
  if (api.value === null) return refCheck({ ...base, state: 'skipped' }, ref('instance.network.unknown', { source }));
  if (!networkApiDiffers(info, profileApi))
    return refCheck({ ...base, state: 'ok' }, ref('instance.network.ok', { api: api.value, source }));
  const summary = ref('instance.network.differs', { api: api.value, profile: profileApi, source });
  const override = networkApiOverride(info);
  const services = servicesUrl.replace(/\/+$/, '');
  if (!override)
    return refCheck(
      { ...base, state: 'warning' },
      summary,
      ref('instance.network.fix.default', {
        default: DEFAULT_NETWORK_SERVICES,
        services,
        file: nodePath.join(ctx.root, 'config', 'local_define.php'),
      }),
    );
  return refCheck(
    { ...base, state: 'warning' },
    summary,
    ref('instance.network.fix.override', {
      // The services URL behind the instance's API base, when it is one ('…/api').
      services: /\/api\/*$/.test(api.value) ? api.value.replace(/\/api\/*$/, '') : '',
      api: api.value,
      constant: override.name,
      file: nodePath.resolve(ctx.root, override.file),
      expected: override.name === 'GLPI_NETWORK_API_URL' ? profileApi : services,
    }),
  );
}
