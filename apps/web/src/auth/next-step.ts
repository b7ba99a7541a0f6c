import type { NextStep } from './auth-api';
import { withReturnTo } from './return-to';

const STEP_PATHS: Record<NextStep, string> = {
  enrol_totp: '/mfa/setup',
  verify_mfa: '/mfa/verify',
};

/** The screen for the sign-in step still to do, carrying the eventual destination along. */
export function nextStepPath(next: NextStep, returnTo: string): string {
  return withReturnTo(STEP_PATHS[next], returnTo);
}
