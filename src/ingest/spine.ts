// The way every record goes, from any door (REST, a batch, the inbound topic, a quarantine release):
//   prepare (verdict, pseudonyms, views, rows; no database) -> link and enrich (reads what the bridge holds) ->
//   write (one statement, or one transaction for a batch) -> account (metrics, processing log) -> wake the relay.
// Nothing is stored unless every step passes, except the processing-log entry of a refusal; an outcome is
// returned only after the commit. Doors map the outcome; none of them repeats a step.
import type { Span } from '@opentelemetry/api';
import type { BridgeError } from '../errors.ts';
import { NO_INCIDENTS } from '../feedback/incident-source.ts';
import { inSpan, setProcessingStatus, startSpan, statusOfThrow, withSpan } from '../observability/tracing.ts';
import { parseJsonBody } from '../records/json-body.ts';
import { CommitUncertainError, uncertainIfLost } from '../store/pool.ts';
import { withStatements, withTransaction } from '../store/transaction.ts';
import { account } from './accounting.ts';
import { enrichPrepared } from './enrich.ts';
import type { RecordKind } from './kinds/kind.ts';
import { linkPrepared } from './link.ts';
import { failureOutcome, type IngestOutcome } from './outcome.ts';
import { prepareRecord, type IngestDeps, type IngestInput, type PreparedRecord } from './prepare.ts';
import { activityAttributes, markSubject, outcomeFailure, processingSpanName } from './trace-spans.ts';
import { asFirstWrite, outcomeUnknown, settleUncertain } from './uncertain-write.ts';
import { writeBatch, writePrepared, type WriteOutcome } from './write.ts';

/** A record as received: parsed already (REST), or raw bytes to parse first (the inbound topic). */
export type IngestRequest = IngestInput | (Omit<IngestInput, 'body'> & { raw: Buffer });

export async function ingestRecord<T>(deps: IngestDeps, kind: RecordKind<T>, request: IngestRequest): Promise<IngestOutcome> {
  // One span per record, that is per data subject (Logboek Dataverwerkingen); a plain call when tracing is off.
  return inSpan(
    processingSpanName(kind.name),
    () => activityAttributes(deps, kind.name),
    async (span) => {
      const outcome = await ingestOne(deps, kind, request, span);
      setProcessingStatus(span, outcomeFailure(outcome));
      return outcome;
    },
  );
}

async function ingestOne<T>(deps: IngestDeps, kind: RecordKind<T>, request: IngestRequest, span: Span | undefined): Promise<IngestOutcome> {
  const startedAt = deps.now?.() ?? new Date();
  const input = 'raw' in request ? { ...request, body: undefined } : request;
  let outcome: IngestOutcome;
  try {
    if ('raw' in request) input.body = parseJsonBody(request.raw);
    const judged = prepareRecord(deps, kind, input);
    markSubject(span, deps, judged);
    // One connection for the reads and the write, and no explicit transaction: the write is one statement, its
    // own transaction (decision 0096); in read committed the reads before it see what they would see inside one.
    let ready: PreparedRecord<T> | undefined;
    try {
      outcome = await withStatements(deps.pool, async (client) => {
        const linked = await linkPrepared(deps, kind, input, judged, client);
        ready = await enrichPrepared(linked, deps.incidents ?? NO_INCIDENTS, client);
        const p = ready;
        return await inSpan('commit', {}, () => writePrepared(client, p)).catch((err: unknown) => {
          throw uncertainIfLost(err);
        });
      });
    } catch (err) {
      if (!(err instanceof CommitUncertainError) || !ready) throw err;
      // The connection went during the write: write the same record again once the database answers (decision 0106).
      const p = ready;
      const settled = await settleUncertain(() => withStatements(deps.pool, (client) => writePrepared(client, p)), deps.outcomeWaitMs ?? 0);
      outcome = settled ? asFirstWrite(p, settled) : outcomeUnknown(err);
    }
  } catch (err) {
    outcome = failureOutcome(err);
  }
  await account(deps, kind, input, outcome, startedAt);
  if (outcome.outcome === 'accepted') deps.stored?.();
  return outcome;
}

