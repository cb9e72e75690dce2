// The inbound topic: each message taken like the REST path; what cannot be taken goes to quarantine (a row and a
// dead-letter message with its reason) and the next message still flows; a message read twice counts once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { syntheticBsn, validCaseEvent } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';
import { produce } from '../../support/kafka-producer.ts';
import { writePolicyVariant } from '../../support/policy.ts';

let bridge: TestBridge;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
  // A policy that does not yet accept the decision purpose: such events land in quarantine until it is fixed.
  const narrow = writePolicyVariant((p) => {
    p.kinds['case-event']!.accepts = [{ legalBasis: 'nl.wgs.art-2.3', purposes: ['zsm-casusinformatie'] }];
  });
  bridge = await startBridge({ databaseUrl, env: { EXCHANGE_POLICY_FILE: narrow } });
  await bridge.services.inbound.start();
});
afterAll(async () => {
  await bridge?.close();
});

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const quarantined = async () =>
  (
    await bridge.services.pool.query<{ id: string; reason_code: string; reason: { code: string }[]; status: string; event_id: string | null }>(
      'SELECT id, reason_code, reason, status, event_id FROM quarantine ORDER BY received_at',
    )
  ).rows;

describe('the inbound topic of case events', () => {
  it('takes good messages, quarantines bad ones without blocking, and counts a repeated message once', async () => {
    const first = validCaseEvent('suspect-entered-zsm', { bsn: syntheticBsn(110), municipalityCode: 'GM0599' });
    const second = validCaseEvent('case-closed', { bsn: syntheticBsn(111), municipalityCode: 'GM0599' });
    const unknownPlace = validCaseEvent('case-closed', { bsn: syntheticBsn(112), municipalityCode: 'GM9998' });
    const key = 'zsm-partition-key';
    await produce(bridge.services.inboundTopic, [
      { key, value: JSON.stringify(first), headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } },
      { key, value: '{"eventId": "broken' },
      // A raw NUL byte: not JSON, and not storable as text either; it must not hold the partition.
      { key, value: '{"eventId": "nul\u0000byte"}' },
      { key, value: JSON.stringify(unknownPlace) },
      { key, value: JSON.stringify(first) }, // the same event again (a producer's retry)
      { key, value: JSON.stringify(second) },
    ]);

    const records = await until(
      async () =>
        (await bridge.services.pool.query<{ external_id: string }>(`SELECT external_id FROM records WHERE kind = 'case-event' ORDER BY received_at`)).rows,
      (r) => r.length >= 2,
    );
    expect(records.map((r) => r.external_id)).toEqual([first['eventId'], second['eventId']]);
    const q = await until(quarantined, (r) => r.length >= 3);
    expect(q.map((r) => r.reason_code)).toEqual(['BRIDGE_MALFORMED_JSON', 'BRIDGE_MALFORMED_JSON', 'BRIDGE_POLICY_REFUSED']);
    expect(q[2]!.reason.map((e) => e.code)).toEqual(['MUNICIPALITY_UNKNOWN']);
    expect(q[2]!.event_id).toBe(unknownPlace['eventId']);
    const kept = await bridge.services.pool.query<{ raw_value: string }>('SELECT raw_value FROM quarantine WHERE id = $1', [q[1]!.id]);
    expect(kept.rows[0]!.raw_value).toBe('{"eventId": "nul\uFFFDbyte"}');

    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    // Rotterdam's Veiligheidshuis got each good event once.
    const vh = await readTopic(bridge.topic('case-event', 'vh-vr17'), { count: 2, settleMs: 1_000 });
    expect(vh.map((m) => (JSON.parse(m.value) as { record: { eventId: string } }).record.eventId)).toEqual([first['eventId'], second['eventId']]);
    expect(vh[0]!.headers['traceparent']).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/);

    // The dead-letter topic announces each quarantined message, its reason in a header, its key the quarantine id.
    // (Keyed by quarantine id, so they may sit on different partitions: compare by key, not by arrival.)
    const dlt = await readTopic(bridge.services.deadLetterTopic, { count: 3, settleMs: 500 });
    const byKey = Object.fromEntries(dlt.map((m) => [m.key, m]));
    expect(Object.keys(byKey).sort()).toEqual(q.map((r) => r.id).sort());
    expect(q.map((r) => byKey[r.id]!.headers['x-quarantine-reason'])).toEqual(['BRIDGE_MALFORMED_JSON', 'BRIDGE_MALFORMED_JSON', 'BRIDGE_POLICY_REFUSED']);
    expect(byKey[q[0]!.id]!.value).toBe('{"eventId": "broken');

    const metrics = (await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops')).body;
    expect(metrics).toContain('bridge_inbound_messages_total{outcome="accepted"} 2');
    expect(metrics).toContain('bridge_inbound_messages_total{outcome="duplicate"} 1');
    expect(metrics).toContain('bridge_inbound_messages_total{outcome="quarantined"} 3');
    expect(metrics).toContain('bridge_case_events_unroutable_total{path="kafka"} 1');

    // Ops see the reasons, never the message.
    const list = await bridge.inject({ method: 'GET', url: '/v1/quarantine' }, 'ops');
    expect(list.statusCode).toBe(200);
    expect(list.json<{ entries: { id: string; reasonCode: string }[] }>().entries.map((e) => e.reasonCode)).toEqual([
      'BRIDGE_MALFORMED_JSON',
      'BRIDGE_MALFORMED_JSON',
      'BRIDGE_POLICY_REFUSED',
    ]);
    expect(list.body).not.toContain(syntheticBsn(112));
  });

  it('lets ops release a message after the cause is fixed, and discard one that cannot be', async () => {
    const decision = validCaseEvent('decision-taken', { bsn: syntheticBsn(113), municipalityCode: 'GM0599' });
    await produce(bridge.services.inboundTopic, [{ key: 'k', value: JSON.stringify(decision) }]);
    const q = await until(quarantined, (r) => r.some((e) => e.event_id === decision['eventId']));
    const entry = q.find((e) => e.event_id === decision['eventId'])!;
    expect(entry.reason.map((e) => e.code)).toEqual(['PURPOSE_NOT_ACCEPTED']);

    // Still the narrow policy: the release fails and the entry stays open.
    const tooEarly = await bridge.inject({ method: 'POST', url: `/v1/quarantine/${entry.id}/release` }, 'ops');
    expect(tooEarly.statusCode).toBe(422);
    expect((await quarantined()).find((e) => e.id === entry.id)!.status).toBe('open');

    // The fix: a replica on the shipped policy releases it.
    const fixed = await startBridge({ databaseUrl, relay: false });
    try {
      const released = await fixed.inject({ method: 'POST', url: `/v1/quarantine/${entry.id}/release` }, 'ops');
      expect(released.statusCode).toBe(200);
      const { recordId } = released.json<{ recordId: string; status: string }>();
      expect(released.json()).toMatchObject({ status: 'released' });
      const rec = await fixed.services.pool.query<{ external_id: string }>('SELECT external_id FROM records WHERE id = $1', [recordId]);
      expect(rec.rows[0]!.external_id).toBe(decision['eventId']);
      // Released once: a second release finds nothing open.
      expect((await fixed.inject({ method: 'POST', url: `/v1/quarantine/${entry.id}/release` }, 'ops')).statusCode).toBe(404);
      const broken = (await quarantined()).find((e) => e.reason_code === 'BRIDGE_MALFORMED_JSON')!;
      expect((await fixed.inject({ method: 'POST', url: `/v1/quarantine/${broken.id}/discard` }, 'ops')).statusCode).toBe(200);
      const raw = await fixed.services.pool.query<{ raw_value: string; status: string }>('SELECT raw_value, status FROM quarantine WHERE id = $1', [broken.id]);
      expect(raw.rows[0]).toEqual({ raw_value: '', status: 'discarded' });
    } finally {
      await fixed.close();
    }
  });

  it('quarantines an event id sent again with other content, and counts it as refused like the REST path does', async () => {
    const original = validCaseEvent('case-closed', { bsn: syntheticBsn(114), municipalityCode: 'GM0599' });
    const altered = { ...original, zsmCaseReference: '10/654321-26' };
    await produce(bridge.services.inboundTopic, [
      { key: 'c', value: JSON.stringify(original) },
      { key: 'c', value: JSON.stringify(altered) },
    ]);
    const q = await until(quarantined, (r) => r.some((e) => e.event_id === original['eventId']));
    expect(q.find((e) => e.event_id === original['eventId'])!.reason_code).toBe('BRIDGE_CONFLICT');
    const metrics = (await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops')).body;
    expect(metrics).toContain('bridge_records_refused_total{kind="case-event",code="BRIDGE_CONFLICT"} 1');
  });

  it('quarantines a message that gives a member name twice, with the code and pointer the REST path answers', async () => {
    const event = validCaseEvent('case-closed', { bsn: syntheticBsn(115), municipalityCode: 'GM0599' });
    // JSON.parse would keep the second bsn; a reader of the first would see another person.
    const twice = JSON.stringify(event).replace('"subject":{', `"subject":{"bsn":"${syntheticBsn(116)}",`);
    expect(twice).not.toBe(JSON.stringify(event));
    await produce(bridge.services.inboundTopic, [{ key: 'd', value: twice }]);
    const q = await until(quarantined, (r) => r.some((e) => e.reason_code === 'BRIDGE_DUPLICATE_MEMBER'));
    const entry = q.find((e) => e.reason_code === 'BRIDGE_DUPLICATE_MEMBER');
    expect(entry?.reason).toEqual([expect.objectContaining({ code: 'FIELD_DUPLICATE_MEMBER', pointer: '/subject/bsn' })]);
    const stored = await bridge.services.pool.query(`SELECT 1 FROM records WHERE external_id = $1`, [event['eventId']]);
    expect(stored.rowCount).toBe(0);
  });

  it('puts the configured prefix before the inbound topic', () => {
    expect(bridge.services.inboundTopic).toBe(`${bridge.config.kafkaTopicPrefix}zsm.case-events.v1`);
  });
});
