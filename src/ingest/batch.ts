// Many records in one request (GCOS synchronising a backlog): each judged by the single-record verdict
// (prepareRecord: source binding, schema, rules, quality, policy) and answered on its own; every accepted one is
// written in ONE transaction with multi-row statements. A refused item stores nothing and gets its own refusal
// entry in the processing log, as a single refused record would (decision 0090).
import { BridgeError } from '../errors.ts';
import { NO_INCIDENTS } from '../quality/enrichment.ts';
import { countQuality } from '../quality/metrics.ts';
import { insertLink } from '../store/links-repo.ts';
import { insertDeliveries } from '../store/deliveries-repo.ts';
import type { Queryable } from '../store/pool.ts';
import { appendProcessingLogMany } from '../store/processing-log-repo.ts';
import { insertRecords } from '../store/records-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import { enrichPrepared } from './enrich.ts';
import type { RecordKind } from './kinds/kind.ts';
import {
  linkPrepared, prepareRecord, recordRefusal, settleInsert, unavailableOr, type IngestInput, type IngestResult, type PipelineDeps, type PreparedRecord,
} from './pipeline.ts';

export type BatchOutcome = { index: number; result: IngestResult } | { index: number; refused: BridgeError };

/** Judges and stores a batch; outcomes in the order of `bodies`. Throws only for the request as a whole (a
 * database outage: 503, nothing stored). */
export async function ingestBatch<T>(deps: PipelineDeps, kind: RecordKind<T>, bodies: readonly unknown[], common: Omit<IngestInput, 'body'>): Promise<BatchOutcome[]> {
  const startedAt = deps.now?.() ?? new Date();
  const outcomes: BatchOutcome[] = [];
  const ready: { index: number; p: PreparedRecord }[] = [];
  const judged: { index: number; p: PreparedRecord<T> }[] = [];
  for (const [index, body] of bodies.entries()) {
    try {
      judged.push({ index, p: prepareRecord(deps, kind, { ...common, body }) }); // counts its own refusals
    } catch (err) {
      if (!(err instanceof BridgeError)) throw err;
      outcomes.push({ index, refused: err });
    }
  }
  try {
    // Links and enrichment read what is already stored, as for a single record. The reads of different items
    // are independent, so they run together (the pool bounds them): one after another they were most of a
    // batch's time in the bench (docs/performance.md).
    ready.push(...await Promise.all(judged.map(async ({ index, p }) => {
      const input = { ...common, body: bodies[index] };
      return { index, p: await enrichPrepared(await linkPrepared(deps, kind, input, p), deps.incidents ?? NO_INCIDENTS) };
    })));
  } catch (err) {
    throw unavailableOr(err, deps, kind.name);
  }
  if (ready.length > 0) {
    let written: (IngestResult | BridgeError)[];
    try {
      written = await withTransaction(deps.pool, (client) => persistBatch(client, ready.map((r) => r.p)));
    } catch (err) {
      throw unavailableOr(err, deps, kind.name);
    }
    if (written.some((w) => !(w instanceof BridgeError) && !w.replayed)) deps.stored?.();
    for (const [i, w] of written.entries()) {
      const { index, p } = ready[i]!;
      if (w instanceof BridgeError) {
        deps.metrics.recordsRefused.inc({ kind: kind.name, code: w.code });
        outcomes.push({ index, refused: w });
      } else {
        if (w.replayed) deps.metrics.recordsReplayed.inc({ kind: kind.name });
        else {
          deps.metrics.recordsAccepted.inc({ kind: kind.name });
          if (p.receipt.quality) countQuality(deps.metrics, p.receipt.source, p.receipt.quality);
        }
        outcomes.push({ index, result: w });
      }
    }
  }
  for (const o of outcomes) if ('refused' in o) await recordRefusal(deps, kind, { ...common, body: bodies[o.index] }, o.refused, startedAt);
  return outcomes.sort((a, b) => a.index - b.index);
}

/** Writes prepared records inside the caller's transaction, in their order: the new ones with their outbox rows,
 * recipients and processing log; a repeat (also of an earlier item of the same batch) returns the stored
 * receipt; the same key with other content is a 409 for that item alone. Nothing is written for a refused item:
 * the conflict is found before its rows are. */
export async function persistBatch(client: Queryable, prepared: readonly PreparedRecord[]): Promise<(IngestResult | BridgeError)[]> {
  const outcomes = await insertRecords(client, prepared.map((p) => p.row));
  const fresh = prepared.filter((_, i) => outcomes[i]!.inserted);
  for (const p of fresh) for (const link of p.links ?? []) await insertLink(client, p.row.id, link.to, link.relation);
  await insertDeliveries(client, fresh.flatMap((p) => p.outbox));
  // Last: the log's chains stay locked until commit.
  const endedAt = new Date();
  await appendProcessingLogMany(client, fresh.map((p) => ({ chainKey: p.log.chainKey, entries: p.log.entries.map((e) => ({ ...e, endedAt })) })));
  return prepared.map((p, i) => settleInsert(p, outcomes[i]!));
}
