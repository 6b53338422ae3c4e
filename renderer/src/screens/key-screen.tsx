/**
 * The Registration key screen.
 *
 * Stable hooks for e2e tests (keep them when restyling):
 * - `data-testid="key-status"` — the status panel; `data-state` is one of
 *   `loading | error | checking | none | valid | invalid | terminated | unreachable`
 *   (`checking` while a save or Sync runs or the core reports `checking: true`).
 * - `data-testid="key-badge"` (in the header, same `data-state` values) — the short state text.
 * - `data-testid="masked-key"` — the stored key as the core masks it (`abcd…wxyz`).
 * - `data-testid="key-storage"` — `data-storage="keychain|session"`.
 * - `data-testid="key-save-error"` — why a save failed; `data-code` is the ErrorCode.
 * - `data-testid="key-failure"` — why GLPI Network could not be reached; `data-cause` is the NetworkCause.
 * - `data-testid="key-owner" | "key-subscription" | "key-offer" | "key-period" | "key-days-left"
 *   (data-soon="true" under 30 days) | "key-message" | "key-checked" | "key-next-check" | "key-unreachable-since"`.
 * - `data-testid="key-action-error"` — a failed Sync or Forget.
 * - `data-testid="doctor-diagnose"` — "Diagnose" (a link to `#doctor/<checkId>`) when the key is not
 *   valid or a save failed; `data-check` is the doctor check it opens.
 * - `data-testid="live-status"` (app frame) — the polite live region announcing state changes.
 *
 * Accessible names: field label "Registration key"; buttons "Save", "Cancel", "Sync", "Replace key",
 * "Forget", "Save anyway", "Keep for this session only"; confirm dialog (role alertdialog)
 * "Forget the stored key?" with buttons "Forget the key" and "Keep the key".
 */
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../components/confirm-dialog';
import { DiagnoseLink, doctorCheckForError } from '../components/doctor-link';
import { KeyForm } from '../components/key-form';
import { KeyStatusPanel } from '../components/key-status-panel';
import { StoredKey } from '../components/stored-key';
import { useNow } from '../components/use-now';
import { t } from '../i18n/t';
import { keyDisplayState } from '../store/key-view';
import { useAppStore, useAppStoreShallow } from '../store/store-context';
import './key-screen.css';

/** Where focus goes after an action removed the control that had it. */
type FocusTarget = 'status' | 'field' | 'replace' | null;

export function KeyScreen() {
  const { status, load, pending, actionError } = useAppStoreShallow((s) => ({
    status: s.key.status,
    load: s.key.load,
    pending: s.key.pending,
    actionError: s.key.actionError,
  }));
  const hydrate = useAppStore((s) => s.key.hydrate);
  const sync = useAppStore((s) => s.key.sync);
  const forget = useAppStore((s) => s.key.forget);
  const clearSaveError = useAppStore((s) => s.key.clearSaveError);
  const now = useNow();

  const [replacing, setReplacing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [focus, setFocus] = useState<{ target: FocusTarget; n: number }>({ target: null, n: 0 });
  const focusTarget = focus.target;
  const setFocusTarget = (target: FocusTarget) => setFocus((f) => ({ target, n: f.n + 1 }));
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (focus.target === 'status') headingRef.current?.focus();
  }, [focus]);

  const state = keyDisplayState(status, load, pending);
  const hasKey = Boolean(status?.maskedKey) && status?.state !== 'none';
  const busy = pending !== null || state === 'checking';
  const actionCheck = actionError ? doctorCheckForError(actionError) : null;

  async function confirmForget() {
    const forgotten = await forget();
    setConfirming(false);
    setReplacing(false);
    if (forgotten) setFocusTarget('field');
  }

  return (
    <div className="key-screen">
      <h1 className="screen-title">{t('key.title')}</h1>

      <KeyStatusPanel
        state={state}
        status={status}
        load={load}
        now={now}
        headingRef={headingRef}
        onRetry={() => void hydrate()}
      />

      {status && (
        <section className="key-panel">
          {hasKey && !replacing ? (
            <StoredKey
              status={status}
              busy={busy}
              focusReplaceOnMount={focusTarget === 'replace'}
              onSync={() => void sync()}
              onReplace={() => {
                clearSaveError();
                setReplacing(true);
                setFocusTarget('field');
              }}
              onForget={() => setConfirming(true)}
            />
          ) : (
            <KeyForm
              replacing={hasKey}
              focusOnMount={focusTarget === 'field'}
              now={now}
              onCancel={() => {
                clearSaveError();
                setReplacing(false);
                setFocusTarget('replace');
              }}
              onSaved={() => {
                setReplacing(false);
                setFocusTarget('status');
              }}
            />
          )}

          {actionError && (
            <div
              className="notice notice--error"
              role="alert"
              data-testid="key-action-error"
              data-code={actionError.code}
            >
              <p>{t('key.action.failed', { message: actionError.message })}</p>
              {actionError.fix && <p>{t('key.error.fix', { fix: actionError.fix })}</p>}
              {actionCheck && <DiagnoseLink check={actionCheck} />}
            </div>
          )}
        </section>
      )}

      {confirming && (
        <ConfirmDialog
          title={t('forget.title')}
          text={t('forget.text')}
          confirmLabel={t('forget.confirm')}
          cancelLabel={t('forget.cancel')}
          busy={pending === 'forget'}
          onConfirm={() => void confirmForget()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
