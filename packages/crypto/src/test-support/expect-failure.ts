import { isCryptoFailure, type CryptoFailureReason } from '../index.js';

/** Resolves to the error `work` failed with; throws if it succeeded (so a test cannot pass vacuously). */
export async function failureOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, and it succeeded');
}

/** True when `work` fails with a crypto failure (of `reason`, when given). */
export async function failsWithCryptoFailure(work: Promise<unknown> | (() => Promise<unknown>), reason?: CryptoFailureReason): Promise<boolean> {
  const error = await failureOf(work);
  return isCryptoFailure(error, reason);
}
