// One message from the inbound topic, taken exactly as the REST path takes a case event (the spine), then mapped:
// stored or a duplicate, the offset may move on; refused or conflicting, it goes to quarantine (a table row plus
// a dead-letter message, both in one transaction), so the partition never blocks on a bad message.
// Only an unavailable database is thrown: then nothing may be committed, and the message is tried again.
//
// The dead letter is thin: what an operator needs to act (the quarantine id, the reason's codes and pointers, the
// origin, the time, the event id and the subject's pseudonymous key), never the message itself. The original stays
// in the quarantine table, read only through the quarantine API (quarantine-release.ts), found by the subject
// access report and erased by retention.
import { randomUUID } from 'node:crypto';
import { maskPointerDigits, type BridgeError, type FieldError } from '../errors.ts';
import { caseEventKind } from '../ingest/kinds/case-event.ts';
import type { IngestDeps } from '../ingest/prepare.ts';
import { ingestRecord } from '../ingest/spine.ts';
import { messageBuilder } from '../outbox/message.ts';
import { isValidBsn } from '../privacy/bsn.ts';
import { DOMAIN_INTERNAL, type Pseudonymiser } from '../privacy/pseudonym.ts';
import { insertOutboxRows } from '../store/outbox-repo.ts';
import { insertQuarantine } from '../store/quarantine-repo.ts';
import { withTransaction } from '../store/transaction.ts';

export type InboundOutcome =
  | { outcome: 'accepted'; recordId: string }
  | { outcome: 'duplicate'; recordId: string }
  | { outcome: 'quarantined'; quarantineId: string; reasonCode: string }
  /** Only when quarantining is off (a release of a quarantined message): why it still cannot be taken. */
  | { outcome: 'refused'; error: BridgeError };

export interface TakeDeps extends IngestDeps {
  deadLetterTopic: string;
  /** false: refuse instead of quarantining again (releasing a message that is already in quarantine). */
  quarantine?: boolean;
}

export interface InboundMessage {
  value: Buffer | null;
  origin: string;
  traceparent?: string | undefined;
  /** The FSC transaction id the message carried (extension `fsctransactionid`) or the consumer made. */
  transactionId?: string | undefined;
  /** Who submits, for the processing log: the inbound topic, or the operator who released a quarantined message. */
  actor: string;
}

export const QUARANTINE_EVENT_TYPE = 'nl.justitieketen.zsm.case-event.quarantined';

export async function takeCaseEvent(deps: TakeDeps, msg: InboundMessage): Promise<InboundOutcome> {
  const raw = msg.value ?? Buffer.alloc(0);
  const o = await ingestRecord(deps, caseEventKind, {
    raw,
    door: deps.quarantine === false ? 'release' : 'kafka',
    traceparent: msg.traceparent,
    transactionId: msg.transactionId,
    actor: msg.actor,
  });
  switch (o.outcome) {
    case 'accepted':
      return { outcome: 'accepted', recordId: o.receipt.id };
    case 'replayed':
      return { outcome: 'duplicate', recordId: o.receipt.id };
    case 'unavailable':
      // The database's own error: the consumer tells an outage (hold the partition) from a defect (quarantine).
      throw o.error.cause instanceof Error ? o.error.cause : o.error;
    case 'refused':
    case 'conflict':
      // E.g. the same event id with other content: ZSM must look at it, and the partition must move on.
      return deps.quarantine === false ? { outcome: 'refused', error: o.error } : quarantine(deps, msg, raw, o.error.code, o.error.errors ?? []);
  }
}

/** What the dead-letter topic carries about one quarantined message (docs/consuming.md). */
export interface DeadLetter {
  quarantineId: string;
  reasonCode: string;
  /** Codes and pointers only: a field error's `detail` may echo the value (an enum's or a policy's text). */
  reasons: { code: string; pointer: string; rule?: string; criterion?: string }[];
  origin: string;
  quarantinedAt: string;
  eventId: string | null;
  /** The subject's pseudonym in the bridge's internal domain (as a record's subject key), never the BSN. */
  subjectKey: string | null;
  /** Where an operator with the right role reads the entry and its original message. */
  href: string;
}

