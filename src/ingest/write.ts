// The spine's write: prepared records into the store, and what each insert means for its sender. One record is
// one statement (src/store/accepted-write.ts), a transaction of its own or part of the caller's; a batch is
// multi-row statements inside the caller's transaction.
import { BridgeError } from '../errors.ts';
import { chainOf } from '../processing-log/entry.ts';
import { insertAccepted } from '../store/accepted-write.ts';
import { insertBatchMessages } from '../store/batch-messages-write.ts';
import { insertLink } from '../store/links-repo.ts';
import type { Queryable } from '../store/pool.ts';
import { appendProcessingLogMany, unchainedEntries } from '../store/processing-log-repo.ts';
import { insertRecords, type InsertOutcome } from '../store/records-repo.ts';
import type { IngestOutcome } from './outcome.ts';
import type { PreparedRecord, Receipt } from './prepare.ts';

export type WriteOutcome = Extract<IngestOutcome, { outcome: 'accepted' | 'replayed' | 'conflict' }>;

/** What a record's insert means for its sender: new, a replay (the stored receipt), or a conflict (same key,
 * other content). One rule for a single record and for each record of a batch. */
export function settleInsert(p: PreparedRecord, outcome: InsertOutcome): WriteOutcome {
  if (outcome.inserted) return { outcome: 'accepted', receipt: p.receipt };
  if (!outcome.existing.contentHash.equals(p.row.contentHash)) {
    return {
      outcome: 'conflict',
      error: new BridgeError(
        'BRIDGE_CONFLICT',
        `${p.kind.name} ${p.row.externalId} version ${p.row.version} was already accepted with different content; send a higher version`,
      ),
    };
  }
  return { outcome: 'replayed', receipt: outcome.existing.receipt as Receipt };
}

/** Writes one prepared record in one statement. */
export async function writePrepared(client: Queryable, p: PreparedRecord): Promise<WriteOutcome> {
  // The step ends here; the chain stays locked until commit.
  const endedAt = new Date();
  const chain = chainOf(p.log.chainKey);
  const entries = unchainedEntries(
    p.log.entries.map((e) => ({ ...e, endedAt })),
    chain,
  );
  return settleInsert(p, await insertAccepted(client, { row: p.row, links: p.links ?? [], outbox: p.outbox, log: { chain, entries } }));
}

/** Writes prepared records inside the caller's transaction, in their order: the new ones with their outbox rows,
 * recipients and processing log; a repeat (also of an earlier item of the same batch) returns the stored
 * receipt; the same key with other content is a conflict for that item alone. Nothing is written for a
 * conflicting item: the conflict is found before its rows are. */
export async function writeBatch(client: Queryable, prepared: readonly PreparedRecord[]): Promise<WriteOutcome[]> {
  const outcomes = await insertRecords(
    client,
    prepared.map((p) => p.row),
  );
  const fresh = prepared.filter((_, i) => outcomes[i]!.inserted);
  for (const p of fresh) for (const link of p.links ?? []) await insertLink(client, p.row.id, link.to, link.relation);
  await insertBatchMessages(
    client,
    fresh.flatMap((p) => p.outbox),
  );
  // Last: the log's chains stay locked until commit.
  const endedAt = new Date();
  await appendProcessingLogMany(
    client,
    fresh.map((p) => ({ chainKey: p.log.chainKey, entries: p.log.entries.map((e) => ({ ...e, endedAt })) })),
  );
  return prepared.map((p, i) => settleInsert(p, outcomes[i]!));
}
