// Logboek Dataverwerkingen over OpenTelemetry, against the real database and broker, spans caught by the SDK's
// in-memory exporter: a caller's trace runs from the HTTP request through the verdict, the database and the
// commit to the relay's send and the message's traceparent; an inbound message's trace likewise; one span per
// data subject with the standard's dpl.core attributes; a refusal is not an Error, a database failure is; and no
// exported span holds a BSN or other personal data.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityUri } from '../../../src/exchange/activity-register.ts';
import { KINDS } from '../../../src/ingest/kinds/index.ts';
import type { IngestDeps } from '../../../src/ingest/prepare.ts';
import { ingestRecord } from '../../../src/ingest/spine.ts';
import { inSpan } from '../../../src/observability/tracing.ts';
import { startTracing, type Tracing } from '../../../src/observability/tracing-sdk.ts';
import { DOMAIN_PROCESSING_LOG } from '../../../src/privacy/pseudonym.ts';
import { createPool } from '../../../src/store/pool.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { FIXTURE_PERSONAL_DATA, OM_ZSM, syntheticBsn, validAdvice, validCaseEvent } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';
import { produce } from '../../support/kafka-producer.ts';
import { until } from '../../support/until.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing | undefined;
let bridge: TestBridge;
const BSNS = [syntheticBsn(301), syntheticBsn(302), syntheticBsn(303), syntheticBsn(304), syntheticBsn(305), syntheticBsn(306), syntheticBsn(307)];

beforeAll(async () => {
  // Before the bridge: its pool and app are built with the instrumentations in place, as in server.ts.
  tracing = startTracing({ exporter });
  bridge = await startBridge();
  await bridge.services.inbound.start();
});
afterAll(async () => {
  await bridge?.close();
  await tracing?.shutdown();
});

const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const traceIdOf = (traceparent: string | undefined) => traceparent?.split('-')[1];
const ADVICE_ACTIVITY = 'urn:nld:gcos-zsm-bridge:verwerkingsactiviteit:zsm-advies';

