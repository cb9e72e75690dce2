import { describe, expect, it } from 'vitest';
import { isValidBsn } from '../../../src/privacy/bsn.ts';
import { syntheticBsn } from '../../support/fixtures.ts';

describe('isValidBsn (eleven-test)', () => {
  it.each([
    ['123456782', true], // the example in the domain brief: sum 154
    ['999990019', true],
    ['12345678', false], // read as 012345678: 9*0+8*1+...+2*7-8 = 104, not divisible by 11
    ['111222333', true],
    ['123456789', false],
    ['000000000', false], // all zeros is not a BSN
    ['12345678a', false],
    ['1234567820', false], // ten digits
    ['', false],
  ])('%s -> %s', (bsn, valid) => {
    expect(isValidBsn(bsn)).toBe(valid);
  });

  it('accepts an 8-digit BSN by reading it with a leading zero', () => {
    // 0 + 8*1 + 7*1 + 6*2 + 5*2 + 4*3 + 3*3 + 2*4 = 66, check digit 0: 66 % 11 == 0
    expect(isValidBsn('11223340')).toBe(true);
    expect(isValidBsn('011223340')).toBe(true);
  });

  it('gives synthetic test BSNs that pass and are recognisably synthetic', () => {
    const bsns = Array.from({ length: 20 }, (_, i) => syntheticBsn(i));
    expect(new Set(bsns).size).toBe(20);
    for (const b of bsns) {
      expect(b.startsWith('9999')).toBe(true);
      expect(isValidBsn(b)).toBe(true);
    }
  });
});
