import { describe, expect, it } from 'vitest';
import { createPseudonymiser, DOMAIN_INTERNAL, DOMAIN_KAFKA_KEY } from '../../../src/privacy/pseudonym.ts';

const KEY = 'unit-test-pseudonym-key-0123456789abcdef';

describe('keyed pseudonyms', () => {
  const p = createPseudonymiser(KEY, 'k1');

  it('is stable for one BSN, key and domain', () => {
    expect(p.pseudonym('999990019', DOMAIN_KAFKA_KEY)).toBe(p.pseudonym('999990019', DOMAIN_KAFKA_KEY));
  });

  it('differs per BSN, per domain and per key, and names its key', () => {
    const a = p.pseudonym('999990019', DOMAIN_KAFKA_KEY);
    expect(p.pseudonym('999990020', DOMAIN_KAFKA_KEY)).not.toBe(a);
    expect(p.pseudonym('999990019', DOMAIN_INTERNAL)).not.toBe(a);
    const other = createPseudonymiser('another-key-of-at-least-32-characters!!', 'k2').pseudonym('999990019', DOMAIN_KAFKA_KEY);
    expect(other).not.toBe(a);
    expect(a.startsWith('k1.')).toBe(true);
    expect(other.startsWith('k2.')).toBe(true);
  });

  it('does not contain the BSN or an unkeyed hash of it', async () => {
    const { createHash } = await import('node:crypto');
    const a = p.pseudonym('999990019', DOMAIN_KAFKA_KEY);
    expect(a).not.toContain('999990019');
    const plain = createHash('sha256').update('999990019').digest().subarray(0, 16).toString('base64url');
    expect(a).not.toContain(plain);
  });
});
