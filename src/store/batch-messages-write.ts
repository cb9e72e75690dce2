// An accepted record's deliveries in ONE statement: its outbox rows and its record_recipients rows (the NOTIFY
// follows the commit: outbox-notify.ts). They were separate round trips; on the ingest path every round trip
// costs a write to the database's socket and a wake-up of its backend, which the bench's CPU profile showed as a
// large cost (docs/performance.md). Data-modifying CTEs run to completion whether or not the outer query reads them.
import type { NewOutboxRow } from '../outbox/message.ts';
import { outboxValues, ROWS_PER_INSERT } from './outbox-repo.ts';
import type { Queryable } from './pool.ts';

/** Outbox rows of records (recordId set) with their recipients. */
export async function insertBatchMessages(client: Queryable, rows: readonly NewOutboxRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const params: unknown[] = [chunk.map((r) => r.recordId), chunk.map((r) => r.recipient), chunk.map((r) => r.topic), chunk.map((r) => r.messageKey)];
    await client.query(
      /* sql */ `WITH o AS (INSERT INTO outbox ${outboxValues(chunk, params)} RETURNING 1),
       r AS (INSERT INTO record_recipients (record_id, recipient, topic, message_key)
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING RETURNING 1)
       SELECT 1`,
      params,
    );
  }
}
