import { useEffect, useId, useRef } from 'react';
import type { KeyStatus } from '../../../shared/model';
import { t } from '../i18n/t';

interface StoredKeyProps {
  status: KeyStatus;
  /** A check or an action is running: the buttons wait, and say why. */
  busy: boolean;
  focusReplaceOnMount: boolean;
  onSync: () => void;
  onReplace: () => void;
  onForget: () => void;
}

/** The stored key, only ever in its masked form, and what can be done with it. */
export function StoredKey({ status, busy, focusReplaceOnMount, onSync, onReplace, onForget }: StoredKeyProps) {
  const busyId = useId();
  const replaceRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusReplaceOnMount) replaceRef.current?.focus();
  }, [focusReplaceOnMount]);
  const describedBy = busy ? busyId : undefined;
  return (
    <div className="stored-key">
      <p className="stored-key__value">
        <span className="field-label">{t('key.stored.label')}</span>{' '}
        <code data-testid="masked-key">{status.maskedKey}</code>
      </p>
      <p className="help" data-testid="key-storage" data-storage={status.storage ?? ''}>
        {status.storage === 'session' ? t('key.stored.session') : t('key.stored.keychain')}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button button--primary"
          onClick={onSync}
          disabled={busy}
          aria-describedby={describedBy}
        >
          {t('key.sync')}
        </button>
        <button
          ref={replaceRef}
          type="button"
          className="button"
          onClick={onReplace}
          disabled={busy}
          aria-describedby={describedBy}
        >
          {t('key.replace')}
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={onForget}
          disabled={busy}
          aria-describedby={describedBy}
        >
          {t('key.forget')}
        </button>
      </div>
      {busy && (
        <p id={busyId} className="help" data-testid="key-busy-reason">
          {t('key.busy')}
        </p>
      )}
    </div>
  );
}
