// Field paths: parsed once per path, and the presence check the views' field lists use agrees with valuesAt.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVERY, hasValueAt, parsePath, valuesAt } from '../../../src/exchange/field-paths.ts';

describe('parsePath', () => {
  it('parses a path once and hands every caller the same frozen segments', () => {
    const first = parsePath('recommendation.conditions[].code');
    expect(first).toEqual(['recommendation', 'conditions', EVERY, 'code']);
    expect(parsePath('recommendation.conditions[].code')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses a malformed path every time it is asked, not only the first', () => {
    expect(() => parsePath('subject..bsn')).toThrow(/not a field path/);
    expect(() => parsePath('subject..bsn')).toThrow(/not a field path/);
  });
});

describe('hasValueAt', () => {
  // Paths over a small alphabet, so that random records often hold them.
  const segment = fc.constantFrom('a', 'b', 'c', EVERY);
  const path = fc.array(segment, { minLength: 1, maxLength: 4 });
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, 1, 'x', true), fc.array(tie('value'), { maxLength: 3 }), tie('object')),
    object: fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__'), tie('value'), { maxKeys: 3 }),
  })).value;

  it('is true exactly when valuesAt finds something', () => {
    fc.assert(
      fc.property(json, path, (record, segments) => {
        expect(hasValueAt(record, segments)).toBe(valuesAt(record, segments).length > 0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('finds a value behind an array only in an element that holds it', () => {
    const record = { a: [{ b: 1 }, { c: 2 }], b: [] };
    expect(hasValueAt(record, ['a', EVERY, 'c'])).toBe(true);
    expect(hasValueAt(record, ['a', EVERY, 'a'])).toBe(false);
    expect(hasValueAt(record, ['b', EVERY])).toBe(false);
    expect(hasValueAt(record, ['a', 'b'])).toBe(false);
  });
});
