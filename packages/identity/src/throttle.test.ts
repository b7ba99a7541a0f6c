import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isAppError } from '@kindling/errors';
import { createIdentityTestHarness, type IdentityTestHarness } from './testing/index.js';
import {
  accountThrottleKey,
  accountThrottlePolicy,
  addressThrottleKey,
  addressThrottlePolicy,
  lockSeconds,
  type AuthThrottle,
  type ThrottleKey,
} from './throttle.js';

async function retryAfter(attempt: Promise<unknown>): Promise<number> {
  try {
    await attempt;
  } catch (error) {
    if (isAppError(error) && error.code === 'RATE_LIMITED') return error.details?.['retryAfterSeconds'] as number;
    throw error;
  }
  return 0;
}

describe('throttle policy', () => {
  it('is free for five failures, then doubles from 2 s to a 15-minute cap, and locks for an hour at 20', () => {
    const delays = Array.from({ length: 21 }, (_, index) => lockSeconds(index, accountThrottlePolicy));
    expect(delays.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(delays.slice(5, 10)).toEqual([2, 4, 8, 16, 32]);
    expect(delays[14]).toBe(900);
    expect(delays[19]).toBe(900);
    expect(delays[20]).toBe(3600);
    expect(accountThrottlePolicy.hardLockFailures).toBeLessThan(100);
  });

  it('keys IPv4 addresses as they are and IPv6 addresses by their /64', () => {
    expect(addressThrottleKey('203.0.113.7')?.key).toBe('address:203.0.113.7');
    expect(addressThrottleKey('::ffff:203.0.113.7')?.key).toBe('address:203.0.113.7');
    expect(addressThrottleKey('2001:db8:1:2:aaaa::1')?.key).toBe('address:2001:db8:1:2::/64');
    expect(addressThrottleKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')?.key).toBe('address:2001:db8:1:2::/64');
    expect(addressThrottleKey('::1')?.key).toBe('address:0:0:0:0::/64');
    expect(addressThrottleKey('not an address')).toBeUndefined();
    expect(addressThrottleKey(null)).toBeUndefined();
    expect(addressThrottleKey('203.0.113.7')?.policy).toBe(addressThrottlePolicy);
  });
});

describe('throttle counters in auth_throttle', () => {
  let harness: IdentityTestHarness;
  let throttle: AuthThrottle;
  let counter = 0;
  const freshKey = (): ThrottleKey => accountThrottleKey(Buffer.alloc(32, (counter += 1)));

  beforeAll(async () => {
    harness = await createIdentityTestHarness({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    throttle = harness.identity.throttle;
  });
  afterAll(async () => {
    await harness.close();
  });

  it('locks a key after five failures and says for how long, without counting refused attempts', async () => {
    const key = freshKey();
    for (let attempt = 0; attempt < 5; attempt += 1) await throttle.reserve([key]);
    expect(await retryAfter(throttle.reserve([key]))).toBe(2);
    expect(await retryAfter(throttle.reserve([key]))).toBe(2);
    harness.clock.advance(2_000);
    await throttle.reserve([key]);
    expect(await retryAfter(throttle.reserve([key]))).toBe(4);
  });

  it('lets only five of a hundred concurrent attempts through: the lock is taken with the count', async () => {
    const key = freshKey();
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => throttle.reserve([key])));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'RATE_LIMITED' });
    }
  });

  it('refunds a successful attempt and lifts its delay; twenty real failures lock for an hour', async () => {
    const key = freshKey();
    for (let attempt = 0; attempt < 5; attempt += 1) await throttle.reserve([key]);
    await throttle.refund([{ key, clearLock: true }]);
    await throttle.reserve([key]);

    const locked = freshKey();
    for (let attempt = 0; attempt < 19; attempt += 1) {
      harness.clock.advance(16 * 60_000);
      await throttle.reserve([locked]);
    }
    harness.clock.advance(16 * 60_000);
    await throttle.reserve([locked]);
    // The twentieth attempt succeeded after all: only nineteen failures, no hard lock.
    await throttle.refund([{ key: locked, clearLock: true }]);
    await throttle.reserve([locked]);
    // That was the twentieth real failure.
    expect(await retryAfter(throttle.reserve([locked]))).toBe(3600);
    harness.clock.advance(3600_000);
    await throttle.reserve([locked]);
    expect(await retryAfter(throttle.reserve([locked]))).toBe(3600);
  });

  it('refuses when any key is locked, and then counts against none of them', async () => {
    const account = freshKey();
    const address = addressThrottleKey('198.51.100.77');
    for (let attempt = 0; attempt < 5; attempt += 1) await throttle.reserve([account]);
    expect(await retryAfter(throttle.reserve([address, account]))).toBe(2);
    const row = await harness.database.ownerDb.selectFrom('auth_throttle').selectAll().where('key', '=', 'address:198.51.100.77').executeTakeFirst();
    expect(row?.failures ?? 0).toBe(0);
  });

  it('forgets a key on reset', async () => {
    const key = freshKey();
    for (let attempt = 0; attempt < 6; attempt += 1) await retryAfter(throttle.reserve([key]));
    await throttle.reset(key);
    await throttle.reserve([key]);
  });
});
