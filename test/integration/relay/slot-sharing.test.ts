// Several relays on one database share the 64 slots evenly, never hold one slot twice, and a relay whose
// session ends leaves its slots to the others (decision 0080).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageProducer } from '../../../src/kafka/producer.ts';
import type { Job } from '../../../src/jobs/job.ts';
import { createScheduler } from '../../../src/jobs/scheduler.ts';
import { createLogger } from '../../../src/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { createRelay, type Relay } from '../../../src/relay/relay.ts';
import { SLOT_COUNT } from '../../../src/outbox/slots.ts';
import { createPool } from '../../../src/store/pool.ts';
import { freshDatabase } from '../../support/bridge.ts';

const idle: MessageProducer = { send: async () => undefined, close: async () => undefined };
let databaseUrl: string;
const relays: Relay[] = [];

function relay(url = databaseUrl): Relay {
  const r = createRelay(idle, createMetrics(), createLogger('warn'), {
    databaseUrl: url,
    batchSize: 10,
    sendTimeoutMs: 1_000,
    pollIntervalMs: 100,
    maxBackoffMs: 500,
  });
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
  it("split the slots evenly, hold each slot once, and take over a stopped relay's slots", async () => {
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

describe('a scheduled job beside a lone relay', () => {
  it('leaves the relay all its slots while the job holds its lock (jobs and relay members use distinct lock keys)', async () => {
    const ownDatabase = await freshDatabase(); // no other relay on it
    const r = relay(ownDatabase);
    await expect.poll(() => r.ownedSlots().length, { timeout: 10_000 }).toBe(SLOT_COUNT);
    let finish!: () => void;
    const holding = new Promise<void>((resolve) => (finish = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const job: Job = {
      name: 'long-test-job',
      cron: '0 0 1 1 *',
      run: async () => {
        started();
        await holding;
        return {};
      },
    };
    const pool = createPool({ databaseUrl: ownDatabase }, createLogger('warn'));
    const scheduler = createScheduler(pool, [job], createMetrics(), createLogger('warn'), 'replica-test');
    const outcome = scheduler.runNow('long-test-job');
    try {
      await running;
      // The relay re-counts its peers every second: watch it over several of those rounds.
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) {
        seen.push(r.ownedSlots().length);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(Math.min(...seen)).toBe(SLOT_COUNT);
    } finally {
      finish();
      expect((await outcome).status).toBe('succeeded');
      await scheduler.stop();
      await pool.end();
    }
  });
});
