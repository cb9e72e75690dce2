// Several relays on one database share the 64 slots evenly, never hold one slot twice, and a relay whose
// session ends leaves its slots to the others (decision 0080).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryProducer } from '../../../src/kafka/producer.ts';
import { createLogger } from '../../../src/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { createRelay, type Relay } from '../../../src/relay/relay.ts';
import { SLOT_COUNT } from '../../../src/relay/slots.ts';
import { freshDatabase } from '../../support/bridge.ts';

const idle: DeliveryProducer = { send: async () => undefined, close: async () => undefined };
let databaseUrl: string;
const relays: Relay[] = [];

function relay(): Relay {
  const r = createRelay(idle, createMetrics(), createLogger('warn'), { databaseUrl, batchSize: 10, sendTimeoutMs: 1_000, pollIntervalMs: 100, maxBackoffMs: 500 });
  relays.push(r);
  r.start();
  return r;
}

beforeAll(async () => {
  databaseUrl = await freshDatabase();
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
});

describe('relays sharing slots', () => {
  it('split the slots evenly, hold each slot once, and take over a stopped relay\'s slots', async () => {
    const a = relay();
    await expect.poll(() => a.ownedSlots().length, { timeout: 10_000 }).toBe(SLOT_COUNT);
    const b = relay();
    await expect.poll(() => [a.ownedSlots().length, b.ownedSlots().length], { timeout: 15_000 }).toEqual([SLOT_COUNT / 2, SLOT_COUNT / 2]);
    const all = [...a.ownedSlots(), ...b.ownedSlots()];
    expect(new Set(all).size).toBe(SLOT_COUNT);

    await a.stop();
    await expect.poll(() => b.ownedSlots().length, { timeout: 10_000 }).toBe(SLOT_COUNT);
  });
});