describe('Logboek Dataverwerkingen over OpenTelemetry', () => {
  it("an advice: one trace from the caller's traceparent to the Kafka message's, a span per data subject", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4701';
    const callerSpan = '00f067aa0ba902b7';
    const advice = validAdvice({ adviceId: 'OTEL-ADVICE-1', bsn: BSNS[0] });
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: advice, headers: { traceparent: `00-${traceId}-${callerSpan}-01` } });
    expect(res.statusCode).toBe(202);
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);

    const message = (await readTopic(bridge.topic('advice', OM_ZSM), { count: 1, settleMs: 0 }))[0]!;
    expect(traceIdOf(message.headers['traceparent']), 'the message carries the caller trace').toBe(traceId);

    const spans = await until(
      async () => spansOf(traceId),
      (s) => s.some((x) => x.kind === SpanKind.PRODUCER),
    );
    // The request span continues the caller's span; the record's span is below it, the verdict and the commit below that.
    const [request] = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(request, 'a request span').toBeDefined();
    expect(parentOf(request!)).toBe(callerSpan);
    const [ingest] = named(spans, 'ingest advice');
    expect(ingest).toBeDefined();
    expect(parentOf(ingest!)).toBe(request!.spanContext().spanId);
    expect(parentOf(named(spans, 'validate advice')[0]!)).toBe(ingest!.spanContext().spanId);
    const commit = named(spans, 'commit')[0]!;
    expect(parentOf(commit)).toBe(ingest!.spanContext().spanId);
    // pg's spans: the reads and the write, the write below the commit, with the statement text but no parameters.
    const queries = spans.filter((s) => s.attributes['db.system.name'] === 'postgresql' || s.attributes['db.system'] === 'postgresql');
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.some((q) => parentOf(q) === commit.spanContext().spanId)).toBe(true);
    for (const q of queries) expect(Object.keys(q.attributes).filter((k) => k.startsWith('db.query.parameter') || k === 'db.postgresql.values')).toEqual([]);
    // The relay's send, a child of the record's span, is the span the message's traceparent names.
    const send = spans.find((s) => s.kind === SpanKind.PRODUCER && s.attributes['messaging.destination.name'] === message.topic)!;
    expect(send.name).toBe(`send ${message.topic}`);
    expect(parentOf(send)).toBe(ingest!.spanContext().spanId);
    expect(message.headers['traceparent']).toBe(`00-${traceId}-${send.spanContext().spanId}-01`);

    // dpl.core: the activity's URI in the register, the subject's processing-log pseudonym and its type.
    const uri = ingest!.attributes['dpl.core.processing_activity_id'] as string;
    expect(uri).toBe(activityUri(ADVICE_ACTIVITY));
    expect(uri).toMatch(/^https:\/\/register\.example\/.+\/zsm-advies\/1$/);
    expect(ingest!.attributes['dpl.core.data_subject_id']).toBe(bridge.services.pseudonymiser.pseudonym(BSNS[0]!, DOMAIN_PROCESSING_LOG));
    expect(ingest!.attributes['dpl.core.data_subject_id_type']).toBe('BSN');
    expect(ingest!.status.code).toBe(SpanStatusCode.OK);
    for (const s of spans) expect(s.status.code, s.name).not.toBe(SpanStatusCode.ERROR);

    // The processing log keeps the same trace id: its entries and the spans are one account of the processing.
    const log = await bridge.services.pool.query<{ trace_id: string; operation: string }>(
      'SELECT trace_id, operation FROM processing_log WHERE record_id = $1',
      [res.json<{ id: string }>().id],
    );
    expect(log.rows.length).toBeGreaterThan(0);
    for (const row of log.rows) expect(row.trace_id).toBe(traceId);
  });

  it('a refused advice: its spans are not Errors, and it names no subject', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4702';
    const bad = validAdvice({ adviceId: 'OTEL-ADVICE-2', bsn: '123456788' }); // fails the eleven-test
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: bad, headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.statusCode).toBe(422);
    const spans = await until(
      async () => spansOf(traceId),
      (s) => s.some((x) => x.kind === SpanKind.SERVER),
    );
    const [ingest] = named(spans, 'ingest advice');
    expect(ingest!.status.code).toBe(SpanStatusCode.OK);
    expect(ingest!.attributes['dpl.core.processing_activity_id']).toBe(activityUri(ADVICE_ACTIVITY));
    expect(ingest!.attributes['dpl.core.data_subject_id']).toBeUndefined();
    expect(spans.map((s) => s.name)).toContain('validate advice');
    for (const s of spans) expect(s.status.code, s.name).not.toBe(SpanStatusCode.ERROR);
    expect(JSON.stringify(exportable(spans))).not.toContain('123456788');
  });

  it('a database failure: the processing is an Error', async () => {
    const s = bridge.services;
    const away = createPool({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', pgConnectTimeoutMs: 500 }, s.logger);
    const deps: IngestDeps = { pool: away, plan: s.plan, pseudonymiser: s.pseudonymiser, metrics: s.metrics, bridgeOin: bridge.config.bridgeOin };
    let traceId = '';
    const outcome = await inSpan('test', {}, async (span) => {
      traceId = span!.spanContext().traceId;
      return ingestRecord(deps, KINDS.advice, { door: 'rest', body: validAdvice({ adviceId: 'OTEL-ADVICE-3', bsn: BSNS[1] }) });
    });
    await away.end();
    expect(outcome.outcome).toBe('unavailable');
    const [ingest] = named(spansOf(traceId), 'ingest advice');
    expect(ingest!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'BRIDGE_UNAVAILABLE' });
    expect(ingest!.attributes['dpl.core.data_subject_id']).toBe(s.pseudonymiser.pseudonym(BSNS[1]!, DOMAIN_PROCESSING_LOG));
  });

  it("an inbound case event continues its message's trace, to the recipients' messages", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4704';
    const event = validCaseEvent('suspect-entered-zsm', { bsn: BSNS[2], municipalityCode: 'GM0599' });
    await produce(bridge.services.inboundTopic, [{ key: 'k', value: JSON.stringify(event), headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } }]);
    const spans = await until(
      async () => spansOf(traceId),
      (s) => s.some((x) => x.kind === SpanKind.PRODUCER),
    );
    const process = spans.find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(process.name).toBe(`process ${bridge.services.inboundTopic}`);
    expect(parentOf(process)).toBe('00f067aa0ba902b7');
    const [ingest] = named(spans, 'ingest case-event');
    expect(parentOf(ingest!)).toBe(process.spanContext().spanId);
    expect(ingest!.attributes['dpl.core.data_subject_id']).toBe(bridge.services.pseudonymiser.pseudonym(BSNS[2]!, DOMAIN_PROCESSING_LOG));
    expect(ingest!.attributes['dpl.core.processing_activity_id']).toBe(activityUri('urn:nld:gcos-zsm-bridge:verwerkingsactiviteit:zsm-casusinformatie'));
    const vh = await readTopic(bridge.topic('case-event', 'vh-vr17'), { count: 1, settleMs: 0 });
    expect(traceIdOf(vh.find((m) => m.value.includes(event['eventId'] as string))?.headers['traceparent'])).toBe(traceId);
  });

  it('a caller that says "not sampled" is traced all the same (no sampling of these records)', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4705';
    const res = await bridge.inject({
      method: 'POST',
      url: '/v1/advices',
      payload: validAdvice({ adviceId: 'OTEL-ADVICE-5', bsn: BSNS[3] }),
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-00` },
    });
    expect(res.statusCode).toBe(202);
    const spans = await until(
      async () => spansOf(traceId),
      (s) => s.some((x) => x.name === 'ingest advice'),
    );
    expect(named(spans, 'ingest advice')[0]!.attributes['dpl.core.data_subject_id']).toBeDefined();
  });

  it('without a traceparent a trace is started, and the processing log keeps its id', async () => {
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'OTEL-ADVICE-6', bsn: BSNS[4] }) });
    expect(res.statusCode).toBe(202);
    const subject = bridge.services.pseudonymiser.pseudonym(BSNS[4]!, DOMAIN_PROCESSING_LOG);
    const ingest = (
      await until(
        async () => exporter.getFinishedSpans().filter((s) => s.attributes['dpl.core.data_subject_id'] === subject),
        (s) => s.length > 0,
      )
    )[0]!;
    const log = await bridge.services.pool.query<{ trace_id: string }>('SELECT DISTINCT trace_id FROM processing_log WHERE record_id = $1', [
      res.json<{ id: string }>().id,
    ]);
    expect(log.rows).toEqual([{ trace_id: ingest.spanContext().traceId }]);
  });

  it('a batch: a span per advice, that is per data subject, each with its own subject', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4707';
    const res = await bridge.inject({
      method: 'POST',
      url: '/v1/advice-batches',
      payload: { advices: [validAdvice({ adviceId: 'OTEL-BATCH-1', bsn: BSNS[5] }), validAdvice({ adviceId: 'OTEL-BATCH-2', bsn: BSNS[6] })] },
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.statusCode).toBeLessThan(300);
    const spans = await until(
      async () => named(spansOf(traceId), 'ingest advice'),
      (s) => s.length >= 2,
    );
    expect(spans.map((s) => s.attributes['dpl.core.data_subject_id']).sort()).toEqual(
      [BSNS[5]!, BSNS[6]!].map((b) => bridge.services.pseudonymiser.pseudonym(b, DOMAIN_PROCESSING_LOG)).sort(),
    );
    for (const s of spans) expect(s.status.code).toBe(SpanStatusCode.OK);
  });

  it('no exported span holds a BSN, a name or a birth date: attributes, names, events, statuses', async () => {
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const all = JSON.stringify(exportable(exporter.getFinishedSpans()));
    expect(all.length).toBeGreaterThan(1000);
    for (const secret of [...BSNS, ...FIXTURE_PERSONAL_DATA]) expect(all, secret).not.toContain(secret);
  });
});

/** What an exporter sends of a span, as plain data. */
function exportable(spans: readonly ReadableSpan[]) {
  return spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links, resource: s.resource.attributes }));
}
