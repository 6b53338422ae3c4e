import { currentLocale, t } from './t';

/** Dates as GLPI Network sends them: `YYYY-MM-DD` (a calendar day, no time zone) or full ISO. */
function parse(value: string): { date: Date; dayOnly: boolean } | null {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(dayOnly ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? null : { date, dayOnly };
}

export function formatDate(value: string): string {
  const parsed = parse(value);
  if (!parsed) return value;
  return new Intl.DateTimeFormat(currentLocale(), {
    dateStyle: 'medium',
    ...(parsed.dayOnly ? { timeZone: 'UTC' } : {}),
  }).format(parsed.date);
}

export function formatDateTime(value: string): string {
  const parsed = parse(value);
  if (!parsed) return value;
  if (parsed.dayOnly) return formatDate(value);
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(parsed.date);
}

/** "5 minutes ago", "in 2 hours"… against `now`. */
export function formatRelative(value: string, now: Date): string {
  const parsed = parse(value);
  if (!parsed) return value;
  const diff = parsed.date.getTime() - now.getTime();
  const minutes = Math.round(Math.abs(diff) / 60_000);
  const past = diff <= 0;
  if (minutes < 1) return past ? t('time.justNow') : t('time.soon');
  if (minutes < 60) return t(past ? 'time.minutesAgo' : 'time.inMinutes', { count: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 24) return t(past ? 'time.hoursAgo' : 'time.inHours', { count: hours });
  const days = Math.round(hours / 24);
  return t(past ? 'time.daysAgo' : 'time.inDays', { count: days });
}

/** "5 minutes ago (Mar 3, 2025, 10:05 AM)". */
export function formatRelativeWithDate(value: string, now: Date): string {
  return t('time.withDate', { relative: formatRelative(value, now), date: formatDateTime(value) });
}
