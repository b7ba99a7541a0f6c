import { isIP } from 'node:net';
import { AppError } from '@kindling/errors';
import type { Database, Kysely } from '@kindling/db';
import type { Clock } from './identity-dependencies.js';

/**
 * How failures on one key turn into waiting. Up to `freeFailures` failures cost nothing; then
 * each further failure locks the key for twice as long as the last (2 s, 4 s, … capped at
 * `maxDelaySeconds`), and at `hardLockFailures` it is locked for `hardLockSeconds`, which only
 * time or an administrator (`reset`) lifts. Only a completed sign-in forgets an account's failures.
 */
export interface ThrottlePolicy {
  readonly freeFailures: number;
  readonly maxDelaySeconds: number;
  readonly hardLockFailures: number;
  readonly hardLockSeconds: number;
  /** A key that has not been locked and whose first failure is older than this starts afresh. */
  readonly forgetAfterSeconds: number;
}

/**
 * Per account (password and second-factor failures alike): 20 failures lock it for an hour,
 * so an online guesser gets at most 20 tries an hour, far below 100 consecutive failures.
 */
export const accountThrottlePolicy: ThrottlePolicy = {
  freeFailures: 5,
  maxDelaySeconds: 15 * 60,
  hardLockFailures: 20,
  hardLockSeconds: 60 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
};

/**
 * Per client address, against spraying one password over many accounts. More lenient than
 * per account, because an office or a carrier NAT puts many people behind one address.
 */
export const addressThrottlePolicy: ThrottlePolicy = {
  freeFailures: 10,
  maxDelaySeconds: 15 * 60,
  hardLockFailures: 100,
  hardLockSeconds: 60 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
};

export interface ThrottleKey {
  /** `account:<hex>` or `address:<ip>` (auth_throttle.key). */
  readonly key: string;
  readonly policy: ThrottlePolicy;
}

/**
 * Keyed by the e-mail blind index rather than the user id, so that an address with no account
 * locks exactly like one with an account: lockouts cannot be used to discover accounts.
 */
export function accountThrottleKey(emailBlindIndex: Uint8Array): ThrottleKey {
  return { key: `account:${Buffer.from(emailBlindIndex).toString('hex')}`, policy: accountThrottlePolicy };
}

/** Expands an IPv6 address to its eight 16-bit groups. */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::', 2);
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array.from({ length: 8 - left.length - right.length }, () => 0), ...right];
}

/**
 * The throttle key of a client address. IPv6 addresses count per /64: one subscriber is
 * usually given a whole /64, so counting single addresses would let one client rotate freely.
 */
export function addressThrottleKey(clientAddress: string | null): ThrottleKey | undefined {
  if (clientAddress === null) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(clientAddress);
  const address = mapped?.[1] ?? clientAddress;
  switch (isIP(address)) {
    case 4:
      return { key: `address:${address}`, policy: addressThrottlePolicy };
    case 6: {
      const prefix = ipv6Groups(address.split('%')[0] ?? address).slice(0, 4).map((group) => group.toString(16));
      return { key: `address:${prefix.join(':')}::/64`, policy: addressThrottlePolicy };
    }
    default:
      return undefined;
  }
}

/** Seconds a key is locked after its `failures`-th failure (0: not locked). */
export function lockSeconds(failures: number, policy: ThrottlePolicy): number {
  if (failures >= policy.hardLockFailures) return policy.hardLockSeconds;
  if (failures < policy.freeFailures) return 0;
  return Math.min(2 ** (failures - policy.freeFailures + 1), policy.maxDelaySeconds);
}

export interface AuthThrottle {
  /**
   * Counts an attempt as a failure on every key BEFORE it is evaluated, or throws
   * RATE_LIMITED (`details.retryAfterSeconds`) without counting when any key is locked.
   * Counting first (rather than after a failed check) is what bounds guessing under
   * concurrency: a hundred parallel attempts take a hundred consecutive counts, and the lock
   * each count sets applies to the next one, so no more than `hardLockFailures` are ever evaluated.
   */
  reserve(keys: readonly (ThrottleKey | undefined)[]): Promise<void>;
  /**
   * The reserved attempt succeeded, so it does not count. With `clearLock` the key's delay is
   * lifted too (the person just proved they know the secret), but never a hard lock.
   */
  refund(keys: readonly { readonly key: ThrottleKey | undefined; readonly clearLock: boolean }[]): Promise<void>;
  /** Forgets a key's failures: an account after a completed sign-in, or an administrator's unlock. */
  reset(key: ThrottleKey): Promise<void>;
  /** Deletes counters that are neither locked nor recent; for a periodic job. Returns how many. */
  prune(): Promise<number>;
}

