// The FSC transaction id (FSC Logging, Digikoppeling REST API profile; decision 0109) end to end against the real
// PostgreSQL and broker: taken from the Fsc-Transaction-Id header (a UUIDv7) or made by the bridge, answered on
// every response, stored with every processing-log entry of the request, and carried on every message it causes
// as the CloudEvents extension attribute fsctransactionid; a malformed one is a 400 that stores nothing. The
// inbound topic carries a message's own id onwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProcessingLog } from '../../../src/processing-log/verify.ts';
import { isUuidV7, newTransactionId } from '../../../src/records/transaction-id.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { countRows, waitForDelivery } from '../../support/db.ts';
import { OM_ZSM, syntheticBsn, validAdvice, validCaseEvent } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';
import { produce } from '../../support/kafka-producer.ts';
import { until } from '../../support/until.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge();
  await bridge.services.inbound.start();
});
afterAll(async () => {
  await bridge?.close();
});

const HEADER = 'fsc-transaction-id';

/** The transaction ids of the processing-log entries about a record, and of its refusals by trace. */
async function loggedIds(where: string, params: unknown[]): Promise<(string | null)[]> {
  const { rows } = await bridge.services.pool.query<{ fsc_transaction_id: string | null }>(
    `SELECT fsc_transaction_id FROM processing_log WHERE ${where} ORDER BY id`,
    params,
  );
  return rows.map((r) => r.fsc_transaction_id);
}

describe('Fsc-Transaction-Id', () => {
  it("takes the caller's id, answers it, logs it with every entry and sends it on every message", async () => {
    const given = newTransactionId();
    const res = await bridge.inject({
      method: 'POST',
      url: '/v1/advices',
      headers: { [HEADER]: given.toUpperCase() },
      payload: validAdvice({ adviceId: 'FSC-1', bsn: syntheticBsn(140) }),
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers[HEADER]).toBe(given);
    const recordId = res.json<{ id: string }>().id;
    const ids = await loggedIds('record_id = $1', [recordId]);
    expect(ids.length).toBeGreaterThanOrEqual(2); // received, and a disclosure per recipient
    expect(new Set(ids)).toEqual(new Set([given]));

    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const messages = (await readTopic(bridge.topic('advice', OM_ZSM), { count: 1, settleMs: 500 })).filter(
      (m) => (JSON.parse(m.value) as { recordId: string }).recordId === recordId,
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]!.headers['ce_fsctransactionid']).toBe(given);
    expect(await verifyProcessingLog(bridge.services.pool)).toMatchObject({ intact: true });
  });

  it('makes a UUIDv7 when the caller sends none, and logs that one', async () => {
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'FSC-2', bsn: syntheticBsn(141) }) });
    expect(res.statusCode, res.body).toBe(202);
    const made = String(res.headers[HEADER]);
    expect(isUuidV7(made)).toBe(true);
    expect(new Set(await loggedIds('record_id = $1', [res.json<{ id: string }>().id]))).toEqual(new Set([made]));
  });

  it('refuses a malformed id with a 400 naming the header, stores and sends nothing, and does not repeat it', async () => {
    const before = await countRows(bridge.services.pool);
    const entriesBefore = (await loggedIds('TRUE', [])).length;
    for (const bad of [
      '0190b6e4-5f1a-4c3b-8d2e-1f2a3b4c5d6e', // version 4
      '0190b6e4-5f1a-7c3b-cd2e-1f2a3b4c5d6e', // variant 110x
      '0190b6e45f1a7c3b8d2e1f2a3b4c5d6e', // no hyphens
      `${newTransactionId()}, ${newTransactionId()}`, // two
      syntheticBsn(146), // caller text that could be a BSN: never repeated back
    ]) {
      const res = await bridge.inject({
        method: 'POST',
        url: '/v1/advices',
        headers: { [HEADER]: bad },
        payload: validAdvice({ adviceId: 'FSC-3', bsn: syntheticBsn(142) }),
      });
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'BRIDGE_INVALID_TRANSACTION_ID', detail: expect.stringContaining('Fsc-Transaction-Id') as unknown });
      expect(res.headers[HEADER]).toBeUndefined();
      expect(res.body).not.toContain(bad);
    }
    expect(await countRows(bridge.services.pool)).toEqual(before);
    expect((await loggedIds('TRUE', [])).length).toBe(entriesBefore);
  });

  it('is answered on refusals too, and logged with a refused record', async () => {
    const given = newTransactionId();
    const unauthenticated = await bridge.inject({ method: 'GET', url: '/v1/records/00000000-0000-4000-8000-000000000000', headers: { [HEADER]: given } }, null);
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers[HEADER]).toBe(given);
    const notFound = await bridge.inject({ method: 'GET', url: '/v1/nothing-here', headers: { [HEADER]: given } });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers[HEADER]).toBe(given);
    const refused = await bridge.inject({
      method: 'POST',
      url: '/v1/advices',
      headers: { [HEADER]: given },
      payload: { ...validAdvice({ adviceId: 'FSC-4', bsn: syntheticBsn(143) }), adviceDate: 'not a date' },
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.headers[HEADER]).toBe(given);
    const entries = await until(
      () => loggedIds(`operation = 'refused' AND fsc_transaction_id = $1`, [given]),
      (r) => r.length > 0,
    );
    expect(entries).toEqual([given]);
  });

  it("carries an inbound message's id onwards, and gives one to a message without", async () => {
    const given = newTransactionId();
    const withId = validCaseEvent('suspect-entered-zsm', { bsn: syntheticBsn(144), municipalityCode: 'GM0599' });
    const withoutId = validCaseEvent('case-closed', { bsn: syntheticBsn(145), municipalityCode: 'GM0599' });
    await produce(bridge.services.inboundTopic, [
      { key: 'k', value: JSON.stringify(withId), headers: { ce_fsctransactionid: given } },
      { key: 'k', value: JSON.stringify(withoutId) },
    ]);
    const records = await until(
      async () =>
        (
          await bridge.services.pool.query<{ id: string; external_id: string }>(
            `SELECT id, external_id FROM records WHERE kind = 'case-event' AND external_id = ANY($1::text[])`,
            [[withId['eventId'], withoutId['eventId']]],
          )
        ).rows,
      (r) => r.length >= 2,
    );
    const idOf = (eventId: unknown) => records.find((r) => r.external_id === eventId)!.id;
    expect(new Set(await loggedIds('record_id = $1', [idOf(withId['eventId'])]))).toEqual(new Set([given]));
    const made = await loggedIds('record_id = $1', [idOf(withoutId['eventId'])]);
    expect(made.every((id) => id !== null && id !== given && isUuidV7(id) && id === made[0])).toBe(true);

    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const vh = await readTopic(bridge.topic('case-event', 'vh-vr17'), { count: 2, settleMs: 500 });
    const sent = Object.fromEntries(vh.map((m) => [(JSON.parse(m.value) as { recordId: string }).recordId, m.headers['ce_fsctransactionid']]));
    expect(sent[idOf(withId['eventId'])]).toBe(given);
    expect(sent[idOf(withoutId['eventId'])]).toBe(made[0]);
  });
});
