import { describe, expect, it } from 'vitest';
import { createPseudonymiser, DOMAIN_INTERNAL } from '../../../src/privacy/pseudonym.ts';

const KEY = 'unit-test-pseudonym-key-0123456789abcdef';
const RECIPIENT = 'recipient:om-zsm';

describe('keyed pseudonyms', () => {
  const p = createPseudonymiser(KEY, 'k1');

  it('is stable for one BSN, key and domain', () => {
    expect(p.pseudonym('999990019', RECIPIENT)).toBe(p.pseudonym('999990019', RECIPIENT));
  });

  it('differs per BSN, per domain and per key, and names its key', () => {
    const a = p.pseudonym('999990019', RECIPIENT);
    expect(p.pseudonym('999990020', RECIPIENT)).not.toBe(a);
    expect(p.pseudonym('999990019', DOMAIN_INTERNAL)).not.toBe(a);
    expect(p.pseudonym('999990019', 'recipient:halt')).not.toBe(a);
    const other = createPseudonymiser('another-key-of-at-least-32-characters!!', 'k2').pseudonym('999990019', RECIPIENT);
    expect(other).not.toBe(a);
    expect(a.startsWith('k1.')).toBe(true);
    expect(other.startsWith('k2.')).toBe(true);
  });

  it('does not contain the BSN or an unkeyed hash of it', async () => {
    const { createHash } = await import('node:crypto');
    const a = p.pseudonym('999990019', RECIPIENT);
    expect(a).not.toContain('999990019');
    const plain = createHash('sha256').update('999990019').digest().subarray(0, 16).toString('base64url');
    expect(a).not.toContain(plain);
  });

  it('after a rotation makes new pseudonyms with the new key and still finds those made with the old one', () => {
    const before = createPseudonymiser(KEY, 'k1').pseudonym('999990019', DOMAIN_INTERNAL);
    const rotated = createPseudonymiser('the-new-key-of-at-least-32-characters-long', 'k2', [{ id: 'k1', secret: KEY }]);
    expect(rotated.pseudonym('999990019', DOMAIN_INTERNAL)).toMatch(/^k2\./);
    expect(rotated.allPseudonyms('999990019', DOMAIN_INTERNAL)).toEqual([rotated.pseudonym('999990019', DOMAIN_INTERNAL), before]);
  });
});
