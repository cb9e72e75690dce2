// A relay is woken by the ingest of its own process (nudge) as well as by NOTIFY: rows committed without a NOTIFY
// wait for the poll interval, and go out as soon as the relay is nudged. The ingest sends the NOTIFY that wakes
// other replicas after its commit, not inside it (decision 0114).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MessageProducer, OutgoingMessage } from '../../../src/kafka/producer.ts';
import { createLogger } from '../../../src/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { createRelay, type Relay } from '../../../src/relay/relay.ts';
import { OUTBOX_CHANNEL } from '../../../src/store/outbox-repo.ts';
import { SLOT_COUNT } from '../../../src/outbox/slots.ts';
import { KINDS } from '../../../src/ingest/kinds/index.ts';
import { ingestRecord } from '../../../src/ingest/spine.ts';
import { freshDatabase, startBridge, type TestBridge } from '../../support/bridge.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';

const sent: OutgoingMessage[] = [];
const recording: MessageProducer = {
  send: async (messages) => void sent.push(...messages),
  close: async () => undefined,
};
let db: pg.Client;
let relay: Relay;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One record and one outbox row for it, committed without a NOTIFY. */
async function pendingRow(n: number): Promise<string> {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  await db.query(
    /* sql */ `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt, trace_id, valid_until)
     VALUES ($1, 'advice', '00000001823288444000', $2::text, 1, sha256(convert_to($2::text, 'UTF8')), 'k1.nudge', '{}', '{}', md5($2::text), current_date + 30)`,
    [id, `NUDGE-${n}`],
  );
  await db.query(
    /* sql */ `INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload)
     VALUES ($1, gen_random_uuid(), 'nl.justitieketen.zsm.advice.accepted', 'om-zsm', 'nudge.topic', 'k1.nudge', 3, '{}', $2)`,
    [id, JSON.stringify({ n })],
  );
  return JSON.stringify({ n });
}

beforeAll(async () => {
  const url = await freshDatabase();
  db = new pg.Client({ connectionString: url });
  await db.connect();
  // A poll interval far longer than the test: only a NOTIFY or a nudge can wake this relay.
  relay = createRelay(recording, createMetrics(), createLogger('warn'), {
    databaseUrl: url,
    batchSize: 10,
    sendTimeoutMs: 1_000,
    pollIntervalMs: 60_000,
    maxBackoffMs: 500,
  });
  relay.start();
  await vi.waitFor(() => expect(relay.ownedSlots()).toHaveLength(SLOT_COUNT), { timeout: 10_000 });
  await sleep(200); // its first (empty) round is over: it waits now
});
afterAll(async () => {
  await relay?.stop();
  await db?.end();
});

describe('relay nudge', () => {
  it('leaves rows committed without a NOTIFY to the poll, and sends them at once when nudged', async () => {
    const payload = await pendingRow(1);
    await sleep(1_000);
    expect(sent.map((m) => m.value)).not.toContain(payload);
    relay.nudge();
    await expect.poll(() => sent.map((m) => m.value), { timeout: 2_000, interval: 20 }).toContain(payload);
    // Marked delivered by the end of that round.
    const delivered = async () => (await db.query<{ d: boolean }>(`SELECT delivered_at IS NOT NULL AS d FROM outbox WHERE payload = $1`, [payload])).rows[0]?.d;
    await expect.poll(delivered, { timeout: 2_000, interval: 20 }).toBe(true);
  });
});

describe('the ingest', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ relay: false });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('nudges its relay after storing a new record, not after a replay or a refusal', async () => {
    const s = bridge.services;
    let nudges = 0;
    const deps = {
      pool: s.pool,
      plan: s.plan,
      pseudonymiser: s.pseudonymiser,
      metrics: s.metrics,
      bridgeOin: bridge.config.bridgeOin,
      stored: () => void nudges++,
    };
    const body = validAdvice({ adviceId: 'NUDGE-1', bsn: syntheticBsn(71) });
    expect((await ingestRecord(deps, KINDS.advice, { body, door: 'rest' })).outcome).toBe('accepted');
    expect(nudges).toBe(1);
    expect((await ingestRecord(deps, KINDS.advice, { body, door: 'rest' })).outcome).toBe('replayed');
    expect((await ingestRecord(deps, KINDS.advice, { body: { ...body, adviceId: '' }, door: 'rest' })).outcome).toBe('refused');
    expect(nudges).toBe(1);
  });

  it('tells other processes after the commit: a listener on the outbox channel hears of an accepted record, not of a refusal', async () => {
    const listener = new pg.Client({ connectionString: bridge.config.databaseUrl });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(n.channel));
      await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
      const refused = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: '', bsn: syntheticBsn(72) }) });
      expect(refused.statusCode).toBe(400);
      const accepted = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'NUDGE-2', bsn: syntheticBsn(72) }) });
      expect(accepted.statusCode).toBe(202);
      await expect.poll(() => heard, { timeout: 2_000, interval: 10 }).toEqual([OUTBOX_CHANNEL]);
      // Coalesced or not, nothing more comes for this one record (the refusal sent none).
      await bridge.services.outboxNotifier.settled();
      await sleep(200);
      expect(heard).toEqual([OUTBOX_CHANNEL]);
    } finally {
      await listener.end();
    }
  });
});
