// The way every record goes: schema -> rules -> exchange policy -> identity and pseudonyms -> recipient views ->
// one transaction (record, outbox rows, processing log). Nothing is stored unless every step passes, except a
// processing-log entry of the refusal; the receipt is returned only after the commit.
//
// Two halves: `prepareRecord` does everything that needs no database (so a batch, the inbound Kafka topic and
// the offline validator can share it; the verdict itself is verdict.ts), `persistPrepared` writes one prepared
// record inside the caller's transaction. `ingest` is the two together for one record, with the enrichment
// that reads what the bridge already holds (enrich.ts) in between.
import { randomUUID } from 'node:crypto';
import { assertSubmitterIsSource, type Submitter } from '../auth/source-binding.ts';
import { BridgeError } from '../errors.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { DOMAIN_INTERNAL, DOMAIN_PROCESSING_LOG, type Pseudonymiser } from '../privacy/pseudonym.ts';
import type { QualityReport } from '../quality/criteria.ts';
import { NO_INCIDENTS, type IncidentSource } from '../quality/enrichment.ts';
import { MESSAGE_LANGUAGE, type Language } from '../quality/language.ts';
import { countQuality } from '../quality/metrics.ts';
import { renderReport, type RenderedReport } from '../quality/render.ts';
import type { Severities } from '../quality/severity.ts';
import { reportForView } from '../quality/view.ts';
import { bridgeSource, cloudEventHeaders } from '../relay/cloudevents.ts';
import { slotOf } from '../relay/slots.ts';
import type { NewOutboxRow } from '../store/outbox-repo.ts';
import { insertAccepted } from '../store/accepted-write.ts';
import { isDatabaseUnavailable, type Pool, type PoolClient, type Queryable } from '../store/pool.ts';
import { appendProcessingLog, unchainedEntries } from '../store/processing-log-repo.ts';
import { chainOf, type LogEntry } from '../processing-log/entry.ts';
import type { InsertOutcome, NewRecord } from '../store/records-repo.ts';
import { withStatements, withTransaction } from '../store/transaction.ts';
import { contentHash } from './canonical.ts';
import { planLinks, type PendingLink } from '../feedback/link.ts';
import type { RegionDirectory } from '../routing/regions.ts';
import { enrichPrepared } from './enrich.ts';
import type { RecordKind } from './kinds/kind.ts';
import { acceptedEntries, refusalEntry, type StepContext } from './log-entries.ts';
import { traceFrom } from './trace.ts';
import { validateRecord, valueAt as at, type Verdict } from './verdict.ts';

export { validateRecord } from './verdict.ts';

export interface PipelineDeps {
  pool: Pool;
  plan: ExchangePlan;
  pseudonymiser: Pseudonymiser;
  metrics: Metrics;
  bridgeOin: string;
  logger?: Logger;
  now?: () => Date;
  /** QUALITY_SEVERITIES: which quality findings refuse and which warn. */
  severities?: Severities;
  /** Incidents the bridge holds about a person, added to a domestic-violence advice's history. */
  incidents?: IncidentSource;
  /** The Zorg- en Veiligheidshuis regions: with them, records are linked to what they answer or decide. */
  regions?: RegionDirectory;
  /** Called after a commit that stored new records: wakes this process's relay without waiting for the NOTIFY to
   * come back from PostgreSQL (the NOTIFY still wakes the other replicas). */
  stored?: () => void;
}

