// The inbound topic gets the free-text check as REST does (it is in the spine's verdict): a case event whose
// question holds another person's BSN is quarantined as refused by the policy, naming the pointer, and the next
// event still flows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, startBridge, type TestBridge } from '../../support/bridge.ts';
import { syntheticBsn, validCaseEvent } from '../../support/fixtures.ts';
import { produce } from '../../support/kafka-producer.ts';
import { until } from '../../support/until.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ databaseUrl: await freshDatabase() });
  await bridge.services.inbound.start();
});
afterAll(async () => {
  await bridge?.close();
});

describe('identifiers in free text on the inbound topic', () => {
  it('quarantines an event with a BSN in its free text, and takes the next one', async () => {
    const withBsn = validCaseEvent('advice-requested', { bsn: syntheticBsn(120) }) as { adviceRequest: { question: string }; eventId: string };
    withBsn.adviceRequest.question = `Is de aangever (burgerservicenummer ${syntheticBsn(121)}) bekend bij het Veiligheidshuis?`;
    const clean = validCaseEvent('case-closed', { bsn: syntheticBsn(122) });
    await produce(bridge.services.inboundTopic, [
      { key: 'a', value: JSON.stringify(withBsn) },
      { key: 'a', value: JSON.stringify(clean) },
    ]);
    const quarantined = await until(
      async () =>
        (await bridge.services.pool.query<{ reason_code: string; reason: unknown; event_id: string }>('SELECT reason_code, reason, event_id FROM quarantine'))
          .rows,
      (rows) => rows.length > 0,
    );
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({ reason_code: 'BRIDGE_POLICY_REFUSED', event_id: withBsn.eventId });
    expect(JSON.stringify(quarantined[0]!.reason)).toContain('BSN_IN_TEXT');
    expect(JSON.stringify(quarantined[0]!.reason)).toContain('/adviceRequest/question');
    const taken = await until(
      async () => (await bridge.services.pool.query('SELECT 1 FROM records WHERE external_id = $1', [clean['eventId']])).rowCount,
      (n) => n === 1,
    );
    expect(taken).toBe(1);
  });
});
