// The way every record goes: schema -> rules -> exchange policy -> identity and pseudonyms -> recipient views ->
// one transaction (record, outbox rows, processing log). Nothing is stored unless every step passes, except a
// processing-log entry of the refusal; the receipt is returned only after the commit.
//
// Two halves: `prepareRecord` does everything that needs no database (so a batch, the inbound Kafka topic and
// the offline validator can share it), `persistPrepared` writes one prepared record inside the caller's
// transaction. `ingest` is the two together for one record.
import { randomUUID } from 'node:crypto';
import { BridgeError, fieldError } from '../errors.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { LogEntry } from '../processing-log/entry.ts';
import { isValidBsn } from '../privacy/bsn.ts';
import { DOMAIN_INTERNAL, DOMAIN_PROCESSING_LOG, type Pseudonymiser } from '../privacy/pseudonym.ts';
import { bridgeSource, cloudEventHeaders } from '../relay/cloudevents.ts';
import { slotOf } from '../relay/slots.ts';
import { insertOutboxRows, type NewOutboxRow } from '../store/outbox-repo.ts';
import { isDatabaseUnavailable, type Pool, type Queryable } from '../store/pool.ts';
import { appendProcessingLog } from '../store/processing-log-repo.ts';
import { insertRecord, type NewRecord } from '../store/records-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import { contentHash } from './canonical.ts';
import { todayInAmsterdam } from './dates.ts';
import type { RecordKind } from './kinds/kind.ts';
import { acceptedEntries, refusalEntry, type StepContext } from './log-entries.ts';
import { toFieldErrors, validatorFor } from './schemas.ts';
import { traceFrom } from './trace.ts';

export interface PipelineDeps {
  pool: Pool;
  plan: ExchangePlan;
  pseudonymiser: Pseudonymiser;
  metrics: Metrics;
  bridgeOin: string;
  logger?: Logger;
  now?: () => Date;
}

export interface IngestInput {
  body: unknown;
  traceparent?: string | undefined;
  /** Who submits, for the processing log (see src/http/actor.ts). */
  actor?: string | undefined;
}

export interface Receipt {
  id: string;
  kind: string;
  source: string;
  externalId: string;
  version: number;
  status: 'accepted';
  receivedAt: string;
  statusUrl: string;
}

export interface IngestResult {
  receipt: Receipt;
  /** True when this request repeated an earlier, identical one: nothing new was stored or sent. */
  replayed: boolean;
}

/** A record that passed every check, with every row it will write. */
export interface PreparedRecord<T = unknown> {
  kind: RecordKind<T>;
  record: T;
  row: NewRecord;
  outbox: NewOutboxRow[];
  receipt: Receipt;
  /** Its processing-log entries and the chain they go to. */
  log: { chainKey: string; entries: LogEntry[] };
}

/** The value at a JSON pointer of a record that passed its schema. */
function at(record: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], record);
}

/** The checks that need no database: schema, BSN, rules and, given a plan, the exchange policy. Returns the typed
 * record or throws a BridgeError: 400 for the schema, 422 for rules (BRIDGE_POLICY_REFUSED when the policy refuses). */
export function validateRecord<T>(kind: RecordKind<T>, body: unknown, now: Date, plan?: ExchangePlan): T {
  const validate = validatorFor(kind.schemaFile);
  if (!validate(body)) {
    throw new BridgeError('BRIDGE_VALIDATION_FAILED', `The ${kind.name} does not match its schema`, { errors: toFieldErrors(validate.errors ?? []) });
  }
  const record = body as T;
  const errors = kind.check(record, todayInAmsterdam(now));
  if (!isValidBsn(kind.subjectBsn(record))) errors.unshift(fieldError('BSN_ELEVEN_TEST', kind.bsnPointer));
  const refusals = plan?.admit({
    kind: kind.name, record,
    legalBasis: { value: String(at(record, kind.legalBasisPointer)), pointer: kind.legalBasisPointer },
    purpose: { value: String(at(record, kind.purposePointer)), pointer: kind.purposePointer },
  }) ?? [];
  if (refusals.length > 0) {
    throw new BridgeError('BRIDGE_POLICY_REFUSED', `The exchange policy refuses this ${kind.name} (${refusals.length} rule(s))`, { errors: [...errors, ...refusals] });
  }
  if (errors.length > 0) throw new BridgeError('BRIDGE_UNPROCESSABLE', `The ${kind.name} breaks ${errors.length} rule(s)`, { errors });
  return record;
}