export interface IngestInput {
  body: unknown;
  traceparent?: string | undefined;
  /** Who submits, for the processing log (see src/http/actor.ts). */
  actor?: string | undefined;
  /** The authenticated client (REST): the record must be issued by its organisation. Absent for the inbound topic,
   * a quarantine replay and the offline validator. */
  submitter?: Submitter | null | undefined;
  /** Language of the texts in a refusal (Accept-Language). */
  language?: Language | undefined;
  /** Extra regions a regional recipient's delivery goes to (set by the linking step, not by callers). */
  alsoToRegions?: string[] | undefined;
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
  /** Quality findings (advices), language-neutral: told in the client's language on the way out. */
  quality?: QualityReport;
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
  /** Each outbox row's view of the record (the payload's `record`), in the same order, for the enrichment. */
  views: readonly unknown[];
  receipt: Receipt;
  /** Its processing-log entries and the chain they go to. */
  log: { chainKey: string; entries: LogEntry[] };
  /** Records this one answers, consults or decides on (src/feedback/link.ts); written with it. */
  links?: PendingLink[];
}

/** Validates a record and builds every row it will write. Touches no database; throws a BridgeError on refusal. */
export function prepareRecord<T>(deps: PipelineDeps, kind: RecordKind<T>, input: IngestInput): PreparedRecord<T> {
  const now = deps.now?.() ?? new Date();
  let verdict: Verdict<T>;
  try {
    // Source binding first: a record in another organisation's name is refused whatever else is wrong with it.
    if (input.submitter) assertSubmitterIsSource(kind.name, () => kind.identity(input.body as T).source, input.submitter);
    verdict = validateRecord(kind, input.body, now, { severities: deps.severities, language: input.language, plan: deps.plan });
  } catch (err) {
    if (err instanceof BridgeError) {
      deps.metrics.recordsRefused.inc({ kind: kind.name, code: err.code });
      // A quality report exists only once the body matched the schema, so its identity can be read.
      const quality = err.extensions['quality'] as RenderedReport | undefined;
      if (quality) countQuality(deps.metrics, kind.identity(input.body as T).source, quality);
    }
    throw err;
  }
  const { record, quality } = verdict;
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
    status: 'accepted', receivedAt, statusUrl: `/v1/records/${id}`, ...(quality && { quality }),
  };
  const slot = slotOf(subjectKey);
  const source = bridgeSource(deps.bridgeOin);
  const deliveries = deps.plan.deliveriesFor({ kind: kind.name, record, subjectBsn: bsn, alsoToRegions: input.alsoToRegions });
  const outbox: NewOutboxRow[] = deliveries.map((d) => {
    const eventId = randomUUID();
    return {
      recordId: id, eventId, eventType: kind.eventType, recipient: d.recipient, topic: d.topic, messageKey: d.messageKey, slot,
      headers: cloudEventHeaders({ id: eventId, source, type: kind.eventType, time: receivedAt, traceparent: trace.traceparent }),
      // Next to the record, the findings this recipient's view covers, in the officer's language (decision 0050).
      payload: JSON.stringify({
        recordId: id, kind: kind.name, acceptedAt: receivedAt, disclosure: { legalBasis, purpose, policyVersion }, record: d.view,
        ...(quality && { quality: renderReport(reportForView(quality, d.view), MESSAGE_LANGUAGE) }),
      }),
    };
  });
  const row: NewRecord = {
    id, kind: kind.name, source: identity.source, externalId: identity.externalId, version: identity.version,
    contentHash: contentHash(record), subjectKey, body: record, receipt, traceId: trace.traceId, validUntil: kind.validUntil?.(record) ?? null,
  };
  const step = stepContext(deps, kind.name, input, trace.traceId, now);
  const entries = acceptedEntries(step, { recordId: id, subjectId: deps.pseudonymiser.pseudonym(bsn, DOMAIN_PROCESSING_LOG), legalBasis, purpose, policyVersion, deliveries });
  return { kind, record, row, outbox, views: deliveries.map((d) => d.view), receipt, log: { chainKey: subjectKey, entries } };
}

function stepContext(deps: PipelineDeps, kind: string, input: IngestInput, traceId: string, startedAt: Date): StepContext {
  return { traceId, actor: input.actor ?? 'unauthenticated', kind, processingActivity: deps.plan.processingActivity(kind), startedAt };
}

