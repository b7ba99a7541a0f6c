import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';
import type { PasskeyAuthenticationResponse, PasskeyRegistrationResponse } from '../passkey-service.js';

/** What a ceremony's clientDataJSON and authenticator data claim; tests change one to see it refused. */
export interface CeremonyClaims {
  readonly origin?: string;
  readonly rpId?: string;
  readonly challenge?: string;
}

const flagUserPresent = 0x01;
const flagUserVerified = 0x04;
const flagAttestedCredential = 0x40;
const coseAlgorithmEs256 = -7;

function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/**
 * A WebAuthn authenticator in software, at the edge of the system like a real one: an ES256
 * key pair, a credential id and a signature counter. It builds what a browser would send
 * (clientDataJSON, authenticator data, a 'none' attestation object in CBOR, ECDSA assertions),
 * so tests drive the real verification over real HTTP.
 */
export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(32).toString('base64url');
  /** The signature counter the next assertion reports (it counts up by one per assertion). */
  counter = 0;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(
    private readonly origin: string,
    private readonly rpId = new URL(origin).hostname,
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** The answer to navigator.credentials.create() for `options` (with `challenge`). */
  register(options: { readonly challenge: string }, claims: CeremonyClaims = {}): PasskeyRegistrationResponse {
    const clientDataJSON = this.clientData('webauthn.create', claims.challenge ?? options.challenge, claims.origin);
    const credentialId = Buffer.from(this.credentialId, 'base64url');
    const credentialIdLength = Buffer.alloc(2);
    credentialIdLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([
      this.authDataHeader(claims.rpId, flagUserPresent | flagUserVerified | flagAttestedCredential, this.counter),
      Buffer.alloc(16), // AAGUID: none
      credentialIdLength,
      credentialId,
      Buffer.from(encodeCBOR(this.cosePublicKey())),
    ]);
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, CBORType>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  /** The answer to navigator.credentials.get() for `options`; the counter moves on by one. */
  authenticate(options: { readonly challenge: string }, claims: CeremonyClaims = {}): PasskeyAuthenticationResponse {
    this.counter += 1;
    const clientDataJSON = this.clientData('webauthn.get', claims.challenge ?? options.challenge, claims.origin);
    const authenticatorData = this.authDataHeader(claims.rpId, flagUserPresent | flagUserVerified, this.counter);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authenticatorData.toString('base64url'),
        signature: signature.toString('base64url'),
      },
    };
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private authDataHeader(rpId = this.rpId, flags: number, counter: number): Buffer {
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), uint32(counter)]);
  }

  /** The public key as a COSE_Key: EC2 (kty 2), ES256, curve P-256 (1), x and y. */
  private cosePublicKey(): Map<number, number | Uint8Array> {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return new Map<number, number | Uint8Array>([
      [1, 2],
      [3, coseAlgorithmEs256],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y ?? '', 'base64url'))],
    ]);
  }
}
