import { useId } from 'react';
import type { SshAuthMethod } from '../../../shared/instances';
import { t, type MessageKey } from '../i18n/t';

/** What the admin typed for an SSH instance (the secret is cleared once sent). */
export interface SshFieldValues {
  auth: SshAuthMethod;
  keyFile: string;
  secret: string;
  saveSecret: boolean;
  sudoUser: string;
}

const AUTH_LABELS: Record<SshAuthMethod, MessageKey> = {
  agent: 'installed.add.auth.agent',
  key: 'installed.add.auth.key',
  password: 'installed.add.auth.password',
};

/**
 * The SSH part of the add form: authentication (agent, key file, password), the key file, the
 * password or passphrase (kept in the OS keychain: always for a password, on request for a
 * passphrase) and the optional `sudo -n -u` user. There is no file picker: the shells offer none for
 * this, so the key file is typed.
 */
export function SshFields({
  values,
  onChange,
}: {
  values: SshFieldValues;
  onChange: (patch: Partial<SshFieldValues>) => void;
}) {
  const authName = useId();
  const authLegendId = useId();
  const agentHelpId = useId();
  const keyFileId = useId();
  const keyFileHelpId = useId();
  const secretId = useId();
  const secretHelpId = useId();
  const saveId = useId();
  const saveHelpId = useId();
  const sudoId = useId();
  const sudoHelpId = useId();
  const { auth } = values;

  return (
    <div className="instance-add__ssh">
      <fieldset className="instance-add__auth" aria-labelledby={authLegendId}>
        <legend id={authLegendId} className="field-label">
          {t('installed.add.auth')}
        </legend>
        {(['agent', 'key', 'password'] as const).map((method) => (
          <label key={method} className="radio-option">
            <input
              type="radio"
              name={authName}
              value={method}
              checked={auth === method}
              aria-describedby={method === 'agent' ? agentHelpId : undefined}
              onChange={() => onChange({ auth: method, secret: '', saveSecret: false })}
            />
            {t(AUTH_LABELS[method])}
          </label>
        ))}
        <p id={agentHelpId} className="help">
          {t('installed.add.auth.agentHelp')}
        </p>
      </fieldset>
      {auth === 'key' && (
        <>
          <label htmlFor={keyFileId} className="field-label">
            {t('installed.add.keyFile')}
          </label>
          <p id={keyFileHelpId} className="help">
            {t('installed.add.keyFileHelp')}
          </p>
          <input
            id={keyFileId}
            className="field"
            value={values.keyFile}
            required
            autoComplete="off"
            spellCheck={false}
            aria-describedby={keyFileHelpId}
            onChange={(e) => onChange({ keyFile: e.target.value })}
          />
        </>
      )}
      {auth !== 'agent' && (
        <>
          <label htmlFor={secretId} className="field-label">
            {t(auth === 'password' ? 'installed.add.password' : 'installed.add.passphrase')}
          </label>
          <p id={secretHelpId} className="help">
            {t(auth === 'password' ? 'installed.add.passwordHelp' : 'installed.add.passphraseHelp')}
          </p>
          <input
            id={secretId}
            className="field"
            type="password"
            value={values.secret}
            required={auth === 'password'}
            autoComplete="off"
            aria-describedby={secretHelpId}
            onChange={(e) => onChange({ secret: e.target.value })}
          />
        </>
      )}
      {auth === 'key' && (
        <div className="instance-add__check">
          <input
            id={saveId}
            type="checkbox"
            checked={values.saveSecret}
            aria-describedby={saveHelpId}
            onChange={(e) => onChange({ saveSecret: e.target.checked })}
          />
          <label htmlFor={saveId}>{t('installed.add.savePassphrase')}</label>
          <p id={saveHelpId} className="help">
            {t('installed.add.savePassphraseHelp')}
          </p>
        </div>
      )}
      <label htmlFor={sudoId} className="field-label">
        {t('installed.add.sudoUser')}
      </label>
      <p id={sudoHelpId} className="help">
        {t('installed.add.sudoUserHelp')}
      </p>
      <input
        id={sudoId}
        className="field instance-add__short"
        value={values.sudoUser}
        autoComplete="off"
        spellCheck={false}
        placeholder="www-data"
        aria-describedby={sudoHelpId}
        onChange={(e) => onChange({ sudoUser: e.target.value })}
      />
    </div>
  );
}
