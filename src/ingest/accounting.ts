// What the spine does with every outcome, once, whichever door: the metrics, the processing-log entry of a
// refusal, and the quality figures. Waking the relay is the spine's, after a commit (spine.ts).
import type { BridgeError } from '../errors.ts';
import { countQuality } from '../quality/metrics.ts';
import type { RenderedReport } from '../quality/render.ts';
import { currentTrace } from '../observability/tracing.ts';
import { appendProcessingLog } from '../store/processing-log-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import type { RecordKind } from './kinds/kind.ts';
import { refusalEntry } from './log-entries.ts';
import type { IngestOutcome } from './outcome.ts';
import { stepContext, type IngestDeps, type IngestInput } from './prepare.ts';
import { valueAt as at } from './verdict.ts';

export async function account(deps: IngestDeps, kind: RecordKind, input: IngestInput, o: IngestOutcome, startedAt: Date): Promise<void> {
  const { metrics } = deps;
  switch (o.outcome) {
    case 'accepted':
      metrics.recordsAccepted.inc({ kind: kind.name });
      if (o.receipt.quality) countQuality(metrics, o.receipt.source, o.receipt.quality);
      return;
    case 'replayed':
      metrics.recordsReplayed.inc({ kind: kind.name });
      return;
    case 'unavailable':
      metrics.recordsRefused.inc({ kind: kind.name, code: o.error.code });
      return;
    case 'refused':
    case 'conflict': {
      metrics.recordsRefused.inc({ kind: kind.name, code: o.error.code });
      // A quality report exists only once the body matched the schema, so its identity can be read.
      const quality = o.error.extensions['quality'] as RenderedReport | undefined;
      if (quality) countQuality(metrics, kind.identity(input.body).source, quality);
      if (o.error.errors?.some((e) => e.code === 'MUNICIPALITY_UNKNOWN') && (input.door === 'rest' || input.door === 'kafka')) {
        metrics.caseEventsUnroutable.inc({ path: input.door });
      }
      await writeRefusalEntry(deps, kind, input, o.error, startedAt);
      return;
    }
  }
}

/** Writes the processing-log entry of a refusal in a transaction of its own. Best effort: the sender gets its
 * answer whether or not the database takes the entry. */
async function writeRefusalEntry(deps: IngestDeps, kind: RecordKind, input: IngestInput, err: BridgeError, startedAt: Date): Promise<void> {
  const trace = currentTrace(input.traceparent);
  const body = input.body as Record<string, unknown> | null;
  const stated = typeof body === 'object' && body !== null ? { legalBasis: at(body, kind.legalBasisPointer), purpose: at(body, kind.purposePointer) } : {};
  const entry = refusalEntry(stepContext(deps, kind.name, input, trace.traceId, startedAt), err, stated, new Date());
  try {
    await withTransaction(deps.pool, (client) => appendProcessingLog(client, [entry], trace.traceId));
  } catch (writeErr) {
    deps.logger?.warn({ code: err.code, err: { message: (writeErr as Error).message } }, 'processing-log entry of a refusal not written');
  }
}
