/**
 * The settings a compromised page could abuse (where the key goes, which roots are trusted): the
 * shell changes them after asking the admin in its own dialogs (`adminDialogs`: the desktop app).
 * Without them (browser shell) the fields are read-only and say which command makes the change.
 */
import { useEffect, useId, useRef } from 'react';
import type { ProfileSettings } from '../../../shared/model';
import { t } from '../i18n/t';
import type { TrustOutcome } from '../store/settings-slice';
import { useAppStore, useAppStoreApi, useAppStoreShallow } from '../store/store-context';
import { Field, FieldError, sameFields, useDraft } from './settings-fields';
import { Spinner } from './spinner';
import { TitledSection } from './titled-section';

/** What the last change did, for the polite status line. */
function outcomeText(outcome: TrustOutcome, done: (action: 'add' | 'remove' | 'set' | 'reset') => string): string {
  if (outcome.status === 'waiting') return t('settings.waiting');
  if (outcome.status === 'done') return outcome.changed ? done(outcome.action) : t('settings.unchanged');
  return '';
}

/** The extra CA files with their certificates' subjects or problems; add and remove through the shell. */
export function CaFilesSection({ adminDialogs }: { adminDialogs: boolean }) {
  const { caFiles, caLoad, caChange } = useAppStoreShallow((s) => ({
    caFiles: s.settings.caFiles,
    caLoad: s.settings.caLoad,
    caChange: s.settings.caChange,
  }));
  const loadCaFiles = useAppStore((s) => s.settings.loadCaFiles);
  const addCaFile = useAppStore((s) => s.settings.addCaFile);
  const removeCaFile = useAppStore((s) => s.settings.removeCaFile);
  const addRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const waiting = caChange.status === 'waiting';

  useEffect(() => {
    void loadCaFiles();
  }, [loadCaFiles]);

  async function remove(file: string) {
    if (waiting) return;
    // The row goes away with the file: the focus goes to "Add a certificate file…".
    if (await removeCaFile(file)) addRef.current?.focus();
  }

  const status = outcomeText(caChange, (action) =>
    action === 'add' ? t('settings.ca.added') : t('settings.ca.removed'),
  );
  return (
    <TitledSection block="network-ca" level={3} title={t('settings.ca.title')} testId="settings-ca">
      <p className="help">{t('settings.ca.intro')}</p>
      {caFiles === null ? (
        caLoad.status === 'error' ? (
          <p className="notice notice--error">{t('settings.ca.loadFailed', { message: caLoad.error.message })}</p>
        ) : (
          <p>
            <Spinner small /> {t('settings.ca.loading')}
          </p>
        )
      ) : caFiles.length === 0 ? (
        <p data-testid="settings-ca-none">{t('settings.ca.none')}</p>
      ) : (
        <ul className="settings-ca__files">
          {caFiles.map((f) => (
            <li key={f.file} className="settings-ca__file" data-testid="settings-ca-file">
              <div className="settings-ca__row">
                <code>{f.file}</code>
                {adminDialogs && (
                  <button
                    type="button"
                    className="button"
                    aria-label={t('settings.ca.removeLabel', { file: f.file })}
                    aria-disabled={waiting || undefined}
                    onClick={() => void remove(f.file)}
                  >
                    {t('settings.ca.remove')}
                  </button>
                )}
              </div>
              {f.problem ? (
                <p className="settings-ca__problem">{t('settings.ca.problem', { problem: f.problem })}</p>
              ) : (
                <ul className="settings-ca__subjects">
                  {f.subjects.map((subject, i) => (
                    <li key={i}>{subject}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      {adminDialogs ? (
        <>
          <div className="actions">
            <button
              ref={addRef}
              type="button"
              className="button"
              aria-disabled={waiting || undefined}
              aria-describedby={`${id}-help${caChange.status === 'error' ? ` ${id}-error` : ''}`}
              onClick={() => void (waiting ? undefined : addCaFile())}
            >
              {t('settings.ca.add')}
            </button>
          </div>
          <p id={`${id}-help`} className="help">
            {t('settings.ca.addHelp')}
          </p>
        </>
      ) : (
        <p className="help settings-hint" data-testid="settings-ca-cli">
          {t('settings.ca.cli')}
        </p>
      )}
      {caChange.status === 'error' && (
        <FieldError
          id={`${id}-error`}
          error={caChange.error}
          summary={t('settings.ca.failed', { message: caChange.error.message })}
          testId="settings-ca-error"
        />
      )}
      <p role="status" className="settings-form__status" data-testid="settings-ca-status">
        {status}
      </p>
    </TitledSection>
  );
}

/** Where GLPI Network is (the key is sent there), where that comes from, and (desktop app) a change. */
export function ServicesUrlSection({ settings, adminDialogs }: { settings: ProfileSettings; adminDialogs: boolean }) {
  const change = useAppStore((s) => s.settings.servicesChange);
  const setServicesUrl = useAppStore((s) => s.settings.setServicesUrl);
  const clearServicesChange = useAppStore((s) => s.settings.clearServicesChange);
  const store = useAppStoreApi();
  const { draft, edit, reset } = useDraft({ url: settings.servicesUrl }, sameFields);
  const id = useId();
  const source = settings.servicesUrlSource;
  const editable = adminDialogs && source !== 'env';
  const waiting = change.status === 'waiting';

  async function apply(url: string | null) {
    if (waiting) return;
    if (await setServicesUrl(url)) {
      const kept = store.getState().ui.settings;
      if (kept) reset({ url: kept.servicesUrl });
    }
  }

  const help = !adminDialogs
    ? t('settings.services.cli')
    : source === 'env'
      ? t('settings.services.source.env')
      : t('settings.services.help');
  const status = outcomeText(change, () => t('settings.services.changed'));
  return (
    <TitledSection
      block="settings-section"
      className="box"
      title={t('settings.services.title')}
      testId="settings-services"
    >
      <p className="help">{t('settings.services.intro')}</p>
      <form
        className="settings-form"
        noValidate
        aria-busy={waiting}
        onSubmit={(e) => {
          e.preventDefault();
          if (editable) void apply(draft.url.trim());
        }}
      >
        <Field
          id={id}
          label={t('settings.services.label')}
          help={help}
          error={editable && change.status === 'error' ? change.error : null}
          errorSummary={
            change.status === 'error' ? t('settings.services.failed', { message: change.error.message }) : undefined
          }
        >
          {(describedBy, invalid) => (
            <input
              id={id}
              className="field"
              type="text"
              inputMode="url"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              readOnly={!editable}
              value={editable ? draft.url : settings.servicesUrl}
              aria-invalid={invalid || undefined}
              aria-describedby={`${describedBy} ${id}-source`}
              onChange={(e) => {
                edit({ url: e.target.value });
                clearServicesChange();
              }}
            />
          )}
        </Field>
        <p id={`${id}-source`} className="help" data-testid="settings-services-source" data-source={source}>
          {/* The desktop app's help already says where an address from the environment comes from. */}
          {help === t('settings.services.source.env') ? '' : t(`settings.services.source.${source}`)}
        </p>
        {editable && (
          <div className="actions">
            <button type="submit" className="button button--primary" aria-disabled={waiting || undefined}>
              {t('settings.services.change')}
            </button>
            {source === 'setting' && (
              <button
                type="button"
                className="button"
                aria-disabled={waiting || undefined}
                onClick={() => void apply(null)}
              >
                {t('settings.services.reset')}
              </button>
            )}
          </div>
        )}
        <p role="status" className="settings-form__status" data-testid="settings-services-status">
          {status}
        </p>
      </form>
    </TitledSection>
  );
}
