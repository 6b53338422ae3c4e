import { useId } from 'react';
import type { ConsolePlugin, ConsolePluginState, InstalledPlugin, PluginAction } from '../../../shared/instances';
import { errorFix, errorMessage, t, type MessageKey } from '../i18n/t';
import { glpiStateOf, type ConsoleState } from '../store/installed-slice';
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
      {current && <ConsoleRunResult current={current} />}
    </div>
  );
}

/** A console run as it goes: running, why it could not start, or its command line, verdict and output. */
function ConsoleRunResult({ current }: { current: ConsoleState }) {
  if (current.state === 'running') return <p role="status">{t('installed.console.running')}</p>;
  if (current.state === 'failed')
    return (
      <p role="alert">
        {errorMessage(current.error)}
        {errorFix(current.error) ? ` ${t('installed.fix', { fix: errorFix(current.error) })}` : ''}
      </p>
    );
  return (
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
  );
}

const STATE_KEYS: Record<Exclude<ConsolePluginState, 'unknown'>, MessageKey> = {
  activated: 'installed.glpiState.activated',
  'not-activated': 'installed.glpiState.notActivated',
  'to-configure': 'installed.glpiState.toConfigure',
  'to-update': 'installed.glpiState.toUpdate',
  'not-installed': 'installed.glpiState.notInstalled',
  new: 'installed.glpiState.new',
  'to-clean': 'installed.glpiState.toClean',
  replaced: 'installed.glpiState.replaced',
};

/** The state GLPI's database gives a plugin (`plugin:list`), in words. */
export function glpiStateText(p: ConsolePlugin): string {
  return p.state === 'unknown' ? p.stateLabel : t(STATE_KEYS[p.state]);
}

/**
 * The plugin's state in GLPI (from `plugin:list`, when GLPI's console was read), and where GLPI's
 * database and the files disagree. `data-testid="plugin-glpi-state"`, `data-state` the state.
 */
export function PluginGlpiState({ plugin }: { plugin: InstalledPlugin }) {
  const state = useAppStore((s) => glpiStateOf(s.installed.view, plugin));
  if (!state) return null;
  return (
    <span className="plugin-glpi-state">
      <span
        className={`plugin-flag plugin-glpi-state--${state.state}`}
        data-testid="plugin-glpi-state"
        data-state={state.state}
      >
        {t('installed.glpiState.label', { state: glpiStateText(state) })}
      </span>
      {state.mismatch && (
        <span className="help" data-testid="plugin-glpi-mismatch">
          {' '}
          {t('installed.glpiState.mismatch', { mismatch: state.mismatch })}
        </span>
      )}
    </span>
  );
}

/**
 * What GLPI's own console says of the active instance, when it was read (the console step is offered
 * and can run): why something could not be read, where GLPI's database and the files disagree, and
 * plugin:resume_execution (GLPI 11) with its output. `data-testid="glpi-console"`; the button is
 * `console-resume` (disabled with the reason as its description when the plugins are not ready).
 */
export function GlpiConsolePanel() {
  const glpi = useAppStore((s) => s.installed.view?.console?.glpi);
  const resumeRun = useAppStore((s) => s.installed.resumeRun);
  const resumeExecution = useAppStore((s) => s.installed.resumeExecution);
  const titleId = useId();
  const reasonId = useId();
  if (!glpi) return null;
  const mismatches = (glpi.plugins ?? []).filter((p) => p.mismatch !== null);
  const running = resumeRun?.state === 'running';
  const blocked = glpi.resume.ready ? null : (glpi.resume.reason ?? '');
  return (
    <section className="glpi-console box" aria-labelledby={titleId} data-testid="glpi-console">
      <h2 id={titleId} className="glpi-console__title">
        {t('installed.console.title')}
      </h2>
      {glpi.plugins && <p>{t('installed.console.states', { count: glpi.plugins.length })}</p>}
      {glpi.notes.length > 0 && (
        <ul className="help" data-testid="glpi-console-notes">
          {glpi.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {mismatches.length > 0 && (
        <div className="installed-warning" data-testid="glpi-console-mismatches">
          <p>
            <strong>{t('installed.console.mismatches')}</strong>
          </p>
          <ul>
            {mismatches.map((p) => (
              <li key={p.key}>
                <code>{p.key}</code> ({glpiStateText(p)}): {p.mismatch}
              </li>
            ))}
          </ul>
        </div>
      )}
      {glpi.resume.offered && (
        <div className="console-step" data-testid="console-resume-step" data-state={resumeRun?.state ?? 'idle'}>
          <p>{t('installed.console.resume.intro')}</p>
          <button
            type="button"
            className="button button--small"
            disabled={blocked !== null || running}
            aria-describedby={blocked !== null ? reasonId : undefined}
            onClick={() => void resumeExecution()}
            data-testid="console-resume"
          >
            {t('installed.console.resume')}
          </button>
          {blocked !== null && (
            <p id={reasonId} className="help">
              {t('installed.console.resume.notReady', { reason: blocked })}
            </p>
          )}
          {resumeRun && <ConsoleRunResult current={resumeRun} />}
        </div>
      )}
    </section>
  );
}
