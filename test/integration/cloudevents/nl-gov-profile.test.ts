// The NL GOV profile for CloudEvents on every kind of message the bridge sends, read from the real broker as a
// recipient reads it: an advice, a case event, an expiry notice and a dead letter, each parsed with the CloudEvents
// SDK's Kafka binding (readTopic runs test/support/cloudevents.ts on every message), its data validated against
// the schema its ce_dataschema names (fetched from the bridge without credentials), its time the moment the bridge
// logged the event; and an event of 64 KB passes the relay and the broker unchanged.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarantine } from '../../../src/inbound/take-case-event.ts';
import { KINDS } from '../../../src/ingest/kinds/index.ts';
import { receiptOrThrow } from '../../../src/ingest/outcome.ts';
import type { IngestDeps } from '../../../src/ingest/prepare.ts';
import { ingestRecord } from '../../../src/ingest/spine.ts';
import { adviceExpiryJob } from '../../../src/jobs/advice-expiry.ts';
import { messageBuilder } from '../../../src/outbox/message.ts';
import { insertOutboxRows } from '../../../src/store/outbox-repo.ts';
import { withTransaction } from '../../../src/store/transaction.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { assertNlGovCloudEvent } from '../../support/cloudevents.ts';
import { waitForDelivery } from '../../support/db.ts';
import { daysFromToday, OM_ZSM, syntheticBsn, validAdvice, validCaseEvent } from '../../support/fixtures.ts';
import { readTopic, type ReceivedMessage } from '../../support/kafka-consumer.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

let bridge: TestBridge;
let deps: IngestDeps;

beforeAll(async () => {
  bridge = await startBridge({ env: { PUBLIC_BASE_URL: 'https://bridge.example.nl' } });
  const s = bridge.services;
  deps = { pool: s.pool, plan: s.plan, pseudonymiser: s.pseudonymiser, metrics: s.metrics, bridgeOin: bridge.config.bridgeOin };
});
afterAll(async () => {
  await bridge?.close();
});

