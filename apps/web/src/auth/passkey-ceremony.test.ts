import { WebAuthnError } from '@simplewebauthn/browser';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-client';
import { describePasskeyError } from './passkey-ceremony';

function domError(name: string): Error {
  const error = new Error('from the browser');
  error.name = name;
  return error;
}

describe('describePasskeyError', () => {
  it('explains a cancelled or timed-out prompt', () => {
    expect(describePasskeyError(domError('NotAllowedError'))).toMatch(/cancelled or timed out/);
    expect(describePasskeyError(new WebAuthnError({ message: 'aborted', code: 'ERROR_CEREMONY_ABORTED', cause: domError('AbortError') }))).toMatch(
      /cancelled or timed out/,
    );
  });

  it('explains an authenticator that is already registered, and a web address passkeys cannot use', () => {
    const previous = new WebAuthnError({ message: 'again', code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED', cause: domError('InvalidStateError') });
    expect(describePasskeyError(previous)).toBe('That passkey is already set up for your account.');
    expect(describePasskeyError(domError('SecurityError'))).toMatch(/cannot be used at this web address/);
  });

  it('leaves server errors to the code that knows what they mean', () => {
    expect(describePasskeyError(new ApiError('http', 'The passkey could not be verified.', 401, 'UNAUTHENTICATED'))).toBeNull();
    expect(describePasskeyError('not an error')).toBeNull();
  });
});
