// Saturation figures (closed loop, a fixed number of callers): records per second through the bridge (single
// and batch) and through bare Fastify; and how fast the relay drains a backlog of real messages.
import type pg from 'pg';
import { adviceBody, batchBody } from './bodies.ts';
import { closedLoop, type Target } from './http-load.ts';
import { cpuSeconds } from './proc.ts';
import { spread, type Spread } from './stats.ts';
import { waitDrained } from './steps.ts';
import type { Message } from './baselines/kafka.ts';

export interface Capacity {
  recordsPerSecond: number;
  latency: Spread;
  errors: number;
  cpuPer1000: number;
}

export async function capacity(o: {
  target: Target;
  pid?: number | undefined;
  runId: string;
  callers: number;
  seconds: number;
  batchSize?: number | undefined;
}): Promise<Capacity> {
  const cpu0 = o.pid ? cpuSeconds(o.pid) : NaN;
  const make = o.batchSize ? () => batchBody(o.runId, o.batchSize!) : () => adviceBody(o.runId);
  const { answers, seconds } = await closedLoop(o.target, o.callers, o.seconds, make);
  const ok = answers.filter((a) => a.status === 202 || a.status === 200);
  const records = o.batchSize ? ok.reduce((n, a) => n + ((JSON.parse(a.body) as { accepted?: number }).accepted ?? 0), 0) : ok.length;
  const cpu = o.pid ? cpuSeconds(o.pid) - cpu0 : NaN;
  return {
    recordsPerSecond: records / seconds,
    latency: spread(ok.map((a) => a.latencyMs)),
    errors: answers.length - ok.length,
    cpuPer1000: (cpu / Math.max(records, 1)) * 1_000,
  };
}

/** A relay drain or catch-up: how fast, how long, and what was still pending when the wait gave up. */
export interface Drain {
  messagesPerSecond: number;
  seconds: number;
  left: number;
}

/** Real messages of the bridge (topic, key, value, headers), read back from its outbox: the newest, delivered or
 * not (the backlog scenario takes B1 before its relay has delivered any). */
export async function realMessages(pool: pg.Pool, count: number): Promise<Message[]> {
  const { rows } = await pool.query<{ topic: string; message_key: string; payload: string; headers: Record<string, string> }>(
    `SELECT topic, message_key, payload, headers FROM outbox WHERE slot >= 0 AND payload <> '{}' ORDER BY id DESC LIMIT 2000`,
  );
  if (rows.length === 0) throw new Error('no messages in the outbox to copy');
  return Array.from({ length: count }, (_, i) => {
    const r = rows[i % rows.length]!;
    return { topic: r.topic, key: r.message_key, value: r.payload, headers: r.headers };
  });
}

/** Copies `count` delivered messages back into the outbox as new ones (new event ids), then times the relay from
 * the commit of the copy to its last delivery of them. The copies cycle through the 2,000 newest messages in
 * order, as B1 sends them. Without the ORDER BY the join wrote each message's copies in a row (30 of one message,
 * then 30 of the next: runs 1 to 19 drained that); a second drain copied those runs again (900 in a row), which
 * the relay's per-topic byte cap cuts into small batches and which B1, reading its messages back, sent as one
 * partition's batch over the broker's 1 MiB limit. */
export async function relayDrain(pool: pg.Pool, count: number): Promise<Drain> {
  const { rows } = await pool.query<{ marker: Date }>('SELECT clock_timestamp() AS marker');
  const marker = rows[0]!.marker;
  await pool.query(
    `WITH src AS (SELECT row_number() OVER (ORDER BY id) - 1 AS i, * FROM (SELECT * FROM outbox WHERE slot >= 0 AND delivered_at IS NOT NULL AND payload <> '{}' ORDER BY id DESC LIMIT 2000) s)
     INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload)
     SELECT s.record_id, gen_random_uuid(), s.event_type, s.recipient, s.topic, s.message_key, s.slot, s.headers, s.payload
     FROM generate_series(0, $1::int - 1) g JOIN src s ON s.i = g % (SELECT count(*) FROM src)
     ORDER BY g`,
    [count],
  );
  const committed = (await pool.query<{ at: Date }>(`SELECT clock_timestamp() AS at, pg_notify('bridge_outbox', '')`)).rows[0]!.at;
  const left = await waitDrained(pool, 600_000);
  const span = await pool.query<{ n: string; last: Date | null }>(
    `SELECT count(*) AS n, max(delivered_at) AS last FROM outbox WHERE created_at >= $1 AND delivered_at IS NOT NULL`,
    [marker],
  );
  // The relay cannot see the rows before the copy commits: the clock starts there.
  const seconds = Math.max(0.001, ((span.rows[0]!.last?.getTime() ?? committed.getTime()) - committed.getTime()) / 1_000);
  return { messagesPerSecond: Number(span.rows[0]!.n) / seconds, seconds, left };
}

/** Times a relay that starts on a full outbox: from its first to its last delivery, over every row it delivered. */
export async function catchUp(pool: pg.Pool, since: Date): Promise<Drain> {
  const left = await waitDrained(pool, 900_000);
  const span = await pool.query<{ n: string; seconds: number | null }>(
    `SELECT count(*) AS n, EXTRACT(EPOCH FROM max(delivered_at) - min(delivered_at))::float8 AS seconds FROM outbox WHERE delivered_at >= $1`,
    [since],
  );
  const seconds = span.rows[0]!.seconds ?? 0;
  return { messagesPerSecond: Number(span.rows[0]!.n) / Math.max(seconds, 0.001), seconds, left };
}
