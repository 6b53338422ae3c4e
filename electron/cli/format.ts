import type { AppError } from '../../shared/errors';
import { en, render, type Messages } from '../../shared/messages';

/** A text table: one header row, columns padded, long cells cut with an ellipsis. */
export function columns(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.min(48, Math.max(...all.map((r) => (r[i] ?? '').length))));
  const cell = (text: string, i: number) => {
    const w = widths[i] ?? 0;
    return (text.length > w ? `${text.slice(0, w - 1)}…` : text).padEnd(w);
  };
  return all.map((r) => r.map(cell).join('  ').trimEnd()).join('\n');
}

/** Label/value lines with the values aligned. */
export function labelled(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/**
 * An error as the CLI prints it: its message and its fix, in the CLI's language when the core sent
 * references (install failures, the doctor's checks), else the core's English. `inline` keeps both
 * on one line (a table cell).
 */
export function errorText(err: AppError, messages: Messages = en, inline = false): string {
  // English is the core's own text, as sent (its references may leave out a prefix such as the step).
  const translated = messages !== en;
  const step = err.code === 'INSTALL_FAILED' && err.ref ? (err.details as { step?: unknown } | undefined)?.step : null;
  const message = translated
    ? `${typeof step === 'string' ? `${messages['install.failedAt']({ step })} ` : ''}${render(messages, err.ref, err.message)}`
    : err.message;
  if (!err.fix) return message;
  const fix = translated ? render(messages, err.fixRef, err.fix) : err.fix;
  return `${message}${inline ? ' ' : '\n'}${translated ? messages['doctor.report.fix']() : 'Fix:'} ${fix}`;
}