export async function quarantine(deps: TakeDeps, msg: InboundMessage, raw: Buffer, reasonCode: string, reason: FieldError[]): Promise<InboundOutcome> {
  const id = randomUUID();
  const eventId = readEventId(raw);
  const subjectKey = subjectKeyOf(deps.pseudonymiser, raw);
  const at = deps.now?.() ?? new Date();
  const now = at.toISOString();
  // As received, but for NUL bytes: PostgreSQL's text refuses them, and a message that cannot be quarantined would
  // hold its partition for good. U+FFFD stands in for each, as the UTF-8 decoder already does for invalid bytes.
  const rawText = raw.toString('utf8').replaceAll('\u0000', '\uFFFD');
  const payload: DeadLetter = {
    quarantineId: id,
    reasonCode,
    reasons: thinReasons(reason),
    origin: msg.origin,
    quarantinedAt: now,
    eventId,
    subjectKey,
    href: `/v1/quarantine/${id}`,
  };
  const deadLetter = messageBuilder(deps.bridgeOin)({
    about: { quarantineId: id },
    eventType: QUARANTINE_EVENT_TYPE,
    recipient: 'dead-letter',
    topic: deps.deadLetterTopic,
    // The quarantine id, never anything from the message: a malformed message's key could be a BSN.
    messageKey: id,
    orderKey: id,
    time: now,
    traceparent: msg.traceparent ?? '',
    transactionId: msg.transactionId,
    extraHeaders: { 'x-quarantine-id': id, 'x-quarantine-reason': reasonCode, 'x-quarantine-origin': msg.origin },
    payload: JSON.stringify(payload),
  });
  await withTransaction(deps.pool, async (client) => {
    await insertQuarantine(client, { id, origin: msg.origin, eventId, rawValue: rawText, reasonCode, reason, subjectKey, receivedAt: at });
    await insertOutboxRows(client, [deadLetter]);
  });
  deps.metrics.inboundQuarantined.inc({ reason: reasonCode });
  return { outcome: 'quarantined', quarantineId: id, reasonCode };
}

/** The reasons without their `detail` text, at most 50, pointers masked. */
export function thinReasons(reason: readonly FieldError[]): DeadLetter['reasons'] {
  return reason.slice(0, 50).map((e) => ({
    code: e.code,
    pointer: maskPointerDigits(e.pointer),
    ...(e.rule ? { rule: e.rule } : {}),
    ...(e.criterion ? { criterion: e.criterion } : {}),
  }));
}

/** The subject's BSN, if the message is JSON whose `subject.bsn` passes the eleven-test (8 digits: the implied
 * leading zero), in the nine digits a record holds; else null. */
export function subjectBsnOf(raw: Buffer | string): string | null {
  try {
    const bsn = (JSON.parse(raw.toString()) as { subject?: { bsn?: unknown } } | null)?.subject?.bsn;
    return typeof bsn === 'string' && isValidBsn(bsn) ? bsn.padStart(9, '0') : null;
  } catch {
    return null;
  }
}

/** The key records.subject_key holds for this person: the report and ops correlate by it. */
function subjectKeyOf(pseudonymiser: Pseudonymiser, raw: Buffer): string | null {
  const bsn = subjectBsnOf(raw);
  return bsn ? pseudonymiser.pseudonym(bsn, DOMAIN_INTERNAL) : null;
}

/** The event id, if the message is JSON with a well-formed one: lets ops match a quarantined message to ZSM's logs. */
function readEventId(raw: Buffer): string | null {
  try {
    const id = (JSON.parse(raw.toString('utf8')) as { eventId?: unknown }).eventId;
    return typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id : null;
  } catch {
    return null;
  }
}
