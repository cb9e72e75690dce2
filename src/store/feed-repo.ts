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
 * only rows below the commit horizon, so a position once passed is never revisited (migrations 100 and 101, feed_page:
 * the horizon and the page in one round trip). `types` filters on event_type. */
export async function readFeed(
  q: Queryable,
  recipient: string,
  after: FeedPosition | null,
  limit: number,
  opts: { types?: readonly string[] } = {},
): Promise<FeedEvent[]> {
  const { rows } = await q.query<FeedRow>({
    name: 'feed-page',
    text: /* sql */ `SELECT ${COLUMNS} FROM feed_page($1, $2::xid8, $3::bigint, $4, $5::text[]) AS outbox ORDER BY outbox.tx, outbox.id`,
    values: [recipient, after?.tx ?? null, after?.id ?? null, limit, opts.types && opts.types.length > 0 ? [...opts.types] : null],
  });
  return rows.map(toEvent);
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
