// What became of a record, whichever door it came through. Each door maps it its own way: REST to a status code,
// the inbound topic to commit-or-quarantine, a batch to an item, a quarantine release to its answer.
import { BridgeError } from '../errors.ts';
import { isDatabaseUnavailable } from '../store/pool.ts';
import type { Receipt } from './prepare.ts';

export type IngestOutcome =
  /** Stored, with its outbox rows and processing-log entries, in one commit. */
  | { outcome: 'accepted'; receipt: Receipt }
  /** The same record again (same source, id, version and content): its first receipt; nothing new stored or sent. */
  | { outcome: 'replayed'; receipt: Receipt }
  /** Refused by the verdict (schema, rules, quality, policy, source binding) or unreadable: nothing stored. */
  | { outcome: 'refused'; error: BridgeError }
  /** The same id and version was accepted with other content: nothing stored. */
  | { outcome: 'conflict'; error: BridgeError }
  /** The database could not be reached: nothing stored (BRIDGE_UNAVAILABLE). Or the connection was lost during the
   * commit and the database did not answer again in time (BRIDGE_OUTCOME_UNKNOWN): stored or not, unknown. Either
   * way the sender may send the same record again (uncertain-write.ts). */
  | { outcome: 'unavailable'; error: BridgeError };

export type Refusal = Extract<IngestOutcome, { error: BridgeError }>;

/** Sorts a failure into an outcome. Anything that is neither a refusal nor an outage is a defect: thrown on. */
export function failureOutcome(err: unknown): Refusal {
  if (err instanceof BridgeError) return err.code === 'BRIDGE_CONFLICT' ? { outcome: 'conflict', error: err } : { outcome: 'refused', error: err };
  if (isDatabaseUnavailable(err)) {
    return {
      outcome: 'unavailable',
      error: new BridgeError('BRIDGE_UNAVAILABLE', 'The database is unavailable; nothing was stored', { cause: err, headers: { 'retry-after': '5' } }),
    };
  }
  throw err;
}

/** The receipt of a stored or replayed record; the error of any other outcome, thrown. */
export function receiptOrThrow(o: IngestOutcome): { receipt: Receipt; replayed: boolean } {
  if (o.outcome === 'accepted' || o.outcome === 'replayed') return { receipt: o.receipt, replayed: o.outcome === 'replayed' };
  throw o.error;
}
