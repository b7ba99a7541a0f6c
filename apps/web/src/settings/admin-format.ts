const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A calendar date in the reader's locale and time zone; the raw value if it is not a date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

/** Date and time to the minute, in the reader's locale and time zone. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** "in 7 days", "in 1 day", "in 5 hours" or "expired", for an expiry seen at `now`. */
export function expiresIn(expiresAt: string, now: Date): string {
  const ms = Date.parse(expiresAt) - now.getTime();
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms <= 0) return 'expired';
  // Rounded, so a 7-day link sent a minute ago reads "in 7 days", not "in 6 days".
  if (ms >= 1.5 * DAY_MS) return `in ${String(Math.round(ms / DAY_MS))} days`;
  if (ms >= DAY_MS) return 'in 1 day';
  const hours = Math.max(1, Math.floor(ms / HOUR_MS));
  return `in ${String(hours)} ${hours === 1 ? 'hour' : 'hours'}`;
}
