// One message from the inbound topic, taken exactly as the REST path takes a case event: parsed, validated,
// stored with its outbox rows in one transaction. What cannot be taken goes to quarantine (a table row plus a
// dead-letter message, both in one transaction), so the partition never blocks on a bad message.
// Only an unavailable database is thrown: then nothing may be committed, and the message is tried again.
import { randomUUID } from 'node:crypto';
import { BridgeError, type FieldError } from '../errors.ts';
import { parseJsonBody } from '../http/json-body.ts';
import { caseEventKind } from '../ingest/kinds/case-event.ts';
import { linkPrepared, persistPrepared, prepareRecord, recordRefusal, type IngestInput, type PipelineDeps } from '../ingest/pipeline.ts';
import { bridgeSource, cloudEventHeaders } from '../relay/cloudevents.ts';
import { slotOf } from '../relay/slots.ts';
import { insertOutboxRows } from '../store/outbox-repo.ts';
import { insertQuarantine } from '../store/quarantine-repo.ts';
import { withStatements, withTransaction } from '../store/transaction.ts';

export type InboundOutcome =
  | { outcome: 'accepted'; recordId: string }
  | { outcome: 'duplicate'; recordId: string }
  | { outcome: 'quarantined'; quarantineId: string; reasonCode: string }
  /** Only when quarantining is off (a release of a quarantined message): why it still cannot be taken. */
  | { outcome: 'refused'; error: BridgeError };

export interface TakeDeps extends PipelineDeps {
  deadLetterTopic: string;
  /** false: refuse instead of quarantining again (releasing a message that is already in quarantine). */
  quarantine?: boolean;
}

export interface InboundMessage {
  value: Buffer | null;
  origin: string;
  traceparent?: string | undefined;
  /** Who submits, for the processing log: the inbound topic, or the operator who released a quarantined message. */
  actor: string;
}

export const QUARANTINE_EVENT_TYPE = 'nl.justitieketen.zsm.case-event.quarantined';

export async function takeCaseEvent(deps: TakeDeps, msg: InboundMessage): Promise<InboundOutcome> {
  const raw = msg.value ?? Buffer.alloc(0);
  const startedAt = deps.now?.() ?? new Date();
  const input: IngestInput = { body: undefined, traceparent: msg.traceparent, actor: msg.actor };
  let judged;
  try {
    input.body = parseJsonBody(raw);
    judged = prepareRecord(deps, caseEventKind, input);
  } catch (err) {
    if (!(err instanceof BridgeError)) throw err;
    await recordRefusal(deps, caseEventKind, input, err, startedAt);
    return deps.quarantine === false ? { outcome: 'refused', error: err } : quarantine(deps, msg, raw, err.code, err.errors ?? []);
  }
  try {
    // As for REST: the links are read on the connection that then stores the event in one statement (decision 0096).
    const result = await withStatements(deps.pool, async (client) => persistPrepared(client, await linkPrepared(deps, caseEventKind, input, judged, client)));
    if (result.replayed) {
      deps.metrics.recordsReplayed.inc({ kind: caseEventKind.name });
      return { outcome: 'duplicate', recordId: result.receipt.id };
    }
    deps.stored?.();
    deps.metrics.recordsAccepted.inc({ kind: caseEventKind.name });
    return { outcome: 'accepted', recordId: result.receipt.id };
  } catch (err) {
    if (err instanceof BridgeError) {
      // E.g. the same event id with other content: ZSM must look at it, and the partition must move on.
      await recordRefusal(deps, caseEventKind, input, err, startedAt);
      return deps.quarantine === false ? { outcome: 'refused', error: err } : quarantine(deps, msg, raw, err.code, err.errors ?? []);
    }
    throw err;
  }
}

export async function quarantine(deps: TakeDeps, msg: InboundMessage, raw: Buffer, reasonCode: string, reason: FieldError[]): Promise<InboundOutcome> {
  const id = randomUUID();
  const eventId = readEventId(raw);
  const now = (deps.now?.() ?? new Date()).toISOString();
  const ceId = randomUUID();
  // As received, but for NUL bytes: PostgreSQL's text refuses them, and a message that cannot be quarantined would
  // hold its partition for good. U+FFFD stands in for each, as the UTF-8 decoder already does for invalid bytes.
  const rawText = raw.toString('utf8').replaceAll('\u0000', '\uFFFD');
  await withTransaction(deps.pool, async (client) => {
    await insertQuarantine(client, { id, origin: msg.origin, eventId, rawValue: rawText, reasonCode, reason });
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
      payload: rawText,
    }]);
  });
  deps.metrics.inboundQuarantined.inc({ reason: reasonCode });
  if (reason.some((e) => e.code === 'MUNICIPALITY_UNKNOWN')) deps.metrics.caseEventsUnroutable.inc({ path: 'kafka' });
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
