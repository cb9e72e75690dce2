// B2: the rows one accepted advice writes (records 1, outbox 1 per recipient, record_recipients 1 per recipient,
// processing_log "received" + 1 "disclosed" per recipient, under the chain's advisory lock; a NOTIFY), written by
// node-postgres directly, with the values of a real accepted advice (read from the bench database). Single: one
// transaction per record, as POST /v1/advices. Multi: one transaction per batch with multi-row statements, as
// POST /v1/advice-batches. Outbox rows go to slot -1, which no relay owns, and are removed afterwards.
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { LOCK_KEYS } from '../../src/store/locks.ts'; // the bridge's: B2 waits on the same chain locks as the bridge would
import { spread, type Spread } from '../stats.ts';

const NO_RELAY_SLOT = -1;

export interface Template {
  record: { kind: string; source: string; version: number; contentHash: Buffer; body: string; receipt: string; traceId: string; validUntil: string | null };
  outbox: { eventType: string; recipient: string; topic: string; messageKey: string; headers: string; payload: string }[];
  log: {
    operation: string;
    status: string;
    traceId: string;
    actor: string;
    subjectId: string | null;
    recordKind: string;
    recipient: string | null;
    fields: string[] | null;
    legalBasis: string | null;
    purpose: string | null;
    processingActivity: string;
    detail: string | null;
  }[];
}

interface RecordRow {
  id: string;
  kind: string;
  source: string;
  version: number;
  content_hash: Buffer;
  body: string;
  receipt: string;
  trace_id: string;
  valid_until: string | null;
}
interface OutboxRow {
  event_type: string;
  recipient: string;
  topic: string;
  message_key: string;
  headers: string;
  payload: string;
}
interface LogRow {
  operation: string;
  status: string;
  trace_id: string;
  actor: string;
  subject_id: string | null;
  record_kind: string;
  recipient: string | null;
  fields: string[] | null;
  legal_basis: string | null;
  purpose: string | null;
  processing_activity: string;
  detail: string | null;
}

