import { useState } from 'react';
import { httpsUrl, initials, initialsHue } from '../store/catalog-view';

const PALETTE_SIZE = 8;

/**
 * The plugin's logo (https only, loaded lazily, never sending a referrer), or its initials on a
 * tile when there is none or it fails to load. Decorative: the name is always next to it.
 */
export function PluginLogo({
  name,
  pluginKey,
  url,
  large = false,
}: {
  name: string;
  pluginKey: string;
  url: string | null;
  large?: boolean;
}) {
  const src = httpsUrl(url);
  const [failed, setFailed] = useState<string | null>(null);
  const size = large ? 64 : 40;
  const className = large ? 'plugin-logo plugin-logo--large' : 'plugin-logo';
  if (src && failed !== src) {
    return (
      <img
        className={className}
        src={src}
        alt=""
        width={size}
        height={size}
        loading="lazy"
        decoding="async"
        referrerPolicy="no-referrer"
        draggable={false}
        onError={() => setFailed(src)}
      />
    );
  }
  const tone = Math.floor(initialsHue(pluginKey) / (360 / PALETTE_SIZE)) % PALETTE_SIZE;
  return (
    <span className={`${className} plugin-logo--initials plugin-logo--tone${tone}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
