import { describe, expect, it } from 'vitest';
import { parseBoolean } from './boolean-parsing.js';

describe('parseBoolean', () => {
  it.each(['TRUE', 'true', 'Yes', 'y', '1', '-1', 'X', 'checked', 'Ja', 'oui', ' on '])('reads %s as yes', (text) => {
    expect(parseBoolean(text)).toEqual({ ok: true, value: true });
  });
  it.each(['FALSE', 'no', 'N', '0', 'off', 'Nein', 'non', 'unchecked'])('reads %s as no', (text) => {
    expect(parseBoolean(text)).toEqual({ ok: true, value: false });
  });
  it('reads blank as not given and rejects anything else with a reason', () => {
    expect(parseBoolean('')).toEqual({ ok: true, value: null });
    expect(parseBoolean('maybe')).toEqual({ ok: false, reason: 'is not a yes/no value (expected e.g. true/false, yes/no, 1/0)' });
  });
});