/** Validates a record and builds every row it will write. Touches no database; throws a BridgeError on refusal. */
export function prepareRecord<T>(deps: PipelineDeps, kind: RecordKind<T>, input: IngestInput): PreparedRecord<T> {
  const now = deps.now?.() ?? new Date();
  let record: T;
  try {
    record = validateRecord(kind, input.body, now, deps.plan);
  } catch (err) {
    if (err instanceof BridgeError) deps.metrics.recordsRefused.inc({ kind: kind.name, code: err.code });
    throw err;
  }
  const identity = kind.identity(record);
  const bsn = kind.subjectBsn(record);
  const legalBasis = String(at(record, kind.legalBasisPointer));
  const purpose = String(at(record, kind.purposePointer));
  const policyVersion = deps.plan.policy.version;
  const subjectKey = deps.pseudonymiser.pseudonym(bsn, DOMAIN_INTERNAL);
  const trace = traceFrom(input.traceparent);
  const id = randomUUID();
  const receivedAt = now.toISOString();
  const receipt: Receipt = {
    id, kind: kind.name, source: identity.source, externalId: identity.externalId, version: identity.version,
    status: 'accepted', receivedAt, statusUrl: `/v1/records/${id}`,
  };
  const slot = slotOf(subjectKey);
  const source = bridgeSource(deps.bridgeOin);
  const deliveries = deps.plan.deliveriesFor({ kind: kind.name, record, subjectBsn: bsn });
  const outbox: NewOutboxRow[] = deliveries.map((d) => {
    const eventId = randomUUID();
    return {
      recordId: id, eventId, eventType: kind.eventType, recipient: d.recipient, topic: d.topic, messageKey: d.messageKey, slot,
      headers: cloudEventHeaders({ id: eventId, source, type: kind.eventType, time: receivedAt, traceparent: trace.traceparent }),
      payload: JSON.stringify({ recordId: id, kind: kind.name, acceptedAt: receivedAt, disclosure: { legalBasis, purpose, policyVersion }, record: d.view }),
    };
  });
  const row: NewRecord = {
    id, kind: kind.name, source: identity.source, externalId: identity.externalId, version: identity.version,
    contentHash: contentHash(record), subjectKey, body: record, receipt, traceId: trace.traceId,
  };
  const step = stepContext(deps, kind.name, input, trace.traceId, now);
  const entries = acceptedEntries(step, { recordId: id, subjectId: deps.pseudonymiser.pseudonym(bsn, DOMAIN_PROCESSING_LOG), legalBasis, purpose, policyVersion, deliveries });
  return { kind, record, row, outbox, receipt, log: { chainKey: subjectKey, entries } };
}

function stepContext(deps: PipelineDeps, kind: string, input: IngestInput, traceId: string, startedAt: Date): StepContext {
  return { traceId, actor: input.actor ?? 'unauthenticated', kind, processingActivity: deps.plan.processingActivity(kind), startedAt };
}

/** Writes a prepared record inside the caller's transaction: a replay returns the stored receipt, a conflict throws. */
export async function persistPrepared(client: Queryable, p: PreparedRecord): Promise<IngestResult> {
  const outcome = await insertRecord(client, p.row);
  if (!outcome.inserted) {
    if (!outcome.existing.contentHash.equals(p.row.contentHash)) {
      throw new BridgeError('BRIDGE_CONFLICT', `${p.kind.name} ${p.row.externalId} version ${p.row.version} was already accepted with different content; send a higher version`);
    }
    return { receipt: outcome.existing.receipt as Receipt, replayed: true };
  }
  await insertOutboxRows(client, p.outbox);
  // Last: the log's chain stays locked until commit.
  const endedAt = new Date();
  await appendProcessingLog(client, p.log.entries.map((e) => ({ ...e, endedAt })), p.log.chainKey);
  return { receipt: p.receipt, replayed: false };
}

/** Writes the processing-log entry of a refusal in a transaction of its own. Best effort: the client gets its
 * answer whether or not the database takes the entry. */
export async function recordRefusal(deps: PipelineDeps, kind: RecordKind, input: IngestInput, err: BridgeError, startedAt: Date): Promise<void> {
  const trace = traceFrom(input.traceparent);
  const body = input.body as Record<string, unknown> | null;
  const stated = typeof body === 'object' && body !== null ? { legalBasis: at(body, kind.legalBasisPointer), purpose: at(body, kind.purposePointer) } : {};
  const entry = refusalEntry(stepContext(deps, kind.name, input, trace.traceId, startedAt), err, stated, new Date());
  try {
    await withTransaction(deps.pool, (client) => appendProcessingLog(client, [entry], trace.traceId));
  } catch (writeErr) {
    deps.logger?.warn({ code: err.code, err: { message: (writeErr as Error).message } }, 'processing-log entry of a refusal not written');
  }
}

/** Turns a database outage into a 503 the client can retry; anything else passes through. */
export function unavailableOr(err: unknown, deps: PipelineDeps, kind: string): unknown {
  if (err instanceof BridgeError) {
    deps.metrics.recordsRefused.inc({ kind, code: err.code });
    return err;
  }
  if (isDatabaseUnavailable(err)) {
    deps.metrics.recordsRefused.inc({ kind, code: 'BRIDGE_UNAVAILABLE' });
    return new BridgeError('BRIDGE_UNAVAILABLE', 'The database is unavailable; nothing was stored', { cause: err, headers: { 'retry-after': '5' } });
  }
  return err;
}

export async function ingest<T>(deps: PipelineDeps, kind: RecordKind<T>, input: IngestInput): Promise<IngestResult> {
  const startedAt = deps.now?.() ?? new Date();
  let prepared: PreparedRecord<T>;
  try {
    prepared = prepareRecord(deps, kind, input);
  } catch (err) {
    if (err instanceof BridgeError) await recordRefusal(deps, kind, input, err, startedAt);
    throw err;
  }
  try {
    const result = await withTransaction(deps.pool, (client) => persistPrepared(client, prepared as PreparedRecord));
    if (result.replayed) deps.metrics.recordsReplayed.inc({ kind: kind.name });
    else deps.metrics.recordsAccepted.inc({ kind: kind.name });
    return result;
  } catch (err) {
    const out = unavailableOr(err, deps, kind.name);
    if (out instanceof BridgeError && out.status < 500) await recordRefusal(deps, kind, input, out, startedAt);
    throw out;
  }
}