/** The rows of one advice the bridge accepted. */
export async function readTemplate(pool: pg.Pool): Promise<Template> {
  const r = (
    await pool.query<RecordRow>(
      `SELECT id, kind, source, version, content_hash, body::text AS body, receipt::text AS receipt, trace_id, valid_until::text AS valid_until FROM records WHERE kind = 'advice' AND external_id LIKE 'BENCH-%' ORDER BY received_at DESC LIMIT 1`,
    )
  ).rows[0];
  if (!r) throw new Error('no advice accepted by the bench to copy');
  const outbox = (
    await pool.query<OutboxRow>(
      `SELECT event_type, recipient, topic, message_key, headers::text AS headers, payload FROM outbox WHERE record_id = $1 ORDER BY id`,
      [r.id],
    )
  ).rows;
  const log = (
    await pool.query<LogRow>(
      `SELECT operation, status, trace_id, actor, subject_id, record_kind, recipient, fields, legal_basis, purpose, processing_activity, detail::text AS detail FROM processing_log WHERE record_id = $1 ORDER BY id`,
      [r.id],
    )
  ).rows;
  return {
    record: {
      kind: r.kind,
      source: r.source,
      version: r.version,
      contentHash: r.content_hash,
      body: r.body,
      receipt: r.receipt,
      traceId: r.trace_id,
      validUntil: r.valid_until,
    },
    outbox: outbox.map((o) => ({
      eventType: o.event_type,
      recipient: o.recipient,
      topic: o.topic,
      messageKey: o.message_key,
      headers: o.headers,
      payload: o.payload,
    })),
    log: log.map((e) => ({
      operation: e.operation,
      status: e.status,
      traceId: e.trace_id,
      actor: e.actor,
      subjectId: e.subject_id,
      recordKind: e.record_kind,
      recipient: e.recipient,
      fields: e.fields,
      legalBasis: e.legal_basis,
      purpose: e.purpose,
      processingActivity: e.processing_activity,
      detail: e.detail,
    })),
  };
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest();
let n = 0;

interface Rows {
  record: unknown[];
  outbox: unknown[][];
  recipients: unknown[][];
  chain: number;
  log: unknown[][];
}

/** One record's rows with fresh ids and one of 5,000 subjects; processing-log rows get their chain position later. */
function rowsOf(t: Template, tag: string): Rows {
  const id = randomUUID();
  const subject = `k1.bench${(n++ % 5_000).toString().padStart(14, '0')}`;
  const chain = sha(subject).readUInt16BE(0) % 16;
  const now = new Date();
  return {
    record: [
      id,
      t.record.kind,
      t.record.source,
      `B2-${tag}-${n}`,
      t.record.version,
      sha(`${tag}${n}`),
      subject,
      t.record.body,
      t.record.receipt,
      t.record.traceId,
      t.record.validUntil,
    ],
    outbox: t.outbox.map((o) => [id, randomUUID(), o.eventType, o.recipient, o.topic, subject, NO_RELAY_SLOT, o.headers, o.payload]),
    recipients: t.outbox.map((o) => [id, o.recipient, o.topic, subject]),
    chain,
    log: t.log.map((e) => [
      randomUUID(),
      chain,
      e.operation,
      e.status,
      e.traceId,
      e.actor,
      e.subjectId,
      e.subjectId ? sha(e.subjectId).subarray(0, 16) : null,
      e.subjectId ? sha(subject) : null,
      id,
      e.recordKind,
      e.recipient,
      e.fields,
      e.legalBasis,
      e.purpose,
      e.processingActivity,
      now,
      now,
      e.detail,
    ]),
  };
}

const values = (rows: unknown[][], params: unknown[]) => rows.map((r) => `(${r.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`).join(', ');

async function writeRows(c: pg.PoolClient, batch: Rows[]): Promise<void> {
  await c.query('BEGIN');
  const rec = batch.map((b) => b.record);
  if (batch.length === 1) {
    await c.query(
      `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt, trace_id, valid_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (kind, source, external_id, version) DO NOTHING`,
      rec[0],
    );
  } else {
    const col = (i: number) => rec.map((r) => r[i]);
    await c.query(
      `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt, trace_id, valid_until)
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bytea[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[], $11::date[])
      ON CONFLICT (kind, source, external_id, version) DO NOTHING`,
      Array.from({ length: 11 }, (_, i) => col(i)),
    );
  }
  let params: unknown[] = [];
  await c.query(
    `INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload) VALUES ${values(
      batch.flatMap((b) => b.outbox),
      params,
    )}`,
    params,
  );
  const rr = batch.flatMap((b) => b.recipients);
  await c.query(
    `INSERT INTO record_recipients (record_id, recipient, topic, message_key) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
    [0, 1, 2, 3].map((i) => rr.map((r) => r[i])),
  );
  const chains = [...new Set(batch.map((b) => b.chain))].sort((a, b) => a - b);
  await c.query('SELECT pg_advisory_xact_lock($1, c) FROM unnest($2::int[]) AS c', [LOCK_KEYS.processingLogChain, chains]);
  const heads = (
    await c.query<{ chain: number; chain_seq: string | null; hash: Buffer | null }>(
      `SELECT c.chain, h.chain_seq, h.hash FROM unnest($1::smallint[]) AS c(chain) LEFT JOIN LATERAL (SELECT chain_seq, hash FROM processing_log p WHERE p.chain = c.chain ORDER BY chain_seq DESC LIMIT 1) h ON true`,
      [chains],
    )
  ).rows;
  const head = new Map(heads.map((h) => [h.chain, { seq: Number(h.chain_seq ?? 0), hash: h.hash ?? Buffer.alloc(32) }]));
  const logRows = batch.flatMap((b) =>
    b.log.map((row) => {
      const h = head.get(b.chain)!;
      const hash = sha(JSON.stringify(row));
      const out = [...row.slice(0, 2), ++h.seq, ...row.slice(2), h.hash, hash];
      h.hash = hash;
      return out;
    }),
  );
  params = [];
  await c.query(
    `INSERT INTO processing_log (entry_id, chain, chain_seq, operation, status, trace_id, actor, subject_id, subject_salt, subject_commitment, record_id, record_kind, recipient, fields, legal_basis, purpose, processing_activity, started_at, ended_at, detail, prev_hash, hash) VALUES ${values(logRows, params)}`,
    params,
  );
  await c.query(`SELECT pg_notify('bench_b2', '')`);
  await c.query('COMMIT');
}

export interface PostgresBaseline {
  recordsPerSecond: number;
  /** Latency of one transaction (ms). */
  commit: Spread;
}

/** `callers` connections writing transactions of `batchSize` records for `seconds`: back to back, or with
 * `intervalMs` each caller's transactions due that long apart (on a fixed schedule; one that is late goes at once). */
export async function postgresBaseline(
  databaseUrl: string,
  t: Template,
  opts: { callers: number; seconds: number; batchSize: number; intervalMs?: number },
): Promise<PostgresBaseline> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.callers });
  pool.on('error', () => undefined); // an idle connection cut when the scenario's database is dropped
  const latencies: number[] = [];
  let records = 0;
  try {
    const started = performance.now();
    const end = started + opts.seconds * 1_000;
    await Promise.all(
      Array.from({ length: opts.callers }, async () => {
        const c = await pool.connect();
        try {
          for (let k = 1; performance.now() < end; k++) {
            if (opts.intervalMs) await sleep(Math.max(0, started + k * opts.intervalMs - performance.now()));
            const batch = Array.from({ length: opts.batchSize }, () => rowsOf(t, `${opts.batchSize}`));
            const t0 = performance.now();
            await writeRows(c, batch);
            latencies.push(performance.now() - t0);
            records += batch.length;
          }
        } finally {
          c.release();
        }
      }),
    );
    return { recordsPerSecond: records / ((performance.now() - started) / 1_000), commit: spread(latencies) };
  } finally {
    await pool.query(`DELETE FROM outbox WHERE slot = $1`, [NO_RELAY_SLOT]);
    await pool.end();
  }
}
