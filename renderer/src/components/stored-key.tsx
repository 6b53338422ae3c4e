import { useEffect, useId, useRef, type RefObject } from 'react';
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

interface KeyAction {
  label: string;
  className: string;
  onClick: () => void;
  ref?: RefObject<HTMLButtonElement | null>;
}

/** The stored key, only ever in its masked form, and what can be done with it. */
export function StoredKey({ status, busy, focusReplaceOnMount, onSync, onReplace, onForget }: StoredKeyProps) {
  const busyId = useId();
  const replaceRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusReplaceOnMount) replaceRef.current?.focus();
  }, [focusReplaceOnMount]);
  // The three wait alike while busy, described by the reason.
  const actions: KeyAction[] = [
    { label: t('key.sync'), className: 'button button--primary', onClick: onSync },
    { label: t('key.replace'), className: 'button', onClick: onReplace, ref: replaceRef },
    { label: t('key.forget'), className: 'button button--danger', onClick: onForget },
  ];
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
        {actions.map((action) => (
          <button
            key={action.label}
            ref={action.ref}
            type="button"
            className={action.className}
            onClick={action.onClick}
            disabled={busy}
            aria-describedby={busy ? busyId : undefined}
          >
            {action.label}
          </button>
        ))}
      </div>
      {busy && (
        <p id={busyId} className="help" data-testid="key-busy-reason">
          {t('key.busy')}
        </p>
      )}
    </div>
  );
}
