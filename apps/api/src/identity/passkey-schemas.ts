import { z } from '@hono/zod-openapi';

const timestamp = z.iso.datetime({ offset: true });
// WebAuthn binary fields travel as base64url; bounded so a body cannot balloon past what
// authenticators produce (credential ids are at most 1023 bytes).
const base64url = (max: number) => z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'must be base64url' }).min(1).max(max);
const credentialId = base64url(1400);
const transport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
const passkeyName = z.string().trim().min(1, { error: 'is required' }).max(100, { error: 'must be at most 100 characters' });

export const passkeySchema = z
  .object({
    /** The credential id (base64url); also the id in /account/passkeys/{passkeyId}. */
    id: z.string(),
    name: z.string(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
  })
  .openapi('Passkey');

export const passkeyIdParamsSchema = z.object({
  passkeyId: credentialId.openapi({ param: { name: 'passkeyId', in: 'path' } }),
});

export const passkeyNameBodySchema = z.object({ name: passkeyName }).openapi('PasskeyName');

// The options are the WebAuthn Level 3 JSON forms, passed to the browser as they are; only the
// members a client may want to read are described here.
export const passkeyCreationOptionsSchema = z
  .object({ challenge: z.string(), rp: z.object({ id: z.string().optional(), name: z.string() }), timeout: z.number().optional() })
  .openapi('PasskeyCreationOptions', { description: 'PublicKeyCredentialCreationOptionsJSON, for navigator.credentials.create().' });

export const passkeyRequestOptionsSchema = z
  .object({ challenge: z.string(), rpId: z.string().optional(), timeout: z.number().optional() })
  .openapi('PasskeyRequestOptions', { description: 'PublicKeyCredentialRequestOptionsJSON, for navigator.credentials.get().' });

export const passkeyRegistrationBodySchema = z
  .object({
    name: passkeyName,
    /** RegistrationResponseJSON: what navigator.credentials.create() returned, base64url-encoded. */
    credential: z.object({
      id: credentialId,
      rawId: credentialId,
      type: z.literal('public-key'),
      response: z.object({
        clientDataJSON: base64url(4096),
        attestationObject: base64url(16_384),
        transports: z.array(transport).max(8).optional(),
      }),
    }),
  })
  .openapi('PasskeyRegistration');

export const passkeyAuthenticationBodySchema = z
  .object({
    /** AuthenticationResponseJSON: what navigator.credentials.get() returned, base64url-encoded. */
    credential: z.object({
      id: credentialId,
      rawId: credentialId,
      type: z.literal('public-key'),
      response: z.object({
        clientDataJSON: base64url(4096),
        authenticatorData: base64url(4096),
        signature: base64url(1024),
        // The browser may send an empty handle for a credential that stores none.
        userHandle: z.string().regex(/^[A-Za-z0-9_-]*$/, { error: 'must be base64url' }).max(128).optional(),
      }),
    }),
  })
  .openapi('PasskeyAuthentication');

export const secondFactorsSchema = z
  .object({
    /** Whether the user can use a passkey instead of an authenticator code. */
    passkey: z.boolean(),
  })
  .openapi('SecondFactors');
