import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { field, isString, object } from '../api/json-shape';

/** Whether this browser can use passkeys at all (WebAuthn, in a secure context). */
export function passkeysSupported(): boolean {
  return browserSupportsWebAuthn();
}

/**
 * The server's WebAuthn options are checked here only for their challenge: @simplewebauthn/browser
 * decodes the rest and the browser refuses anything malformed.
 */
function webAuthnOptions(body: unknown): Record<string, unknown> {
  const source = object(body, 'options');
  field(source, 'challenge', 'options', isString);
  return source;
}

/** Asks the browser to create a passkey for the server's creation options. */
export function createPasskey(options: unknown): Promise<RegistrationResponseJSON> {
  return startRegistration({ optionsJSON: webAuthnOptions(options) as unknown as PublicKeyCredentialCreationOptionsJSON });
}

/** Asks the browser to sign the server's challenge with one of the person's passkeys. */
export function signWithPasskey(options: unknown): Promise<AuthenticationResponseJSON> {
  return startAuthentication({ optionsJSON: webAuthnOptions(options) as unknown as PublicKeyCredentialRequestOptionsJSON });
}

/** Errors of the browser's passkey prompt (not of the server), in words for the person at the keyboard. */
export function describePasskeyError(error: unknown): string | null {
  if (!(error instanceof Error) || error.name === 'ApiError') return null;
  const code = 'code' in error ? error.code : undefined;
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'That passkey is already set up for your account.';
  if (code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID' || error.name === 'SecurityError') {
    return 'Passkeys cannot be used at this web address. Ask whoever manages Kindling at your organisation.';
  }
  if (code === 'ERROR_CEREMONY_ABORTED' || error.name === 'NotAllowedError' || error.name === 'AbortError') {
    return 'The passkey request was cancelled or timed out. Try again when you are ready.';
  }
  return 'Your browser could not use the passkey. Try again, or use another way to verify.';
}
