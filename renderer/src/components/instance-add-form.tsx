import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SshAddOptions } from '../../../shared/instances';
import { t } from '../i18n/t';
import { sshFailure } from '../store/installed-slice';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import { HostKeyConfirm } from './instance-host-key';
import { SshFields, type SshFieldValues } from './instance-ssh-fields';
import { ErrorNotice } from './error-notice';

type Kind = 'local' | 'ssh';

/** One `instances.add` request, kept only while the admin decides about an unknown host key. */
interface AddRequest {
  root: string;
  name: string;
  ssh?: SshAddOptions;
}

const EMPTY_SSH: SshFieldValues = { auth: 'agent', keyFile: '', secret: '', saveSecret: false, sudoUser: '' };

/** What the form sends for an SSH instance: only the fields its authentication uses. */
function sshOptions(v: SshFieldValues): SshAddOptions {
  const ssh: SshAddOptions = { auth: v.auth };
  if (v.auth === 'key') ssh.keyFile = v.keyFile.trim();
  if (v.auth !== 'agent' && v.secret) {
    ssh.secret = v.secret;
    // A password is always kept in the keychain; a key's passphrase when the admin says so.
    if (v.auth === 'key') ssh.saveSecret = v.saveSecret;
  }
  if (v.sudoUser.trim()) ssh.sudoUser = v.sudoUser.trim();
  return ssh;
}

function blockedReason(kind: Kind, root: string, v: SshFieldValues): string | null {
  if (!root.trim()) return t(kind === 'ssh' ? 'installed.add.needSshRoot' : 'installed.add.needRoot');
  if (kind === 'local') return null;
  if (v.auth === 'key' && !v.keyFile.trim()) return t('installed.add.needKeyFile');
  if (v.auth === 'password' && !v.secret) return t('installed.add.needPassword');
  return null;
}

/**
 * "Add a GLPI instance": a folder on this computer or a GLPI server over SSH, and an optional name
 * (`data-testid="instance-add"`; `instance-add-error` says why adding failed, with the fix). An
 * unknown SSH host shows its fingerprint to confirm first (`host-key-confirm`). The added instance
 * becomes the active one. A password or passphrase is sent with the request and cleared from the
 * form at once; it is held in memory only while the admin decides about an unknown host key.
 */
export function AddInstanceForm({ onAdded }: { onAdded?: () => void }) {
  const store = useAppStoreApi();
  const adding = useAppStore((s) => s.installed.adding);
  const error = useAppStore((s) => s.installed.addError);
  const addInstance = useAppStore((s) => s.installed.addInstance);
  const clearAddError = useAppStore((s) => s.installed.clearAddError);
  const [kind, setKind] = useState<Kind>('local');
  const [root, setRoot] = useState('');
  const [name, setName] = useState('');
  const [ssh, setSsh] = useState<SshFieldValues>(EMPTY_SSH);
  // The request waiting for the host key decision (it may hold the secret): never rendered, never stored.
  const pending = useRef<AddRequest | null>(null);
  const kindName = useId();
  const kindLegendId = useId();
  const rootId = useId();
  const rootHelpId = useId();
  const nameId = useId();
  const nameHelpId = useId();
  const errorId = useId();
  const titleId = useId();
  const blockedId = useId();
  const failure = sshFailure(error);
  const unknownHost = failure?.code === 'host-unknown' && failure.hostKey ? failure.hostKey : null;
  const blocked = adding ? t('installed.add.adding') : blockedReason(kind, root, ssh);

  useEffect(() => {
    // Leaving the form drops the question about a host key and the request it held.
    return () => {
      pending.current = null;
      store.getState().installed.clearAddError();
    };
  }, [store]);

  async function send(request: AddRequest): Promise<void> {
    const instance = await addInstance(request.root, request.name, request.ssh);
    const failed = sshFailure(store.getState().installed.addError);
    pending.current = !instance && failed?.code === 'host-unknown' ? request : null;
    if (!instance) return;
    setRoot('');
    setName('');
    setSsh(EMPTY_SSH);
    onAdded?.();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (blockedReason(kind, root, ssh) !== null) return;
    const request: AddRequest = { root, name, ...(kind === 'ssh' ? { ssh: sshOptions(ssh) } : {}) };
    // The secret leaves the form's state with the request.
    setSsh((v) => ({ ...v, secret: '' }));
    void send(request);
  }

  function trust(fingerprint: string) {
    const request = pending.current;
    if (!request?.ssh) return;
    void send({ ...request, ssh: { ...request.ssh, acceptHostKey: fingerprint } });
  }

  function cancelTrust() {
    pending.current = null;
    clearAddError();
  }

  function chooseKind(next: Kind) {
    setKind(next);
    pending.current = null;
    clearAddError();
  }

  const showError = error !== null && unknownHost === null;
  return (
    <form className="instance-add" aria-labelledby={titleId} onSubmit={submit} data-testid="instance-add">
      <h2 id={titleId}>{t('installed.add.title')}</h2>
      <p>{t('installed.add.intro')}</p>
      <fieldset className="instance-add__kind" aria-labelledby={kindLegendId}>
        <legend id={kindLegendId} className="field-label">
          {t('installed.add.kind')}
        </legend>
        {(['local', 'ssh'] as const).map((k) => (
          <label key={k} className="radio-option">
            <input type="radio" name={kindName} value={k} checked={kind === k} onChange={() => chooseKind(k)} />
            {t(k === 'local' ? 'installed.add.kind.local' : 'installed.add.kind.ssh')}
          </label>
        ))}
      </fieldset>
      <label htmlFor={rootId} className="field-label">
        {t(kind === 'ssh' ? 'installed.add.sshRoot' : 'installed.add.root')}
      </label>
      <p id={rootHelpId} className="help">
        {t(kind === 'ssh' ? 'installed.add.sshRootHelp' : 'installed.add.rootHelp')}
      </p>
      <input
        id={rootId}
        className="field"
        value={root}
        required
        autoComplete="off"
        spellCheck={false}
        aria-describedby={showError ? `${rootHelpId} ${errorId}` : rootHelpId}
        aria-invalid={showError ? true : undefined}
        onChange={(e) => {
          // The question was about the address sent: another address asks again.
          if (unknownHost) cancelTrust();
          setRoot(e.target.value);
        }}
      />
      {kind === 'ssh' && <SshFields values={ssh} onChange={(patch) => setSsh((v) => ({ ...v, ...patch }))} />}
      <label htmlFor={nameId} className="field-label instance-add__name">
        {t('installed.add.name')}
      </label>
      <p id={nameHelpId} className="help">
        {t('installed.add.nameHelp')}
      </p>
      <input
        id={nameId}
        className="field"
        value={name}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={nameHelpId}
        onChange={(e) => setName(e.target.value)}
      />
      {unknownHost ? (
        <HostKeyConfirm
          root={root}
          hostKey={unknownHost}
          busy={adding}
          onTrust={() => trust(unknownHost.fingerprint)}
          onCancel={cancelTrust}
        />
      ) : (
        <div className="actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={blocked !== null}
            title={blocked ?? undefined}
            aria-describedby={blocked ? blockedId : undefined}
          >
            {t('installed.add.submit')}
          </button>
          {blocked && (
            <span id={blockedId} className="visually-hidden">
              {blocked}
            </span>
          )}
        </div>
      )}
      {showError && (
        <ErrorNotice
          lead={t('installed.add.failed', { message: error.message })}
          fix={error.fix}
          id={errorId}
          testId="instance-add-error"
        />
      )}
    </form>
  );
}
