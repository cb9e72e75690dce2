import { describe, expect, it } from 'vitest';
import { isUuidV7, newTransactionId, normaliseTransactionId, transactionIdFrom } from '../../../src/records/transaction-id.ts';

describe('the FSC transaction id', () => {
  it('is a UUIDv7: version 7, variant 10xx, its first 48 bits the time in milliseconds', () => {
    const at = Date.UTC(2026, 11, 3, 12, 0, 0, 123);
    const id = newTransactionId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(isUuidV7(id)).toBe(true);
    // Random beyond the time: two made in one millisecond differ.
    expect(newTransactionId(at)).not.toBe(id);
    // Later ids sort after earlier ones (the point of version 7: index-friendly, ordered by time).
    expect(newTransactionId(at + 1) > id).toBe(true);
  });

  it('takes a UUIDv7 in either case and refuses every other form', () => {
    const id = '0190B6E4-5F1A-7C3B-8D2E-1F2A3B4C5D6E';
    expect(isUuidV7(id)).toBe(true);
    expect(normaliseTransactionId(id)).toBe(id.toLowerCase());
    for (const bad of [
      '0190b6e4-5f1a-4c3b-8d2e-1f2a3b4c5d6e', // version 4
      '0190b6e4-5f1a-7c3b-cd2e-1f2a3b4c5d6e', // variant 110x (Microsoft)
      '0190b6e4-5f1a-7c3b-0d2e-1f2a3b4c5d6e', // variant 0xxx (NCS)
      '0190b6e45f1a7c3b8d2e1f2a3b4c5d6e',
      '{0190b6e4-5f1a-7c3b-8d2e-1f2a3b4c5d6e}',
      ' 0190b6e4-5f1a-7c3b-8d2e-1f2a3b4c5d6e',
      '0190b6e4-5f1a-7c3b-8d2e-1f2a3b4c5d6e\n',
      '',
    ]) {
      expect(isUuidV7(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it("keeps a sender's well-formed id and replaces a malformed or missing one", () => {
    const id = newTransactionId();
    expect(transactionIdFrom(id.toUpperCase())).toBe(id);
    expect(isUuidV7(transactionIdFrom(undefined))).toBe(true);
    const replaced = transactionIdFrom('not-an-id');
    expect(isUuidV7(replaced)).toBe(true);
  });
});
