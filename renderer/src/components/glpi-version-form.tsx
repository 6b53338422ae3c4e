import { useEffect, useId, useRef, useState } from 'react';
import { normalizeGlpiVersion } from '../../../shared/glpi-version';
import { t } from '../i18n/t';
import { useAppStore, useAppStoreShallow } from '../store/store-context';
import { FieldLabel } from './settings-fields';

/**
 * "For GLPI 10.0.18", and a small form to change the target version (settings.update); the core
 * then fetches the list for that version.
 */
export function GlpiVersionForm() {
  const { target, listVersion, pending, error } = useAppStoreShallow((s) => ({
    target: s.ui.settings?.glpiVersion ?? null,
    listVersion: s.catalog.status?.glpiVersion ?? null,
    pending: s.catalog.versionPending,
    error: s.catalog.versionError,
  }));
  const setGlpiVersion = useAppStore((s) => s.catalog.setGlpiVersion);
  const clearVersionError = useAppStore((s) => s.catalog.clearVersionError);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [focusChange, setFocusChange] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);
  const fieldId = useId();
  const helpId = useId();
  const errorId = useId();

  useEffect(() => {
    if (editing) inputRef.current?.focus();
  }, [editing]);
  useEffect(() => {
    if (focusChange > 0) changeRef.current?.focus();
  }, [focusChange]);

  if (target === null) return null;
  const stale = listVersion !== null && normalizeGlpiVersion(listVersion) !== normalizeGlpiVersion(target);

  function close() {
    clearVersionError();
    setEditing(false);
    setFocusChange((n) => n + 1);
  }

  return (
    <div className="glpi-version">
      <p className="glpi-version__current">
        <strong data-testid="catalog-glpi-version">{t('catalog.glpi.for', { version: target })}</strong>{' '}
        {!editing && (
          <button
            ref={changeRef}
            type="button"
            className="link-button"
            onClick={() => {
              setValue(target);
              setEditing(true);
            }}
          >
            {t('catalog.glpi.change')}
          </button>
        )}
      </p>
      {stale && listVersion && (
        <p className="help" data-testid="catalog-glpi-stale">
          {t('catalog.glpi.listFor', { version: listVersion, target })}
        </p>
      )}
      {editing && (
        <form
          className="glpi-version__form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void setGlpiVersion(value).then((ok) => {
              if (ok) close();
            });
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close();
            }
          }}
        >
          <FieldLabel id={fieldId} label={t('catalog.glpi.label')} help={t('catalog.glpi.help')} helpId={helpId} />
          <div className="glpi-version__row">
            <input
              ref={inputRef}
              id={fieldId}
              className="field glpi-version__field"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              value={value}
              readOnly={pending}
              aria-invalid={error !== null}
              aria-describedby={error ? `${helpId} ${errorId}` : helpId}
              onChange={(e) => {
                setValue(e.target.value);
                clearVersionError();
              }}
            />
            <button type="submit" className="button button--primary" disabled={pending}>
              {t('catalog.glpi.apply')}
            </button>
            <button type="button" className="button" onClick={close} disabled={pending}>
              {t('catalog.glpi.cancel')}
            </button>
          </div>
          {error && (
            <p id={errorId} className="notice notice--error" role="alert" data-testid="catalog-version-error">
              {t('catalog.glpi.failed', { message: error.message })}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
