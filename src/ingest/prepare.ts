// The first step of the spine, for every door: the verdict (verdict.ts: source binding, schema, rules, quality,
// exchange policy), then the subject's pseudonyms, the recipients' views and every row the record will write.
// Touches no database and counts nothing: a refusal is thrown as a BridgeError, and the spine accounts for it.
import { randomUUID } from 'node:crypto';
import { assertSubmitterIsSource, type Submitter } from '../auth/source-binding.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import type { IncidentSource } from '../feedback/incident-source.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { messagesFor, type NewOutboxRow } from '../outbox/message.ts';
import { DOMAIN_INTERNAL, DOMAIN_PROCESSING_LOG, type Pseudonymiser } from '../privacy/pseudonym.ts';
import type { LogEntry } from '../processing-log/entry.ts';
import type { QualityReport } from '../quality/criteria.ts';
import { MESSAGE_LANGUAGE, type Language } from '../quality/language.ts';
import { renderReport } from '../quality/render.ts';
import type { Severities } from '../quality/severity.ts';
import { reportForView } from '../quality/view.ts';
import { contentHash } from '../records/canonical.ts';
import { currentTrace, inSpanSync } from '../observability/tracing.ts';
import type { RegionDirectory } from '../regions/regions.ts';
import type { PendingLink } from '../store/links-repo.ts';
import type { Pool } from '../store/pool.ts';
import type { NewRecord } from '../store/records-repo.ts';
import type { RecordKind } from './kinds/kind.ts';
import { redactedRecords, redactionNotes, type RedactionNote } from './identifiers-check.ts';
import { acceptedEntries, type StepContext } from './log-entries.ts';
import { validateRecord, valueAt as at, type Verdict } from './verdict.ts';

/** What the spine needs, whichever door a record comes through. */
export interface IngestDeps {
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
  /** Called after a commit that stored new records: wakes this process's relay, webhooks and feed, and sends the
   * NOTIFY that wakes the other replicas (services.ts). The write itself sends none (store/outbox-notify.ts). */
  stored?: () => void;
  /** PG_OUTCOME_WAIT_MS: how long a write whose commit was cut waits for the database to find out its outcome. */
  outcomeWaitMs?: number;
}

/** The door a record came through: it decides nothing in the verdict, only how the outcome is counted. */
export type Door = 'rest' | 'batch' | 'kafka' | 'release';

export interface IngestInput {
  body: unknown;
  door: Door;
  traceparent?: string | undefined;
  /** The FSC transaction id the door took or made (src/records/transaction-id.ts): in the processing log and on
   * every message; absent where no transaction caused the ingest. */
  transactionId?: string | undefined;
  /** Who submits, for the processing log (see src/http/actor.ts). */
  actor?: string | undefined;
  /** The authenticated client (REST): the record must be issued by its organisation. Absent for the inbound topic
   * and a quarantine release. */
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
  /** Identifiers replaced by a marker in some recipients' views (policy identifiersInText: redact): where, why and
   * for whom; never the value. */
  redacted?: RedactionNote[];
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
export function prepareRecord<T>(deps: IngestDeps, kind: RecordKind<T>, input: IngestInput): PreparedRecord<T> {
  const now = deps.now?.() ?? new Date();
  const verdict: Verdict<T> = inSpanSync(`validate ${kind.name}`, () => {
    // Source binding first: a record in another organisation's name is refused whatever else is wrong with it.
    if (input.submitter) assertSubmitterIsSource(kind.name, () => kind.identity(input.body as T).source, input.submitter);
    return validateRecord(kind, input.body, now, { severities: deps.severities, language: input.language, plan: deps.plan });
  });
  const { record, quality, redactions = [] } = verdict;
  const identity = kind.identity(record);
  const bsn = kind.subjectBsn(record);
  const legalBasis = String(at(record, kind.legalBasisPointer));
  const purpose = String(at(record, kind.purposePointer));
  const policyVersion = deps.plan.policy.version;
  const subjectKey = deps.pseudonymiser.pseudonym(bsn, DOMAIN_INTERNAL);
  const trace = currentTrace(input.traceparent);
  const id = randomUUID();
  const receivedAt = now.toISOString();
  // A recipient not granted an identifier found in the free text gets its view from a copy with the marker instead.
  const disclosures = deps.plan.disclosuresFor({
    kind: kind.name,
    record,
    subjectBsn: bsn,
    alsoToRegions: input.alsoToRegions,
    recordFor: redactedRecords(record, redactions),
  });
  const redacted = redactions.length > 0 ? redactionNotes(redactions, disclosures) : [];
  const receipt: Receipt = {
    id,
    kind: kind.name,
    source: identity.source,
    externalId: identity.externalId,
    version: identity.version,
    status: 'accepted',
    receivedAt,
    statusUrl: `/v1/records/${id}`,
    ...(quality && { quality }),
    ...(redacted.length > 0 && { redacted }),
  };
  const message = messagesFor(deps.bridgeOin);
  const outbox = disclosures.map((d) =>
    message({
      about: { recordId: id },
      eventType: kind.eventType,
      recipient: d.recipient,
      topic: d.topic,
      messageKey: d.messageKey,
      orderKey: subjectKey,
      time: receivedAt,
      traceparent: trace.traceparent,
      transactionId: input.transactionId,
      // Next to the record, the findings this recipient's view covers, in the officer's language (decision 0050).
      payload: JSON.stringify({
        recordId: id,
        kind: kind.name,
        acceptedAt: receivedAt,
        disclosure: { legalBasis, purpose, policyVersion },
        record: d.view,
        ...(quality && { quality: renderReport(reportForView(quality, d.view), MESSAGE_LANGUAGE) }),
      }),
    }),
  );
  const row: NewRecord = {
    id,
    kind: kind.name,
    source: identity.source,
    externalId: identity.externalId,
    version: identity.version,
    contentHash: contentHash(record),
    subjectKey,
    body: record,
    receipt,
    traceId: trace.traceId,
    validUntil: kind.validUntil?.(record) ?? null,
  };
  const step = stepContext(deps, kind.name, input, trace.traceId, now);
  const entries = acceptedEntries(step, {
    recordId: id,
    subjectId: deps.pseudonymiser.pseudonym(bsn, DOMAIN_PROCESSING_LOG),
    legalBasis,
    purpose,
    policyVersion,
    disclosures,
    redacted,
  });
  return { kind, record, row, outbox, views: disclosures.map((d) => d.view), receipt, log: { chainKey: subjectKey, entries } };
}

export function stepContext(deps: IngestDeps, kind: string, input: IngestInput, traceId: string, startedAt: Date): StepContext {
  return {
    traceId,
    transactionId: input.transactionId ?? null,
    actor: input.actor ?? 'unauthenticated',
    kind,
    processingActivity: deps.plan.processingActivity(kind),
    startedAt,
  };
}
