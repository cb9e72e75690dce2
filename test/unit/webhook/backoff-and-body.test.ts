import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { backoffDelay, nextAttemptIn } from '../../../src/webhook/backoff.ts';
import { structuredBody } from '../../../src/outbox/structured-event.ts';
import { newSecret, secretBox } from '../../../src/webhook/secrets.ts';

const s = { minMs: 1_000, maxMs: 60_000, deadlineMs: 600_000 };

describe('webhook back-off', () => {
  it('doubles up to the ceiling, with half of each wait random', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, s, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelay(3, s, () => 0)).toBe(2_000);
    expect(backoffDelay(40, s, () => 1)).toBe(60_000);
  });

  it('gives up at the deadline, with a last attempt on it', () => {
    expect(nextAttemptIn(1, 0, 1_000, s, () => 1)).toBe(1_000);
    expect(nextAttemptIn(20, 0, 590_000, s, () => 1)).toBe(10_000);
    expect(nextAttemptIn(20, 0, 600_000, s, () => 1)).toBeUndefined();
  });
});

describe('webhook body and secret', () => {
  it('is a structured CloudEvent with the stored payload as data and the key as partitionkey', () => {
    const body = structuredBody({
      eventId: 'e1',
      messageKey: 'k1.abc',
      headers: { ce_id: 'e1', ce_type: 't', ce_source: 'urn:x', 'content-type': 'application/json', traceparent: '00-a-b-01' },
      payload: '{"a":[1,2]}',
    });
    expect(JSON.parse(body)).toEqual({
      specversion: '1.0',
      id: 'e1',
      type: 't',
      source: 'urn:x',
      datacontenttype: 'application/json',
      traceparent: '00-a-b-01',
      partitionkey: 'k1.abc',
      data: { a: [1, 2] },
    });
  });

  it('seals a secret so that only the same key opens it, and signs what standardwebhooks verifies', () => {
    const secret = newSecret();
    const sealed = secretBox('k'.repeat(32)).seal(secret);
    expect(sealed.toString('latin1')).not.toContain(secret.slice(6));
    expect(secretBox('k'.repeat(32)).open(sealed)).toBe(secret);
    expect(() => secretBox('j'.repeat(32)).open(sealed)).toThrow();
    const now = new Date();
    const sig = new Webhook(secret).sign('e1', now, '{}');
    expect(
      new Webhook(secret).verify('{}', { 'webhook-id': 'e1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': sig }),
    ).toEqual({});
  });
});
