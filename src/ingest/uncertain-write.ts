// A write whose connection was lost during its commit (decision 0106): stored or not, the error cannot say. The
// spine writes it again on another connection once the database answers, within PG_OUTCOME_WAIT_MS. The record's
// key (kind, source, id, version) lets exactly one insert in, and ON CONFLICT waits for an insert still under way
// on the lost connection, so the second write finds out: the stored record carries this write's own id (the first
// commit happened: accepted, with the original receipt), or it is stored now. Writing again, not only looking,
// because a look-up that finds nothing cannot tell "not committed" from "still committing". Should the database
// not answer in time, the outcome stays unknown, and the sender is told so: re-sending is safe.
import { BridgeError } from '../errors.ts';
import { isDatabaseUnavailable, type CommitUncertainError } from '../store/pool.ts';
import type { Refusal } from './outcome.ts';
import type { PreparedRecord } from './prepare.ts';
import type { WriteOutcome } from './write.ts';

/** Between two attempts while the database does not answer. */
const RETRY_PAUSE_MS = 250;

/** The outcome of the first write, found out by `writeAgain` (which settles the same prepared records);
 * undefined when the database did not answer within `waitMs`. A late second write may still store the records:
 * that is why the answer then says "unknown", never "nothing stored". */
export async function settleUncertain<R>(writeAgain: () => Promise<R>, waitMs: number): Promise<R | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const attempt = writeAgain();
    attempt.catch(() => undefined); // settled after the deadline: its error concerns nobody
    try {
      const out = await Promise.race([attempt, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), left)))]);
      return out;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
    } finally {
      clearTimeout(timer);
    }
    await new Promise((r) => setTimeout(r, Math.min(RETRY_PAUSE_MS, Math.max(0, deadline - Date.now()))));
  }
}

/** A second write's outcome told as the first's: finding the record this very write stored means it was accepted
 * (then), not replayed. */
export function asFirstWrite(p: PreparedRecord, o: WriteOutcome): WriteOutcome {
  return o.outcome === 'replayed' && o.receipt.id === p.receipt.id ? { outcome: 'accepted', receipt: o.receipt } : o;
}

/** The outcome when the database did not answer in time. */
export function outcomeUnknown(cause: CommitUncertainError): Extract<Refusal, { outcome: 'unavailable' }> {
  return {
    outcome: 'unavailable',
    error: new BridgeError(
      'BRIDGE_OUTCOME_UNKNOWN',
      'The database connection was lost while the record was being stored, and the database did not answer again in time: it may or may not be stored. Re-sending the same record is safe: it returns the original receipt.',
      { cause, headers: { 'retry-after': '5' } },
    ),
  };
}