/** What a record's insert means for its sender: new, a replay (the stored receipt), or a conflict (same key,
 * other content). One rule for a single record and for each record of a batch. */
export function settleInsert(p: PreparedRecord, outcome: InsertOutcome): IngestResult | BridgeError {
  if (outcome.inserted) return { receipt: p.receipt, replayed: false };
  if (!outcome.existing.contentHash.equals(p.row.contentHash)) {
    return new BridgeError('BRIDGE_CONFLICT', `${p.kind.name} ${p.row.externalId} version ${p.row.version} was already accepted with different content; send a higher version`);
  }
  return { receipt: outcome.existing.receipt as Receipt, replayed: true };
}

/** Writes a prepared record in one statement (src/store/accepted-write.ts), which is a transaction of its own or
 * part of the caller's: a replay returns the stored receipt, a conflict throws. */
export async function persistPrepared(client: Queryable, p: PreparedRecord): Promise<IngestResult> {
  // The step ends here; the chain stays locked until commit.
  const endedAt = new Date();
  const chain = chainOf(p.log.chainKey);
  const entries = unchainedEntries(p.log.entries.map((e) => ({ ...e, endedAt })), chain);
  const outcome = await insertAccepted(client, { row: p.row, links: p.links ?? [], outbox: p.outbox, log: { chain, entries } });
  if (!outcome.inserted) {
    const settled = settleInsert(p, outcome);
    if (settled instanceof BridgeError) throw settled;
    return settled;
  }
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

/** Finds what a prepared record answers, consults or decides on, and prepares it again when that adds a
 * recipient (a decision also goes to the Veiligheidshuis that gave the advice). Reads the database: on `db`
 * (the ingest's own transaction) when given, else on a connection of the pool. */
export async function linkPrepared<T>(deps: PipelineDeps, kind: RecordKind<T>, input: IngestInput, p: PreparedRecord<T>, db?: Queryable): Promise<PreparedRecord<T>> {
  if (!deps.regions) return p;
  const client = db ?? await deps.pool.connect();
  let plan;
  try {
    plan = await planLinks(client, deps.regions, kind.name, p.record, p.row.subjectKey);
  } finally {
    if (!db) (client as PoolClient).release();
  }
  if (plan.links.length === 0) return p;
  const again = plan.alsoToRegions.length > 0 ? prepareRecord(deps, kind, { ...input, alsoToRegions: plan.alsoToRegions }) : p;
  return { ...again, links: plan.links };
}

export async function ingest<T>(deps: PipelineDeps, kind: RecordKind<T>, input: IngestInput): Promise<IngestResult> {
  const startedAt = deps.now?.() ?? new Date();
  let judged: PreparedRecord<T>;
  try {
    judged = prepareRecord(deps, kind, input);
  } catch (err) {
    if (err instanceof BridgeError) await recordRefusal(deps, kind, input, err, startedAt);
    throw err;
  }
  try {
    // One connection for the reads and the write, and no explicit transaction: the write is one statement, its
    // own transaction (decision 0096); in read committed the reads before it see what they would see inside one.
    const { prepared, result } = await withStatements(deps.pool, async (client) => {
      const p = await enrichPrepared(await linkPrepared(deps, kind, input, judged, client), deps.incidents ?? NO_INCIDENTS, client);
      return { prepared: p, result: await persistPrepared(client, p) };
    });
    if (result.replayed) deps.metrics.recordsReplayed.inc({ kind: kind.name });
    else {
      deps.stored?.();
      deps.metrics.recordsAccepted.inc({ kind: kind.name });
      if (prepared.receipt.quality) countQuality(deps.metrics, prepared.receipt.source, prepared.receipt.quality);
    }
    return result;
  } catch (err) {
    const out = unavailableOr(err, deps, kind.name);
    if (out instanceof BridgeError && out.status < 500) await recordRefusal(deps, kind, input, out, startedAt);
    throw out;
  }
}
