// The inbound topic: each message taken like the REST path; what cannot be taken goes to quarantine (a row and a
// thin dead-letter message with its reason, never the message) and the next message still flows; a message read
// twice counts once. The original is read only through the quarantine API, logged; the subject access report
// lists it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_INTERNAL, DOMAIN_PROCESSING_LOG } from '../../../src/privacy/pseudonym.ts';
import { freshDatabase, startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { syntheticBsn, validCaseEvent } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';
import { produce } from '../../support/kafka-producer.ts';
import { writePolicyVariant } from '../../support/policy.ts';
import { logRows } from '../../support/processing-log.ts';
import { until } from '../../support/until.ts';

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
    // The payload: what an operator needs to act, not the message.
    expect(JSON.parse(byKey[q[0]!.id]!.value)).toEqual({
      quarantineId: q[0]!.id,
      reasonCode: 'BRIDGE_MALFORMED_JSON',
      reasons: [],
      origin: expect.stringContaining(`kafka:${bridge.services.inboundTopic}/`),
      quarantinedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      eventId: null,
      subjectKey: null,
      href: `/v1/quarantine/${q[0]!.id}`,
    });
    expect(byKey[q[0]!.id]!.value).not.toContain('broken');
    expect(JSON.parse(byKey[q[2]!.id]!.value)).toMatchObject({
      reasonCode: 'BRIDGE_POLICY_REFUSED',
      reasons: [{ code: 'MUNICIPALITY_UNKNOWN', pointer: '/subject/municipalityCode', rule: expect.any(String) }],
      eventId: unknownPlace['eventId'],
      subjectKey: bridge.services.pseudonymiser.pseudonym(syntheticBsn(112), DOMAIN_INTERNAL),
    });
    expect(JSON.stringify(byKey[q[2]!.id])).not.toContain(syntheticBsn(112));

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

    // The query string is text: an integer parameter is read from its digits, and anything else named.
    const two = await bridge.inject({ method: 'GET', url: '/v1/quarantine?limit=2' }, 'ops');
    expect(two.statusCode).toBe(200);
    expect(two.json<{ entries: unknown[] }>().entries).toHaveLength(2);
    for (const bad of ['abc', '0', '501', '2.5']) {
      const refused = await bridge.inject({ method: 'GET', url: `/v1/quarantine?limit=${bad}` }, 'ops');
      expect(refused.statusCode, bad).toBe(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toEqual(['/querystring/limit']);
    }
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

  it('sends a dead letter without the BSN, name or date of birth; the original is read through the API, logged', async () => {
    const bsn = syntheticBsn(115);
    const event = validCaseEvent('case-closed', { bsn, municipalityCode: 'GM9997' }) as unknown as Record<string, unknown> & {
      subject: Record<string, unknown>;
    };
    event.subject['name'] = { givenNames: 'Quirinus', surname: 'Zwaardvechter' };
    event.subject['dateOfBirth'] = '1987-06-05';
    // The BSN as an unknown key as well: it comes back as a pointer, which the dead letter masks.
    const keyed = { ...event, eventId: crypto.randomUUID(), [bsn]: 'x' };
    await produce(bridge.services.inboundTopic, [
      { key: 'p', value: JSON.stringify(event) },
      { key: 'p', value: JSON.stringify(keyed) },
    ]);
    const q = await until(quarantined, (r) => r.some((e) => e.event_id === event['eventId']) && r.some((e) => e.event_id === keyed.eventId));
    const refused = q.find((e) => e.event_id === event['eventId'])!;
    const unknownKey = q.find((e) => e.event_id === keyed.eventId)!;
    expect(unknownKey.reason.map((e) => e.code)).toContain('FIELD_UNKNOWN');

    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    const dlt = await readTopic(bridge.services.deadLetterTopic, { count: q.length, settleMs: 500 });
    const mine = dlt.filter((m) => m.key === refused.id || m.key === unknownKey.id);
    expect(mine).toHaveLength(2);
    const subjectKey = bridge.services.pseudonymiser.pseudonym(bsn, DOMAIN_INTERNAL);
    for (const m of mine) {
      const everything = JSON.stringify({ key: m.key, value: m.value, headers: m.headers });
      for (const personal of [bsn, bsn.slice(1), 'Quirinus', 'Zwaardvechter', '1987-06-05', '1987', '05-06-1987']) {
        expect(everything).not.toContain(personal);
      }
      const payload = JSON.parse(m.value) as { subjectKey: string; reasons: { pointer: string; detail?: string }[] };
      expect(payload.subjectKey).toBe(subjectKey);
      expect(payload.reasons.every((r) => r.detail === undefined)).toBe(true);
    }
    expect((JSON.parse(mine.find((m) => m.key === unknownKey.id)!.value) as { reasons: { pointer: string }[] }).reasons).toContainEqual(
      expect.objectContaining({ code: 'FIELD_UNKNOWN', pointer: '/[digits]' }),
    );

    // Only a role that may reads the original; each read is a disclosure in the processing log.
    const url = `/v1/quarantine/${refused.id}`;
    const disclosed = async () => (await logRows(bridge.services.pool, `operation = 'disclosed' AND detail ->> 'quarantineId' = $1`, [refused.id])).length;
    for (const as of ['gcos', 'zsm', null] as const) {
      expect((await bridge.inject({ method: 'GET', url }, as)).statusCode).toBe(as === null ? 401 : 403);
    }
    expect(await disclosed()).toBe(0);
    const read = await bridge.inject({ method: 'GET', url }, 'ops');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: refused.id, status: 'open', reasonCode: 'BRIDGE_POLICY_REFUSED', rawValue: JSON.stringify(event) });
    expect((await bridge.inject({ method: 'GET', url }, 'privacy')).statusCode).toBe(200);
    const reads = await logRows(bridge.services.pool, `operation = 'disclosed' AND detail ->> 'quarantineId' = $1`, [refused.id]);
    expect(reads).toEqual([
      expect.objectContaining({
        actor: 'client:test-ops',
        recipient: 'client:test-ops',
        record_id: null,
        record_kind: 'case-event',
        subject_id: bridge.services.pseudonymiser.pseudonym(bsn, DOMAIN_PROCESSING_LOG),
      }),
      expect.objectContaining({ actor: 'client:test-privacy-officer' }),
    ]);
    expect(JSON.stringify(reads)).not.toContain(bsn);
    expect((await bridge.inject({ method: 'GET', url: `/v1/quarantine/${crypto.randomUUID()}` }, 'ops')).statusCode).toBe(404);

    // The subject access report lists the person's quarantined messages (not the message) and who read them.
    const report = await bridge.inject({ method: 'POST', url: '/v1/subject-access-reports', payload: { bsn } }, 'privacy');
    expect(report.statusCode).toBe(200);
    const r = report.json<{ quarantined: { id: string; status: string; reasonCode: string }[]; disclosures: { recipient: string }[] }>();
    expect(r.quarantined.map((e) => e.id).sort()).toEqual([refused.id, unknownKey.id].sort());
    expect(r.quarantined.find((e) => e.id === refused.id)).toMatchObject({
      status: 'open',
      reasonCode: 'BRIDGE_POLICY_REFUSED',
      reasons: [{ code: 'MUNICIPALITY_UNKNOWN', pointer: '/subject/municipalityCode' }],
      receivedAt: expect.any(String),
    });
    expect(r.disclosures.map((d) => d.recipient)).toEqual(['client:test-ops', 'client:test-privacy-officer']);
    expect(report.body).not.toContain('Zwaardvechter');

    // Once discarded, the original is gone and a read discloses nothing.
    expect((await bridge.inject({ method: 'POST', url: `${url}/discard` }, 'ops')).statusCode).toBe(200);
    const gone = await bridge.inject({ method: 'GET', url }, 'ops');
    expect(gone.json()).toMatchObject({ status: 'discarded', rawValue: null });
    expect(await disclosed()).toBe(2);
  });

  it('quarantines a message that gives a member name twice, with the code and pointer the REST path answers', async () => {
    const event = validCaseEvent('case-closed', { bsn: syntheticBsn(117), municipalityCode: 'GM0599' });
    // JSON.parse would keep the second bsn; a reader of the first would see another person.
    const twice = JSON.stringify(event).replace('"subject":{', `"subject":{"bsn":"${syntheticBsn(118)}",`);
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
