import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, TEST_OIN, type TestBridge } from '../../support/bridge.ts';
import { countRows, waitForDelivery } from '../../support/db.ts';
import { OM_ZSM, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';

let bridge: TestBridge;

beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(async () => {
  await bridge?.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) => bridge.inject({ method: 'POST', url: '/v1/advices', payload: body as object, headers });

describe('POST /v1/advices, accepted', () => {
  it('answers 202 with a receipt after the commit, and the advice arrives once, byte-exact, as a CloudEvent', async () => {
    const advice = validAdvice({ adviceId: 'VH-ACCEPT-1', bsn: syntheticBsn(1) });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await post(advice, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(res.statusCode).toBe(202);
    expect(res.headers['api-version']).toBe('0.1.0');
    expect(res.headers['cache-control']).toBe('no-store');
    const receipt = res.json<{ id: string; statusUrl: string; externalId: string; version: number; source: string }>();
    expect(receipt).toMatchObject({ externalId: 'VH-ACCEPT-1', version: 1, source: (advice['issuer'] as { oin: string }).oin, status: 'accepted' });
    expect(res.headers['location']).toBe(receipt.statusUrl);

    const stored = await bridge.services.pool.query<{ payload: string }>('SELECT payload FROM outbox WHERE record_id = $1 AND recipient = $2', [
      receipt.id,
      OM_ZSM,
    ]);
    expect(stored.rows).toHaveLength(1);

    const messages = await readTopic(bridge.topic('advice', OM_ZSM), { count: 1, settleMs: 1_500 });
    const mine = messages.filter((m) => (JSON.parse(m.value) as { recordId: string }).recordId === receipt.id);
    expect(mine).toHaveLength(1);
    const m = mine[0]!;
    expect(m.value).toBe(stored.rows[0]!.payload); // the exact bytes decided at ingest
    const data = JSON.parse(m.value) as { record: unknown; kind: string; acceptedAt: string; disclosure: unknown };
    // The OM's ZSM table is the advice's addressee: the default policy grants it the whole advice.
    expect(data.record).toEqual(advice);
    expect(data.disclosure).toEqual({ legalBasis: advice['legalBasis'], purpose: advice['purpose'], policyVersion: bridge.services.plan.policy.version });
    expect(data.kind).toBe('advice');
    expect(m.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'nl.justitieketen.zsm.advice.accepted',
      ce_source: `urn:nld:oin:${TEST_OIN}:systeem:gcos-zsm-bridge`,
      'content-type': 'application/json',
    });
    expect(m.headers['ce_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.headers['ce_time']).toBe(data.acceptedAt);
    expect(m.headers['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    // The key is a keyed pseudonym; neither key nor headers hold the BSN.
    expect(m.key).toMatch(/^k1\.[A-Za-z0-9_-]{22}$/);
    expect(m.key + JSON.stringify(m.headers)).not.toContain(syntheticBsn(1));
  });

  it('shows the record and its delivery at the status URL', async () => {
    const res = await post(validAdvice({ adviceId: 'VH-STATUS-1', bsn: syntheticBsn(2) }));
    const { statusUrl } = res.json<{ statusUrl: string }>();
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const status = await bridge.inject({ method: 'GET', url: statusUrl });
    expect(status.statusCode).toBe(200);
    expect(status.headers['cache-control']).toBe('no-store');
    const body = status.json<{
      status: string;
      deliveries: { recipient: string; topic: string; deliveredAt: string | null; attempts: number; lastError: null }[];
    }>();
    expect(body.status).toBe('delivered');
    // The example advice (an adult, supervision and a contact ban) goes to the OM, Reclassering and Slachtofferhulp.
    expect(body.deliveries.map((d) => d.recipient).sort()).toEqual([OM_ZSM, 'reclassering', 'slachtofferhulp']);
    for (const d of body.deliveries) {
      expect(d).toEqual(expect.objectContaining({ topic: bridge.topic('advice', d.recipient), attempts: 1, lastError: null, deliveredAt: expect.any(String) }));
    }
    expect(JSON.stringify(body)).not.toContain(syntheticBsn(2));
  });

  it('answers 404 for an unknown record and 400 for a malformed id', async () => {
    const unknown = await bridge.inject({ method: 'GET', url: '/v1/records/00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const malformed = await bridge.inject({ method: 'GET', url: '/v1/records/not-a-uuid' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'BRIDGE_BAD_REQUEST' });
  });
});

describe('POST /v1/advices, idempotency', () => {
  it('returns the original receipt for the same advice, with nothing new stored or sent', async () => {
    const advice = validAdvice({ adviceId: 'VH-DUP-1', bsn: syntheticBsn(3) });
    const first = await post(advice);
    const before = await countRows(bridge.services.pool);
    // Same content, other key order: still the same advice.
    const reordered = Object.fromEntries(Object.entries(advice).reverse());
    const second = await post(reordered);
    expect(second.statusCode).toBe(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await countRows(bridge.services.pool)).toEqual(before);
    const messages = await readTopic(bridge.topic('advice', OM_ZSM), { count: 100, timeoutMs: 4_000, settleMs: 0 });
    const id = first.json<{ id: string }>().id;
    expect(messages.filter((m) => m.value.includes(id))).toHaveLength(1);
  });

  it('holds under concurrent duplicates: one record, one message, one receipt for all', async () => {
    const advice = validAdvice({ adviceId: 'VH-CONC-1', bsn: syntheticBsn(4) });
    const before = await countRows(bridge.services.pool);
    const results = await Promise.all(Array.from({ length: 12 }, () => post(advice)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(202));
    expect(new Set(results.map((r) => r.json<{ id: string }>().id)).size).toBe(1);
    const after = await countRows(bridge.services.pool);
    expect(after.records - before.records).toBe(1);
    expect(after.outbox - before.outbox).toBe(3); // one per recipient
  });

  it('answers 409 for the same id and version with different content, and 202 for a higher version', async () => {
    await post(validAdvice({ adviceId: 'VH-CONFLICT-1', bsn: syntheticBsn(5) }));
    const before = await countRows(bridge.services.pool);
    const changed = await post(validAdvice({ adviceId: 'VH-CONFLICT-1', bsn: syntheticBsn(5), goal: 'Een ander doel voor dezelfde versie.' }));
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({ code: 'BRIDGE_CONFLICT', status: 409 });
    expect(await countRows(bridge.services.pool)).toEqual(before);
    const next = await post(validAdvice({ adviceId: 'VH-CONFLICT-1', version: 2, bsn: syntheticBsn(5), goal: 'Een ander doel voor dezelfde versie.' }));
    expect(next.statusCode).toBe(202);
  });
});
