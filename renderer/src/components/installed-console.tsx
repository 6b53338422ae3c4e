import { errorFix, errorMessage, t } from '../i18n/t';
import type { PluginAction } from '../../../shared/instances';
import { useAppStore } from '../store/store-context';
import { ReasonButton } from './reason-button';

/**
 * After an install or update: run GLPI's own console for the plugin (plugin:install, then
 * plugin:activate), when the settings offer it and this machine can; the output is shown as is.
 * `data-testid="console-step"`; the output is `console-output`.
 */
export function ConsoleStep({ pluginKey, action }: { pluginKey: string; action: PluginAction }) {
  const info = useAppStore((s) => s.installed.view?.console);
  const current = useAppStore((s) => s.installed.consoleRuns[pluginKey]);
  const runConsole = useAppStore((s) => s.installed.runConsole);
  if (!info?.offered || (action !== 'install' && action !== 'update')) return null;
  if (!info.available)
    return (
      <p className="job-status__note" data-testid="console-step" data-state="unavailable">
        {t('installed.console.unavailable', { reason: info.reason ?? '' })}
      </p>
    );
  const running = current?.state === 'running';
  return (
    <div className="console-step" data-testid="console-step" data-state={current?.state ?? 'idle'}>
      <p>{t('installed.console.offer')}</p>
      <div className="console-step__actions">
        {(['install', 'activate'] as const).map((step) => (
          <ReasonButton
            key={step}
            className="button button--small"
            reason={running ? t('installed.console.busy') : null}
            onClick={() => void runConsole(pluginKey, step)}
            data-testid={`console-${step}`}
          >
            {t(step === 'install' ? 'installed.console.install' : 'installed.console.activate', { key: pluginKey })}
          </ReasonButton>
        ))}
      </div>
      {current?.state === 'running' && <p role="status">{t('installed.console.running')}</p>}
      {current?.state === 'failed' && (
        <p role="alert">
          {errorMessage(current.error)}
          {errorFix(current.error) ? ` ${t('installed.fix', { fix: errorFix(current.error) })}` : ''}
        </p>
      )}
      {current?.state === 'done' && (
        <div role="status">
          <p>
            <code>{current.run.commandLine}</code>
          </p>
          <p>{current.run.message}</p>
          {current.run.fix && <p>{t('installed.fix', { fix: current.run.fix })}</p>}
          {current.run.output.trim() !== '' && (
            <pre className="console-step__output" data-testid="console-output" tabIndex={0}>
              {current.run.output}
            </pre>
          )}
        </div>
      )}
    </div>
  );
}