/** The message's data against the schema its dataschema names, as served by the bridge to anyone. */
async function checkData(m: ReceivedMessage): Promise<Record<string, unknown>> {
  const event = assertNlGovCloudEvent(m);
  const url = new URL(event.dataschema!);
  expect(url.origin).toBe('https://bridge.example.nl');
  const res = await bridge.inject({ method: 'GET', url: url.pathname }, null);
  expect(res.statusCode, url.pathname).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
  const schema = res.json<Record<string, unknown>>();
  expect(schema['$id']).toBe(event.dataschema);
  const validate = ajv.compile(schema);
  const data = JSON.parse(m.value) as Record<string, unknown>;
  expect(validate(data), `${m.topic} ${event.type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  return data;
}

describe('NL GOV profile for CloudEvents', () => {
  it('an advice, a case event, an expiry notice and a dead letter', async () => {
    const advice = await bridge.inject({
      method: 'POST',
      url: '/v1/advices',
      payload: { ...validAdvice({ adviceId: 'CE-ADVICE', bsn: syntheticBsn(81) }), validUntil: daysFromToday(10) },
    });
    expect(advice.statusCode).toBe(202);
    const caseEvent = await bridge.inject(
      {
        method: 'POST',
        url: '/v1/case-events',
        payload: validCaseEvent('suspect-entered-zsm', { bsn: syntheticBsn(82), municipalityCode: 'GM0599' }),
      },
      'zsm',
    );
    expect(caseEvent.statusCode).toBe(202);
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const expiredAt = new Date(`${daysFromToday(20)}T12:00:00Z`);
    expect(
      await adviceExpiryJob('0 0 1 1 *', bridge.config.bridgeOin).run({ pool: bridge.services.pool, logger: bridge.services.logger, now: expiredAt }),
    ).toMatchObject({
      expired: 1,
    });
    const msg = { origin: 'kafka:zsm.case-events.v1/0/1', traceparent: undefined, actor: 'kafka:zsm.case-events.v1' };
    const dl = await quarantine(
      { ...deps, deadLetterTopic: bridge.services.deadLetterTopic },
      msg as never,
      Buffer.from('{"not json'),
      'BRIDGE_MALFORMED_JSON',
      [],
    );
    expect(dl.outcome).toBe('quarantined');
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);

    const om = await readTopic(bridge.topic('advice', OM_ZSM), { count: 2, settleMs: 500 });
    const [accepted, expired] = [
      om.find((m) => m.headers['ce_type'] === KINDS.advice.eventType)!,
      om.find((m) => m.headers['ce_type'] === KINDS.advice.expiredEventType)!,
    ];
    // time: when the bridge logged the event: accepted, expired, quarantined (docs/consuming.md).
    expect(accepted.headers['ce_time']).toBe((await checkData(accepted))['acceptedAt']);
    expect(expired.headers['ce_time']).toBe((await checkData(expired))['expiredAt']);
    expect(expired.headers['ce_time']).toBe(expiredAt.toISOString());
    const vh = await readTopic(bridge.topic('case-event', 'vh-vr17'), { count: 1, settleMs: 500 });
    expect(vh[0]!.headers['ce_type']).toBe(KINDS['case-event'].eventType);
    expect(vh[0]!.headers['ce_time']).toBe((await checkData(vh[0]!))['acceptedAt']);
    const dead = await readTopic(bridge.services.deadLetterTopic, { count: 1, settleMs: 500 });
    expect(dead[0]!.headers['ce_time']).toBe((await checkData(dead[0]!))['quarantinedAt']);
    // The same source for every message, with this bridge's OIN.
    for (const m of [accepted, expired, vh[0]!, dead[0]!])
      expect(m.headers['ce_source']).toBe(`urn:nld:oin:${bridge.config.bridgeOin}:systeem:gcos-zsm-bridge`);
  });

  it('the schema route answers 404 for a topic or type the bridge does not send, without credentials', async () => {
    const res = await bridge.inject({ method: 'GET', url: `/v1/schemas/${bridge.topic('advice', OM_ZSM)}/nl.justitieketen.zsm.case-event.recorded` }, null);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('an event of 64 KB on the wire passes the relay and the broker unchanged', async () => {
    const r = receiptOrThrow(await ingestRecord(deps, KINDS.advice, { door: 'rest', body: validAdvice({ adviceId: 'CE-64K', bsn: syntheticBsn(83) }) }));
    const topic = bridge.topic('advice', 'reclassering');
    const row = messageBuilder(bridge.config.bridgeOin)({
      about: { recordId: r.receipt.id },
      eventType: KINDS.advice.eventType,
      recipient: 'reclassering',
      topic,
      messageKey: 'k1.AAAAAAAAAAAAAAAAAAAAAA',
      orderKey: 'ce-64k',
      time: new Date().toISOString(),
      traceparent: '',
      payload: '',
    });
    const overhead = Buffer.byteLength(row.messageKey) + Object.entries(row.headers).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    // A value that fits the channel's contract (readTopic checks it against the AsyncAPI document), padded in
    // `quality`, whose schema is open.
    const envelope = (padding: string) =>
      JSON.stringify({
        recordId: r.receipt.id,
        kind: 'advice',
        acceptedAt: row.headers['ce_time'],
        disclosure: { legalBasis: 'nl.wgs.art-2.3', purpose: 'zsm-afdoeningsadvies', policyVersion: '2026.1' },
        record: { adviceId: 'CE-64K' },
        quality: { padding },
      });
    const filler = 64 * 1024 - overhead - envelope('').length;
    row.payload = envelope('x'.repeat(filler));
    await withTransaction(bridge.services.pool, (c) => insertOutboxRows(c, [row]));
    bridge.services.relay.nudge();
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const got = (await readTopic(topic, { count: 2, settleMs: 500 })).find((m) => m.headers['ce_id'] === row.eventId);
    expect(got, 'the 64 KB event arrived').toBeDefined();
    expect(got!.value).toBe(row.payload);
    const size = Buffer.byteLength(got!.key) + Buffer.byteLength(got!.value) + Object.entries(got!.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
    expect(size).toBe(64 * 1024);
  });
});
