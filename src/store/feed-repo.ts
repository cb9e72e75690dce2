// The pull feed's reads of the outbox (decision 0110): a recipient's messages in (tx, id) order, only below the
// commit horizon, so a position once passed is never revisited by a row committing late.
import type { Queryable } from './pool.ts';

/** A place in a recipient's feed; bigints as decimal strings. */
export interface FeedPosition {
  tx: string;
  id: string;
}

export interface FeedEvent {
  position: FeedPosition;
  eventId: string;
  eventType: string;
  recipient: string;
  topic: string;
  messageKey: string;
  headers: Record<string, string>;
  payload: string;
  recordId: string | null;
  createdAt: Date;
}

interface FeedRow {
  tx: string;
  id: string;
  event_id: string;
  event_type: string;
  recipient: string;
  topic: string;
  message_key: string;
  headers: Record<string, string>;
  payload: string;
  record_id: string | null;
  created_at: Date;
}

// The columns come out as text (tx::text AS tx): ORDER BY names the table's columns, or it would sort the text
// aliases, and '1002' sorts before '775'.
const COLUMNS = /* sql */ `tx::text AS tx, id::text AS id, event_id, event_type, recipient, topic, message_key, headers, payload, record_id, created_at`;

/** Events of one recipient after `after` (null: from the start of what is held), in feed order, at most `limit`;
 * only rows below the commit horizon, so a position once passed is never revisited. `types` filters on event_type. */
export async function readFeed(
  q: Queryable,
  recipient: string,
  after: FeedPosition | null,
  limit: number,
  opts: { types?: readonly string[] } = {},
): Promise<FeedEvent[]> {
  const horizon = await commitHorizon(q);
  // Both bounds stay index conditions on outbox_feed (recipient, tx, id); the row comparison is one range scan.
  const { rows } = await q.query<FeedRow>({
    text: /* sql */ `SELECT ${COLUMNS} FROM outbox
      WHERE recipient = $1
        AND ($2::xid8 IS NULL OR (tx, id) > ($2::xid8, $3::bigint))
        AND tx < $6::xid8
        AND ($5::text[] IS NULL OR event_type = ANY($5::text[]))
      ORDER BY outbox.tx, outbox.id LIMIT $4`,
    values: [recipient, after?.tx ?? null, after?.id ?? null, limit, opts.types && opts.types.length > 0 ? [...opts.types] : null, horizon],
  });
  return rows.map(toEvent);
}

/** A transaction id below which every transaction of this database has ended: read before, and so older than,
 * the snapshot of the statement that uses it. The snapshot's xmin alone is the whole server's, and any writing
 * transaction in another database (a CREATE DATABASE, another application) would hold the feed back; only this
 * database's can write its outbox. So: the lowest id that was running at this statement's snapshot and still runs
 * in this database when pg_stat_activity is read after it (one that ended in between is visible to the next
 * statement), else the snapshot's xmax. Inside a transaction block (a cached pg_stat_activity) or under repeatable
 * read (no new snapshot for the next statement) that reasoning fails, and the server-wide xmin is taken instead.
 * Prepared transactions are not in pg_stat_activity: the bridge uses none (decision 0110). */
async function commitHorizon(q: Queryable): Promise<string> {
  const { rows } = await q.query<{ horizon: string }>(/* sql */ `WITH s AS (SELECT pg_current_snapshot() AS snap)
     SELECT (CASE WHEN current_setting('transaction_isolation') = 'read committed' AND now() = statement_timestamp()
       THEN LEAST(pg_snapshot_xmax(snap), (
         SELECT min(x) FROM pg_snapshot_xip(snap) AS x
         WHERE (x::text::numeric % 4294967296)::bigint IN (
           SELECT backend_xid::text::bigint FROM pg_stat_activity
           WHERE backend_xid IS NOT NULL AND datid = (SELECT oid FROM pg_database WHERE datname = current_database()))))
       ELSE pg_snapshot_xmin(snap) END)::text AS horizon FROM s`);
  return rows[0]!.horizon;
}

/** The first position held for a recipient (null when nothing is): where a client resumes after a 410. */
export async function oldestFeedPosition(q: Queryable, recipient: string): Promise<FeedPosition | null> {
  const { rows } = await q.query<{ tx: string; id: string }>(
    /* sql */ `SELECT tx::text AS tx, id::text AS id FROM outbox WHERE recipient = $1 ORDER BY outbox.tx, outbox.id LIMIT 1`,
    [recipient],
  );
  return rows[0] ? { tx: rows[0].tx, id: rows[0].id } : null;
}

/** The position just before the first held event created at or after `from` (null: none is). A feed replay
 * answers a cursor there; rows stay where they were, so the same ce_ids come again in the same order. */
export async function feedPositionBefore(q: Queryable, recipient: string, from: Date): Promise<FeedPosition | null> {
  const { rows } = await q.query<{ tx: string; id: string }>(
    /* sql */ `SELECT tx::text AS tx, (id - 1)::text AS id FROM outbox WHERE recipient = $1 AND created_at >= $2 ORDER BY outbox.tx, outbox.id LIMIT 1`,
    [recipient, from],
  );
  return rows[0] ? { tx: rows[0].tx, id: rows[0].id } : null;
}

function toEvent(r: FeedRow): FeedEvent {
  return {
    position: { tx: r.tx, id: r.id },
    eventId: r.event_id,
    eventType: r.event_type,
    recipient: r.recipient,
    topic: r.topic,
    messageKey: r.message_key,
    headers: r.headers,
    payload: r.payload,
    recordId: r.record_id,
    createdAt: r.created_at,
  };
}
