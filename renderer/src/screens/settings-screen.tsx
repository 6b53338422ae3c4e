/**
 * The Settings screen (`#settings`): every setting of the profile, one form per section, each saved
 * by the core, which checks every value and says what is wrong (shown next to the field).
 *
 * Stable hooks for e2e tests (keep them when restyling):
 * - `data-testid="settings-general" | "settings-updates" | "settings-console" | "settings-services"`
 *   — the sections; `network-settings` is the network panel, `settings-ca` its certificate files.
 * - `data-testid="settings-status"` — each section's polite "… were saved." line.
 * - `data-testid="settings-field-error"` — a refused value's message, under its field (role=alert).
 *
 * Accessible names: selects "Language", "Theme", "Log level"; checkboxes "Desktop notifications",
 * "Show pre-release versions", "Offer to run GLPI’s console after installs and updates"; fields
 * "Check for updates every (hours)", "Backups kept per plugin", "php binary", "GLPI user",
 * "Services URL"; buttons "Save general settings", "Save catalogue and update settings", "Save
 * console settings", "Change address", "Use the default address", "Add a certificate file…".
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { ErrorShape } from '../../../shared/errors';
import type { ProfileSettings } from '../../../shared/model';
import { GlpiVersionForm } from '../components/glpi-version-form';
import { NetworkSettingsPanel } from '../components/network-settings';
import { CheckboxField, Field, FieldError, sameFields, useDraft } from '../components/settings-fields';
import { CaFilesSection, ServicesUrlSection } from '../components/settings-trust';
import { Spinner } from '../components/spinner';
import { TitledSection } from '../components/titled-section';
import { t } from '../i18n/t';
import { refusedField, type SettingsPatch, type SettingsSection } from '../store/settings-slice';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import './settings-screen.css';

export function SettingsScreen() {
  const settings = useAppStore((s) => s.ui.settings);
  const info = useAppStore((s) => s.ui.info);
  return (
    <div className="settings-screen">
      <h1 className="screen-title">{t('settings.title')}</h1>
      {info && <p className="settings-screen__intro">{t('settings.intro', { profile: info.profile })}</p>}
      {settings ? (
        <>
          <GeneralSection settings={settings} />
          <UpdatesSection settings={settings} />
          <ConsoleSection settings={settings} />
          <NetworkSettingsPanel certificates={<CaFilesSection adminDialogs={info?.adminDialogs ?? false} />} />
          <ServicesUrlSection settings={settings} adminDialogs={info?.adminDialogs ?? false} />
        </>
      ) : (
        <p>
          <Spinner small /> {t('settings.loading')}
        </p>
      )}
    </div>
  );
}

/**
 * One section's save: its state, the error of each field in `fields` (those that show one), and the
 * section-level error (any other).
 */
function useSectionSave(section: SettingsSection, fields: readonly string[]) {
  const state = useAppStore((s) => s.settings.saves[section]);
  const save = useAppStore((s) => s.settings.save);
  const clearSave = useAppStore((s) => s.settings.clearSave);
  const store = useAppStoreApi();
  const error = state.status === 'error' ? state.error : null;
  const field = error ? refusedField(error) : null;
  return {
    saving: state.status === 'loading',
    saved: state.status === 'ready',
    errorOf: (name: string): ErrorShape | null => (error && field === name ? error : null),
    sectionError: error && (field === null || !fields.includes(field)) ? error : null,
    clear: () => clearSave(section),
    /** Saves; on a refusal, puts the focus on the field the core named (by its element id). */
    async save(patch: SettingsPatch, idOf: (field: string) => string | undefined): Promise<boolean> {
      if (await save(section, patch)) return true;
      const after = store.getState().settings.saves[section];
      const named = after.status === 'error' ? refusedField(after.error) : null;
      const id = named ? idOf(named) : undefined;
      if (id) document.getElementById(id)?.focus();
      return false;
    },
  };
}

function SettingsSectionFrame({
  title,
  testId,
  intro,
  children,
}: {
  title: string;
  testId: string;
  intro?: string;
  children: ReactNode;
}) {
  return (
    <TitledSection block="settings-section" className="box" title={title} testId={testId}>
      {intro && <p className="help">{intro}</p>}
      {children}
    </TitledSection>
  );
}

/** The form of a section: its fields, the section-level error, Save, and the saved status. */
function SectionForm({
  onSubmit,
  saving,
  saved,
  error,
  saveLabel,
  savedText,
  children,
}: {
  onSubmit: () => Promise<unknown>;
  saving: boolean;
  saved: boolean;
  error: ErrorShape | null;
  saveLabel: string;
  savedText: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <form
      className="settings-form"
      noValidate
      aria-busy={saving}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (!saving) void onSubmit();
      }}
    >
      {children}
      {error && <FieldError id={`${id}-error`} error={error} testId="settings-section-error" />}
      <div className="actions">
        <button
          type="submit"
          className="button button--primary"
          aria-disabled={saving || undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        >
          {saving && <Spinner small />} {saving ? t('settings.saving') : saveLabel}
        </button>
      </div>
      <p role="status" className="settings-form__status" data-testid="settings-status">
        {saved ? savedText : ''}
      </p>
    </form>
  );
}

