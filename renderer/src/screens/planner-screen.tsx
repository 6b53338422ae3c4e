/**
 * The Planner screen (`#planner`): before upgrading GLPI, what each plugin of the active instance
 * becomes with the target version (`plan.get`: keeps working, needs version X and whether the key
 * is entitled to it, no compatible version yet, absorbed into GLPI's core, not managed), the order
 * of operations to copy or save as Markdown, and "Download ahead" (`plan.downloadAhead`), which
 * puts the planned archives, verified, in the local cache.
 *
 * Stable hooks for e2e tests:
 * - `data-testid="planner-screen"`, `planner-to` (the version field), `planner-make` (the button);
 * - `planner-table`, `planner-row-<key>` with `data-verdict`;
 * - `planner-steps` (the checklist), `planner-copy`, `planner-save`;
 * - `planner-download`, `planner-progress`, `planner-downloads`, `planner-download-<key>` with `data-state`.
 */
import { useId, useState } from 'react';
import type { Plan, PlanDownload, PlanItem, PlanStep } from '../../../shared/plan';
import { planMarkdown } from '../../../shared/plan';
import { saveFile } from '../components/save-file';
import { TierBadge } from '../components/tier-badge';
import { t } from '../i18n/t';
import { useAppStore } from '../store/store-context';
import './planner-screen.css';
import { ColumnHeads } from '../components/column-heads';
import { ErrorNotice } from '../components/error-notice';
import { StopButton } from '../components/stop-button';

export function PlannerScreen() {
  const to = useAppStore((s) => s.planner.to);
  const setTo = useAppStore((s) => s.planner.setTo);
  const makePlan = useAppStore((s) => s.planner.makePlan);
  const plan = useAppStore((s) => s.planner.plan);
  const planState = useAppStore((s) => s.planner.planState);
  const toId = useId();
  const helpId = useId();
  const loading = planState.status === 'loading';
  return (
    <div className="planner-screen" data-testid="planner-screen">
      <h1 className="screen-title">{t('planner.title')}</h1>
      <p className="planner-screen__intro">{t('planner.intro')}</p>
      <form
        className="planner-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!loading) void makePlan();
        }}
      >
        <label htmlFor={toId}>{t('planner.to')}</label>
        <input
          id={toId}
          className="input"
          value={to}
          inputMode="decimal"
          aria-describedby={helpId}
          onChange={(e) => setTo(e.target.value)}
          data-testid="planner-to"
        />
        <button type="submit" className="button" aria-disabled={loading || undefined} data-testid="planner-make">
          {t('planner.make')}
        </button>
        <p id={helpId} className="help" role="status">
          {loading ? t('planner.making') : t('planner.to.help')}
        </p>
      </form>
      {planState.status === 'error' && (
        <ErrorNotice lead={t('planner.failed', { message: planState.error.message })} fix={planState.error.fix} />
      )}
      {plan && <PlanView plan={plan} />}
    </div>
  );
}

function PlanView({ plan }: { plan: Plan }) {
  return (
    <>
      <h2>{t('planner.heading', { instance: plan.instance, from: plan.from ?? '?', to: plan.to })}</h2>
      {!plan.catalogue.complete && <p className="notice">{t('planner.incomplete')}</p>}
      <p>
        {t('planner.counts', {
          keeps: plan.counts.keeps,
          needs: plan.counts.needs,
          none: plan.counts['none-yet'],
          absorbed: plan.counts.absorbed,
          unmanaged: plan.counts.unmanaged,
        })}
      </p>
      <VerdictTable plan={plan} />
      <DownloadAhead plan={plan} />
      <Checklist plan={plan} />
    </>
  );
}

