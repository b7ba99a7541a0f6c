import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger, redact } from './index.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level label, ISO time and bindings', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', name: 'kindling', destination: out.stream });
    logger.child({ requestId: 'req-123' }).info({ route: '/api/v1/status', status: 200 }, 'request completed');
    logger.debug('not written at info level');
    const [line, ...rest] = out.lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'info', name: 'kindling', requestId: 'req-123', route: '/api/v1/status', status: 200, msg: 'request completed' });
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
  });

  it('redacts secrets and personal fields at any depth and in any spelling, keeping the rest', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream });
    logger.info(
      {
        user: { id: 'u1', Email: 'jane@example.org', first_name: 'Jane', lastName: 'Doe', role: 'analyst' },
        headers: { authorization: 'Bearer abc', cookie: '__Host-session=xyz', 'set-cookie': ['a=b'], 'user-agent': 'test' },
        body: { password: 'correct horse battery staple', newPassword: 'x', totpSecret: 'JBSWY3DP', recoveryCodes: ['1', '2'] },
        contacts: [{ phone: '+44 20 7946 0000', address: '1 High St', dateOfBirth: '1970-01-01', postcode_region: 'SW1' }],
        config: { DATABASE_URL: 'postgres://u:p@h/db', port: 8080 },
      },
      'audit',
    );
    const [line] = out.lines();
    const text = JSON.stringify(line);
    for (const secret of ['jane@example.org', 'Jane', 'Doe', 'Bearer abc', 'xyz', 'a=b', 'correct horse', 'JBSWY3DP', '+44 20', '1 High St', '1970-01-01', 'postgres://u:p']) {
      expect(text).not.toContain(secret);
    }
    expect(line).toMatchObject({
      user: { id: 'u1', Email: '[redacted]', first_name: '[redacted]', role: 'analyst' },
      headers: { authorization: '[redacted]', 'user-agent': 'test' },
      contacts: [{ phone: '[redacted]', postcode_region: 'SW1' }],
      config: { DATABASE_URL: '[redacted]', port: 8080 },
    });
  });

  it('keeps error objects readable (type, message, stack) under err', () => {
    const out = capture();
    createLogger({ level: 'info', destination: out.stream }).error({ err: new RangeError('too big') }, 'failed');
    expect(out.lines()[0]?.err).toMatchObject({ type: 'RangeError', message: 'too big' });
  });
});

describe('redact', () => {
  it('does not modify its input and stops at a bounded depth', () => {
    const input = { a: { password: 'p' } };
    const output = redact(input) as { a: { password: string } };
    expect(output.a.password).toBe('[redacted]');
    expect(input.a.password).toBe('p');
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 50; i += 1) deep = { next: deep };
    expect(() => redact(deep)).not.toThrow();
  });
});
