import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../../src/records/canonical.ts';
import { addYears, todayInAmsterdam } from '../../../src/records/dates.ts';

describe('canonical JSON', () => {
  it('ignores key order and whitespace, not values', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"y":2,"z":1}]},"b":1}');
    expect(contentHash({ a: 1, b: 2 }).equals(contentHash({ b: 2, a: 1 }))).toBe(true);
    expect(contentHash({ a: 1, b: 2 }).equals(contentHash({ a: 1, b: 3 }))).toBe(false);
    expect(contentHash({ a: [1, 2] }).equals(contentHash({ a: [2, 1] }))).toBe(false);
  });

  // The first implementation, as stored hashes were computed with it: the current one must give the same bytes.
  function firstCanonicalJson(value: unknown): string {
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(firstCanonicalJson).join(',')}]`;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${firstCanonicalJson(obj[k])}`).join(',')}}`;
  }

  it('gives the bytes of the first implementation for any value, undefined members and elements included', () => {
    const odd = fc.constantFrom(undefined, '', '\u0000\u2028"\\', -0, 1e21, 'é🦀');
    const value = fc.oneof(fc.jsonValue(), fc.array(fc.oneof(odd, fc.jsonValue())), fc.dictionary(fc.string(), fc.oneof(odd, fc.jsonValue())));
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(firstCanonicalJson(v));
      }),
      { numRuns: 3_000 },
    );
    expect(canonicalJson([undefined, 1])).toBe('[,1]');
    expect(canonicalJson({ a: undefined })).toBe('{"a":undefined}');
  });
});

describe('dates', () => {
  it('adds years, turning 29 February into 28 February in a common year', () => {
    expect(addYears('2026-03-15', 1)).toBe('2027-03-15');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
  });

  it('takes today in Europe/Amsterdam, not UTC', () => {
    // 23:30 UTC on 31 December is already 1 January in Amsterdam (UTC+1 in winter).
    expect(todayInAmsterdam(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(todayInAmsterdam(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(todayInAmsterdam(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });

  it('answers for the moment asked, whatever was asked before it (the answer is kept per minute)', () => {
    expect(todayInAmsterdam(new Date('2026-07-01T22:00:30Z'))).toBe('2026-07-02');
    expect(todayInAmsterdam(new Date('2026-07-01T21:59:59.999Z'))).toBe('2026-07-01');
    expect(todayInAmsterdam(new Date('2026-07-01T21:59:00.000Z'))).toBe('2026-07-01');
    expect(todayInAmsterdam(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
    expect(todayInAmsterdam(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
    expect(() => todayInAmsterdam(new Date(NaN))).toThrow(RangeError);
  });
});
