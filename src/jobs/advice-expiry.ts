// Marks advices whose valid-until has passed as expired and tells every recipient that got one, so that no one
// goes on using it. One transaction per batch: the status change, the recipients' event ids and the outbox rows
// commit together, so a second run finds nothing left to do and no recipient is told twice (decision 0051).
import { adviceKind } from '../ingest/kinds/advice.ts';
import { todayInAmsterdam } from '../records/dates.ts';
import { continueTrace } from '../records/trace.ts';
import { messageBuilder, type MessageSpec } from '../outbox/message.ts';
import { expireDue, type ExpiredRecord } from '../store/expiry-repo.ts';
import { insertOutboxRows } from '../store/outbox-repo.ts';
import { assignExpiryEvents, type ExpiryNotice } from '../store/recipients-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import type { Job } from './job.ts';

const BATCH = 500;
const EVENT_TYPE = adviceKind.expiredEventType!;

/** The expiry message: ids the recipient already has and the dates, nothing more about the person. */
function notice(r: ExpiredRecord, n: ExpiryNotice, expiredAt: string): MessageSpec {
  return {
    about: { recordId: r.id },
    eventId: n.eventId,
    eventType: EVENT_TYPE,
    recipient: n.recipient,
    topic: n.topic,
    messageKey: n.messageKey,
    // The accepted message's order key: the relay sends one subject's messages in order, so expiry follows acceptance.
    orderKey: r.subjectKey,
    time: expiredAt,
    traceparent: continueTrace(r.traceId).traceparent,
    payload: JSON.stringify({ recordId: r.id, kind: r.kind, adviceId: r.externalId, version: r.version, validUntil: r.validUntil, expiredAt }),
  };
}

export function adviceExpiryJob(cron: string, bridgeOin: string): Job {
  const message = messageBuilder(bridgeOin);
  return {
    name: 'advice-expiry',
    cron,
    async run({ pool, now }) {
      // valid-until is the last day of use, in Dutch calendar days: expired from the day after.
      const today = todayInAmsterdam(now);
      const expiredAt = now.toISOString();
      let expired = 0;
      let events = 0;
      for (;;) {
        const batch = await withTransaction(pool, async (client) => {
          const records = await expireDue(client, adviceKind.name, today, now, BATCH);
          const notices = await assignExpiryEvents(
            client,
            records.map((r) => r.id),
          );
          const byId = new Map(records.map((r) => [r.id, r]));
          await insertOutboxRows(
            client,
            notices.map((n) => message(notice(byId.get(n.recordId)!, n, expiredAt))),
          );
          return { records: records.length, events: notices.length };
        });
        expired += batch.records;
        events += batch.events;
        if (batch.records < BATCH) return { expired, events, today };
      }
    },
  };
}
