import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { OTHER_VH_OIN } from '../../support/clients.ts';
import { waitForDelivery } from '../../support/db.ts';
import { OM_ZSM, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';
import { verifyProcessingLog } from '../../../src/processing-log/verify.ts';

let bridge: TestBridge;

beforeAll(async () => {
  bridge = await startBridge({ env: { BATCH_MAX_ITEMS: '8', BATCH_BODY_LIMIT_BYTES: '200000' } });
});
afterAll(async () => {
  await bridge?.close();
});

interface Item {
  index: number;
  status: number;
  replayed?: boolean;
  receipt?: { id: string; externalId: string; version: number; status: string; statusUrl: string };
  problem?: { code: string; status: number; errors?: { code: string; pointer: string }[] };
}

const postBatch = (advices: unknown[], as?: 'gcos' | 'zsm') => bridge.inject({ method: 'POST', url: '/v1/advice-batches', payload: { advices } }, as);

const storedOf = async (externalIds: string[]) => {
  const { rows } = await bridge.services.pool.query<{ external_id: string; version: number; outbox: string }>(
    `SELECT r.external_id, r.version, (SELECT count(*) FROM outbox o WHERE o.record_id = r.id) AS outbox FROM records r WHERE r.external_id = ANY($1) ORDER BY 1, 2`,
    [externalIds],
  );
  return rows.map((r) => ({ id: r.external_id, version: r.version, outbox: Number(r.outbox) }));
};

describe('POST /v1/advice-batches', () => {
  it('answers every advice of a mixed batch on its own, stores and relays only the accepted ones', async () => {
    const earlier = validAdvice({ adviceId: 'VH-BATCH-EARLIER', bsn: syntheticBsn(31) });
    expect((await bridge.inject({ method: 'POST', url: '/v1/advices', payload: earlier })).statusCode).toBe(202);

    const first = validAdvice({ adviceId: 'VH-BATCH-1', bsn: syntheticBsn(32) });
    const second = validAdvice({ adviceId: 'VH-BATCH-2', bsn: syntheticBsn(33) });
    const schemaBroken = { ...validAdvice({ adviceId: 'VH-BATCH-SCHEMA' }), goal: 42 };
    const badBsn = validAdvice({ adviceId: 'VH-BATCH-BSN', bsn: '123456789' });
    const conflicting = validAdvice({
      adviceId: 'VH-BATCH-EARLIER',
      bsn: syntheticBsn(31),
      goal: 'Een ander doel: begeleiding naar werk en het stoppen van het contact met de groep.',
    });
    const otherSource = validAdvice({ adviceId: 'VH-BATCH-OTHER', bsn: syntheticBsn(34), issuerOin: OTHER_VH_OIN });
    const repeatOfFirst = structuredClone(first);
    const res = await postBatch([first, schemaBroken, badBsn, repeatOfFirst, conflicting, otherSource, second, earlier]);

    expect(res.statusCode).toBe(200);
    const body = res.json<{ accepted: number; refused: number; items: Item[] }>();
    expect(body.items.map((i) => [i.index, i.status])).toEqual([
      [0, 202],
      [1, 400],
      [2, 422],
      [3, 202],
      [4, 409],
      [5, 403],
      [6, 202],
      [7, 202],
    ]);
    expect(body).toMatchObject({ accepted: 4, refused: 4 });
    const [ok1, schema, bsn, repeat, conflict, other, ok2, replayOfEarlier] = body.items as [Item, Item, Item, Item, Item, Item, Item, Item];
    expect(ok1.replayed).toBe(false);
    expect(ok1.receipt).toMatchObject({ externalId: 'VH-BATCH-1', version: 1, status: 'accepted' });
    // A repeat within the batch is a replay of the first: the same receipt, nothing new stored.
    expect(repeat.replayed).toBe(true);
    expect(repeat.receipt!.id).toBe(ok1.receipt!.id);
    expect(replayOfEarlier.replayed).toBe(true);
    expect(schema.problem).toMatchObject({ code: 'BRIDGE_VALIDATION_FAILED', status: 400 });
    expect(schema.problem!.errors).toContainEqual(expect.objectContaining({ pointer: '/advices/1/goal' }));
    expect(bsn.problem!.errors).toContainEqual(expect.objectContaining({ code: 'BSN_ELEVEN_TEST', pointer: '/advices/2/subject/bsn' }));
    expect(conflict.problem).toMatchObject({ code: 'BRIDGE_CONFLICT', status: 409 });
    expect(other.problem).toMatchObject({ code: 'BRIDGE_SOURCE_MISMATCH', status: 403 });
    expect(res.body).not.toContain('123456789');

    expect(await storedOf(['VH-BATCH-1', 'VH-BATCH-2', 'VH-BATCH-SCHEMA', 'VH-BATCH-BSN', 'VH-BATCH-OTHER', 'VH-BATCH-EARLIER'])).toEqual([
      { id: 'VH-BATCH-1', version: 1, outbox: 3 },
      { id: 'VH-BATCH-2', version: 1, outbox: 3 },
      { id: 'VH-BATCH-EARLIER', version: 1, outbox: 3 },
    ]);
    // Each refusal has its entry in the processing log; each new record its "received".
    const log = await bridge.services.pool.query<{ operation: string; n: string }>(
      `SELECT operation, count(*) AS n FROM processing_log WHERE actor = 'client:test-gcos' GROUP BY operation ORDER BY operation`,
    );
    expect(Object.fromEntries(log.rows.map((r) => [r.operation, Number(r.n)]))).toMatchObject({ refused: 4, received: 3 });
    // The batch's entries went onto their chains in a few statements: every chain still verifies.
    expect(await verifyProcessingLog(bridge.services.pool)).toMatchObject({ intact: true, broken: [] });

    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const messages = await readTopic(bridge.topic('advice', OM_ZSM), { count: 3, settleMs: 1_500 });
    const relayed = messages.map((m) => (JSON.parse(m.value) as { recordId: string }).recordId);
    expect(relayed.filter((id) => id === ok1.receipt!.id)).toHaveLength(1);
    expect(relayed.filter((id) => id === ok2.receipt!.id)).toHaveLength(1);
    expect(messages).toHaveLength(3); // the earlier single advice and the two new ones: nothing of the refused
  });

  it('takes concurrent batches about the same people without deadlock, and the processing log still verifies', async () => {
    const batchOf = (tag: string) => Array.from({ length: 8 }, (_, i) => validAdvice({ adviceId: `VH-BATCH-${tag}-${i}`, bsn: syntheticBsn(60 + (i % 4)) }));
    const answers = await Promise.all(['A', 'B', 'C'].map((tag) => postBatch(batchOf(tag))));
    for (const res of answers) {
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ accepted: 8, refused: 0 });
    }
    expect(await verifyProcessingLog(bridge.services.pool)).toMatchObject({ intact: true, broken: [] });
  });

  it('refuses an empty batch and one over BATCH_MAX_ITEMS as 400 problems, without judging any advice', async () => {
    const empty = await postBatch([]);
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toContain('application/problem+json');
    expect(empty.json()).toMatchObject({ code: 'BRIDGE_VALIDATION_FAILED', errors: [{ code: 'FIELD_TOO_FEW_ITEMS', pointer: '/advices' }] });

    const many = Array.from({ length: 9 }, (_, i) => validAdvice({ adviceId: `VH-BATCH-MANY-${i}`, bsn: syntheticBsn(40 + i) }));
    const over = await postBatch(many);
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ code: 'BRIDGE_VALIDATION_FAILED', errors: [{ code: 'FIELD_TOO_MANY_ITEMS', pointer: '/advices' }] });
    expect(await storedOf(many.map((a) => a['adviceId'] as string))).toEqual([]);

    const notAnObject = await bridge.inject({ method: 'POST', url: '/v1/advice-batches', payload: [validAdvice()] });
    expect(notAnObject.statusCode).toBe(400);
    const extra = await bridge.inject({ method: 'POST', url: '/v1/advice-batches', payload: { advices: [validAdvice()], more: 1 } });
    expect(extra.json()).toMatchObject({ errors: [{ code: 'FIELD_UNKNOWN', pointer: '/more' }] });
  });

  it('refuses a body over BATCH_BODY_LIMIT_BYTES with 413', async () => {
    const big = Array.from({ length: 8 }, (_, i) => ({ ...validAdvice({ adviceId: `VH-BATCH-BIG-${i}` }), padding: 'x'.repeat(30_000) }));
    const res = await postBatch(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'BRIDGE_BODY_TOO_LARGE' });
  });

  it('needs the submit-advice role', async () => {
    const res = await postBatch([validAdvice({ adviceId: 'VH-BATCH-ROLE', bsn: syntheticBsn(50) })], 'zsm');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'BRIDGE_FORBIDDEN' });
    const anonymous = await bridge.inject({ method: 'POST', url: '/v1/advice-batches', payload: { advices: [validAdvice()] } }, null);
    expect(anonymous.statusCode).toBe(401);
    expect(await storedOf(['VH-BATCH-ROLE'])).toEqual([]);
  });
});
