import { describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { checkTotpCode, createTotpEnrolment } from './totp.js';

describe('TOTP', () => {
  it('enrols with a 160-bit base32 secret, an otpauth URI and a server-rendered QR code', async () => {
    const enrolment = await createTotpEnrolment('Kindling (Demo Charity)', 'jane@example.org');
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/Kindling%20\(Demo%20Charity\):jane%40example\.org\?secret=[A-Z2-7]{32}/);
    expect(enrolment.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it('accepts the current code and its neighbours, rejects others', async () => {
    const { secret } = await createTotpEnrolment('Kindling', 'a@b.org');
    const epoch = 1_800_000_000;
    const now = await generate({ secret, epoch });
    const previous = await generate({ secret, epoch: epoch - 30 });
    const stale = await generate({ secret, epoch: epoch - 120 });
    expect(await checkTotpCode(secret, now, { epoch })).toEqual({ valid: true, timeStep: epoch / 30 });
    expect(await checkTotpCode(secret, previous, { epoch })).toEqual({ valid: true, timeStep: epoch / 30 - 1 });
    expect(await checkTotpCode(secret, stale, { epoch })).toEqual({ valid: false });
    expect(await checkTotpCode(secret, '12345', { epoch })).toEqual({ valid: false });
    expect(await checkTotpCode(secret, `${now.slice(0, 3)} ${now.slice(3)}`, { epoch })).toMatchObject({ valid: true });
  });

  it('rejects a code whose time step was already used (replay)', async () => {
    const { secret } = await createTotpEnrolment('Kindling', 'a@b.org');
    const epoch = 1_800_000_000;
    const code = await generate({ secret, epoch });
    const first = await checkTotpCode(secret, code, { epoch });
    expect(first.valid).toBe(true);
    const step = first.valid ? first.timeStep : -1;
    expect(await checkTotpCode(secret, code, { epoch, afterTimeStep: step })).toEqual({ valid: false });
  });
});