// ---------------------------------------------------------------------------------------- General

/** 'system', 'en', 'fr', or a language set outside this screen (config.json by hand), shown as is. */
type LanguageChoice = string;

function languageChoice(settings: ProfileSettings): LanguageChoice {
  if (settings.languageSource === 'system') return 'system';
  const lang = settings.language.slice(0, 2).toLowerCase();
  return lang === 'en' || lang === 'fr' ? lang : settings.language;
}

interface GeneralDraft {
  language: LanguageChoice;
  theme: ProfileSettings['theme'];
  notifications: boolean;
  logLevel: ProfileSettings['logLevel'];
}

const THEMES: ProfileSettings['theme'][] = ['system', 'light', 'dark'];
const LOG_LEVELS: ProfileSettings['logLevel'][] = ['debug', 'info', 'warn', 'error'];

function GeneralSection({ settings }: { settings: ProfileSettings }) {
  const current: GeneralDraft = {
    language: languageChoice(settings),
    theme: settings.theme,
    notifications: settings.notifications,
    logLevel: settings.logLevel,
  };
  const { draft, edit, reset } = useDraft(current, sameFields);
  const section = useSectionSave('general', []);
  const store = useAppStoreApi();
  const id = useId();

  function change(patch: Partial<GeneralDraft>) {
    edit(patch);
    section.clear();
  }

  async function submit() {
    const patch: SettingsPatch = { theme: draft.theme, notifications: draft.notifications, logLevel: draft.logLevel };
    // Only a changed choice: "English" must not replace an en_GB set outside this screen.
    if (draft.language !== current.language) patch.language = draft.language === 'system' ? null : draft.language;
    if (await section.save(patch, () => undefined)) {
      const kept = store.getState().ui.settings;
      if (kept)
        reset({
          language: languageChoice(kept),
          theme: kept.theme,
          notifications: kept.notifications,
          logLevel: kept.logLevel,
        });
    }
  }

  const known = ['system', 'en', 'fr'];
  return (
    <SettingsSectionFrame title={t('settings.general.title')} testId="settings-general">
      <SectionForm
        onSubmit={submit}
        saving={section.saving}
        saved={section.saved}
        error={section.sectionError}
        saveLabel={t('settings.general.save')}
        savedText={t('settings.general.saved')}
      >
        <Field id={`${id}-language`} label={t('settings.general.language')} help={t('settings.general.languageHelp')}>
          {(describedBy) => (
            <select
              id={`${id}-language`}
              className="field settings-field__select"
              value={draft.language}
              aria-describedby={describedBy}
              onChange={(e) => change({ language: e.target.value })}
            >
              <option value="system">
                {settings.languageSource === 'system'
                  ? t('settings.general.languageSystemNow', { language: settings.language })
                  : t('settings.general.languageSystem')}
              </option>
              <option value="en" lang="en">
                English
              </option>
              <option value="fr" lang="fr">
                Français
              </option>
              {!known.includes(draft.language) && (
                <option value={draft.language}>
                  {t('settings.general.languageOther', { language: draft.language })}
                </option>
              )}
            </select>
          )}
        </Field>
        <Field id={`${id}-theme`} label={t('settings.general.theme')} help={t('settings.general.themeHelp')}>
          {(describedBy) => (
            <select
              id={`${id}-theme`}
              className="field settings-field__select"
              value={draft.theme}
              aria-describedby={describedBy}
              onChange={(e) => change({ theme: e.target.value as ProfileSettings['theme'] })}
            >
              {THEMES.map((theme) => (
                <option key={theme} value={theme}>
                  {t(`settings.general.theme.${theme}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <CheckboxField
          id={`${id}-notifications`}
          label={t('settings.general.notifications')}
          help={t('settings.general.notificationsHelp')}
          checked={draft.notifications}
          onChange={(notifications) => change({ notifications })}
        />
        <Field id={`${id}-log`} label={t('settings.general.logLevel')} help={t('settings.general.logLevelHelp')}>
          {(describedBy) => (
            <select
              id={`${id}-log`}
              className="field settings-field__select"
              value={draft.logLevel}
              aria-describedby={describedBy}
              onChange={(e) => change({ logLevel: e.target.value as ProfileSettings['logLevel'] })}
            >
              {LOG_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {t(`settings.general.log.${level}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </SectionForm>
    </SettingsSectionFrame>
  );
}

// ------------------------------------------------------------------------ Catalogue and updates

interface UpdatesDraft {
  includePrereleases: boolean;
  interval: string;
  keep: string;
}

const updatesOf = (s: ProfileSettings): UpdatesDraft => ({
  includePrereleases: s.includePrereleases,
  interval: String(s.checkIntervalHours),
  keep: String(s.keepBackups),
});

/** A number as typed (the core checks the range and says it); null when it is not a number at all. */
function typedNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed) ? Number(trimmed) : null;
}

function UpdatesSection({ settings }: { settings: ProfileSettings }) {
  const { draft, edit, reset } = useDraft(updatesOf(settings), sameFields);
  const section = useSectionSave('updates', ['checkIntervalHours', 'keepBackups']);
  const store = useAppStoreApi();
  const id = useId();
  const ids: Record<string, string> = { checkIntervalHours: `${id}-interval`, keepBackups: `${id}-keep` };
  // Text that is not a number at all is not sent; the core checks the range of the numbers.
  const [notNumber, setNotNumber] = useState<{ field: string; error: ErrorShape } | null>(null);

  function change(patch: Partial<UpdatesDraft>) {
    setNotNumber(null);
    edit(patch);
    section.clear();
  }

  async function submit() {
    const hours = typedNumber(draft.interval);
    const keep = typedNumber(draft.keep);
    if (hours === null || keep === null) {
      const field = hours === null ? 'checkIntervalHours' : 'keepBackups';
      const value = (hours === null ? draft.interval : draft.keep).trim();
      const message = t('settings.updates.notNumber', { value, example: hours === null ? 6 : 3 });
      setNotNumber({ field, error: { code: 'INVALID_INPUT', message } });
      section.clear();
      document.getElementById(ids[field] ?? '')?.focus();
      return;
    }
    const patch: SettingsPatch = {
      includePrereleases: draft.includePrereleases,
      checkIntervalHours: hours,
      keepBackups: keep,
    };
    if (await section.save(patch, (field) => ids[field])) {
      const kept = store.getState().ui.settings;
      if (kept) reset(updatesOf(kept));
    }
  }

  const errorOf = (field: string) => (notNumber?.field === field ? notNumber.error : section.errorOf(field));
  return (
    <SettingsSectionFrame title={t('settings.updates.title')} testId="settings-updates">
      <GlpiVersionForm />
      <SectionForm
        onSubmit={submit}
        saving={section.saving}
        saved={section.saved}
        error={section.sectionError}
        saveLabel={t('settings.updates.save')}
        savedText={t('settings.updates.saved')}
      >
        <CheckboxField
          id={`${id}-pre`}
          label={t('settings.updates.prereleases')}
          help={t('settings.updates.prereleasesHelp')}
          checked={draft.includePrereleases}
          onChange={(includePrereleases) => change({ includePrereleases })}
        />
        <NumberField
          id={ids.checkIntervalHours ?? ''}
          label={t('settings.updates.interval')}
          help={t('settings.updates.intervalHelp')}
          value={draft.interval}
          error={errorOf('checkIntervalHours')}
          onChange={(interval) => change({ interval })}
        />
        <NumberField
          id={ids.keepBackups ?? ''}
          label={t('settings.updates.keepBackups')}
          help={t('settings.updates.keepBackupsHelp')}
          value={draft.keep}
          error={errorOf('keepBackups')}
          onChange={(keep) => change({ keep })}
        />
      </SectionForm>
    </SettingsSectionFrame>
  );
}

function NumberField(props: {
  id: string;
  label: string;
  help: string;
  value: string;
  error: ErrorShape | null;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={props.id} label={props.label} help={props.help} error={props.error}>
      {(describedBy, invalid) => (
        <input
          id={props.id}
          className="field settings-field__number"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          value={props.value}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

// ------------------------------------------------------------------------------------ GLPI console

function ConsoleSection({ settings }: { settings: ProfileSettings }) {
  const { draft, edit, reset } = useDraft(settings.glpiConsole, sameFields);
  const section = useSectionSave('console', ['php', 'user']);
  const store = useAppStoreApi();
  const id = useId();
  const ids: Record<string, string> = { php: `${id}-php`, user: `${id}-user` };

  function change(patch: Partial<ProfileSettings['glpiConsole']>) {
    edit(patch);
    section.clear();
  }

  async function submit() {
    const patch: SettingsPatch = {
      glpiConsole: { offer: draft.offer, php: draft.php.trim(), user: draft.user.trim() },
    };
    if (await section.save(patch, (field) => ids[field])) {
      const kept = store.getState().ui.settings;
      if (kept) reset(kept.glpiConsole);
    }
  }

  return (
    <SettingsSectionFrame
      title={t('settings.console.title')}
      testId="settings-console"
      intro={t('settings.console.intro')}
    >
      <SectionForm
        onSubmit={submit}
        saving={section.saving}
        saved={section.saved}
        error={section.sectionError}
        saveLabel={t('settings.console.save')}
        savedText={t('settings.console.saved')}
      >
        <CheckboxField
          id={`${id}-offer`}
          label={t('settings.console.offer')}
          checked={draft.offer}
          onChange={(offer) => change({ offer })}
        />
        {(['php', 'user'] as const).map((field) => (
          <Field
            key={field}
            id={ids[field] ?? ''}
            label={t(`settings.console.${field}`)}
            help={t(`settings.console.${field}Help`)}
            error={section.errorOf(field)}
          >
            {(describedBy, invalid) => (
              <input
                id={ids[field]}
                className="field"
                type="text"
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
                value={draft[field]}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
                onChange={(e) => change({ [field]: e.target.value })}
              />
            )}
          </Field>
        ))}
      </SectionForm>
    </SettingsSectionFrame>
  );
}
