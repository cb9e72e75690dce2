// record_recipients: who received each record, on which topic, under which key. Written with the record's
// outbox rows (store/batch-messages-write.ts) and kept after those are removed (OUTBOX_RETENTION_HOURS), so that later events about the record
// (an advice expiring) reach exactly the recipients that got it.
import type { Queryable } from './pool.ts';

export interface Recipient {
  recordId: string;
  recipient: string;
  topic: string;
  /** The subject's pseudonym this recipient already has as the message key. */
  messageKey: string;
}

export interface ExpiryNotice extends Recipient {
  /** ce_id of the expiry event: fixed once, so no recipient is ever told twice. */
  eventId: string;
}

/** Gives each recipient of the records that has no expiry event yet its one event id. */
export async function assignExpiryEvents(client: Queryable, recordIds: string[]): Promise<ExpiryNotice[]> {
  if (recordIds.length === 0) return [];
  const { rows } = await client.query<{ record_id: string; recipient: string; topic: string; message_key: string; expiry_event_id: string }>(
    /* sql */ `UPDATE record_recipients SET expiry_event_id = gen_random_uuid()
     WHERE record_id = ANY($1::uuid[]) AND expiry_event_id IS NULL
     RETURNING record_id, recipient, topic, message_key, expiry_event_id`,
    [recordIds],
  );
  return rows.map((r) => ({ recordId: r.record_id, recipient: r.recipient, topic: r.topic, messageKey: r.message_key, eventId: r.expiry_event_id }));
}
