// The one place an outbox row is made, for every message the bridge sends: an accepted record's view, an expiry
// notice, a dead letter. Each gets its CloudEvents headers (NL GOV profile), its slot and its key here, so that
// no door can send a message that the others would build differently.
import { randomUUID } from 'node:crypto';
import { bridgeSource, cloudEventHeaders, dataschemaUri } from './cloudevents.ts';
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
  /** The CloudEvents `time`: when the bridge logged the event, i.e. accepted the record, expired it or quarantined
   * the message (never when something happened in reality; that is in the data). */
  time: string;
  traceparent: string;
  /** The FSC transaction id that caused the message (extension attribute `fsctransactionid`); none for a job's. */
  transactionId?: string | undefined;
  payload: string;
  /** Headers beyond the CloudEvents ones (a dead letter's reason code); never personal data. */
  extraHeaders?: Record<string, string>;
}

/** Builds outbox rows for the bridge with this OIN (its CloudEvents `source`). */
export function messageBuilder(bridgeOin: string): (spec: MessageSpec) => NewOutboxRow {
  const source = bridgeSource(bridgeOin);
  // A record's messages share one order key: its slot (a hash) is taken once, not once per recipient.
  let last = { orderKey: '', slot: 0 };
  return (m) => {
    const eventId = m.eventId ?? randomUUID();
    if (m.orderKey !== last.orderKey) last = { orderKey: m.orderKey, slot: slotOf(m.orderKey) };
    const dataschema = dataschemaUri(m.topic, m.eventType);
    const headers = cloudEventHeaders({
      id: eventId,
      source,
      type: m.eventType,
      time: m.time,
      dataschema,
      traceparent: m.traceparent,
      fsctransactionid: m.transactionId,
    });
    return {
      recordId: 'recordId' in m.about ? m.about.recordId : null,
      ...('quarantineId' in m.about && { quarantineId: m.about.quarantineId }),
      eventId,
      eventType: m.eventType,
      recipient: m.recipient,
      topic: m.topic,
      messageKey: m.messageKey,
      slot: last.slot,
      headers: m.extraHeaders ? { ...headers, ...m.extraHeaders } : headers,
      payload: m.payload,
    };
  };
}

const builders = new Map<string, (spec: MessageSpec) => NewOutboxRow>();

/** The builder of this OIN, made once per process (every ingest asks). */
export function messagesFor(bridgeOin: string): (spec: MessageSpec) => NewOutboxRow {
  let b = builders.get(bridgeOin);
  if (!b) builders.set(bridgeOin, (b = messageBuilder(bridgeOin)));
  return b;
}
