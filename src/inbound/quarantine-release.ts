// What operators do with a quarantined inbound message: take it again after the cause was fixed (exactly as from
// the topic, through the spine), or discard it (its content erased, its reason kept).
import { BridgeError } from '../errors.ts';
import type { Pool } from '../store/pool.ts';
import { listQuarantine, lockOpenEntry, markDiscarded, markReleased, markStillFailing, type QuarantineSummary } from '../store/quarantine-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import { takeCaseEvent, type TakeDeps } from './take-case-event.ts';

export type QuarantineStatus = 'open' | 'released' | 'discarded';

/** Entries without their raw value: the list is for triage, and the raw value may hold personal data. */
export function quarantined(pool: Pool, status: QuarantineStatus, limit: number): Promise<QuarantineSummary[]> {
  return listQuarantine(pool, status, limit);
}

/** Released with the record it became, or refused (BRIDGE_NOT_FOUND, or why it still cannot be taken; the entry
 * then keeps its new reason). */
export async function releaseQuarantined(
  deps: TakeDeps,
  id: string,
  actor: string,
): Promise<{ id: string; status: 'released'; recordId: string } | { refused: BridgeError }> {
  // The refusal is returned only after the commit: the entry's new reason must be stored, not rolled back.
  return withTransaction(deps.pool, async (client) => {
    // The lock keeps two operators from releasing one message twice.
    const entry = await lockOpenEntry(client, id);
    if (!entry || entry.status !== 'open') return { refused: new BridgeError('BRIDGE_NOT_FOUND', 'No open quarantine entry with this id') };
    const outcome = await takeCaseEvent({ ...deps, quarantine: false }, { value: Buffer.from(entry.rawValue, 'utf8'), origin: entry.origin, actor });
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
