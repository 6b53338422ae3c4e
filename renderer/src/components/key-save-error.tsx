import { t } from '../i18n/t';
import type { KeySaveError } from '../store/key-slice';
import { DiagnoseLink, doctorCheckForSaveError } from './doctor-link';
import { FailureDetails, KeyDetails } from './key-details';

interface KeySaveErrorProps {
  saveError: KeySaveError;
  id: string;
  busy: boolean;
  now: Date;
  onSaveAnyway: () => void;
  onSessionOnly: () => void;
}

/** Codes where GLPI Network answered (or could not) and the admin may still keep the key. */
const FORCEABLE = new Set(['KEY_INVALID', 'KEY_UNVERIFIED']);

/** Why the key was not saved, what GLPI Network said, and the ways forward. */
export function KeySaveErrorPanel({ saveError, id, busy, now, onSaveAnyway, onSessionOnly }: KeySaveErrorProps) {
  const { error, result } = saveError;
  const lead =
    error.code === 'KEY_INVALID'
      ? t('key.error.invalid')
      : error.code === 'KEY_UNVERIFIED'
        ? t('key.error.unverified')
        : null;
  const canForce = FORCEABLE.has(error.code) && !saveError.options.force;
  const canUseSession = error.code === 'KEYCHAIN_UNAVAILABLE' && saveError.options.storage !== 'session';
  const diagnose = doctorCheckForSaveError(saveError);
  return (
    <div className="notice notice--error" role="alert" id={id} data-testid="key-save-error" data-code={error.code}>
      <h3 className="notice__title">{t('key.error.title')}</h3>
      {lead && <p>{lead}</p>}
      {error.message !== result?.message && <p>{error.message}</p>}
      {error.fix && error.fix !== result?.failure?.fix && <p>{t('key.error.fix', { fix: error.fix })}</p>}
      {result && (
        <div className="notice__result">
          <h4>{t('key.error.result')}</h4>
          <KeyDetails answer={result} now={now} />
          {result.failure && <FailureDetails failure={result.failure} />}
        </div>
      )}
      {diagnose && <DiagnoseLink check={diagnose} />}
      {canForce && <Choice panelId={id} kind="force" busy={busy} onChoose={onSaveAnyway} />}
      {canUseSession && <Choice panelId={id} kind="session" busy={busy} onChoose={onSessionOnly} />}
    </div>
  );
}

/** The label and the help of each way forward. */
const CHOICES = {
  force: { label: 'key.error.saveAnyway', help: 'key.error.saveAnywayHelp' },
  session: { label: 'key.error.sessionOnly', help: 'key.error.sessionOnlyHelp' },
} as const;

interface ChoiceProps {
  /** The error panel's id; the help paragraph, which describes the button, is `${panelId}-${kind}`. */
  panelId: string;
  kind: keyof typeof CHOICES;
  busy: boolean;
  onChoose: () => void;
}

/** A way forward: its button and, below it, what it does. */
function Choice({ panelId, kind, busy, onChoose }: ChoiceProps) {
  const id = `${panelId}-${kind}`;
  return (
    <div className="notice__choice">
      <button type="button" className="button" onClick={onChoose} disabled={busy} aria-describedby={id}>
        {t(CHOICES[kind].label)}
      </button>
      <p id={id} className="help">
        {t(CHOICES[kind].help)}
      </p>
    </div>
  );
}
