// Issue 20 item 3 on the real broker and database: a privacy officer has a time range of a recipient's events sent
// again, to its topic (same ce_ids, the stored view) or from a feed cursor; what the bridge no longer holds is
// counted, not resurrected; each replay is in the processing log with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';
import { logRows } from '../../support/processing-log.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(async () => {
  await bridge?.close();
});

const REASON = 'The recipient restored its store from a backup and lost these days';
const replayOf = (body: Record<string, unknown>, as: 'privacy' | 'receiver' | 'ops' = 'privacy', recipient = 'om-zsm') =>
  bridge.inject({ method: 'POST', url: `/v1/recipients/${recipient}/replays`, payload: body }, as);

describe('replay for one recipient', () => {
  const ids: string[] = [];
  let from = '';
  let to = '';

  it('sends the held events of the range again to the topic, with the same ce_ids and data', async () => {
    from = new Date(Date.now() - 1_000).toISOString();
    for (const [n, adviceId] of ['REPLAY-1', 'REPLAY-2', 'REPLAY-3'].entries()) {
      const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId, bsn: syntheticBsn(301 + n) }) });
      expect(res.statusCode, res.body).toBe(202);
      ids.push(res.json<{ id: string }>().id);
    }
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    to = new Date(Date.now() + 1_000).toISOString();
    const topic = bridge.topic('advice', 'om-zsm');
    const before = await readTopic(topic, { count: 3, settleMs: 300 });

    const res = await replayOf({ from, to, reason: REASON, destination: 'topic' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ recipient: 'om-zsm', destination: 'topic', from, to, resent: 3, notResent: 0 });
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const after = await readTopic(topic, { count: before.length + 3, settleMs: 300 });
    // Partitions interleave: count per ce_id instead of relying on the order read.
    const firstTime = new Map(before.map((m) => [m.headers['ce_id'], m.value]));
    for (const [ceId, value] of firstTime) {
      const copies = after.filter((m) => m.headers['ce_id'] === ceId);
      expect(copies.length, ceId).toBeGreaterThanOrEqual(2);
      for (const m of copies) expect(m.value).toBe(value);
    }
  });

  it('logs the replay with its reason and the ce_ids, and no personal data', async () => {
    const rows = await logRows(bridge.services.pool, `detail->>'channel' = 'replay'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation: 'disclosed', actor: 'client:test-privacy-officer', recipient: 'om-zsm', subject_id: null });
    expect(rows[0]!.detail).toMatchObject({ destination: 'topic', reason: REASON, events: 3 });
    for (const n of [301, 302, 303]) expect(JSON.stringify(rows)).not.toContain(syntheticBsn(n));
  });

  it('does not resurrect what is no longer held, and says how many that were', async () => {
    // As the retention job does at the end of a record's retention: its outbox rows go with it.
    await bridge.services.pool.query(`DELETE FROM outbox WHERE record_id = $1`, [ids[0]]);
    const res = await replayOf({ from, to, reason: REASON, destination: 'topic' });
    expect(res.json()).toMatchObject({ resent: 2, notResent: 1 });
  });

  it('answers a feed cursor at the start of the range for a feed replay', async () => {
    const res = await replayOf({ from, to, reason: REASON, destination: 'feed' });
    expect(res.statusCode, res.body).toBe(200);
    const outcome = res.json<{ resent: number; notResent: number; cursor: string }>();
    expect(outcome).toMatchObject({ destination: 'feed', resent: 2, notResent: 1 });
    const page = await bridge.inject({ method: 'GET', url: `/v1/feeds/om-zsm/events?after=${outcome.cursor}` }, 'receiver');
    expect(page.statusCode).toBe(200);
    expect(page.json<{ data: { recordId: string } }[]>().map((e) => e.data.recordId)).toEqual(ids.slice(1));
  });

  it('is for the privacy officer only, and refuses bad ranges, reasons and recipients', async () => {
    expect((await replayOf({ from, to, reason: REASON, destination: 'topic' }, 'receiver')).statusCode).toBe(403);
    expect((await replayOf({ from, to, reason: REASON, destination: 'topic' }, 'ops')).statusCode).toBe(403);
    expect((await replayOf({ from, to, reason: REASON, destination: 'topic' }, 'privacy', 'no-such-recipient')).statusCode).toBe(404);
    const bad = async (body: Record<string, unknown>, pointer: string) => {
      const res = await replayOf(body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toContain(pointer);
    };
    await bad({ from: to, to: from, reason: REASON, destination: 'topic' }, '/body/to');
    await bad({ from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z', reason: REASON, destination: 'topic' }, '/body/to');
    await bad({ from, to, reason: 'Person 123456782 lost it all', destination: 'topic' }, '/body/reason');
    const missing = await replayOf({ from, to, destination: 'topic' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('reason');
    await bad({ from, to, reason: REASON, destination: 'fax' }, '/body/destination');
    expect(await logRows(bridge.services.pool, `detail->>'channel' = 'replay'`)).toHaveLength(3);
  });
});
