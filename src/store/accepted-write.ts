// An accepted record and everything that goes with it, in ONE statement: the lock and head of its processing-log
// chain, the record, its links, its outbox rows, its recipients, its processing-log entries (hashed by PostgreSQL
// after the head, migration 095). Not the NOTIFY: the caller sends that after the commit (outbox-notify.ts).
// One statement is one transaction of its own (decision 0096): no BEGIN, no COMMIT. Each round trip to PostgreSQL
// costs a write to its socket and a wake-up of its backend, more so on an idle machine (docs/performance.md).
// Written one by one these were nine round trips.
// The chain's lock comes first (the record's insert reads from `head`): two writers of the same record wait on the
// lock, never on each other's insert while holding it, so they cannot deadlock.
// Everything hangs on the record's insert: when its key is taken (a replay, or a conflict), `rec` is empty and no
// other row goes in; the stored record is then read. ON CONFLICT DO NOTHING waits for a concurrent insert of the
// same key to commit or roll back, so of two concurrent duplicates exactly one inserts and the other reads it.
import type { PendingLink } from './links-repo.ts';
import type { NewOutboxRow } from '../outbox/message.ts';
import type { Queryable } from './pool.ts';
import { LOCK_KEYS } from './locks.ts';
import { chainedLogSelect, type UnchainedEntry } from './processing-log-repo.ts';
import { existingRecord, type InsertOutcome, type NewRecord } from './records-repo.ts';

export interface AcceptedRows {
  row: NewRecord;
  links: readonly PendingLink[];
  outbox: readonly NewOutboxRow[];
  /** Processing-log entries (unchainedEntries) and their chain, which this statement locks. */
  log: { chain: number; entries: readonly UnchainedEntry[] };
}

const OUTBOX_TYPES = ['uuid', 'text', 'text', 'text', 'text', 'smallint', 'jsonb', 'text'] as const; // event_id .. payload

export async function insertAccepted(client: Queryable, a: AcceptedRows): Promise<InsertOutcome> {
  const r = a.row;
  const params: unknown[] = [
    r.id,
    r.kind,
    r.source,
    r.externalId,
    r.version,
    r.contentHash,
    r.subjectKey,
    JSON.stringify(r.body),
    JSON.stringify(r.receipt),
    r.traceId,
    r.validUntil,
    a.links.map((l) => l.to),
    a.links.map((l) => l.relation),
    a.outbox.map((o) => o.recipient),
    a.outbox.map((o) => o.topic),
    a.outbox.map((o) => o.messageKey),
    LOCK_KEYS.processingLogChain,
    a.log.chain,
  ];
  const outboxTuples = a.outbox.map((o) => {
    const values = [o.eventId, o.eventType, o.recipient, o.topic, o.messageKey, o.slot, JSON.stringify(o.headers), o.payload];
    return `(${values.map((v, i) => (params.push(v), `$${params.length}::${OUTBOX_TYPES[i]}`)).join(', ')})`;
  });
  const statements = [
    // MATERIALIZED: evaluated once, so the lock is taken once and the head read once.
    /* sql */ `head AS MATERIALIZED (SELECT chain_seq, hash FROM processing_log_lock_head($17::integer, $18::smallint))`,
    /* sql */ `rec AS (INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt, trace_id, valid_until)
       SELECT $1::uuid, $2::text, $3::text, $4::text, $5::integer, $6::bytea, $7::text, $8::jsonb, $9::jsonb, $10::text, $11::date FROM head
       ON CONFLICT (kind, source, external_id, version) DO NOTHING RETURNING id)`,
    /* sql */ `lnk AS (INSERT INTO record_links (from_record, to_record, relation)
       SELECT rec.id, l.to_record, l.relation FROM rec, unnest($12::uuid[], $13::text[]) AS l(to_record, relation) ON CONFLICT DO NOTHING)`,
    /* sql */ `rcp AS (INSERT INTO record_recipients (record_id, recipient, topic, message_key)
       SELECT rec.id, d.* FROM rec, unnest($14::text[], $15::text[], $16::text[]) AS d ON CONFLICT DO NOTHING)`,
  ];
  if (outboxTuples.length > 0) {
    // In the order given (a nested loop over the one row of rec), so outbox ids follow the deliveries' order.
    statements.push(/* sql */ `obx AS (INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload)
       SELECT rec.id, o.* FROM rec, (VALUES ${outboxTuples.join(', ')}) AS o)`);
  }
  if (a.log.entries.length > 0) statements.push(`lg AS (INSERT INTO processing_log ${chainedLogSelect(a.log.entries, params, 'head', ['rec'])})`);
  // Named, so each connection parses and plans it once (planning was a quarter of its time in PostgreSQL): the
  // text depends only on the numbers of outbox and log rows, which the exchange policy fixes per kind of record.
  const { rows } = await client.query<{ id: string }>({
    name: `insert-accepted-${a.outbox.length}-${a.log.entries.length}`,
    text: `WITH ${statements.join(',\n')}\nSELECT rec.id FROM rec`,
    values: params,
  });
  if (rows.length === 1) return { inserted: true };
  return { inserted: false, existing: await existingRecord(client, r) };
}
