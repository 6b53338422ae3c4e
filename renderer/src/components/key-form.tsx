import { useEffect, useId, useRef } from 'react';
import { t } from '../i18n/t';
import type { SaveOptions } from '../store/key-slice';
import { useAppStore, useAppStoreShallow } from '../store/store-context';
import { KeySaveErrorPanel } from './key-save-error';

interface KeyFormProps {
  /** A key is stored and this form replaces it: offer Cancel. */
  replacing: boolean;
  focusOnMount: boolean;
  now: Date;
  onCancel: () => void;
  onSaved: () => void;
}

/**
 * The key field. It is uncontrolled on purpose: React would otherwise mirror the typed key into the
 * `value` attribute of the DOM. The key lives only in the field until the save succeeds, then the
 * field is emptied.
 */
export function KeyForm({ replacing, focusOnMount, now, onCancel, onSaved }: KeyFormProps) {
  const { saveError, pending } = useAppStoreShallow((s) => ({ saveError: s.key.saveError, pending: s.key.pending }));
  const save = useAppStore((s) => s.key.save);
  const clearSaveError = useAppStore((s) => s.key.clearSaveError);
  const inputRef = useRef<HTMLInputElement>(null);
  const fieldId = useId();
  const helpId = useId();
  const errorId = useId();
  const busy = pending !== null;

  useEffect(() => {
    if (focusOnMount) inputRef.current?.focus();
  }, [focusOnMount]);

  async function submit(options: SaveOptions) {
    const input = inputRef.current;
    if (!input || busy) return;
    const saved = await save(input.value, options);
    if (saved) {
      input.value = '';
      onSaved();
    }
  }

  const describedBy = saveError ? `${helpId} ${errorId}` : helpId;
  return (
    <form
      className="key-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit({});
      }}
    >
      <label htmlFor={fieldId} className="field-label">
        {t('key.field.label')}
      </label>
      <p id={helpId} className="help">
        {t('key.field.help')}
      </p>
      <input
        ref={inputRef}
        id={fieldId}
        name="registration-key"
        className="field"
        type="password"
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        readOnly={busy}
        aria-invalid={saveError?.error.code === 'KEY_MALFORMED'}
        aria-describedby={describedBy}
        onInput={clearSaveError}
      />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('key.save')}
        </button>
        {replacing && (
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            {t('key.cancel')}
          </button>
        )}
      </div>
      {saveError && (
        <KeySaveErrorPanel
          saveError={saveError}
          id={errorId}
          busy={busy}
          now={now}
          onSaveAnyway={() => void submit({ ...saveError.options, force: true })}
          onSessionOnly={() => void submit({ ...saveError.options, storage: 'session' })}
        />
      )}
    </form>
  );
}
