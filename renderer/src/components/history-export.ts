import { fileNamePart, saveFile } from './save-file';
/**
 * The history of an instance as files an admin can keep or hand over: JSON (the entries as the core
 * wrote them) and RFC 4180 CSV. Pure functions, plus `downloadText` for the browser side.
 */
import type { HistoryEntry } from '../../../shared/instances';

export const HISTORY_CSV_COLUMNS = [
  'when',
  'user',
  'action',
  'key',
  'from',
  'to',
  'sha256',
  'result',
  'step',
  'error',
  'note',
] as const;

/** How long the object URL of a download is kept (the browser reads it after the click). */
export { REVOKE_DELAY_MS } from './save-file';

/** Excel reads UTF-8 CSV as the local code page without it. */

/**
 * One CSV cell: a value a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab
 * or CR) gets a leading `'` (notes and messages may quote what a plugin or a server said); a value
 * with `"`, `,`, CR or LF is quoted with its `"` doubled.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An ISO 8601 date in UTC; a date that cannot be read is kept as it was written. */
export function isoDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The history as CSV: a header row, one row per entry in the given order, CRLF line ends. */
export function historyCsv(entries: readonly HistoryEntry[]): string {
  const rows: string[][] = [[...HISTORY_CSV_COLUMNS]];
  for (const e of entries) {
    rows.push([
      isoDate(e.at),
      e.user,
      e.action,
      e.key,
      e.from ?? '',
      e.to ?? '',
      e.sha256 ?? '',
      e.result,
      e.error?.step ?? '',
      e.error?.message ?? '',
      e.note ?? '',
    ]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The history as JSON: the entries as the core keeps them, indented. */
export function historyJson(entries: readonly HistoryEntry[]): string {
  return JSON.stringify(entries, null, 2) + '\n';
}

/** `marketdesk-history-<instance>-<YYYY-MM-DD>.<ext>`, with only safe characters in the instance name. */
export function historyFileName(instance: string, now: Date, ext: 'csv' | 'json'): string {
  return `marketdesk-history-${fileNamePart(instance)}-${now.toISOString().slice(0, 10)}.${ext}`;
}

/** Saves `text` through the browser's download. */
export function downloadText(fileName: string, text: string, type: 'text/csv' | 'application/json'): void {
  saveFile(fileName, text, type);
}