export interface ThrottleDependencies {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
}

function present(keys: readonly (ThrottleKey | undefined)[]): ThrottleKey[] {
  const unique = new Map<string, ThrottleKey>();
  for (const key of keys) if (key !== undefined) unique.set(key.key, key);
  // A fixed order of row locks, so two attempts on overlapping keys cannot deadlock.
  return [...unique.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function createAuthThrottle(deps: ThrottleDependencies): AuthThrottle {
  const { db, clock } = deps;

  return {
    async reserve(keys) {
      const ordered = present(keys);
      if (ordered.length === 0) return;
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('auth_throttle')
          .values(ordered.map((key) => ({ key: key.key, failures: 0, first_failure_at: now, locked_until: null })))
          .onConflict((conflict) => conflict.column('key').doNothing())
          .execute();
        const rows = await trx
          .selectFrom('auth_throttle')
          .select(['key', 'failures', 'first_failure_at', 'locked_until'])
          .where(
            'key',
            'in',
            ordered.map((key) => key.key),
          )
          .orderBy('key')
          .forUpdate()
          .execute();
        const byKey = new Map(rows.map((row) => [row.key, row]));
        const lockedUntil = Math.max(0, ...rows.map((row) => row.locked_until?.getTime() ?? 0));
        if (lockedUntil > now.getTime()) {
          const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil - now.getTime()) / 1000));
          throw new AppError('RATE_LIMITED', `Too many failed attempts. Try again in ${String(retryAfterSeconds)} seconds.`, {
            details: { retryAfterSeconds },
          });
        }
        for (const key of ordered) {
          const row = byKey.get(key.key);
          const stale = row === undefined || row.failures === 0 || now.getTime() - row.first_failure_at.getTime() > key.policy.forgetAfterSeconds * 1000;
          const failures = (stale ? 0 : row.failures) + 1;
          const seconds = lockSeconds(failures, key.policy);
          await trx
            .updateTable('auth_throttle')
            .set({
              failures,
              first_failure_at: stale ? now : row.first_failure_at,
              locked_until: seconds === 0 ? null : new Date(now.getTime() + seconds * 1000),
            })
            .where('key', '=', key.key)
            .execute();
        }
      });
    },

    async refund(keys) {
      const clearLock = new Map(keys.flatMap(({ key, clearLock: clear }) => (key === undefined ? [] : [[key.key, clear] as const])));
      const ordered = present(keys.map(({ key }) => key));
      if (ordered.length === 0) return;
      await db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('auth_throttle')
          .select(['key', 'failures', 'locked_until'])
          .where(
            'key',
            'in',
            ordered.map((key) => key.key),
          )
          .orderBy('key')
          .forUpdate()
          .execute();
        for (const key of ordered) {
          const row = rows.find((candidate) => candidate.key === key.key);
          if (row === undefined) continue;
          const failures = Math.max(0, row.failures - 1);
          const lifted = failures < key.policy.freeFailures || (clearLock.get(key.key) === true && failures < key.policy.hardLockFailures);
          await trx
            .updateTable('auth_throttle')
            .set({ failures, locked_until: lifted ? null : row.locked_until })
            .where('key', '=', key.key)
            .execute();
        }
      });
    },

    async reset(key) {
      await db.deleteFrom('auth_throttle').where('key', '=', key.key).execute();
    },

    async prune() {
      const now = clock.now();
      const forgetBefore = new Date(now.getTime() - Math.max(accountThrottlePolicy.forgetAfterSeconds, addressThrottlePolicy.forgetAfterSeconds) * 1000);
      const result = await db
        .deleteFrom('auth_throttle')
        .where('first_failure_at', '<', forgetBefore)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
