import { describe, expect, it } from 'vitest';
import { parsePasswordStage, parseSession } from './auth-api';

const complete = {
  user: { id: '6f1c0a52-3c0e-4a43-9d7e-3f6a0c1b2d3e', email: 'jo@example.org' },
  stage: 'mfa_complete',
  next: null,
  csrfToken: 'token',
  organisations: [{ id: '0b0a9d1e-2f3c-4d5e-8f90-a1b2c3d4e5f6', name: 'Hope Trust', role: 'owner' }],
  currentOrganisationId: '0b0a9d1e-2f3c-4d5e-8f90-a1b2c3d4e5f6',
};

describe('parseSession', () => {
  it('accepts a complete session', () => {
    expect(parseSession(complete)).toEqual(complete);
  });

  it('accepts a password-stage session, which has no organisations yet', () => {
    const halfway = { ...complete, stage: 'password', next: 'verify_mfa', organisations: [], currentOrganisationId: null };
    expect(parseSession(halfway)).toMatchObject({ stage: 'password', next: 'verify_mfa', organisations: [] });
  });

  it('names what is wrong', () => {
    expect(() => parseSession({ ...complete, next: 'guess' })).toThrow('session.next');
    expect(() => parseSession({ ...complete, organisations: [{ id: 1 }] })).toThrow('session.organisations[0].id');
  });
});

describe('parsePasswordStage', () => {
  it('reads the next step and ignores the rest', () => {
    expect(parsePasswordStage({ stage: 'password', next: 'enrol_totp', csrfToken: 't', organisationId: 'x' })).toEqual({
      stage: 'password',
      next: 'enrol_totp',
    });
  });
});
