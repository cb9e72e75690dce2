// Traces after the Logboek Dataverwerkingen standard, over the OpenTelemetry API (docs/standards.md, decision 0108).
// Every helper here is a plain call when tracing is off (no OTEL_EXPORTER_OTLP_ENDPOINT): no span, no context
// switch, so the hot path pays one flag test. tracing-sdk.ts turns it on.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { BridgeError } from '../errors.ts';
import { traceFrom, type TraceContext } from '../records/trace.ts';

export const TRACER_NAME = 'gcos-zsm-bridge';

/** The attribute names of the standard's `dpl.core` namespace, and the type of the subject id next to it. */
export const DPL = {
  processingActivityId: 'dpl.core.processing_activity_id',
  dataSubjectId: 'dpl.core.data_subject_id',
  dataSubjectIdType: 'dpl.core.data_subject_id_type',
} as const;

/** The type of identifier a data subject id stands for, as later versions of the standard name it: the id itself is
 * the BSN's keyed pseudonym (its key's id is its prefix), the standard's "versleutelde" code, never the BSN. */
export const SUBJECT_ID_TYPE = 'BSN';

let on = false;

/** Set by tracing-sdk.ts once a tracer provider is installed. */
export function setTracingOn(value: boolean): void {
  on = value;
}

export function tracingOn(): boolean {
  return on;
}

function tracer() {
  return trace.getTracer(TRACER_NAME);
}

export interface Subject {
  /** The keyed pseudonym the processing log keeps; never the BSN. */
  id: string;
  type: string;
}

export function processingAttributes(activityUri: string, subject?: Subject): Attributes {
  return {
    [DPL.processingActivityId]: activityUri,
    ...(subject && { [DPL.dataSubjectId]: subject.id, [DPL.dataSubjectIdType]: subject.type }),
  };
}

/** The standard's status: a processing that went as it should is OK, a refusal included; one that failed is an
 * Error. The message is a catalogue code or a class name, never text about the record. */
export function setProcessingStatus(span: Span | undefined, failed: false | { code: string }): void {
  if (!span) return;
  span.setStatus(failed ? { code: SpanStatusCode.ERROR, message: failed.code } : { code: SpanStatusCode.OK });
}

/**
 * Runs `fn` as one span, the current one while it runs (its database calls and the outbox's traceparent
 * below it). Without tracing, `fn` gets no span and runs as it is. A throw ends the span as an Error.
 */
export async function inSpan<T>(name: string, attributes: LazyAttributes, fn: (span: Span | undefined) => Promise<T>, parent?: Context): Promise<T> {
  if (!on) return fn(undefined);
  const ctx = parent ?? context.active();
  const span = tracer().startSpan(name, { attributes: resolve(attributes) }, ctx);
  try {
    return await context.with(trace.setSpan(ctx, span), () => fn(span));
  } catch (err) {
    span.setStatus(statusOfThrow(err));
    throw err;
  } finally {
    span.end();
  }
}

/** inSpan for synchronous work (the verdict). */
export function inSpanSync<T>(name: string, fn: () => T): T {
  if (!on) return fn();
  const span = tracer().startSpan(name);
  try {
    return context.with(trace.setSpan(context.active(), span), fn);
  } catch (err) {
    span.setStatus(statusOfThrow(err));
    throw err;
  } finally {
    span.end();
  }
}

/** A refusal from the catalogue (a 4xx) is the work done right: OK. Anything else thrown is an Error. */
export function statusOfThrow(err: unknown): { code: SpanStatusCode; message?: string } {
  if (err instanceof BridgeError && err.status < 500) return { code: SpanStatusCode.OK };
  return { code: SpanStatusCode.ERROR, message: errorName(err) };
}

/** A span started now and ended by the caller, for work that is not one call (an item of a batch). */
export function startSpan(name: string, attributes: LazyAttributes): Span | undefined {
  return on ? tracer().startSpan(name, { attributes: resolve(attributes) }) : undefined;
}

