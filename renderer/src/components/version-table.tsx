import { useId } from 'react';
import type { CatalogPlugin, PluginVersion } from '../../../shared/catalog';
import { fitsAny } from '../../../shared/compatibility';
import { normalizeGlpiVersion } from '../../../shared/glpi-version';
import { versionCompare } from '../../../shared/php-version';
import { t } from '../i18n/t';

interface VersionTableProps {
  plugin: CatalogPlugin;
  glpiVersion: string;
  includePrereleases: boolean;
  /** The version GLPI would install (shared/entitlements latestVersion), marked "Latest". */
  latest: PluginVersion | null;
}

/**
 * Every version GLPI Network lists, newest first (PHP version_compare order, like GLPI), with its
 * compatibility strings and whether one of them fits the target GLPI version. Pre-releases are
 * hidden unless the admin shows them, and the table says how many are hidden.
 */
export function VersionTable({ plugin, glpiVersion, includePrereleases, latest }: VersionTableProps) {
  const captionId = useId();
  const glpi = normalizeGlpiVersion(glpiVersion);
  const all = [...plugin.versions].sort((a, b) => versionCompare(b.num, a.num));
  const shown = includePrereleases ? all : all.filter((v) => v.stability === 'stable');
  const hidden = all.length - shown.length;
  return (
    <>
      {shown.length > 0 ? (
        <div className="table-scroll">
          <table className="data-table version-table" aria-labelledby={captionId} data-testid="version-table">
            <caption id={captionId} className="visually-hidden">
              {t('details.versions.caption', { name: plugin.name, version: glpi })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('details.col.version')}</th>
                <th scope="col">{t('details.col.stability')}</th>
                <th scope="col">{t('details.col.compat')}</th>
                <th scope="col">{t('details.col.fits', { version: glpi })}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((v, i) => {
                const fits = fitsAny(v.compatibility, glpiVersion);
                const isLatest = latest !== null && latest.num === v.num;
                return (
                  <tr
                    key={`${v.num}-${i}`}
                    data-testid="version-row"
                    data-version={v.num}
                    data-fits={fits}
                    data-latest={isLatest}
                    className={isLatest ? 'version-table__latest' : undefined}
                  >
                    <th scope="row">
                      <code>{v.num}</code>
                      {isLatest && <span className="marker marker--latest">{t('details.latest')}</span>}
                    </th>
                    <td>{v.stability}</td>
                    <td>{v.compatibility.length > 0 ? v.compatibility.join(', ') : '—'}</td>
                    <td className={fits ? 'fits fits--yes' : 'fits fits--no'}>
                      <span aria-hidden="true">{fits ? '✓ ' : '✗ '}</span>
                      {fits ? t('details.fits.yes') : t('details.fits.no')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        all.length === 0 && <p>{t('details.noVersions')}</p>
      )}
      {hidden > 0 && (
        <p className="help" data-testid="prereleases-hidden">
          {t('details.prereleasesHidden', { count: hidden })}
        </p>
      )}
    </>
  );
}
