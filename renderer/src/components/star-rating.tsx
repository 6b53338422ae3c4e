import { t } from '../i18n/t';
import { formatRating } from '../store/catalog-view';

/** Stars for the eye, the average in words for everyone else. 0 means nobody rated the plugin. */
export function StarRating({ note }: { note: number }) {
  if (!(note > 0)) return <span className="stars stars--none">{t('catalog.row.noRating')}</span>;
  const full = Math.max(0, Math.min(5, Math.round(note)));
  return (
    <span className="stars">
      <span className="stars__glyphs" aria-hidden="true">
        {'★'.repeat(full)}
        <span className="stars__empty">{'☆'.repeat(5 - full)}</span>
      </span>
      <span className="visually-hidden">{t('catalog.row.rating', { rating: formatRating(note) })}</span>
    </span>
  );
}
