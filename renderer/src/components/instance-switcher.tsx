import { useId, useRef, useState } from 'react';
import type { InstanceSummary } from '../../../shared/instances';
import { t } from '../i18n/t';
import { busyHere } from '../store/installed-slice';
import { useAppStore } from '../store/store-context';
import { AddInstanceForm } from './instance-add-form';

/**
 * The profile's GLPI instances: a list to switch the active one (at once, `instances.use`) and
 * "Add another GLPI instance", which shows the add form.
 * `data-testid="instance-switcher"` (the select, named "GLPI instance"), `instance-add-toggle`.
 */
export function InstanceSwitcher({ instance }: { instance: InstanceSummary }) {
  const list = useAppStore((s) => s.installed.instanceList);
  const switching = useAppStore((s) => s.installed.switching);
  const busy = useAppStore((s) => busyHere(s.installed));
  const switchTo = useAppStore((s) => s.installed.useInstance);
  const [adding, setAdding] = useState(false);
  const selectId = useId();
  const helpId = useId();
  const panelId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);

  // Until instances.list answers (or when it failed), the active instance alone.
  const records = list?.instances.length ? list.instances : [{ name: instance.name, root: instance.root }];
  const value = switching ?? instance.name;
  const help = switching
    ? t('installed.switch.switching', { name: switching })
    : busy
      ? t('installed.switch.busy')
      : t('installed.switch.help');
  const disabled = switching !== null || busy;

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
              {t('installed.switch.option', { name: r.name, root: r.root })}
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