/** Attributes, or a function that makes them: called only when a span is made, so tracing off builds nothing. */
export type LazyAttributes = Attributes | (() => Attributes);

function resolve(a: LazyAttributes): Attributes {
  return typeof a === 'function' ? a() : a;
}

/** Runs `fn` with `span` as the current span (no-op without one). */
export function withSpan<T>(span: Span | undefined, fn: () => T): T {
  return span ? context.with(trace.setSpan(context.active(), span), fn) : fn();
}

/**
 * The trace context a record carries onwards (its outbox rows' traceparent, its processing-log trace id): the
 * current span's when tracing is on, so that the relay's send continues this very trace; otherwise the caller's
 * trace id with a span id of our own, as before tracing (records/trace.ts).
 */
export function currentTrace(header: string | undefined): TraceContext {
  if (on) {
    const sc = trace.getSpan(context.active())?.spanContext();
    if (sc && trace.isSpanContextValid(sc)) return { traceId: sc.traceId, traceparent: traceparentOf(sc.traceId, sc.spanId, sc.traceFlags) };
  }
  return traceFrom(header);
}

export function traceparentOf(traceId: string, spanId: string, flags: number): string {
  return `00-${traceId}-${spanId}-${flags.toString(16).padStart(2, '0')}`;
}

/** The context a message's W3C traceparent (and tracestate) header names; the root context without one. */
export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  if (!headers) return ROOT_CONTEXT;
  const carrier: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const v = headers[name];
    // kafkajs gives header values as Buffers (or strings, or lists of them for a repeated header: then none).
    if (typeof v === 'string' || Buffer.isBuffer(v)) carrier[name] = v.toString();
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Messaging attributes after the OpenTelemetry semantic conventions; no key, no value. */
export function kafkaAttributes(topic: string, operation: 'send' | 'process', partition?: number): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.type': operation,
    'messaging.operation.name': operation,
    ...(partition !== undefined && { 'messaging.destination.partition.id': String(partition) }),
  };
}

/** One PRODUCER span per outgoing message, each the child of the trace its message carries. */
export function startSendSpans(messages: readonly { topic: string; headers: Record<string, string> }[]): Span[] | undefined {
  if (!on) return undefined;
  return messages.map((m) =>
    tracer().startSpan(`send ${m.topic}`, { kind: SpanKind.PRODUCER, attributes: kafkaAttributes(m.topic, 'send') }, contextFromHeaders(m.headers)),
  );
}

/** The message's headers with its traceparent naming the send span: the consumer's trace continues from it. */
export function headersFor(span: Span, headers: Record<string, string>): Record<string, string> {
  const sc = span.spanContext();
  return { ...headers, traceparent: traceparentOf(sc.traceId, sc.spanId, sc.traceFlags) };
}

export function endSpans(spans: readonly Span[] | undefined, err?: unknown): void {
  for (const s of spans ?? []) {
    if (err !== undefined) s.setStatus({ code: SpanStatusCode.ERROR, message: errorName(err) });
    s.end();
  }
}

/** A CONSUMER span for one inbound message, continuing the trace its traceparent header names. */
export async function inConsumerSpan<T>(topic: string, partition: number, headers: Record<string, unknown> | undefined, fn: () => Promise<T>): Promise<T> {
  if (!on) return fn();
  const parent = contextFromHeaders(headers);
  const span = tracer().startSpan(`process ${topic}`, { kind: SpanKind.CONSUMER, attributes: kafkaAttributes(topic, 'process', partition) }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), fn);
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(err) });
    throw err;
  } finally {
    span.end();
  }
}

/** A failure's name for a span status: the catalogue code when it has one, else the class name; never its message,
 * which may quote input. */
export function errorName(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown } | null;
  if (e && typeof e.code === 'string' && /^[A-Z][A-Z0-9_]{1,60}$/.test(e.code)) return e.code;
  return e && typeof e.name === 'string' ? e.name : 'Error';
}
