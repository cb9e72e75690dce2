// The outbox: one row per message to send. The relay claims pending rows by slot, never with an
// "id > last seen" cursor: sequence values are taken at insert and can commit out of order.
import type { NewOutboxRow } from '../outbox/message.ts';
import type { Pool, Queryable } from './pool.ts';

export const OUTBOX_CHANNEL = 'bridge_outbox';

// PostgreSQL takes at most 65,535 parameters in one statement; a batch of records can bring thousands of rows.
export const ROWS_PER_INSERT = 5_000;

export async function insertOutboxRows(client: Queryable, rows: NewOutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const params: unknown[] = [];
    await client.query(/* sql */ `INSERT INTO outbox ${outboxValues(rows.slice(start, start + ROWS_PER_INSERT), params)}`, params);
  }
  // Delivered to listeners at commit, not before: the relay never wakes for rows it cannot see yet.
  await client.query(/* sql */ `SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}

/** The column list and VALUES of outbox rows, their parameters appended to `params`. */
export function outboxValues(rows: readonly NewOutboxRow[], params: unknown[]): string {
  const tuples = rows.map((r) => {
    const base = params.length;
    params.push(r.recordId, r.quarantineId ?? null, r.eventId, r.eventType, r.recipient, r.topic, r.messageKey, r.slot, JSON.stringify(r.headers), r.payload);
    return `(${Array.from({ length: 10 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
  });
  return `(record_id, quarantine_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload) VALUES ${tuples.join(', ')}`;
}

export interface ClaimedRow {
  id: string;
  eventId: string;
  topic: string;
  messageKey: string;
  headers: Record<string, string>;
  payload: string;
  attempts: number;
}

/** Pending rows of the given slots, oldest first, leaving out `exclude` (rows in flight). In the same statement,
 * the rows of `delivered` (the previous batch, acknowledged by the broker) are marked delivered: one round trip
 * per relay round instead of two. The claim reads the snapshot from before the mark, so `exclude` must hold
 * `delivered` too. No row lock: only the replica holding a slot's advisory lock reads or marks its rows. */
export async function claimPending(
  client: Queryable,
  slots: number[],
  limit: number,
  opts: { exclude?: readonly string[]; delivered?: readonly string[] } = {},
): Promise<ClaimedRow[]> {
  // Unnamed on purpose: planned with the actual arrays, so `<> ALL` of a thousand ids is a hash lookup (PostgreSQL
  // 15 hashes a constant array, not a parameter of a generic plan).
  const { rows } = await client.query<{
    id: string;
    event_id: string;
    topic: string;
    message_key: string;
    headers: Record<string, string>;
    payload: string;
    attempts: number;
  }>({
    text: /* sql */ `WITH marked AS (
       UPDATE outbox SET delivered_at = clock_timestamp(), attempts = attempts + 1, last_attempt_at = clock_timestamp(), last_error = NULL
       WHERE id = ANY($4::bigint[]) AND delivered_at IS NULL)
     SELECT id, event_id, topic, message_key, headers, payload, attempts FROM outbox
     WHERE delivered_at IS NULL AND slot = ANY($1::smallint[]) AND id <> ALL($3::bigint[])
     ORDER BY id LIMIT $2`,
    values: [slots, limit, opts.exclude ?? [], opts.delivered ?? []],
  });
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    topic: r.topic,
    messageKey: r.message_key,
    headers: r.headers,
    payload: r.payload,
    attempts: r.attempts,
  }));
}

export async function markDelivered(client: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await client.query(
    /* sql */ `UPDATE outbox SET delivered_at = clock_timestamp(), attempts = attempts + 1, last_attempt_at = clock_timestamp(), last_error = NULL WHERE id = ANY($1::bigint[])`,
    [ids],
  );
}

export async function markFailed(client: Queryable, ids: string[], error: string): Promise<void> {
  await client.query(/* sql */ `UPDATE outbox SET attempts = attempts + 1, last_attempt_at = clock_timestamp(), last_error = $2 WHERE id = ANY($1::bigint[])`, [
    ids,
    error,
  ]);
}

