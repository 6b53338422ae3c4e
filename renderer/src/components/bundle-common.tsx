import { useId, useState } from 'react';
import type { BundleFailure } from '../../../shared/bundle';
import type { ErrorShape } from '../../../shared/errors';
import { currentLocale, errorFix, errorMessage, t, type MessageKey } from '../i18n/t';
import { copyToClipboard } from './doctor-check';
import { ErrorNotice } from './error-notice';
import './bundle-dialog.css';

/** The whole file's SHA-256, prominent and selectable whole, with a Copy button and what it is for. */
export function BundleSha256({ sha256, label }: { sha256: string; label: string }) {
  const [feedback, setFeedback] = useState<string | null>(null);
  const labelId = useId();
  async function copy() {
    const ok = await copyToClipboard(sha256);
    setFeedback(t(ok ? 'bundle.sha256.copied' : 'bundle.sha256.copyRefused'));
  }
  return (
    <div className="bundle-sha256" data-testid="bundle-sha256">
      <p id={labelId} className="bundle-sha256__label">
        {label}
      </p>
      <code className="checksum bundle-sha256__value" aria-labelledby={labelId} data-testid="bundle-sha256-value">
        {sha256}
      </code>
      <div className="actions">
        <button type="button" className="button button--small" onClick={() => void copy()}>
          {t('bundle.sha256.copy')}
        </button>
        <p className="help" role="status">
          {feedback}
        </p>
      </div>
    </div>
  );
}

/** What to do about a BUNDLE_FAILED in the app (the core's fixes name the command line). */
const APP_FIXES: Partial<Record<BundleFailure['code'], MessageKey>> = {
  'not-found': 'bundle.fix.chooseAgain',
  unreadable: 'bundle.fix.chooseAgain',
  corrupt: 'bundle.fix.remake',
  truncated: 'bundle.fix.copyAgain',
  tampered: 'bundle.fix.remake',
  'sha256-mismatch': 'bundle.fix.sha256',
  'not-writable': 'bundle.fix.notWritable',
  unresolved: 'bundle.fix.unresolved',
};

/** The BundleFailure of an error, when it is a BUNDLE_FAILED. */
export function bundleFailure(error: ErrorShape | null): BundleFailure | null {
  if (error?.code !== 'BUNDLE_FAILED') return null;
  const details = error.details as BundleFailure | undefined;
  return details && typeof details.code === 'string' ? details : null;
}

/** An error of the Export or Import dialog: the core's message, and the fix for the app. */
export function BundleError({ lead, error, testId }: { lead: MessageKey; error: ErrorShape; testId: string }) {
  const failure = bundleFailure(error);
  const appFix = failure ? APP_FIXES[failure.code] : undefined;
  return (
    <ErrorNotice
      lead={t(lead, { message: errorMessage(error) })}
      fix={appFix ? t(appFix) : errorFix(error)}
      code={failure?.code ?? error.code}
      testId={testId}
    />
  );
}

const UNITS = [
  [1e9, 'gigabyte'],
  [1e6, 'megabyte'],
  [1e3, 'kilobyte'],
] as const;

/** A size for people, in the UI's language: "12.3 MB", "12,3 Mo", "512 byte". */
export function bundleSize(bytes: number): string {
  const [scale, unit] = UNITS.find(([s]) => bytes >= s) ?? [1, 'byte'];
  return new Intl.NumberFormat(currentLocale(), { style: 'unit', unit, maximumFractionDigits: 1 }).format(
    bytes / scale,
  );
}
