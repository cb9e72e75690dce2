// A subject access report (AVG art. 15): every record the bridge holds about a person, every inbound message about
// them that sits in quarantine (its reasons and status, not the message), and every step of the processing log
// about them (received, disclosed to whom with which fields under which basis, looked up). The report is itself a
// lookup and is logged as one, in the same transaction as its reads.
import type { ExchangePlan } from '../exchange/plan.ts';
import { lookedUpEntry, type StoredEntry } from '../processing-log/entry.ts';
import { deliveredAtOf } from '../store/outbox-repo.ts';
import type { Pool } from '../store/pool.ts';
import { appendProcessingLog, entriesOfSubject } from '../store/processing-log-repo.ts';
import { quarantineOfSubject, type QuarantineSummary } from '../store/quarantine-repo.ts';
import { recordsOfSubject } from '../store/records-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import { DOMAIN_INTERNAL, DOMAIN_PROCESSING_LOG, type Pseudonymiser } from './pseudonym.ts';

export interface SubjectAccessDeps {
  pool: Pool;
  plan: ExchangePlan;
  pseudonymiser: Pseudonymiser;
}

export interface ReportRequest {
  bsn: string;
  requestReference?: string | undefined;
  actor: string;
  traceId: string;
  /** The request's FSC transaction id, for the processing log. */
  transactionId?: string | undefined;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function disclosure(e: StoredEntry, plan: ExchangePlan, delivered: Map<string, Date | null>) {
  const recipient = e.recipient ?? '';
  return {
    recordId: e.recordId,
    recipient,
    recipientName: plan.policy.recipients[recipient]?.name ?? recipient,
    fields: e.fields ?? [],
    legalBasis: e.legalBasis,
    purpose: e.purpose,
    at: iso(e.endedAt),
    deliveredAt: iso(delivered.get(`${e.recordId} ${recipient}`)),
  };
}

/** A quarantined message: ids, reasons (codes and pointers), times and status; its original is read only through
 * the quarantine API. */
function quarantinedMessage(q: QuarantineSummary) {
  return {
    id: q.id,
    eventId: q.eventId,
    reasonCode: q.reasonCode,
    reasons: q.reason.map((e) => ({ code: e.code, pointer: e.pointer })),
    status: q.status,
    receivedAt: q.receivedAt.toISOString(),
    resolvedAt: iso(q.resolvedAt),
    recordId: q.recordId,
  };
}

function step(e: StoredEntry) {
  return {
    operation: e.operation,
    status: e.status,
    startedAt: iso(e.startedAt),
    endedAt: iso(e.endedAt),
    actor: e.actor,
    processingActivity: e.processingActivity,
    legalBasis: e.legalBasis,
    purpose: e.purpose,
    recordId: e.recordId,
    recipient: e.recipient,
    traceId: e.traceId,
  };
}

export async function subjectAccessReport(deps: SubjectAccessDeps, req: ReportRequest) {
  const startedAt = new Date();
  const activity = deps.plan.policy.processingActivities.subjectAccess;
  const subjectKeys = deps.pseudonymiser.allPseudonyms(req.bsn, DOMAIN_INTERNAL);
  const { records, quarantined, entries, delivered } = await withTransaction(deps.pool, async (client) => {
    const records = await recordsOfSubject(client, subjectKeys);
    // Under every key held too: the quarantine row's subject key is the same DOMAIN_INTERNAL pseudonym.
    const quarantined = await quarantineOfSubject(client, subjectKeys);
    const entries = await entriesOfSubject(client, deps.pseudonymiser.allPseudonyms(req.bsn, DOMAIN_PROCESSING_LOG));
    const delivered = await deliveredAtOf(
      client,
      records.map((r) => r.id),
    );
    await appendProcessingLog(
      client,
      [
        lookedUpEntry({
          traceId: req.traceId,
          transactionId: req.transactionId,
          actor: req.actor,
          subjectId: deps.pseudonymiser.pseudonym(req.bsn, DOMAIN_PROCESSING_LOG),
          activity,
          startedAt,
          detail: {
            report: 'subject-access',
            records: records.length,
            quarantined: quarantined.length,
            ...(req.requestReference ? { requestReference: req.requestReference } : {}),
          },
        }),
      ],
      subjectKeys[0]!,
    );
    return { records, quarantined, entries, delivered };
  });
  return {
    generatedAt: startedAt.toISOString(),
    policyVersion: deps.plan.policy.version,
    records: records.map((r) => ({
      id: r.id,
      kind: r.kind,
      source: r.source,
      externalId: r.externalId,
      version: r.version,
      status: r.status,
      receivedAt: r.receivedAt.toISOString(),
      data: r.body ?? null,
    })),
    quarantined: quarantined.map(quarantinedMessage),
    disclosures: entries.filter((e) => e.operation === 'disclosed').map((e) => disclosure(e, deps.plan, delivered)),
    processing: entries.map(step),
  };
}
