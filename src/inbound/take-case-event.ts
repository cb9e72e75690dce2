// One message from the inbound topic, taken exactly as the REST path takes a case event: parsed, validated,
// stored with its outbox rows in one transaction. What cannot be taken goes to quarantine (a table row plus a
// dead-letter message, both in one transaction), so the partition never blocks on a bad message.
// Only an unavailable database is thrown: then nothing may be committed, and the message is tried again.
import { randomUUID } from 'node:crypto';
import { BridgeError, type FieldError } from '../errors.ts';
import { parseJsonBody } from '../http/json-body.ts';
import { caseEventKind } from '../ingest/kinds/case-event.ts';
import { persistPrepared, prepareRecord, type PipelineDeps } from '../ingest/pipeline.ts';
import { bridgeSource, cloudEventHeaders } from '../relay/cloudevents.ts';
import { slotOf } from '../relay/slots.ts';
import { insertOutboxRows } from '../store/outbox-repo.ts';
import { insertQuarantine } from '../store/quarantine-repo.ts';
import { withTransaction } from '../store/transaction.ts';

export type InboundOutcome =
  | { outcome: 'accepted'; recordId: string }
  | { outcome: 'duplicate'; recordId: string }
  | { outcome: 'quarantined'; quarantineId: string; reasonCode: string };

export interface InboundMessage {
  value: Buffer | null;
  origin: string;
  traceparent?: string | undefined;
}

export const QUARANTINE_EVENT_TYPE = 'nl.justitieketen.zsm.case-event.quarantined';

export async function takeCaseEvent(deps: PipelineDeps & { deadLetterTopic: string }, msg: InboundMessage): Promise<InboundOutcome> {
  const raw = msg.value ?? Buffer.alloc(0);
  let prepared;
  try {
    const body = parseJsonBody(raw);
    prepared = prepareRecord(deps, caseEventKind, { body, traceparent: msg.traceparent });
  } catch (err) {
    if (!(err instanceof BridgeError)) throw err;
    return quarantine(deps, msg, raw, err.code, err.errors ?? []);
  }
  try {
    const result = await withTransaction(deps.pool, (client) => persistPrepared(client, prepared));
    if (result.replayed) {
      deps.metrics.recordsReplayed.inc({ kind: caseEventKind.name });
      return { outcome: 'duplicate', recordId: result.receipt.id };
    }
    deps.metrics.recordsAccepted.inc({ kind: caseEventKind.name });
    return { outcome: 'accepted', recordId: result.receipt.id };
  } catch (err) {
    if (err instanceof BridgeError) return quarantine(deps, msg, raw, err.code, err.errors ?? []); // e.g. same event id, other content
    throw err;
  }
}

async function quarantine(deps: PipelineDeps & { deadLetterTopic: string }, msg: InboundMessage, raw: Buffer, reasonCode: string, reason: FieldError[]): Promise<InboundOutcome> {
  const id = randomUUID();
  const eventId = readEventId(raw);
  const now = (deps.now?.() ?? new Date()).toISOString();
  const ceId = randomUUID();
  await withTransaction(deps.pool, async (client) => {
    await insertQuarantine(client, { id, origin: msg.origin, eventId, rawValue: raw.toString('utf8'), reasonCode, reason });
    await insertOutboxRows(client, [{
      recordId: null, quarantineId: id, eventId: ceId, eventType: QUARANTINE_EVENT_TYPE, recipient: 'dead-letter', topic: deps.deadLetterTopic,
      // The quarantine id, never anything from the message: a malformed message's key could be a BSN.
      messageKey: id, slot: slotOf(id),
      headers: {
        ...cloudEventHeaders({ id: ceId, source: bridgeSource(deps.bridgeOin), type: QUARANTINE_EVENT_TYPE, time: now, traceparent: msg.traceparent ?? '' }),
        'x-quarantine-id': id,
        'x-quarantine-reason': reasonCode,
        'x-quarantine-origin': msg.origin,
      },
      payload: raw.toString('utf8'),
    }]);
  });
  deps.metrics.inboundQuarantined.inc({ reason: reasonCode });
  return { outcome: 'quarantined', quarantineId: id, reasonCode };
}

/** The event id, if the message is JSON with a well-formed one: lets ops match a quarantined message to ZSM's logs. */
function readEventId(raw: Buffer): string | null {
  try {
    const id = (JSON.parse(raw.toString('utf8')) as { eventId?: unknown }).eventId;
    return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
  } catch {
    return null;
  }
}
