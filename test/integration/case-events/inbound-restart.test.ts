// The inbound consumer outlives an error kafkajs does not restart from. kafkajs restarts a consumer itself only
// after a retriable error; after any other it disconnects and stays stopped, and the topic would be read no more
// while readiness stayed green. kafkajs retries most errors thrown while a message is handled, but not a
// TypeError (nor a protocol error it deems final): the fault here is one such error thrown once (the counter of
// taken messages fails once). The consumer is started again, the message is read again (its offset was not
// committed) and taken once.
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

const stored = async (eventIds: string[]) =>
  (
    await bridge.services.pool.query<{ external_id: string }>(
      `SELECT external_id FROM records WHERE kind = 'case-event' AND external_id = ANY($1::text[]) ORDER BY received_at`,
      [eventIds],
    )
  ).rows.map((r) => r.external_id);

describe('the inbound consumer after an error kafkajs does not restart from', () => {
  it('starts again, reads the message again, takes it once, and goes on with the next', async () => {
    const counter = bridge.services.metrics.inboundMessages;
    const inc = counter.inc;
    let failures = 0;
    counter.inc = function (this: typeof counter, ...args: unknown[]) {
      if (failures++ === 0) throw new TypeError('a fault injected once while a message is handled');
      (inc as (...a: unknown[]) => void).apply(this, args);
    };
    try {
      const first = validCaseEvent('suspect-entered-zsm', { bsn: syntheticBsn(120), municipalityCode: 'GM0599' });
      await produce(bridge.services.inboundTopic, [{ key: 'restart', value: JSON.stringify(first) }]);
      expect(
        await until(
          () => stored([String(first['eventId'])]),
          (r) => r.length === 1,
          30_000,
        ),
      ).toEqual([first['eventId']]);
      // The failed handling stored the record before the counter threw; the read after the restart found it taken.
      await until(
        async () => failures,
        (n) => n >= 2,
        30_000,
      );

      const second = validCaseEvent('case-closed', { bsn: syntheticBsn(121), municipalityCode: 'GM0599' });
      await produce(bridge.services.inboundTopic, [{ key: 'restart', value: JSON.stringify(second) }]);
      const ids = [String(first['eventId']), String(second['eventId'])];
      expect(
        await until(
          () => stored(ids),
          (r) => r.length === 2,
          30_000,
        ),
      ).toEqual(ids);
    } finally {
      counter.inc = inc;
    }
    const metrics = (await bridge.inject({ method: 'GET', url: '/metrics' }, 'ops')).body;
    expect(metrics).toContain('bridge_inbound_consumer_restarts_total 1');
    expect(metrics).toContain('bridge_inbound_messages_total{outcome="duplicate"} 1');
    expect(metrics).toContain('bridge_inbound_messages_total{outcome="accepted"} 1');
    const restarted = bridge.logs.lines.filter((l) => l.includes('inbound consumer stopped on an error; starting it again'));
    expect(restarted).toHaveLength(1);
    // Not a kafkajs error: its name is logged, its message (which might quote a message's content) is not.
    expect(restarted[0]).toContain('TypeError');
    expect(restarted[0]).not.toContain('a fault injected once');
  }, 90_000);
});
