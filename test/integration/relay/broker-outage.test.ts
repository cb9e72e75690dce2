// With Kafka down, ingest keeps accepting; readiness names Kafka; when the broker returns, everything flows,
// in order per subject, and readiness recovers without restarting the service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnedBroker } from '../../../chaos/owned-broker.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { OM_ZSM, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';

let broker: OwnedBroker;
let bridge: TestBridge;

beforeAll(async () => {
  broker = await OwnedBroker.create();
  await broker.start();
  bridge = await startBridge({ env: { KAFKA_BROKERS: broker.brokers } });
});
afterAll(async () => {
  await bridge?.close();
  await broker?.destroy();
});

const ready = async () => (await bridge.app.inject({ method: 'GET', url: '/health/ready' })).json<{ checks: { kafka: { status: string } } }>();

describe('a broker outage', () => {
  it('loses nothing and keeps per-subject order', async () => {
    const first = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'OUT-0', bsn: syntheticBsn(10) }) });
    expect(first.statusCode).toBe(202);
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);

    await broker.stop('SIGKILL');
    await expect.poll(async () => (await bridge.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, { timeout: 20_000 }).toBe(503);
    expect((await ready()).checks.kafka.status).toBe('failing');

    // Three subjects, ten advices each, interleaved, while the broker is away.
    const posted: { subject: number; adviceId: string; id: string }[] = [];
    for (let i = 0; i < 10; i++) {
      for (const subject of [11, 12, 13]) {
        const adviceId = `OUT-${subject}-${i}`;
        const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId, bsn: syntheticBsn(subject) }) });
        expect(res.statusCode).toBe(202);
        posted.push({ subject, adviceId, id: res.json<{ id: string }>().id });
      }
    }
    const pending = await bridge.services.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL AND recipient = $1', [OM_ZSM]);
    expect(Number(pending.rows[0]!.n)).toBe(30);

    await broker.start();
    expect(await waitForDelivery(bridge.services.pool, 60_000)).toBe(0);
    await expect.poll(async () => (await bridge.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, { timeout: 20_000 }).toBe(200);

    const messages = await readTopic(bridge.topic('advice', OM_ZSM), { count: 31, brokers: broker.brokers, timeoutMs: 30_000 });
    // Duplicates are allowed only as resends with the same ce_id; keep the first of each.
    const seen = new Set<string>();
    const firsts = messages
      .sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))
      .filter((m) => !seen.has(m.headers['ce_id']!) && seen.add(m.headers['ce_id']!));
    const received = firsts.map((m) => JSON.parse(m.value) as { recordId: string; record: { adviceId: string } });
    expect(new Set(received.map((r) => r.recordId))).toEqual(new Set([first.json<{ id: string }>().id, ...posted.map((p) => p.id)]));
    for (const subject of [11, 12, 13]) {
      const order = received.map((r) => r.record.adviceId).filter((id) => id.startsWith(`OUT-${subject}-`));
      expect(order).toEqual(posted.filter((p) => p.subject === subject).map((p) => p.adviceId));
    }
  });
});
