import { useId, useState, type ReactNode } from 'react';
import type { Check, CheckState } from '../../../shared/doctor';
import { t } from '../i18n/t';
import { checkElementId } from './doctor-link';

/** Writes `text` to the clipboard; false when the clipboard is missing or refuses (permissions, no focus). */
export async function copyToClipboard(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The state as a word (never colour alone): "Failed", "Warning", "OK", "Skipped". */
export function StateLabel({ state }: { state: CheckState }) {
  return (
    <span className={`doctor-state doctor-state--${state}`} data-testid="doctor-state">
      <span className="doctor-state__icon" aria-hidden="true">
        {STATE_ICONS[state]}
      </span>
      {t(`doctor.state.${state}`)}
    </span>
  );
}

const STATE_ICONS: Record<CheckState, string> = { ok: '✓', warning: '!', failed: '✕', skipped: '–' };

/** Where the core's fixes send the admin for proxy settings (the panel lives on the doctor screen). */
const NETWORK_SETTINGS_MENTION = /Settings > Network/;

/** `cmd` spans of a fix (the core writes commands between backticks). */
function commandsOf(fix: string): string[] {
  return [...fix.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '').filter(Boolean);
}

/** The fix text with its `commands` as <code>. */
function withCode(text: string): ReactNode[] {
  return text
    .split(/(`[^`\n]+`)/g)
    .map((part, i) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 2 ? <code key={i}>{part.slice(1, -1)}</code> : part,
    );
}

interface DoctorCheckProps {
  check: Check;
  /** The check a `#doctor/<id>` link points to: highlighted. */
  targeted: boolean;
  onOpenNetworkSettings: () => void;
  /** Says something in the screen's live region. */
  announce: (message: string) => void;
}

/** One check: its state as a word, title, summary, details (a <dl>) and fix (commands copyable). */
export function DoctorCheck({ check, targeted, onOpenNetworkSettings, announce }: DoctorCheckProps) {
  const titleId = useId();
  const fixId = useId();
  const [copyRefused, setCopyRefused] = useState(false);
  const details = Object.entries(check.details ?? {}).filter(([, v]) => v !== '');
  const fix = check.fix ?? '';
  const multiLine = fix.includes('\n');
  const commands = multiLine ? [fix] : commandsOf(fix);
  const prominent = check.state === 'failed' || check.state === 'warning';

  async function copyCommands() {
    const ok = await copyToClipboard(commands.join('\n'));
    setCopyRefused(!ok);
    announce(ok ? t('doctor.check.copied', { title: check.title }) : t('doctor.check.copyRefused'));
  }

  return (
    <article
      id={checkElementId(check.id)}
      tabIndex={-1}
      className={`doctor-check doctor-check--${check.state}${prominent ? ' doctor-check--prominent' : ''}${targeted ? ' doctor-check--target' : ''}`}
      aria-labelledby={titleId}
      data-testid="doctor-check"
      data-check={check.id}
      data-state={check.state}
    >
      <h3 id={titleId} className="doctor-check__title">
        <StateLabel state={check.state} />
        <span className="visually-hidden">: </span>
        <span className="doctor-check__name">{check.title}</span>
      </h3>
      <p className="doctor-check__summary">{check.summary}</p>
      {details.length > 0 && (
        <dl className="details doctor-check__details" aria-label={t('doctor.check.details', { title: check.title })}>
          {details.map(([label, value]) => (
            <div className="details__row" key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {fix && (
        <div className="doctor-fix" data-testid="doctor-fix">
          <h4 id={fixId} className="doctor-fix__title">
            {t('doctor.check.fix')}
          </h4>
          {multiLine ? (
            <pre className="doctor-fix__pre" aria-labelledby={fixId}>
              <code>{fix}</code>
            </pre>
          ) : (
            <p className="doctor-fix__text">{withCode(fix)}</p>
          )}
          {(commands.length > 0 || NETWORK_SETTINGS_MENTION.test(fix)) && (
            <div className="doctor-fix__actions">
              {commands.length > 0 && (
                <button
                  type="button"
                  className="button doctor-fix__button"
                  aria-label={t('doctor.check.copyFixLabel', { title: check.title })}
                  onClick={() => void copyCommands()}
                >
                  {t('doctor.check.copyFix')}
                </button>
              )}
              {NETWORK_SETTINGS_MENTION.test(fix) && (
                <button type="button" className="button doctor-fix__button" onClick={onOpenNetworkSettings}>
                  {t('doctor.check.openNetwork')}
                </button>
              )}
            </div>
          )}
          {copyRefused && <p className="help">{t('doctor.check.copyRefused')}</p>}
        </div>
      )}
    </article>
  );
}
