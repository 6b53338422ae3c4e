import { useId } from 'react';
import { doctorStepFor } from '../../../shared/doctor';
import type { ErrorShape } from '../../../shared/errors';
import type { KeyStatus, NetworkFailure } from '../../../shared/model';
import { t } from '../i18n/t';
import type { KeySaveError } from '../store/key-slice';
import { useAppStore } from '../store/store-context';

/** The element id of a check in the doctor's report (`check-network.tcp`: dots kept, anything else odd → `-`). */
export function checkElementId(checkId: string): string {
  return `check-${checkId.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

/** The doctor check that explains a key status that is not valid, or null when there is nothing to diagnose. */
export function doctorCheckForKey(status: KeyStatus | null): string | null {
  if (!status) return null;
  if (status.failure && status.state !== 'none') return doctorStepFor(status.failure.cause);
  switch (status.state) {
    case 'invalid':
    case 'terminated':
      return 'key.verdict';
    case 'unreachable':
      return doctorStepFor(null);
    default:
      return null;
  }
}

/**
 * The doctor check that explains why a key was not saved: the network step that failed. None for a
 * key GLPI Network refused or a keychain that failed: the doctor checks only a stored key's text,
 * and does not probe the keychain, so it would have nothing to add (once saved anyway, the status
 * panel offers Diagnose).
 */
export function doctorCheckForSaveError(saveError: KeySaveError): string | null {
  if (saveError.result?.failure) return doctorStepFor(saveError.result.failure.cause);
  return doctorCheckForError(saveError.error);
}

/** The doctor check for an error that crossed the contract, when one explains it. */
export function doctorCheckForError(error: ErrorShape): string | null {
  return error.code === 'KEY_UNVERIFIED' ? doctorStepFor(null) : null;
}

/** The doctor check for a failure to reach GLPI Network (the catalogue's, the key's). */
export function doctorCheckForFailure(failure: Pick<NetworkFailure, 'cause'>): string {
  return doctorStepFor(failure.cause);
}

/**
 * "Diagnose": opens the doctor at `check` (`#doctor/<check>`), which runs the checks when no report
 * is loaded and moves focus to that check.
 */
export function DiagnoseLink({ check }: { check: string }) {
  const navigate = useAppStore((s) => s.ui.navigate);
  const helpId = useId();
  return (
    <p className="doctor-diagnose">
      <a
        href={`#doctor/${encodeURIComponent(check)}`}
        className="button doctor-diagnose__link"
        data-testid="doctor-diagnose"
        data-check={check}
        aria-describedby={helpId}
        onClick={(e) => {
          e.preventDefault();
          navigate('doctor', check);
        }}
      >
        {t('doctor.diagnose')}
      </a>{' '}
      <span id={helpId} className="help">
        {t('doctor.diagnose.help')}
      </span>
    </p>
  );
}