export interface Backlog {
  pending: number;
  oldestAgeSeconds: number;
}

export async function backlog(pool: Pool): Promise<Backlog> {
  const { rows } = await pool.query<{ pending: string; oldest: number | null }>(
    /* sql */ `SELECT count(*) AS pending, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest FROM outbox WHERE delivered_at IS NULL`,
  );
  const r = rows[0]!;
  return { pending: Number(r.pending), oldestAgeSeconds: Math.max(0, r.oldest ?? 0) };
}

export interface MessageState {
  recipient: string;
  topic: string;
  eventId: string;
  deliveredAt: Date | null;
  attempts: number;
  lastError: string | null;
}

export async function messagesOf(pool: Pool, recordId: string): Promise<MessageState[]> {
  const { rows } = await pool.query<{
    recipient: string;
    topic: string;
    event_id: string;
    delivered_at: Date | null;
    attempts: number;
    last_error: string | null;
  }>(/* sql */ `SELECT recipient, topic, event_id, delivered_at, attempts, last_error FROM outbox WHERE record_id = $1 ORDER BY id`, [recordId]);
  return rows.map((r) => ({
    recipient: r.recipient,
    topic: r.topic,
    eventId: r.event_id,
    deliveredAt: r.delivered_at,
    attempts: r.attempts,
    lastError: r.last_error,
  }));
}

/** Removes the rows (and so the recipient views) of records whose retention has ended, delivered or not. */
export async function deleteOutboxOfRecords(client: Queryable, recordIds: readonly string[]): Promise<{ removed: number; undelivered: number }> {
  const { rows } = await client.query<{ undelivered: boolean }>(
    /* sql */ `DELETE FROM outbox WHERE record_id = ANY($1::uuid[]) RETURNING delivered_at IS NULL AS undelivered`,
    [recordIds],
  );
  return { removed: rows.length, undelivered: rows.filter((r) => r.undelivered).length };
}

/** The dead letters of quarantine entries whose retention ended (the payload holds the subject's key). */
export async function deleteOutboxOfQuarantine(client: Queryable, quarantineIds: readonly string[]): Promise<{ removed: number; undelivered: number }> {
  const { rows } = await client.query<{ undelivered: boolean }>(
    /* sql */ `DELETE FROM outbox WHERE quarantine_id = ANY($1::uuid[]) RETURNING delivered_at IS NULL AS undelivered`,
    [quarantineIds],
  );
  return { removed: rows.length, undelivered: rows.filter((r) => r.undelivered).length };
}

/** Disclosure times of a record's messages, per recipient, while the outbox still holds them. */
export async function deliveredAtOf(client: Queryable, recordIds: readonly string[]): Promise<Map<string, Date | null>> {
  const { rows } = await client.query<{ record_id: string; recipient: string; delivered_at: Date | null }>(
    /* sql */ `SELECT record_id, recipient, delivered_at FROM outbox WHERE record_id = ANY($1::uuid[])`,
    [recordIds],
  );
  return new Map(rows.map((r) => [`${r.record_id} ${r.recipient}`, r.delivered_at]));
}

/** Removes delivered rows older than the cutoff, in chunks so no single statement holds many locks. */
export async function deleteDeliveredBefore(pool: Pool, cutoff: Date, chunk = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await pool.query(
      /* sql */ `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < $1 LIMIT $2)`,
      [cutoff, chunk],
    );
    total += res.rowCount ?? 0;
    if ((res.rowCount ?? 0) < chunk) return total;
  }
}

/** Subscribes a session connection to the NOTIFY every outbox insert sends at commit (the feed's waiters). */
export async function listenForOutbox(c: Queryable): Promise<void> {
  await c.query(/* sql */ `LISTEN ${OUTBOX_CHANNEL}`);
}
