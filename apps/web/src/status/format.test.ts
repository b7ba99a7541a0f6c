import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration, formatLatency } from './format';

describe('formatDuration', () => {
  it('keeps the two largest units', () => {
    expect(formatDuration(3 * 86_400 + 4 * 3_600 + 59)).toBe('3 days, 4 hours');
  });

  it('stops at a gap so it never reads "1 hour, 0 minutes"', () => {
    expect(formatDuration(3_600 + 5)).toBe('1 hour');
  });

  it('uses singular units', () => {
    expect(formatDuration(61)).toBe('1 minute, 1 second');
  });

  it('describes zero', () => {
    expect(formatDuration(0)).toBe('less than a second');
  });
});

describe('formatAgo', () => {
  it('measures against the server clock, not the browser', () => {
    expect(formatAgo('2030-01-01T00:00:00Z', '2030-01-01T00:00:12Z')).toBe('12 seconds ago');
  });

  it('treats clock skew as now', () => {
    expect(formatAgo('2030-01-01T00:00:05Z', '2030-01-01T00:00:00Z')).toBe('just now');
  });
});

describe('formatLatency', () => {
  it('shows a decimal only for small values', () => {
    expect(formatLatency(2.345)).toBe('2.3 ms');
    expect(formatLatency(42.7)).toBe('43 ms');
  });
});
