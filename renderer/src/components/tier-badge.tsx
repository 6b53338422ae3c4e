import type { Offer } from '../../../shared/model';
import { t } from '../i18n/t';
import { tierName } from '../store/catalog-view';
import { tierClass, tierRef } from '../../../shared/offer-tier';

/** The offer a plugin needs ("Free" when none), in words; the colour only repeats it. */
export function TierBadge({ offer }: { offer: Offer | null }) {
  return (
    <span className={`tier-badge ${tierClass(offer)}`} data-testid="tier-badge" data-tier={tierRef(offer)}>
      <span className="visually-hidden">{t('catalog.tier.label')} </span>
      {tierName(offer)}
    </span>
  );
}
