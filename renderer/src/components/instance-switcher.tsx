import { useId, useRef, useState } from 'react';
import type { InstanceRecord, InstanceSummary } from '../../../shared/instances';
import { instanceWhere } from '../../../shared/ssh-target';
import { t } from '../i18n/t';
import { busyHere } from '../store/installed-slice';
import { useAppStore } from '../store/store-context';
import { ConfirmDialog } from './confirm-dialog';
import { AddInstanceForm } from './instance-add-form';

/**
 * The profile's GLPI instances: a list to switch the active one (at once, `instances.use`),
 * "Add another GLPI instance", which shows the add form, and "Remove instance…", which forgets the
 * active one after a confirmation (no file is touched).
 * `data-testid="instance-switcher"` (the select, named "GLPI instance"), `instance-add-toggle`,
 * `instance-remove`.
 */
export function InstanceSwitcher({ instance }: { instance: InstanceSummary }) {
  const list = useAppStore((s) => s.installed.instanceList);
  const switching = useAppStore((s) => s.installed.switching);
  const busy = useAppStore((s) => busyHere(s.installed));
  const switchTo = useAppStore((s) => s.installed.useInstance);
  const removing = useAppStore((s) => s.installed.removingInstance);
  const removeInstance = useAppStore((s) => s.installed.removeInstance);
  const [adding, setAdding] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const removeHelpId = useId();
  const selectId = useId();
  const helpId = useId();
  const panelId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);

  // Until instances.list answers (or when it failed), the active instance alone.
  const records: Pick<InstanceRecord, 'name' | 'root' | 'ssh'>[] = list?.instances.length ? list.instances : [instance];
  const value = switching ?? instance.name;
  const help = removing
    ? t('installed.removeInstance.removing', { name: removing })
    : switching
      ? t('installed.switch.switching', { name: switching })
      : busy
        ? t('installed.switch.busy')
        : t('installed.switch.help');
  const disabled = switching !== null || removing !== null || busy;

  return (
    <div className="instance-switcher">
      <div className="instance-switcher__pick">
        <label htmlFor={selectId} className="field-label">
          {t('installed.instance.label')}
        </label>
        <select
          id={selectId}
          className="field instance-switcher__select"
          value={value}
          disabled={disabled}
          title={disabled ? help : undefined}
          aria-describedby={helpId}
          onChange={(e) => void switchTo(e.target.value)}
          data-testid="instance-switcher"
        >
          {records.map((r) => (
            <option key={r.name} value={r.name}>
              {t('installed.switch.option', { name: r.name, root: instanceWhere(r) })}
            </option>
          ))}
        </select>
        <p id={helpId} className="help" role="status">
          {help}
        </p>
      </div>
      <button
        ref={toggleRef}
        type="button"
        className="link-button instance-switcher__add"
        aria-expanded={adding}
        aria-controls={panelId}
        onClick={() => setAdding(!adding)}
        data-testid="instance-add-toggle"
      >
        {t('installed.addAnother')}
      </button>
      <button
        type="button"
        className="link-button instance-switcher__remove"
        disabled={disabled}
        title={disabled ? help : undefined}
        aria-describedby={removeHelpId}
        aria-haspopup="dialog"
        onClick={() => setConfirmRemove(true)}
        data-testid="instance-remove"
      >
        {t('installed.removeInstance')}
      </button>
      <span id={removeHelpId} className="visually-hidden">
        {t('installed.removeInstance.help', { name: instance.name })}
      </span>
      {confirmRemove && (
        <ConfirmDialog
          title={t('installed.removeInstance.title', { name: instance.name })}
          text={t('installed.removeInstance.text', { name: instance.name })}
          confirmLabel={t('installed.removeInstance.confirm', { name: instance.name })}
          cancelLabel={t('installed.removeInstance.cancel')}
          onCancel={() => setConfirmRemove(false)}
          onConfirm={() => {
            setConfirmRemove(false);
            void removeInstance(instance.name);
          }}
        />
      )}
      <div id={panelId} hidden={!adding}>
        {adding && (
          <AddInstanceForm
            onAdded={() => {
              setAdding(false);
              toggleRef.current?.focus();
            }}
          />
        )}
      </div>
    </div>
  );
}
