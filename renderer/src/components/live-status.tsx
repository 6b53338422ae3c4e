import { useState } from 'react';
import { t } from '../i18n/t';
import { useKeyBadgeLabel } from './key-badge';

/**
 * Says key-state changes out loud (screen readers), whoever caused them: the user, the schedule,
 * or another window. The first state is not announced: the badge shows it.
 */
export function LiveStatus() {
  const { label } = useKeyBadgeLabel();
  const [previous, setPrevious] = useState(label);
  const [message, setMessage] = useState('');
  if (previous !== label) {
    setPrevious(label);
    setMessage(t('announce.state', { state: label }));
  }
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-status">
      {message}
    </div>
  );
}
