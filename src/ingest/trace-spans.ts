// The spine's spans (Logboek Dataverwerkingen): one per record and so per data subject, named after the record's
// kind, with the processing activity's register URI and, once the verdict read it, the subject's keyed pseudonym
// (the processing log's subject id) and its type. Never the BSN. Its status follows the outcome.
import { activityUri } from '../exchange/activity-register.ts';
import { processingAttributes, setProcessingStatus, SUBJECT_ID_TYPE, type Subject } from '../observability/tracing.ts';
import type { Attributes, Span } from '@opentelemetry/api';
import type { IngestOutcome } from './outcome.ts';
import type { IngestDeps, PreparedRecord } from './prepare.ts';

export function processingSpanName(kind: string): string {
  return `ingest ${kind}`;
}

export function activityAttributes(deps: IngestDeps, kind: string): Attributes {
  return processingAttributes(activityUri(deps.plan.processingActivity(kind)));
}

/** The data subject of a prepared record: the pseudonym its processing-log entries carry. */
export function subjectOf(deps: IngestDeps, p: PreparedRecord): Subject | undefined {
  const id = p.log.entries.find((e) => e.subjectId !== null)?.subjectId;
  return id ? { id, type: SUBJECT_ID_TYPE } : undefined;
}

export function markSubject(span: Span | undefined, deps: IngestDeps, p: PreparedRecord): void {
  if (!span) return;
  const subject = subjectOf(deps, p);
  if (subject) span.setAttributes(processingAttributes(activityUri(deps.plan.processingActivity(p.kind.name)), subject));
}

/** Accepted, replayed, refused and conflict are the processing done as it should be (a refusal is a correct
 * answer to wrong input); only an unavailable database is a failed processing. */
export function outcomeFailure(o: IngestOutcome): false | { code: string } {
  return o.outcome === 'unavailable' ? { code: o.error.code } : false;
}

export function endProcessingSpan(span: Span | undefined, o: IngestOutcome): void {
  setProcessingStatus(span, outcomeFailure(o));
  span?.end();
}
