// The span builders and the status mapping of the Logboek Dataverwerkingen traces; and that without a tracer
// provider (tracing off, the default) every helper is a plain call that starts nothing.
import { propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../src/errors.ts';
import { outcomeFailure } from '../../../src/ingest/trace-spans.ts';
import {
  contextFromHeaders,
  currentTrace,
  errorName,
  inSpan,
  processingAttributes,
  startSendSpans,
  startSpan,
  statusOfThrow,
  SUBJECT_ID_TYPE,
  tracingOn,
} from '../../../src/observability/tracing.ts';

describe('the dpl.core attributes', () => {
  it('name the activity, and the subject only when there is one, with its type', () => {
    expect(processingAttributes('https://register.example/a/1')).toEqual({ 'dpl.core.processing_activity_id': 'https://register.example/a/1' });
    expect(processingAttributes('https://register.example/a/1', { id: 'k1.abc', type: SUBJECT_ID_TYPE })).toEqual({
      'dpl.core.processing_activity_id': 'https://register.example/a/1',
      'dpl.core.data_subject_id': 'k1.abc',
      'dpl.core.data_subject_id_type': 'BSN',
    });
  });
});

describe('status after the standard', () => {
  it('a refusal from the catalogue is OK; an outage or a defect is an Error named by code or class, never by message', () => {
    expect(statusOfThrow(new BridgeError('BRIDGE_UNPROCESSABLE', 'BSN 123456782 fails'))).toEqual({ code: SpanStatusCode.OK });
    expect(statusOfThrow(new BridgeError('BRIDGE_CONFLICT'))).toEqual({ code: SpanStatusCode.OK });
    expect(statusOfThrow(new BridgeError('BRIDGE_UNAVAILABLE'))).toEqual({ code: SpanStatusCode.ERROR, message: 'BRIDGE_UNAVAILABLE' });
    expect(statusOfThrow(new TypeError('value 123456782 is not a function'))).toEqual({ code: SpanStatusCode.ERROR, message: 'TypeError' });
    expect(errorName(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorName(Object.assign(new Error('x'), { code: 'not a code 123456782' }))).toBe('Error');
    expect(errorName('a string')).toBe('Error');
  });

  it('of an ingest outcome: only an unavailable database fails the processing', () => {
    const receipt = {} as never;
    expect(outcomeFailure({ outcome: 'accepted', receipt })).toBe(false);
    expect(outcomeFailure({ outcome: 'replayed', receipt })).toBe(false);
    expect(outcomeFailure({ outcome: 'refused', error: new BridgeError('BRIDGE_VALIDATION_FAILED') })).toBe(false);
    expect(outcomeFailure({ outcome: 'conflict', error: new BridgeError('BRIDGE_CONFLICT') })).toBe(false);
    expect(outcomeFailure({ outcome: 'unavailable', error: new BridgeError('BRIDGE_UNAVAILABLE') })).toEqual({ code: 'BRIDGE_UNAVAILABLE' });
  });
});

describe('without a tracer provider (tracing off)', () => {
  it('starts no span and keeps the trace context as before: the caller trace id, a span id of our own', async () => {
    expect(tracingOn()).toBe(false);
    expect(startSpan('x', {})).toBeUndefined();
    expect(startSendSpans([{ topic: 't', headers: {} }])).toBeUndefined();
    expect(await inSpan('x', {}, async (span) => span)).toBeUndefined();
    const t = currentTrace('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(t.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(t.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(t.traceparent).not.toContain('00f067aa0ba902b7');
  });
});

describe("a message's trace context", () => {
  it('is read from its traceparent header (Buffer or string), and is the root context without a valid one', () => {
    // The propagator the SDK registers (tracing-sdk.ts); without one nothing is read.
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const ctx = contextFromHeaders({ traceparent: Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01') });
    expect(trace.getSpanContext(ctx)).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', isRemote: true });
    expect(trace.getSpanContext(contextFromHeaders({ traceparent: 'nonsense' }))).toBeUndefined();
    expect(trace.getSpanContext(contextFromHeaders(undefined))).toBeUndefined();
  });
});
