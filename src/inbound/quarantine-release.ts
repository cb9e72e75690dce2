// What operators do with a quarantined inbound message: read its original (logged as a disclosure), take it again
// after the cause was fixed (exactly as from the topic, through the spine), or discard it (its content erased, its
// reason kept).
import { BridgeError } from '../errors.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import { DOMAIN_PROCESSING_LOG, type Pseudonymiser } from '../privacy/pseudonym.ts';
import { currentTrace } from '../observability/tracing.ts';
import type { Pool } from '../store/pool.ts';
import { appendProcessingLog } from '../store/processing-log-repo.ts';
import {
  listQuarantine,
  lockOpenEntry,
  markDiscarded,
  markReleased,
  markStillFailing,
  readQuarantineEntry,
  type QuarantineSummary,
} from '../store/quarantine-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import { subjectBsnOf, takeCaseEvent, type TakeDeps } from './take-case-event.ts';

export type QuarantineStatus = 'open' | 'released' | 'discarded';

/** Entries without their raw value: the list is for triage, and the raw value may hold personal data. */
export function quarantined(pool: Pool, status: QuarantineStatus, limit: number): Promise<QuarantineSummary[]> {
  return listQuarantine(pool, status, limit);
}

export interface QuarantineReadDeps {
  pool: Pool;
  plan: ExchangePlan;
  pseudonymiser: Pseudonymiser;
}

/** One entry with its original message: null once discarded or erased by retention. */
export type QuarantineEntry = QuarantineSummary & { rawValue: string | null; purgedAt: Date | null };

/** One entry with its original message, for an operator who must see it to fix the cause. Every read that
 * returns an original is a disclosure in the processing log (to the reader, about the person when the message
 * names a valid BSN), committed with the read: no read goes unrecorded. Undefined: no such entry. */
export async function readQuarantined(
  deps: QuarantineReadDeps,
  id: string,
  request: { actor: string; traceparent?: string | undefined; transactionId?: string | undefined },
): Promise<QuarantineEntry | undefined> {
  const startedAt = new Date();
  const { traceId } = currentTrace(request.traceparent);
  return withTransaction(deps.pool, async (client) => {
    const entry = await readQuarantineEntry(client, id);
    if (!entry) return undefined;
    const { subjectKey, ...summary } = entry;
    const erased = entry.status === 'discarded' || entry.purgedAt !== null;
    if (erased) return { ...summary, rawValue: null };
    const bsn = subjectBsnOf(entry.rawValue);
    await appendProcessingLog(
      client,
      [
        {
          operation: 'disclosed',
          status: 'ok',
          traceId,
          transactionId: request.transactionId ?? null,
          actor: request.actor,
          subjectId: bsn ? deps.pseudonymiser.pseudonym(bsn, DOMAIN_PROCESSING_LOG) : null,
          recordId: null,
          recordKind: 'case-event',
          recipient: request.actor,
          fields: null,
          // The policy names no legal basis of its own for handling quarantine: the read belongs to the processing
          // of case events, whose activity it is logged under.
          legalBasis: null,
          purpose: null,
          processingActivity: deps.plan.processingActivity('case-event'),
          startedAt,
          endedAt: new Date(),
          detail: { read: 'quarantine-original', quarantineId: id, reasonCode: entry.reasonCode },
        },
      ],
      subjectKey ?? `quarantine:${id}`,
    );
    return summary;
  });
}

/** Released with the record it became, or refused (BRIDGE_NOT_FOUND, or why it still cannot be taken; the entry
 * then keeps its new reason). */
export async function releaseQuarantined(
  deps: TakeDeps,
  id: string,
  actor: string,
  /** The operator's request's FSC transaction id: the release is that transaction's processing. */
  transactionId?: string,
): Promise<{ id: string; status: 'released'; recordId: string } | { refused: BridgeError }> {
  // The refusal is returned only after the commit: the entry's new reason must be stored, not rolled back.
  return withTransaction(deps.pool, async (client) => {
    // The lock keeps two operators from releasing one message twice.
    const entry = await lockOpenEntry(client, id);
    if (!entry || entry.status !== 'open') return { refused: new BridgeError('BRIDGE_NOT_FOUND', 'No open quarantine entry with this id') };
    const outcome = await takeCaseEvent(
      { ...deps, quarantine: false },
      { value: Buffer.from(entry.rawValue, 'utf8'), origin: entry.origin, actor, transactionId },
    );
    if (outcome.outcome === 'refused') {
      await markStillFailing(client, id, outcome.error.code, outcome.error.errors ?? []);
      return { refused: outcome.error };
    }
    if (outcome.outcome === 'quarantined') throw new Error('a release never quarantines again'); // quarantine is off above
    await markReleased(client, id, outcome.recordId);
    return { id, status: 'released' as const, recordId: outcome.recordId };
  });
}

/** False when there is no open entry with this id. */
export function discardQuarantined(pool: Pool, id: string): Promise<boolean> {
  return withTransaction(pool, (client) => markDiscarded(client, id));
}
