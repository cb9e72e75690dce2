// ZSM case events over REST: through the same pipeline as advices, to the responsible region's topic only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { countRows, waitForDelivery } from '../../support/db.ts';
import { syntheticBsn, validCaseEvent } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(async () => {
  await bridge?.close();
});

const post = (body: unknown) => bridge.inject({ method: 'POST', url: '/v1/case-events', payload: body as object }, 'zsm');

describe('POST /v1/case-events', () => {
  it("delivers an event to the Veiligheidshuis of the person's municipality, and to no other", async () => {
    const bsn = syntheticBsn(100);
    const event = validCaseEvent('suspect-entered-zsm', { bsn, municipalityCode: 'GM0363' }); // Amsterdam: VR13
    const res = await post(event);
    expect(res.statusCode).toBe(202);
    const { id } = res.json<{ id: string }>();
    const rows = await bridge.services.pool.query<{ recipient: string; topic: string }>('SELECT recipient, topic FROM outbox WHERE record_id = $1', [id]);
    expect(rows.rows).toEqual([{ recipient: 'vh-vr13', topic: bridge.topic('case-event', 'vh-vr13') }]);
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);

    const messages = await readTopic(bridge.topic('case-event', 'vh-vr13'), { count: 1, settleMs: 500 });
    const mine = messages.filter((m) => (JSON.parse(m.value) as { recordId: string }).recordId === id);
    expect(mine).toHaveLength(1);
    const data = JSON.parse(mine[0]!.value) as { record: Record<string, unknown>; kind: string };
    expect(data.kind).toBe('case-event');
    expect(data.record).toEqual(event); // the Veiligheidshuis view keeps every field of a case event
    expect(mine[0]!.headers['ce_type']).toBe('nl.justitieketen.zsm.case-event.recorded');
    expect(mine[0]!.key).not.toContain(bsn);
    // Rotterdam's region got nothing.
    const elsewhere = await readTopic(bridge.topic('case-event', 'vh-vr17'), { count: 1, timeoutMs: 3_000, settleMs: 0 });
    expect(elsewhere.filter((m) => m.value.includes(id))).toEqual([]);
  });

  it('refuses an event whose municipality no region covers, stores nothing, and counts it', async () => {
    const before = await countRows(bridge.services.pool);
    const res = await post(validCaseEvent('case-closed', { bsn: syntheticBsn(101), municipalityCode: 'GM9999' }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'BRIDGE_POLICY_REFUSED',
      errors: [{ code: 'MUNICIPALITY_UNKNOWN', pointer: '/subject/municipalityCode', rule: 'kinds.case-event.recipients.veiligheidshuizen.routeBy' }],
    });
    expect(await countRows(bridge.services.pool)).toEqual(before);
    const metrics = await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops');
    expect(metrics.body).toContain('bridge_case_events_unroutable_total{path="rest"} 1');
  });

  it('answers a resent event with its first receipt, and the same id with other content with 409', async () => {
    const event = validCaseEvent('advice-requested', { bsn: syntheticBsn(102) });
    const first = await post(event);
    const again = await post(event);
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const changed = await post({ ...event, zsmCaseReference: '10/999999-26' });
    expect(changed.statusCode).toBe(409);
  });

  it('refuses a malformed event with every error at its field, and a deadline before the request', async () => {
    const bad = validCaseEvent('advice-requested', { bsn: syntheticBsn(103) });
    delete bad['adviceRequest'];
    bad['eventType'] = 'advice-requested';
    bad['eventId'] = 'not-a-uuid-' + '0'.repeat(25); // 36 characters, but no UUID
    const res = await post(bad);
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json<{ errors: { code: string; pointer: string }[] }>()
        .errors.map((e) => `${e.code} ${e.pointer}`)
        .sort(),
    ).toEqual(['FIELD_FORMAT /eventId', 'FIELD_REQUIRED /adviceRequest']);
    const late = validCaseEvent('advice-requested', { bsn: syntheticBsn(103), details: { deadline: new Date(Date.now() - 7_200_000).toISOString() } });
    const res2 = await post(late);
    expect(res2.statusCode).toBe(422);
    expect(res2.json()).toMatchObject({ errors: [{ code: 'DATE_ORDER', pointer: '/adviceRequest/deadline' }] });
  });
});
