import { describe, expect, it } from 'vitest';
import { safeReturnTo, withReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it.each([
    ['/donors', '/donors'],
    ['/donors?segment=lapsed#top', '/donors?segment=lapsed#top'],
    ['/account/security', '/account/security'],
  ])('keeps the same-origin path %s', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    '',
    'donors',
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    ' /donors',
    '/\u0000donors',
    'javascript:alert(1)',
    '/\tdonors',
    '/sign-in',
    '/mfa/verify',
    '/enrol',
  ])('sends %s to the Overview', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });
});

describe('withReturnTo', () => {
  it('adds the destination as a query parameter', () => {
    expect(withReturnTo('/sign-in', '/donors?x=1')).toBe('/sign-in?returnTo=%2Fdonors%3Fx%3D1');
  });

  it('leaves it out when the destination is the Overview', () => {
    expect(withReturnTo('/sign-in', '/')).toBe('/sign-in');
  });
});
