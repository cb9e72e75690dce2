// A recipient's messages sent again (decision 0110): the outbox rows still held in a time range, marked pending
// so the relay re-sends them with their own ce_id and the view stored when they were accepted. What retention or
// the clean-up removed is not resurrected; the processing log's disclosures tell how many that were.
import { OUTBOX_CHANNEL } from './outbox-repo.ts';
import type { Queryable } from './pool.ts';

export interface HeldEvent {
  eventId: string;
  eventType: string;
}

/** The held rows of a recipient created in [from, to), in feed order, at most `limit`. */
export async function heldEvents(q: Queryable, recipient: string, from: Date, to: Date, limit: number): Promise<HeldEvent[]> {
  const { rows } = await q.query<{ event_id: string; event_type: string }>(
    /* sql */ `SELECT event_id, event_type FROM outbox WHERE recipient = $1 AND created_at >= $2 AND created_at < $3 ORDER BY tx, id LIMIT $4`,
    [recipient, from, to, limit],
  );
  return rows.map((r) => ({ eventId: r.event_id, eventType: r.event_type }));
}

/** Marks the held rows of a recipient created in [from, to) pending again and wakes the relay at commit; returns
 * them. A row still pending stays pending: it goes out once, as it would have anyway. */
export async function markForResend(q: Queryable, recipient: string, from: Date, to: Date): Promise<HeldEvent[]> {
  const { rows } = await q.query<{ event_id: string; event_type: string }>(
    /* sql */ `UPDATE outbox SET delivered_at = NULL, last_error = NULL
     WHERE recipient = $1 AND created_at >= $2 AND created_at < $3 RETURNING event_id, event_type`,
    [recipient, from, to],
  );
  await q.query(/* sql */ `SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return rows.map((r) => ({ eventId: r.event_id, eventType: r.event_type }));
}

/** How many messages to a recipient were disclosed in [from, to) at acceptance (the ingest's disclosure entries,
 * which name the topic; feed retrievals and replays name none), whether or not the outbox still holds them. */
export async function disclosuresAtAcceptance(q: Queryable, recipient: string, from: Date, to: Date): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    /* sql */ `SELECT count(*) AS n FROM processing_log
     WHERE operation = 'disclosed' AND recipient = $1 AND started_at >= $2 AND started_at < $3 AND detail ? 'topic'`,
    [recipient, from, to],
  );
  return Number(rows[0]!.n);
}
