/**
 * The Doctor screen (`#doctor`, `#doctor/<checkId>`): runs every check of the network path, the key,
 * the SSH connection (an instance on a GLPI server) and the GLPI instance, shows the report with
 * fixes, copies or saves it, and holds the network settings. An SSH instance is offered by its
 * ssh:// address.
 *
 * Stable hooks for e2e tests (keep them when restyling):
 * - `data-testid="doctor-run"` — the "Run the checks" button; `aria-disabled="true"` while running.
 * - `data-testid="doctor-progress"` — shown while the checks run.
 * - `data-testid="doctor-section-<id>"` — one per section: network, key, ssh (SSH instances), instance.
 * - `data-testid="doctor-report"` / `"doctor-summary"` — `data-state` is the worst state
 *   (`ok | warning | failed | skipped`).
 * - `data-testid="doctor-check"` — one per check, `id="check-<checkId>"` (dots kept), `data-check`
 *   is the check id, `data-state` its state; inside, `data-testid="doctor-fix"` is the fix.
 * - `data-testid="doctor-copy" | "doctor-save"` — Copy report, Save report.
 * - `data-testid="doctor-live"` — the polite live region announcing the run and copy results.
 * - `data-testid="network-settings"` — the network settings panel.
 * - `data-testid="doctor-diagnose"` (key screen and elsewhere) — a "Diagnose" link, `data-check` its target.
 *
 * Accessible names: button "Run the checks" (then "Run the checks again"), "Copy report", "Save report";
 * select "GLPI instance to check" (several instances only); radio group "Proxy" with "System
 * settings", "Manual proxy", "PAC script", "No proxy"; fields "Proxy address", "Proxy user", "Proxy
 * password", "Go direct for", "PAC script address"; buttons "Set password", "Remove password",
 * "Save network settings".
 */
import { useEffect, useId, useRef, useState } from 'react';
import { instanceWhere } from '../../../shared/ssh-target';
import { DoctorReportView, countsText } from '../components/doctor-report';
import { checkElementId } from '../components/doctor-link';
import { NetworkSettingsPanel } from '../components/network-settings';
import { Spinner } from '../components/spinner';
import { useNow } from '../components/use-now';
import { t } from '../i18n/t';
import { useAppStore, useAppStoreApi, useAppStoreShallow } from '../store/store-context';
import './doctor-screen.css';
import { ErrorNotice } from '../components/error-notice';

/** What gets focus once a report is shown. */
type FocusRequest = { kind: 'summary' } | { kind: 'check'; id: string };

