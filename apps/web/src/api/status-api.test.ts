import { describe, expect, it } from 'vitest';
import { parseServerStatus } from './status-api';

const valid = {
  version: '0.1.0',
  uptimeSeconds: 12.5,
  time: '2030-01-01T00:00:00.000Z',
  database: { reachable: true, serverVersion: '18.4', latencyMs: 1.2, migrations: { applied: 1, latest: '0001' } },
  jobs: { dispatcher: { running: true, lastHeartbeatAt: null }, queued: 0, running: 0, failedLast24h: 0 },
};

describe('parseServerStatus', () => {
  it('accepts the documented shape', () => {
    expect(parseServerStatus(valid)).toEqual(valid);
  });

  it('drops fields the page does not use', () => {
    expect(parseServerStatus({ ...valid, extra: 'ignored' })).not.toHaveProperty('extra');
  });

  it('names the field that is wrong', () => {
    const broken = { ...valid, database: { ...valid.database, reachable: 'yes' } };
    expect(() => parseServerStatus(broken)).toThrow('status.database.reachable');
  });

  it('rejects a missing section', () => {
    expect(() => parseServerStatus({ ...valid, jobs: null })).toThrow('status.jobs is not an object');
  });
});
