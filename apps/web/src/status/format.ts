const UNITS = [
  { unit: 'day', seconds: 86_400 },
  { unit: 'hour', seconds: 3_600 },
  { unit: 'minute', seconds: 60 },
  { unit: 'second', seconds: 1 },
] as const;

function plural(count: number, unit: string): string {
  return `${count.toLocaleString()} ${unit}${count === 1 ? '' : 's'}`;
}

/** "3 days, 4 hours": the two largest non-zero units are precise enough for an uptime. */
export function formatDuration(totalSeconds: number): string {
  let remaining = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  for (const { unit, seconds } of UNITS) {
    const count = Math.floor(remaining / seconds);
    remaining -= count * seconds;
    if (count > 0 && parts.length < 2) parts.push(plural(count, unit));
    if (parts.length > 0 && count === 0) break;
  }
  return parts.length > 0 ? parts.join(', ') : 'less than a second';
}

/** How long before `now` the moment `then` was, e.g. "12 seconds ago". Both are ISO strings from the server. */
export function formatAgo(then: string, now: string): string {
  const seconds = Math.round((Date.parse(now) - Date.parse(then)) / 1000);
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 1) return 'just now';
  return `${formatDuration(seconds)} ago`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatTime(date: Date): string {
  return timeOnly.format(date);
}

export function formatLatency(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString()} ms`;
}

export function formatCount(value: number): string {
  return value.toLocaleString();
}