export function DoctorScreen() {
  const { report, run, stale, instances, instance, reportInstance, target, info } = useAppStoreShallow((s) => ({
    report: s.doctor.report,
    run: s.doctor.run,
    stale: s.doctor.stale,
    instances: s.doctor.instances,
    instance: s.doctor.instance,
    reportInstance: s.doctor.reportInstance,
    target: s.ui.screen === 'doctor' ? s.ui.sub : null,
    info: s.ui.info,
  }));
  const runChecks = useAppStore((s) => s.doctor.runChecks);
  const loadInstances = useAppStore((s) => s.doctor.loadInstances);
  const chooseInstance = useAppStore((s) => s.doctor.chooseInstance);
  const store = useAppStoreApi();
  const now = useNow();
  const running = run.status === 'loading';

  const summaryRef = useRef<HTMLHeadingElement>(null);
  const networkRef = useRef<HTMLHeadingElement>(null);
  const progressId = useId();
  const instanceId = useId();
  const [announcement, setAnnouncement] = useState('');
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);

  // Announce the run's start and end, whoever started it (the button or a link).
  const [seenRun, setSeenRun] = useState(run);
  if (seenRun !== run) {
    setSeenRun(run);
    if (run.status === 'loading') setAnnouncement(t('doctor.announce.running'));
    else if (run.status === 'error') setAnnouncement(t('doctor.announce.failed'));
    else if (run.status === 'ready' && report)
      setAnnouncement(
        t('doctor.announce.done', { state: t(`doctor.state.${report.state}`), counts: countsText(report) }),
      );
  }

  // A link to a check: focus it once there is a report (run one if none is loaded).
  const [seenTarget, setSeenTarget] = useState<string | null>(null);
  if (target !== seenTarget) {
    setSeenTarget(target);
    if (target) setFocusRequest({ kind: 'check', id: target });
  }

  useEffect(() => {
    void loadInstances();
  }, [loadInstances]);

  useEffect(() => {
    // Only when the link changes: a report already loaded is shown as it is.
    if (target && !store.getState().doctor.report) void runChecks();
  }, [target, store, runChecks]);

  // Each request moves focus once, when its report is on screen.
  const focused = useRef<FocusRequest | null>(null);
  useEffect(() => {
    if (!focusRequest || !report || running || focused.current === focusRequest) return;
    focused.current = focusRequest;
    if (focusRequest.kind === 'summary') {
      summaryRef.current?.focus();
      return;
    }
    const el = document.getElementById(checkElementId(focusRequest.id));
    if (el) {
      el.scrollIntoView?.({ block: 'start' });
      el.focus({ preventScroll: true });
    } else summaryRef.current?.focus();
  }, [focusRequest, report, running]);

  function start() {
    if (running) return;
    setFocusRequest(target ? { kind: 'check', id: target } : { kind: 'summary' });
    void runChecks();
  }

  function openNetworkSettings() {
    networkRef.current?.scrollIntoView?.({ block: 'start' });
    networkRef.current?.focus({ preventScroll: true });
  }

  const several = (instances?.instances.length ?? 0) > 1;
  const chosen = instance ?? instances?.active ?? '';
  return (
    <div className="doctor-screen">
      <h1 className="screen-title">{t('doctor.title')}</h1>
      <p className="doctor-screen__intro">{t('doctor.intro')}</p>

      <section className="doctor-run">
        {several && instances && (
          <div className="doctor-run__instance">
            <label htmlFor={instanceId} className="field-label">
              {t('doctor.instance.label')}
            </label>
            <p id={`${instanceId}-help`} className="help">
              {t('doctor.instance.help')}
            </p>
            <select
              id={instanceId}
              className="field"
              value={chosen}
              disabled={running}
              aria-describedby={`${instanceId}-help`}
              onChange={(e) => chooseInstance(e.target.value)}
              data-testid="doctor-instance"
            >
              {instances.instances.map((i) => (
                <option key={i.name} value={i.name}>
                  {t(i.name === instances.active ? 'doctor.instance.optionActive' : 'doctor.instance.option', {
                    name: i.name,
                    root: instanceWhere(i),
                  })}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="actions">
          <button
            type="button"
            className="button button--primary"
            onClick={start}
            aria-disabled={running || undefined}
            aria-describedby={running ? progressId : undefined}
            data-testid="doctor-run"
          >
            {report ? t('doctor.runAgain') : t('doctor.run')}
          </button>
        </div>
        {running && (
          <div className="doctor-progress" id={progressId} data-testid="doctor-progress">
            <Spinner />
            <div>
              <p className="doctor-progress__title">
                {t('doctor.running')} <Elapsed />
              </p>
              <p className="help">{t('doctor.runningHelp')}</p>
            </div>
          </div>
        )}
        {run.status === 'error' && (
          <ErrorNotice
            lead={t('doctor.runFailed', { message: run.error.message })}
            fix={run.error.fix}
            testId="doctor-run-error"
            code={run.error.code}
          />
        )}
        {!report && !running && run.status !== 'error' && <p className="help">{t('doctor.none')}</p>}
      </section>

      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="doctor-live">
        {announcement}
      </div>

      {report && (
        <DoctorReportView
          key={report.at}
          report={report}
          now={now}
          shellLabel={info ? t(`app.shell.${info.shell}`) : report.shell}
          instance={reportInstance}
          stale={stale}
          target={target}
          summaryRef={summaryRef}
          onOpenNetworkSettings={openNetworkSettings}
          announce={setAnnouncement}
        />
      )}

      <NetworkSettingsPanel headingRef={networkRef} />
    </div>
  );
}

/** Seconds since the run started, so a long run visibly moves. */
function Elapsed() {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(id);
  }, []);
  return <span className="doctor-progress__elapsed">{t('doctor.elapsed', { seconds })}</span>;
}
