// The known-person lookup for ZSM: is this suspect known at a Veiligheidshuis, whom to contact, and is there a
// current advice? Answers ids and functional contact points only, never the person's data. The answer and its
// processing-log entry commit together: no lookup goes unrecorded.
import type { ExchangePlan } from '../exchange/plan.ts';
import type { Metrics } from '../observability/metrics.ts';
import { DOMAIN_INTERNAL, DOMAIN_PROCESSING_LOG, type Pseudonymiser } from '../privacy/pseudonym.ts';
import { lookedUpEntry } from '../processing-log/entry.ts';
import { todayInAmsterdam } from '../records/dates.ts';
import { currentTrace } from '../observability/tracing.ts';
import type { Pool } from '../store/pool.ts';
import { appendProcessingLog } from '../store/processing-log-repo.ts';
import { advicesOfSubject, type AdviceSummary } from '../store/records-repo.ts';
import { withTransaction } from '../store/transaction.ts';

export interface KnownAt {
  veiligheidshuis: { oin: string; name: string };
  contactPoint: { name: string; email?: string; phone?: string };
  /** The current advice of that Veiligheidshuis (valid today, not expired), if any. */
  currentAdvice: { recordId: string; adviceId: string; version: number; validUntil: string } | null;
}

export interface LookupAnswer {
  result: 'hit' | 'no-hit';
  knownAt: KnownAt[];
}

export interface LookupDeps {
  pool: Pool;
  plan: ExchangePlan;
  pseudonymiser: Pseudonymiser;
  metrics: Metrics;
}

export interface LookupRequest {
  /** A well-formed BSN (the route checks the eleven-test). */
  bsn: string;
  actor: string;
  traceparent?: string | undefined;
  /** The request's FSC transaction id, for the processing log. */
  transactionId?: string | undefined;
}

export async function lookupKnownPerson(deps: LookupDeps, request: LookupRequest): Promise<LookupAnswer> {
  const startedAt = new Date();
  const { traceId } = currentTrace(request.traceparent);
  const activity = deps.plan.policy.processingActivities.knownPersonLookup;
  const { pseudonymiser } = deps;
  const { bsn } = request;
  const answer = await withTransaction(deps.pool, async (client) => {
    // Under every key held: records stored before a key rotation carry the older pseudonym.
    const found = knownAt(await advicesOfSubject(client, pseudonymiser.allPseudonyms(bsn, DOMAIN_INTERNAL)), todayInAmsterdam(startedAt));
    await appendProcessingLog(
      client,
      [
        lookedUpEntry({
          traceId,
          transactionId: request.transactionId,
          actor: request.actor,
          subjectId: pseudonymiser.pseudonym(bsn, DOMAIN_PROCESSING_LOG),
          activity,
          startedAt,
          detail: { lookup: 'known-person', result: found.result, veiligheidshuizen: found.knownAt.length },
        }),
      ],
      pseudonymiser.pseudonym(bsn, DOMAIN_INTERNAL),
    );
    return found;
  });
  deps.metrics.knownPersonLookups.inc({ result: answer.result });
  return answer;
}

/** One entry per issuer, from its advices newest first: the newest names the contact point, the newest valid one
 * is the current advice. */
export function knownAt(advices: readonly AdviceSummary[], today: string): LookupAnswer {
  const byIssuer = new Map<string, KnownAt>();
  for (const r of advices) {
    let entry = byIssuer.get(r.source);
    if (!entry) {
      const { name, email, phone } = r.body.contactPoint;
      entry = {
        veiligheidshuis: { oin: r.body.issuer.oin, name: r.body.issuer.name },
        contactPoint: { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
        currentAdvice: null,
      };
      byIssuer.set(r.source, entry);
    }
    if (!entry.currentAdvice && r.status !== 'expired' && r.body.validUntil >= today) {
      entry.currentAdvice = { recordId: r.id, adviceId: r.body.adviceId, version: r.body.version, validUntil: r.body.validUntil };
    }
  }
  const entries = [...byIssuer.values()];
  return { result: entries.length > 0 ? 'hit' : 'no-hit', knownAt: entries };
}
