import { useState, type ReactNode } from 'react';
import type { ErrorShape } from '../../../shared/errors';
import { t } from '../i18n/t';

/**
 * A form's copy of some settings. Settings pushed by the core (this save, another window) replace
 * it while it is unedited; an edited copy is kept, also when a save fails, so nothing typed is lost.
 */
export function useDraft<D>(current: D, same: (a: D, b: D) => boolean) {
  const [draft, setDraft] = useState<D>(current);
  const [dirty, setDirty] = useState(false);
  const [shown, setShown] = useState<D>(current);
  if (!same(shown, current)) {
    setShown(current);
    if (!dirty) setDraft(current);
  }
  return {
    draft,
    dirty,
    edit: (patch: Partial<D>) => {
      setDraft((d) => ({ ...d, ...patch }));
      setDirty(true);
    },
    /** After a save the core took: the form shows what the core kept. */
    reset: (next: D) => {
      setDraft(next);
      setShown(next);
      setDirty(false);
    },
  };
}

export function sameFields<D extends object>(a: D, b: D): boolean {
  return (Object.keys(a) as (keyof D)[]).every((k) => a[k] === b[k]);
}

/**
 * The message next to a field (or a section): the core's words ("Not saved: …", or `summary`), and
 * its fix when it gave one.
 */
export function FieldError({
  id,
  error,
  testId,
  summary,
}: {
  id: string;
  error: ErrorShape;
  testId?: string;
  summary?: string;
}) {
  return (
    <div className="notice notice--error settings-error" role="alert" id={id} data-testid={testId}>
      <p>{summary ?? t('settings.notSaved', { message: error.message })}</p>
      {error.fix && <p>{t('settings.fix', { fix: error.fix })}</p>}
    </div>
  );
}

/** A control's label, then its help, which the control names in aria-describedby (`${id}-help` unless given). */
export function FieldLabel({
  id,
  label,
  help,
  helpId = `${id}-help`,
}: {
  id: string;
  label: string;
  help: ReactNode;
  helpId?: string;
}) {
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <p id={helpId} className="help">
        {help}
      </p>
    </>
  );
}

interface FieldProps {
  id: string;
  label: string;
  help: string;
  /** This field's error, shown under it and read with it. */
  error?: ErrorShape | null;
  /** The error's first line, when not "Not saved: {message}". */
  errorSummary?: string;
  children: (describedBy: string, invalid: boolean) => ReactNode;
}

/** Label, help, the control (given its aria-describedby), then its error. */
export function Field({ id, label, help, error, errorSummary, children }: FieldProps) {
  const errorId = `${id}-error`;
  const describedBy = error ? `${id}-help ${errorId}` : `${id}-help`;
  return (
    <div className="settings-field">
      <FieldLabel id={id} label={label} help={help} />
      {children(describedBy, Boolean(error))}
      {error && <FieldError id={errorId} error={error} summary={errorSummary} testId="settings-field-error" />}
    </div>
  );
}

/** A checkbox with its label and help (never in error: it can only be on or off). */
export function CheckboxField({
  id,
  label,
  help,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  help?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="settings-field settings-field--checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={help ? `${id}-help` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
    </div>
  );
}
