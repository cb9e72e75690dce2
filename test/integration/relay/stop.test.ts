// A relay stopped with a batch at an unresponsive broker gives the send up at once: the stop does not wait out
// the send deadline (which would outlast the shutdown grace), and the rows stay pending, not marked failed, for
// the next holder of their slots (at least once).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KafkaSendAbortedError } from '../../../src/kafka/errors.ts';
import type { MessageProducer } from '../../../src/kafka/producer.ts';
import { createLogger } from '../../../src/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { createRelay } from '../../../src/relay/relay.ts';
import { freshDatabase } from '../../support/bridge.ts';

let db: pg.Client;
let url: string;
let started = 0;
/** Like the real producer at a frozen broker: nothing but the caller's signal ends the send. */
const frozen: MessageProducer = {
  send: (_messages, _deadlineMs, signal) =>
    new Promise((_, reject) => {
      started++;
      signal?.addEventListener('abort', () => reject(new KafkaSendAbortedError()), { once: true });
    }),
  close: async () => undefined,
};

beforeAll(async () => {
  url = await freshDatabase();
  db = new pg.Client({ connectionString: url });
  await db.connect();
  const id = '00000000-0000-4000-8000-000000000001';
  await db.query(
    /* sql */ `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt, trace_id, valid_until)
     VALUES ($1, 'advice', '00000001823288444000', 'STOP-1', 1, sha256('STOP-1'), 'k1.stop', '{}', '{}', md5('STOP-1'), current_date + 30)`,
    [id],
  );
  await db.query(
    /* sql */ `INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload)
     VALUES ($1, gen_random_uuid(), 'nl.justitieketen.zsm.advice.accepted', 'om-zsm', 'stop.topic', 'k1.stop', 3, '{}', '{}')`,
    [id],
  );
});
afterAll(async () => {
  await db?.end();
});

describe('stopping the relay during a send', () => {
  it('gives the send up, and leaves its rows pending without a failure', async () => {
    const relay = createRelay(frozen, createMetrics(), createLogger('silent'), {
      databaseUrl: url,
      batchSize: 10,
      sendTimeoutMs: 3_600_000,
      pollIntervalMs: 100,
      maxBackoffMs: 500,
    });
    relay.start();
    await vi.waitFor(() => expect(started).toBe(1), { timeout: 10_000 });
    await relay.stop(); // with the send deadline an hour away, only giving the send up lets this return
    const { rows } = await db.query<{ delivered_at: Date | null; last_error: string | null }>(
      /* sql */ `SELECT delivered_at, last_error FROM outbox WHERE message_key = 'k1.stop'`,
    );
    expect(rows).toEqual([{ delivered_at: null, last_error: null }]);
  });
});
