import { useId, useRef, useState, type ReactNode, type Ref } from 'react';
import type { NetworkSettings, ProfileSettings, ProxyMode } from '../../../shared/model';
import { t } from '../i18n/t';
import type { PasswordOutcome } from '../store/doctor-slice';
import { useAppStore, useAppStoreApi, useAppStoreShallow } from '../store/store-context';
import { FieldLabel, sameFields, useDraft } from './settings-fields';
import { Spinner } from './spinner';
import { TitledSection } from './titled-section';
import { ErrorNotice } from './error-notice';

const MODES: ProxyMode[] = ['system', 'manual', 'pac', 'direct'];

interface Draft {
  proxyMode: ProxyMode;
  proxyUrl: string;
  proxyUser: string;
  bypass: string;
  pacUrl: string;
}

function draftOf(network: NetworkSettings): Draft {
  return {
    proxyMode: network.proxyMode,
    proxyUrl: network.proxyUrl,
    proxyUser: network.proxyUser,
    bypass: network.bypass.join('\n'),
    pacUrl: network.pacUrl,
  };
}

/** The bypass text as entries: one per line or comma-separated (the core checks each one). */
export function bypassEntries(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The proxy settings (settings.update { network }), the proxy password (write-only, in the keychain)
 * and the extra trusted roots: read-only by default (`marketdesk config ca --add FILE`), or the
 * `certificates` section the Settings screen gives.
 */
export function NetworkSettingsPanel({
  headingRef,
  certificates,
}: {
  headingRef?: Ref<HTMLHeadingElement>;
  certificates?: ReactNode;
}) {
  const settings = useAppStore((s) => s.ui.settings);
  const titleId = useId();
  return (
    <section className="network-settings box" aria-labelledby={titleId} data-testid="network-settings">
      <h2 id={titleId} ref={headingRef} tabIndex={-1} className="network-settings__title">
        {t('network.title')}
      </h2>
      <p className="help">{t('network.intro')}</p>
      {settings ? (
        <NetworkForm settings={settings} certificates={certificates} />
      ) : (
        <p>
          <Spinner small /> {t('network.loading')}
        </p>
      )}
    </section>
  );
}

function NetworkForm({ settings, certificates }: { settings: ProfileSettings; certificates: ReactNode }) {
  const { networkSave, password } = useAppStoreShallow((s) => ({
    networkSave: s.doctor.networkSave,
    password: s.doctor.password,
  }));
  const saveNetwork = useAppStore((s) => s.doctor.saveNetwork);
  const store = useAppStoreApi();
  const clearNetworkSave = useAppStore((s) => s.doctor.clearNetworkSave);
  const network = settings.network;
  // Settings pushed by the core (our save, its normalisation, another window) replace an unedited form.
  const { draft, edit: editDraft, reset } = useDraft(draftOf(network), sameFields);

  const id = useId();
  const errorId = `${id}-error`;
  const saving = networkSave.status === 'loading';
  const error = networkSave.status === 'error' ? networkSave.error : null;

  function edit(patch: Partial<Draft>) {
    editDraft(patch);
    clearNetworkSave();
  }

  async function submit() {
    const saved = await saveNetwork({
      proxyMode: draft.proxyMode,
      proxyUrl: draft.proxyUrl.trim(),
      proxyUser: draft.proxyUser.trim(),
      bypass: bypassEntries(draft.bypass),
      pacUrl: draft.pacUrl.trim(),
    });
    if (saved) {
      // What the core kept (it normalises the address), even though its event came while we waited.
      const kept = store.getState().ui.settings?.network;
      reset(kept ? draftOf(kept) : draft);
    }
  }

  const describedBy = error ? errorId : undefined;
  /** The proxy's or the PAC file's address: the form's error (a bad address) describes it too. */
  const urlField = (field: 'proxyUrl' | 'pacUrl') => (
    <TextField
      id={`${id}-${field}`}
      label={t(`network.${field}`)}
      help={t(`network.${field}Help`)}
      value={draft[field]}
      errorId={describedBy}
      onChange={(value) => edit(field === 'proxyUrl' ? { proxyUrl: value } : { pacUrl: value })}
      inputMode="url"
    />
  );
  return (
    <>
      <form
        className="network-form"
        noValidate
        aria-busy={saving}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset className="network-form__modes">
          <legend className="field-label">{t('network.mode.legend')}</legend>
          {MODES.map((mode) => (
            <div className="network-form__mode" key={mode}>
              <input
                type="radio"
                id={`${id}-mode-${mode}`}
                name={`${id}-mode`}
                value={mode}
                checked={draft.proxyMode === mode}
                onChange={() => edit({ proxyMode: mode })}
                aria-describedby={`${id}-mode-${mode}-help`}
              />
              <label htmlFor={`${id}-mode-${mode}`}>{t(`network.mode.${mode}`)}</label>
              <p id={`${id}-mode-${mode}-help`} className="help network-form__mode-help">
                {t(`network.mode.${mode}Help`)}
              </p>
            </div>
          ))}
        </fieldset>

        {draft.proxyMode === 'manual' && (
          <div className="network-form__group" data-testid="network-manual">
            {urlField('proxyUrl')}
            <TextField
              id={`${id}-proxy-user`}
              label={t('network.proxyUser')}
              help={t('network.proxyUserHelp')}
              value={draft.proxyUser}
              onChange={(proxyUser) => edit({ proxyUser })}
              autoComplete="off"
            />
            <ProxyPassword stored={settings.proxyPasswordSet} outcome={password} />
            <div className="network-form__field">
              <FieldLabel id={`${id}-bypass`} label={t('network.bypass')} help={t('network.bypassHelp')} />
              <textarea
                id={`${id}-bypass`}
                className="field network-form__bypass"
                rows={4}
                spellCheck={false}
                value={draft.bypass}
                onChange={(e) => edit({ bypass: e.target.value })}
                aria-describedby={describedBy ? `${id}-bypass-help ${describedBy}` : `${id}-bypass-help`}
              />
            </div>
          </div>
        )}

        {draft.proxyMode === 'pac' && (
          <div className="network-form__group" data-testid="network-pac">
            {urlField('pacUrl')}
          </div>
        )}

        {error && (
          <ErrorNotice
            lead={t('network.saveFailed', { message: error.message })}
            fix={error.fix}
            id={errorId}
            testId="network-save-error"
          />
        )}

        <div className="actions">
          <button type="submit" className="button button--primary" aria-disabled={saving || undefined}>
            {saving && <Spinner small />} {saving ? t('network.saving') : t('network.save')}
          </button>
        </div>
        <p role="status" className="network-form__status" data-testid="network-save-status">
          {networkSave.status === 'ready' ? t('network.saved') : ''}
        </p>
      </form>

      {certificates ?? <ExtraCertificates files={network.extraCaFiles} />}
    </>
  );
}

function TextField({
  id,
  label,
  help,
  value,
  onChange,
  errorId,
  inputMode,
  autoComplete,
}: {
  id: string;
  label: string;
  help: string;
  value: string;
  onChange: (value: string) => void;
  errorId?: string | undefined;
  inputMode?: 'url';
  autoComplete?: string;
}) {
  return (
    <div className="network-form__field">
      <FieldLabel id={id} label={label} help={help} />
      <input
        id={id}
        className="field"
        type="text"
        spellCheck={false}
        autoCapitalize="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={errorId ? `${id}-help ${errorId}` : `${id}-help`}
        {...(inputMode ? { inputMode } : {})}
        {...(autoComplete ? { autoComplete } : {})}
      />
    </div>
  );
}

/**
 * The proxy password: write-only. The field is uncontrolled (React would mirror the password into
 * the DOM's value attribute) and emptied once the keychain has it.
 */
function ProxyPassword({ stored, outcome }: { stored: boolean; outcome: PasswordOutcome }) {
  const setProxyPassword = useAppStore((s) => s.doctor.setProxyPassword);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const [empty, setEmpty] = useState(false);
  const busy = outcome.status === 'saving';

  async function setPassword() {
    const input = inputRef.current;
    if (!input || busy) return;
    if (input.value === '') {
      setEmpty(true);
      input.focus();
      return;
    }
    const done = await setProxyPassword(input.value);
    if (done) input.value = '';
  }

  const message =
    outcome.status === 'set'
      ? t('network.passwordSet')
      : outcome.status === 'removed'
        ? t('network.passwordRemoved')
        : empty
          ? t('network.passwordEmpty')
          : '';

  async function removePassword() {
    if (busy) return;
    const done = await setProxyPassword(null);
    // "Remove password" goes away with the stored password: focus stays in the password row.
    if (done) inputRef.current?.focus();
  }

  return (
    <div className="network-form__field network-password">
      <FieldLabel
        id={id}
        label={t('network.password')}
        help={
          <>
            {t('network.passwordHelp')}{' '}
            <span data-testid="network-password-state">
              {stored ? t('network.passwordStored') : t('network.passwordNone')}
            </span>
          </>
        }
      />
      <div className="network-password__row">
        <input
          ref={inputRef}
          id={id}
          className="field"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          readOnly={busy}
          aria-describedby={`${id}-help ${id}-status${outcome.status === 'error' ? ` ${id}-error` : ''}`}
          onInput={() => setEmpty(false)}
          onKeyDown={(e) => {
            // Enter sets the password; it never submits the proxy form with it.
            if (e.key === 'Enter') {
              e.preventDefault();
              void setPassword();
            }
          }}
        />
        <button type="button" className="button" onClick={() => void setPassword()} aria-disabled={busy || undefined}>
          {t('network.setPassword')}
        </button>
        {stored && (
          <button
            type="button"
            className="button"
            onClick={() => void removePassword()}
            aria-disabled={busy || undefined}
          >
            {t('network.removePassword')}
          </button>
        )}
      </div>
      <p id={`${id}-status`} role="status" className="help" data-testid="network-password-status">
        {message}
      </p>
      {outcome.status === 'error' && (
        <ErrorNotice
          lead={t('network.passwordFailed', { message: outcome.error.message })}
          fix={outcome.error.fix}
          id={`${id}-error`}
          testId="network-password-error"
        />
      )}
    </div>
  );
}

function ExtraCertificates({ files }: { files: string[] }) {
  return (
    <TitledSection block="network-ca" level={3} title={t('network.ca.title')} testId="network-ca">
      <p className="help">{t('network.ca.intro')}</p>
      {files.length > 0 ? (
        <ul className="network-ca__files">
          {files.map((file) => (
            <li key={file}>
              <code>{file}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('network.ca.none')}</p>
      )}
      <p className="help">{t('network.ca.how')}</p>
    </TitledSection>
  );
}
