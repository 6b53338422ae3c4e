import { useEffect, useId, useRef } from 'react';
import { parseSshTarget } from '../../../shared/ssh-target';
import { t } from '../i18n/t';

/** The host's own public key file for a key type, as OpenSSH names it in /etc/ssh. */
export function hostKeyFile(type: string): string {
  const kind = type.includes('ed25519')
    ? 'ed25519'
    : type.includes('ecdsa')
      ? 'ecdsa'
      : type.includes('rsa')
        ? 'rsa'
        : 'ed25519';
  return `/etc/ssh/ssh_host_${kind}_key.pub`;
}

function hostOf(root: string): string {
  try {
    return parseSshTarget(root).host;
  } catch {
    return root;
  }
}

/**
 * The first connection to an SSH server: its key type and SHA256 fingerprint, how to compare it on
 * the server, and "Trust this key and add" (the request again, with this fingerprint) or Cancel.
 * `data-testid="host-key-confirm"`, `host-key-fingerprint`. Focus moves to the panel when it opens.
 */
export function HostKeyConfirm({
  root,
  hostKey,
  busy,
  onTrust,
  onCancel,
}: {
  root: string;
  hostKey: { type: string; fingerprint: string };
  busy: boolean;
  onTrust: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const panelRef = useRef<HTMLElement>(null);

  useEffect(() => {
    panelRef.current?.focus();
  }, []);

  return (
    <section
      ref={panelRef}
      className="notice host-key"
      role="group"
      aria-labelledby={titleId}
      tabIndex={-1}
      data-testid="host-key-confirm"
    >
      <h3 id={titleId} className="host-key__title">
        {t('installed.hostKey.title')}
      </h3>
      <p>{t('installed.hostKey.intro', { host: hostOf(root), type: hostKey.type })}</p>
      <p>
        {t('installed.hostKey.fingerprint')}{' '}
        <code className="host-key__fingerprint" data-testid="host-key-fingerprint">
          {hostKey.fingerprint}
        </code>
      </p>
      <p>{t('installed.hostKey.compare')}</p>
      <pre className="host-key__command">
        <code>ssh-keygen -lf {hostKeyFile(hostKey.type)}</code>
      </pre>
      <p>{t('installed.hostKey.warning')}</p>
      <div className="actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={onTrust}>
          {t('installed.hostKey.trust')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('installed.hostKey.cancel')}
        </button>
      </div>
    </section>
  );
}
