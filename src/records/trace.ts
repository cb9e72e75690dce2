// W3C Trace Context: keep the caller's trace id when it sends a valid traceparent, start a new trace otherwise.
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceId: string;
  /** The traceparent to send onwards: same trace, a span id of our own. */
  traceparent: string;
}

export function traceFrom(header: string | undefined): TraceContext {
  const m = header ? TRACEPARENT.exec(header.trim()) : null;
  // One draw for a trace id and a span id: a system call each showed in an ingest's CPU profile.
  const random = randomBytes(24);
  const traceId = m && !/^0+$/.test(m[1]!) ? m[1]! : random.toString('hex', 0, 16);
  const flags = m ? m[3]! : '01';
  return { traceId, traceparent: `00-${traceId}-${random.toString('hex', 16, 24)}-${flags}` };
}

/** A new span in a trace the bridge stored (a later event about a record stays in the record's trace). */
export function continueTrace(traceId: string | null): TraceContext {
  return traceFrom(traceId ? `00-${traceId}-${randomBytes(8).toString('hex')}-01` : undefined);
}
