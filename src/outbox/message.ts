// The one place an outbox row is made, for every message the bridge sends: an accepted record's view, an expiry
// notice, a dead letter. Each gets its CloudEvents headers (NL GOV profile), its slot and its key here, so that
// no door can send a message that the others would build differently.
import { randomUUID } from 'node:crypto';
import { bridgeSource, cloudEventHeaders } from './cloudevents.ts';
import { slotOf } from './slots.ts';

/** A row of the outbox table: one message to one topic, as the relay will send it. */
export interface NewOutboxRow {
  /** The record the message is about; null for a quarantine announcement, which has `quarantineId` instead. */
  recordId: string | null;
  quarantineId?: string;
  eventId: string;
  eventType: string;
  recipient: string;
  topic: string;
  messageKey: string;
  slot: number;
  headers: Record<string, string>;
  payload: string;
}

export interface MessageSpec {
  /** What the message is about: a stored record, or a quarantine entry. */
  about: { recordId: string } | { quarantineId: string };
  /** Given when the id was assigned before (an expiry notice's, stored with its recipient); else a new one. */
  eventId?: string;
  eventType: string;
  recipient: string;
  topic: string;
  /** The Kafka key: the subject's pseudonym for this recipient, or the quarantine id; never a BSN. */
  messageKey: string;
  /** Whose order the message keeps (the subject's internal key): one slot per subject, so one relay sends them in
   * the order they were committed. */
  orderKey: string;
  /** The CloudEvents `time`: when the bridge accepted the record, expired it or quarantined the message. */
  time: string;
  traceparent: string;
  payload: string;
  /** Headers beyond the CloudEvents ones (a dead letter's reason code); never personal data. */
  extraHeaders?: Record<string, string>;
}

/** Builds outbox rows for the bridge with this OIN (its CloudEvents `source`). */
export function messageBuilder(bridgeOin: string): (spec: MessageSpec) => NewOutboxRow {
  const source = bridgeSource(bridgeOin);
  return (m) => {
    const eventId = m.eventId ?? randomUUID();
    return {
      recordId: 'recordId' in m.about ? m.about.recordId : null,
      ...('quarantineId' in m.about && { quarantineId: m.about.quarantineId }),
      eventId,
      eventType: m.eventType,
      recipient: m.recipient,
      topic: m.topic,
      messageKey: m.messageKey,
      slot: slotOf(m.orderKey),
      headers: { ...cloudEventHeaders({ id: eventId, source, type: m.eventType, time: m.time, traceparent: m.traceparent }), ...m.extraHeaders },
      payload: m.payload,
    };
  };
}
