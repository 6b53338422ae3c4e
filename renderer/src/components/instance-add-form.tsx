import { useId, useState, type FormEvent } from 'react';
import { t } from '../i18n/t';
import { useAppStore } from '../store/store-context';

/**
 * "Add a GLPI instance": the GLPI folder and an optional name (`data-testid="instance-add"`;
 * `instance-add-error` says why adding failed, with the fix). The added instance becomes the
 * active one.
 */
export function AddInstanceForm({ onAdded }: { onAdded?: () => void }) {
  const adding = useAppStore((s) => s.installed.adding);
  const error = useAppStore((s) => s.installed.addError);
  const addInstance = useAppStore((s) => s.installed.addInstance);
  const [root, setRoot] = useState('');
  const [name, setName] = useState('');
  const rootId = useId();
  const rootHelpId = useId();
  const nameId = useId();
  const nameHelpId = useId();
  const errorId = useId();
  const titleId = useId();
  const blockedId = useId();
  const blocked = adding ? t('installed.add.adding') : !root.trim() ? t('installed.add.needRoot') : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!root.trim()) return;
    void addInstance(root, name).then((instance) => {
      if (!instance) return;
      setRoot('');
      setName('');
      onAdded?.();
    });
  }

  return (
    <form className="instance-add" aria-labelledby={titleId} onSubmit={submit} data-testid="instance-add">
      <h2 id={titleId}>{t('installed.add.title')}</h2>
      <p>{t('installed.add.intro')}</p>
      <label htmlFor={rootId} className="field-label">
        {t('installed.add.root')}
      </label>
      <p id={rootHelpId} className="help">
        {t('installed.add.rootHelp')}
      </p>
      <input
        id={rootId}
        className="field"
        value={root}
        required
        autoComplete="off"
        spellCheck={false}
        aria-describedby={error ? `${rootHelpId} ${errorId}` : rootHelpId}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setRoot(e.target.value)}
      />
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
      {error && (
        <div id={errorId} className="notice notice--error" role="alert" data-testid="instance-add-error">
          <p>{t('installed.add.failed', { message: error.message })}</p>
          {error.fix && <p>{t('installed.fix', { fix: error.fix })}</p>}
        </div>
      )}
    </form>
  );
}