export type BatchOutcome =
  /** Every item judged, in request order; the accepted ones committed in one transaction. */
  | { outcome: 'judged'; items: IngestOutcome[] }
  /** The database could not be reached: nothing stored for any item (BRIDGE_UNAVAILABLE); or the connection was lost
   * during the commit and the database did not answer in time: all stored, or none (BRIDGE_OUTCOME_UNKNOWN). */
  | { outcome: 'unavailable'; error: BridgeError };

/** Many records at once (GCOS synchronising a backlog): each judged as a single record would be and answered on
 * its own; every accepted one written in ONE transaction with multi-row statements (decision 0090). */
export async function ingestBatch<T>(
  deps: IngestDeps,
  kind: RecordKind<T>,
  bodies: readonly unknown[],
  common: Omit<IngestInput, 'body'>,
): Promise<BatchOutcome> {
  const startedAt = deps.now?.() ?? new Date();
  const inputs = bodies.map((body): IngestInput => ({ ...common, body }));
  // A span per item, that is per data subject, from its verdict to its accounting (none when tracing is off).
  const spans = inputs.map(() => startSpan(processingSpanName(kind.name), () => activityAttributes(deps, kind.name)));
  const items: (IngestOutcome | undefined)[] = [];
  const judged: { index: number; p: PreparedRecord<T> }[] = [];
  try {
    for (const [index, input] of inputs.entries()) {
      try {
        const p = withSpan(spans[index], () => prepareRecord(deps, kind, input));
        markSubject(spans[index], deps, p);
        judged.push({ index, p });
      } catch (err) {
        items[index] = failureOutcome(err);
      }
    }
    try {
      if (judged.length > 0) {
        // Links and enrichment read what is already stored, as for a single record. The reads of different items
        // are independent, so they run together (the pool bounds them).
        const ready = await Promise.all(
          judged.map(({ index, p }) =>
            withSpan(spans[index], async () => enrichPrepared(await linkPrepared(deps, kind, inputs[index]!, p), deps.incidents ?? NO_INCIDENTS)),
          ),
        );
        let written: WriteOutcome[] | undefined;
        try {
          written = await inSpan('commit', {}, () => withTransaction(deps.pool, (client) => writeBatch(client, ready)));
        } catch (err) {
          if (!(err instanceof CommitUncertainError)) throw err;
          // One transaction: all of its records were committed, or none. Each item is settled as a single one is.
          const again = await settleUncertain(() => withTransaction(deps.pool, (client) => writeBatch(client, ready)), deps.outcomeWaitMs ?? 0);
          if (!again) {
            const unknown = outcomeUnknown(err);
            await account(deps, kind, common as IngestInput, unknown, startedAt);
            for (const span of spans) setProcessingStatus(span, outcomeFailure(unknown));
            return unknown;
          }
          written = again.map((w, i) => asFirstWrite(ready[i]!, w));
        }
        for (const [i, w] of written.entries()) items[judged[i]!.index] = w;
      }
    } catch (err) {
      const failed = failureOutcome(err);
      if (failed.outcome === 'unavailable') {
        await account(deps, kind, common as IngestInput, failed, startedAt);
        for (const span of spans) setProcessingStatus(span, outcomeFailure(failed));
        return failed;
      }
      throw failed.error; // a refusal cannot come out of a write that found nothing to refuse: a defect
    }
    const outcomes = items.map((o) => o!);
    for (const [index, o] of outcomes.entries()) {
      await withSpan(spans[index], () => account(deps, kind, inputs[index]!, o, startedAt));
      setProcessingStatus(spans[index], outcomeFailure(o));
    }
    if (outcomes.some((o) => o.outcome === 'accepted')) deps.stored?.();
    return { outcome: 'judged', items: outcomes };
  } catch (err) {
    for (const span of spans) span?.setStatus(statusOfThrow(err));
    throw err;
  } finally {
    for (const span of spans) span?.end();
  }
}