function VerdictTable({ plan }: { plan: Plan }) {
  if (plan.items.length === 0) return <p>{t('planner.noPlugins')}</p>;
  return (
    <div className="table-scroll">
      <table className="planner-table" data-testid="planner-table">
        <caption>{t('planner.caption', { to: plan.to })}</caption>
        <ColumnHeads
          labels={[
            t('planner.col.plugin'),
            t('planner.col.installed'),
            t('planner.col.verdict'),
            t('planner.col.tier'),
            t('planner.col.why'),
          ]}
        />
        <tbody>
          {plan.items.map((item) => (
            <tr key={item.key} data-testid={`planner-row-${item.key}`} data-verdict={item.verdict}>
              <th scope="row">
                {item.name} <code>{item.key}</code>
              </th>
              <td>{item.installed ?? t('planner.unknownVersion')}</td>
              <td>
                <span className={`planner-verdict planner-verdict--${item.verdict}`}>
                  {t(`planner.verdict.${item.verdict}`)}
                </span>
              </td>
              <td>{item.verdict === 'keeps' || item.verdict === 'needs' ? <TierBadge offer={item.tier} /> : null}</td>
              <td>{reasonText(item, plan.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The verdict's reason in the UI language, from the plan's fields (the core's text is English). */
export function reasonText(item: PlanItem, to: string): string {
  const installed = item.installed ?? t('planner.unknownVersion');
  switch (item.verdict) {
    case 'keeps':
      return (
        t('planner.reason.keeps', { installed, to }) +
        (item.newer ? ' ' + t('planner.reason.newer', { newer: item.newer }) : '')
      );
    case 'needs':
      return (
        t('planner.reason.needs', { installed, to, version: item.version ?? '' }) +
        (item.entitled === false ? ' ' + t('planner.reason.notEntitled', { tier: item.tier?.title ?? '?' }) : '')
      );
    case 'none-yet':
      return t('planner.reason.none', { to });
    case 'absorbed':
      return t('planner.reason.absorbed', { to, command: item.absorbed?.command ?? '' });
    case 'unmanaged':
      return t(`planner.reason.unmanaged.${item.unmanaged ?? 'not-in-catalogue'}`, { to });
  }
}

function DownloadAhead({ plan }: { plan: Plan }) {
  const downloading = useAppStore((s) => s.planner.downloading);
  const progress = useAppStore((s) => s.planner.progress);
  const downloads = useAppStore((s) => s.planner.downloads);
  const error = useAppStore((s) => s.planner.downloadError);
  const downloadAhead = useAppStore((s) => s.planner.downloadAhead);
  const stop = useAppStore((s) => s.planner.stopDownloads);
  const stopping = useAppStore((s) => s.planner.stopping);
  const statusId = useId();
  const planned = plan.items.filter((i) => i.verdict === 'needs').length;
  return (
    <section className="planner-download" aria-labelledby={`${statusId}-h`}>
      <h2 id={`${statusId}-h`}>{t('planner.download.title')}</h2>
      <p>{t('planner.download.intro')}</p>
      <button
        type="button"
        className="button"
        disabled={downloading || planned === 0}
        aria-describedby={statusId}
        onClick={() => void downloadAhead()}
        data-testid="planner-download"
      >
        {t('planner.download')}
      </button>
      <p id={statusId} className="help" role="status" data-testid="planner-progress">
        {downloading
          ? progress
            ? t('planner.download.progress', {
                key: progress.key,
                version: progress.version,
                percent: Math.round(progress.fraction * 100),
              })
            : t('planner.download.running')
          : planned === 0
            ? t('planner.download.nothing')
            : ''}
      </p>
      {downloading && progress && (
        <progress max={1} value={progress.fraction} aria-label={t('planner.download.bar', { key: progress.key })} />
      )}
      {downloading && <StopButton stopping={stopping} onStop={() => void stop()} testId="planner-stop" />}
      {error && <ErrorNotice lead={t('planner.download.failed', { message: error.message })} fix={error.fix} />}
      {downloads && <DownloadResults downloads={downloads} />}
    </section>
  );
}

function DownloadResults({ downloads }: { downloads: PlanDownload[] }) {
  return (
    <ul className="planner-downloads" data-testid="planner-downloads">
      {downloads.map((d) => (
        <li key={d.key} data-testid={`planner-download-${d.key}`} data-state={d.state}>
          <strong>
            {d.key} {d.version}
          </strong>
          : {t(`planner.download.state.${d.state}`)}
          {d.message && <> — {d.message}</>}
          {d.fix && <> {t('installed.fix', { fix: d.fix })}</>}
        </li>
      ))}
    </ul>
  );
}

function Checklist({ plan }: { plan: Plan }) {
  const [copied, setCopied] = useState('');
  const markdown = planMarkdown(plan);
  async function copy() {
    try {
      await navigator.clipboard.writeText(markdown);
      setCopied(t('planner.copied'));
    } catch {
      setCopied(t('planner.copyFailed'));
    }
  }
  return (
    <section className="planner-steps" aria-labelledby="planner-steps-h">
      <h2 id="planner-steps-h">{t('planner.steps.title')}</h2>
      <ol data-testid="planner-steps">
        {plan.steps.map((step) => (
          <li key={step.id} data-step={step.id}>
            <strong>{stepTitle(step, plan)}</strong>
            <p>{stepDetail(step, plan)}</p>
            {step.commands.length > 0 && (
              <pre>
                <code>{step.commands.join('\n')}</code>
              </pre>
            )}
          </li>
        ))}
      </ol>
      <div className="planner-actions">
        <button type="button" className="button" onClick={() => void copy()} data-testid="planner-copy">
          {t('planner.copy')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => saveFile(`upgrade-plan-${plan.instance}-glpi-${plan.to}.md`, markdown, 'text/markdown')}
          data-testid="planner-save"
        >
          {t('planner.save')}
        </button>
        <p className="help" role="status">
          {copied}
        </p>
      </div>
    </section>
  );
}

function stepTitle(step: PlanStep, plan: Plan): string {
  return t(`planner.step.${step.id}`, { to: plan.to });
}

function stepDetail(step: PlanStep, plan: Plan): string {
  if (step.id === 'backup-files') return t('planner.step.backup-files.detail', { root: plan.root });
  if (step.id === 'suspend')
    return step.commands.some((c) => c.includes('plugin:suspend_execution'))
      ? t('planner.step.suspend.detail11')
      : t('planner.step.suspend.detail10', { to: plan.to });
  if (step.id === 'install') {
    const byHand = plan.items.filter((i) => i.verdict === 'unmanaged' || i.verdict === 'none-yet').map((i) => i.key);
    return (
      t(step.commands.length > 0 ? 'planner.step.install.detail' : 'planner.step.install.none') +
      (byHand.length > 0 ? ' ' + t('planner.step.install.byHand', { keys: byHand.join(', ') }) : '')
    );
  }
  return t(`planner.step.${step.id}.detail`, { to: plan.to });
}
