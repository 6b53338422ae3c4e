import { useId, useMemo, useRef, useState, type Ref } from 'react';
import type { CheckState, DoctorReport } from '../../../shared/doctor';
import { en as coreEn } from '../../../shared/messages/en';
import { localizeReport } from '../../../shared/messages/doctor-text';
import { formatRelativeWithDate } from '../i18n/format';
import { useLocale } from '../i18n/language';
import { coreMessages, t } from '../i18n/t';
import { saveFile } from './save-file';
import { countStates } from '../store/doctor-slice';
import { copyToClipboard, DoctorCheck, StateLabel } from './doctor-check';

/** The object URL lives long enough for the download to start, then is revoked. */
export { REVOKE_DELAY_MS as REPORT_REVOKE_DELAY_MS } from './save-file';

/** `marketdesk-doctor-2025-06-15.md`, from the report's date. */
export function reportFileName(report: Pick<DoctorReport, 'at'>): string {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(report.at)?.[0] ?? 'report';
  return `marketdesk-doctor-${date}.md`;
}

/** "1 failed, 2 warnings, 10 OK, 3 skipped" (states with no check left out). */
export function countsText(report: DoctorReport): string {
  const counts = countStates(report);
  const order: CheckState[] = ['failed', 'warning', 'ok', 'skipped'];
  return order
    .filter((state) => counts[state] > 0)
    .map((state) => t(`doctor.count.${state}`, { count: counts[state] }))
    .join(', ');
}

interface DoctorReportViewProps {
  report: DoctorReport;
  now: Date;
  shellLabel: string;
  instance: string | null;
  stale: boolean;
  /** The check a `#doctor/<id>` link points to. */
  target: string | null;
  summaryRef: Ref<HTMLHeadingElement>;
  onOpenNetworkSettings: () => void;
  announce: (message: string) => void;
}

/** The report: the overall state with Copy and Save, then each section and its checks. */
export function DoctorReportView({
  report: sent,
  now,
  shellLabel,
  instance,
  stale,
  target,
  summaryRef,
  onOpenNetworkSettings,
  announce,
}: DoctorReportViewProps) {
  const locale = useLocale();
  // The checks, their fixes and the Markdown in the UI language; in English, exactly as the core wrote them.
  const report = useMemo(() => {
    const messages = coreMessages();
    return messages === coreEn ? sent : localizeReport(sent, messages);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the locale decides coreMessages()
  }, [sent, locale]);
  const summaryId = useId();
  const textId = useId();
  const [copyRefused, setCopyRefused] = useState(false);
  const [feedback, setFeedback] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const missing = target !== null && !report.sections.some((s) => s.checks.some((c) => c.id === target));

  async function copyReport() {
    const ok = await copyToClipboard(report.markdown);
    const message = ok ? t('doctor.copied') : t('doctor.copyRefused');
    setCopyRefused(!ok);
    setFeedback(message);
    announce(message);
    if (!ok) {
      // The fallback: the text, selected, ready for Ctrl+C.
      requestAnimationFrame(() => {
        textRef.current?.focus();
        textRef.current?.select();
      });
    }
  }

  function saveReport() {
    const file = reportFileName(report);
    saveFile(file, report.markdown, 'text/markdown');
    const message = t('doctor.saved', { file });
    setFeedback(message);
    announce(message);
  }

  return (
    <div className="doctor-report" data-testid="doctor-report" data-state={report.state}>
      <section
        className={`doctor-summary doctor-summary--${report.state}`}
        aria-labelledby={summaryId}
        data-testid="doctor-summary"
        data-state={report.state}
      >
        <h2 id={summaryId} ref={summaryRef} tabIndex={-1} className="doctor-summary__title">
          <StateLabel state={report.state} />
          <span className="visually-hidden">: </span>
          <span>{t('doctor.summary.title', { state: t(`doctor.state.${report.state}`) })}</span>
        </h2>
        <p className="doctor-summary__counts" data-testid="doctor-counts">
          {countsText(report)}
        </p>
        <p className="help">
          {t('doctor.summary.at', { when: formatRelativeWithDate(report.at, now) })}
          {' · '}
          {t('doctor.summary.context', { profile: report.profile, shell: shellLabel, url: report.servicesUrl })}
        </p>
        {instance && <p className="help">{t('doctor.summary.instance', { name: instance })}</p>}
        {stale && (
          <p className="notice doctor-summary__stale" data-testid="doctor-stale">
            {t('doctor.summary.stale')}
          </p>
        )}
        {missing && <p className="notice">{t('doctor.target.missing', { id: target })}</p>}
        <div className="actions">
          <button type="button" className="button" onClick={() => void copyReport()} data-testid="doctor-copy">
            {t('doctor.copy')}
          </button>
          <button type="button" className="button" onClick={saveReport} data-testid="doctor-save">
            {t('doctor.save')}
          </button>
        </div>
        <p className="help">{t('doctor.actions.help')}</p>
        {feedback && (
          <p className="doctor-summary__feedback" data-testid="doctor-copy-feedback">
            {feedback}
          </p>
        )}
        {copyRefused && (
          <div className="doctor-summary__fallback">
            <label htmlFor={textId} className="field-label">
              {t('doctor.reportText')}
            </label>
            <textarea
              id={textId}
              ref={textRef}
              className="field doctor-summary__text"
              readOnly
              rows={12}
              value={report.markdown}
              data-testid="doctor-report-text"
            />
          </div>
        )}
      </section>

      {report.sections.map((section) => (
        <DoctorSectionView
          key={section.id}
          section={section}
          target={target}
          onOpenNetworkSettings={onOpenNetworkSettings}
          announce={announce}
        />
      ))}
    </div>
  );
}

function DoctorSectionView({
  section,
  target,
  onOpenNetworkSettings,
  announce,
}: {
  section: DoctorReport['sections'][number];
  target: string | null;
  onOpenNetworkSettings: () => void;
  announce: (message: string) => void;
}) {
  const titleId = useId();
  return (
    <section
      className="doctor-section"
      aria-labelledby={titleId}
      data-testid={`doctor-section-${section.id}`}
      data-section={section.id}
    >
      <h2 id={titleId} className="doctor-section__title">
        {section.title}
      </h2>
      <ol className="doctor-section__checks">
        {section.checks.map((check, i) => (
          // Ids are stable and unique per report; the index only guards against a core bug.
          <li key={`${check.id}-${i}`}>
            <DoctorCheck
              check={check}
              targeted={check.id === target}
              onOpenNetworkSettings={onOpenNetworkSettings}
              announce={announce}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}
