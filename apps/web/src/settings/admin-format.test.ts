import { describe, expect, it } from 'vitest';
import { expiresIn, formatDate, formatWhen } from './admin-format';

describe('expiresIn', () => {
  const now = new Date('2026-05-01T12:00:00Z');

  it('counts days, rounded, then hours', () => {
    expect(expiresIn('2026-05-08T12:00:00Z', now)).toBe('in 7 days');
    expect(expiresIn('2026-05-08T11:59:00Z', now)).toBe('in 7 days');
    expect(expiresIn('2026-05-03T06:00:00Z', now)).toBe('in 2 days');
    expect(expiresIn('2026-05-02T18:00:00Z', now)).toBe('in 1 day');
    expect(expiresIn('2026-05-01T17:30:00Z', now)).toBe('in 5 hours');
    expect(expiresIn('2026-05-01T12:20:00Z', now)).toBe('in 1 hour');
  });

  it('says when it has expired or cannot tell', () => {
    expect(expiresIn('2026-05-01T12:00:00Z', now)).toBe('expired');
    expect(expiresIn('not a date', now)).toBe('unknown');
  });
});

describe('dates', () => {
  it('formats in the reader’s locale and passes through what is not a date', () => {
    expect(formatDate('2026-05-01T12:00:00Z')).toMatch(/2026/);
    expect(formatWhen('2026-05-01T12:00:00Z')).toMatch(/2026/);
    expect(formatDate('garbage')).toBe('garbage');
  });
});
