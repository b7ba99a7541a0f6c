import { describe, expect, it } from 'vitest';
import { resolveClientAddress } from './client-address.js';

describe('client address under the trusted-proxy policy', () => {
  const none = { trustedProxyHops: 0 };
  const one = { trustedProxyHops: 1 };
  const two = { trustedProxyHops: 2 };

  it('uses the socket address and ignores X-Forwarded-For with no trusted proxy', () => {
    expect(resolveClientAddress('198.51.100.1', '203.0.113.9', none)).toBe('198.51.100.1');
    expect(resolveClientAddress('::ffff:198.51.100.1', undefined, none)).toBe('198.51.100.1');
    expect(resolveClientAddress('2001:db8::1', undefined, none)).toBe('2001:db8::1');
    expect(resolveClientAddress(undefined, '203.0.113.9', none)).toBeNull();
  });

  it('takes the Nth address from the right, never one the client wrote further left', () => {
    // The client sent "X-Forwarded-For: 10.0.0.1"; the one trusted proxy appended what it saw.
    expect(resolveClientAddress('192.0.2.254', '10.0.0.1, 203.0.113.9', one)).toBe('203.0.113.9');
    expect(resolveClientAddress('192.0.2.254', '10.0.0.1, 203.0.113.9, 192.0.2.200', two)).toBe('203.0.113.9');
    expect(resolveClientAddress('192.0.2.254', '203.0.113.9,2001:db8::5', one)).toBe('2001:db8::5');
  });

  it('falls back to the socket when fewer proxies than configured were passed, and refuses junk', () => {
    expect(resolveClientAddress('192.0.2.254', undefined, one)).toBe('192.0.2.254');
    expect(resolveClientAddress('192.0.2.254', '203.0.113.9', two)).toBe('192.0.2.254');
    expect(resolveClientAddress('192.0.2.254', 'unknown', one)).toBeNull();
    expect(resolveClientAddress('192.0.2.254', '203.0.113.9:443', one)).toBeNull();
  });
});
