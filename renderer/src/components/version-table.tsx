import { useId } from 'react';
import type { CatalogListItem, PluginVersion } from '../../../shared/catalog';
import { fitsAny, parseCompatibility } from '../../../shared/compatibility';
import { normalizeGlpiVersion } from '../../../shared/glpi-version';
import { versionCompare } from '../../../shared/php-version';
import { t } from '../i18n/t';
import { isInstalledVersion, type CatalogInstall } from './catalog-install';
import { ColumnHeads } from './column-heads';

interface VersionTableProps {
  plugin: CatalogListItem;
  glpiVersion: string;
  includePrereleases: boolean;
  /** The version GLPI would install (shared/entitlements latestVersion), marked "Latest". */
  latest: PluginVersion | null;
  /** With an active GLPI instance: the installed version is marked and each version can be installed. */
  install?: CatalogInstall;
}

/** Why a version does not fit a GLPI version: the ranges its compatibility strings mean. */
function incompatibleReason(v: PluginVersion, glpiVersion: string): string {
  const ranges = v.compatibility.map((c) => {
    const parsed = parseCompatibility(c);
    return parsed.ok ? parsed.rule.text : parsed.error;
  });
  return t('details.version.incompatible', {
    version: normalizeGlpiVersion(glpiVersion),
    range: ranges.join(t('details.version.or')),
  });
}

/**
 * Every version GLPI Network lists, newest first (PHP version_compare order, like GLPI), with its
 * compatibility strings and whether one of them fits the target GLPI version. Pre-releases are
 * hidden unless the admin shows them, and the table says how many are hidden. With an active
 * instance, the installed version is marked and each version that fits the instance's GLPI has
 * "Install this version" (the others say which GLPI versions they need).
 */
export function VersionTable({ plugin, glpiVersion, includePrereleases, latest, install }: VersionTableProps) {
  const captionId = useId();
  const glpi = normalizeGlpiVersion(glpiVersion);
  const all = [...plugin.versions].sort((a, b) => versionCompare(b.num, a.num));
  const shown = includePrereleases ? all : all.filter((v) => v.stability === 'stable');
  const hidden = all.length - shown.length;
  const picker = install?.instance ? install : null;
  return (
    <>
      {shown.length > 0 ? (
        <div className="table-scroll">
          <table className="data-table version-table" aria-labelledby={captionId} data-testid="version-table">
            <caption id={captionId} className="visually-hidden">
              {t('details.versions.caption', { name: plugin.name, version: glpi })}
            </caption>
            <ColumnHeads
              labels={[
                t('details.col.version'),
                t('details.col.stability'),
                t('details.col.compat'),
                t('details.col.fits', { version: glpi }),
                ...(picker ? [t('details.col.install', { instance: picker.instance?.name ?? '' })] : []),
              ]}
            />
            <tbody>
              {shown.map((v, i) => {
                const fits = fitsAny(v.compatibility, glpiVersion);
                const isLatest = latest !== null && latest.num === v.num;
                const isInstalled = picker !== null && isInstalledVersion(v.num, picker.installed);
                return (
                  <tr
                    key={`${v.num}-${i}`}
                    data-testid="version-row"
                    data-version={v.num}
                    data-fits={fits}
                    data-latest={isLatest}
                    data-installed={isInstalled}
                    className={isLatest ? 'version-table__latest' : undefined}
                  >
                    <th scope="row">
                      <code>{v.num}</code>
                      {isLatest && <span className="marker marker--latest">{t('details.latest')}</span>}
                      {isInstalled && (
                        <span className="marker marker--installed" data-testid="version-installed">
                          {t('details.version.installed')}
                        </span>
                      )}
                    </th>
                    <td>{v.stability}</td>
                    <td>{v.compatibility.length > 0 ? v.compatibility.join(', ') : '—'}</td>
                    <td className={fits ? 'fits fits--yes' : 'fits fits--no'}>
                      <span aria-hidden="true">{fits ? '✓ ' : '✗ '}</span>
                      {fits ? t('details.fits.yes') : t('details.fits.no')}
                    </td>
                    {picker && (
                      <td>
                        {fitsAny(v.compatibility, picker.glpiVersion) ? (
                          <button
                            type="button"
                            className="button version-table__install"
                            disabled={picker.pickerBlocked !== null}
                            aria-describedby={picker.pickerBlocked !== null ? picker.pickerReasonId : undefined}
                            title={picker.pickerBlocked ?? undefined}
                            data-testid="version-install"
                            onClick={() => picker.request(v.num)}
                          >
                            {isInstalled ? t('details.version.reinstall') : t('details.version.install')}{' '}
                            <span className="visually-hidden">{v.num}</span>
                          </button>
                        ) : (
                          <span className="version-table__why" data-testid="version-incompatible">
                            {incompatibleReason(v, picker.glpiVersion)}
                          </span>
                        )}
                      </td>
                    )}
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
