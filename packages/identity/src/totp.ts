import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** 160-bit secrets (RFC 4226's recommendation), 6 digits, 30-second steps: what every authenticator app supports. */
const secretBytes = 20;
/**
 * One step either side of now: tolerates a phone clock up to about 30 s off. Wider windows
 * give a guesser more valid codes per attempt.
 */
const toleranceSeconds = 30;

export interface TotpEnrolment {
  /** Base32, shown to the person for manual entry; stored only encrypted. */
  readonly secret: string;
  readonly uri: string;
  /** An SVG image of the otpauth URI, rendered on the server so no third-party QR service sees the secret. */
  readonly qrSvg: string;
}

export async function createTotpEnrolment(issuer: string, accountLabel: string): Promise<TotpEnrolment> {
  const secret = generateSecret({ length: secretBytes });
  const uri = generateURI({ issuer, label: accountLabel, secret });
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { secret, uri, qrSvg };
}

export type TotpCheck = { readonly valid: true; readonly timeStep: number } | { readonly valid: false };

/**
 * Checks a code. A valid result carries its time step; the caller must then consume that step
 * atomically (only if greater than the last one used), which is what makes a code single-use
 * even when two requests race.
 */
export async function checkTotpCode(secret: string, code: string, options: { readonly afterTimeStep?: number; readonly epoch?: number } = {}): Promise<TotpCheck> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return { valid: false };
  const result = await verify({
    secret,
    token,
    epochTolerance: toleranceSeconds,
    ...(options.afterTimeStep === undefined ? {} : { afterTimeStep: options.afterTimeStep }),
    ...(options.epoch === undefined ? {} : { epoch: options.epoch }),
  });
  return result.valid && 'timeStep' in result ? { valid: true, timeStep: result.timeStep } : { valid: false };
}
