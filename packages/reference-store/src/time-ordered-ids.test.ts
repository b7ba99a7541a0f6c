import { describe, expect, it } from 'vitest';
import { createTimeOrderedIds } from './time-ordered-ids.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;

describe('time-ordered ids', () => {
  it('are UUIDv7 carrying the millisecond they were made in', () => {
    const id = createTimeOrderedIds(() => 0x0191_2345_6789)();
    expect(id).toMatch(uuidV7);
    expect(id.startsWith('01912345-6789-7000-')).toBe(true);
  });

  it('sort in the order they were made, within a millisecond and past 4,096 of them, and never repeat', () => {
    let clock = 1_750_000_000_000;
    const next = createTimeOrderedIds(() => (clock += Number(clock % 7 === 0)));
    const ids = Array.from({ length: 20_000 }, () => next());
    for (const id of ids) expect(id).toMatch(uuidV7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keep their order when the clock steps back', () => {
    const times = [2_000, 1_000, 1_000, 3_000];
    const next = createTimeOrderedIds(() => times.shift() ?? 3_000);
    const ids = [next(), next(), next(), next()];
    expect([...ids].sort()).toEqual(ids);
  });
});
