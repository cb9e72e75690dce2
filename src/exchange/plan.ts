// Who receives an accepted record, on which topic, and which view of it. Computed at ingest and stored with
// the outbox row, so the relay sends exactly what was decided when the record was accepted.

export interface Delivery {
  recipient: string;
  topic: string;
  /** The recipient's view of the record: only what it may see. */
  view: unknown;
  /** Kafka message key: a keyed pseudonym of the subject, never the BSN. */
  messageKey: string;
}

export interface DeliveryInput {
  kind: string;
  record: unknown;
  subjectBsn: string;
}

export interface ExchangePlan {
  deliveriesFor(input: DeliveryInput): Delivery[];
  /** Every topic this plan can send to, for creation at start. */
  topics(): string[];
}
