// One scenario (an empty database, a million stored records, or a deep outbox backlog): B2 on its database, then
// the bridge at fixed rates, at half its sustainable rate, at saturation (single and batch), and draining a backlog.
import { loadavg } from 'node:os';
import pg from 'pg';
import { topicName } from '../src/kafka/topics.ts';
import { postgresBaseline, readTemplate, type PostgresBaseline } from './baselines/postgres.ts';
import { capacity, catchUp, relayDrain, type Capacity } from './capacity.ts';
import { startConsumer } from './consumer.ts';
import { seedBacklog, seedStoredRecords } from './growth.ts';
import type { Target } from './http-load.ts';
import type { Options } from './options.ts';
import { memoryMb } from './proc.ts';
import { dropDatabase, freshDatabase, startBridge, type BridgeProcess, type Stack } from './stack.ts';
import { pending, rateStep, sustainable, waitDrained, type StepResult } from './steps.ts';

export type ScenarioName = 'empty' | 'million' | 'backlog';

export interface ScenarioResult {
  name: ScenarioName;
  seedSeconds: number;
  b2: { single: PostgresBaseline; oneCaller: PostgresBaseline; multi: PostgresBaseline };
  steps: StepResult[];
  sustainableRate: number | undefined;
  half: StepResult | undefined;
  single: Capacity;
  batch: Capacity;
  drain: { messagesPerSecond: number; seconds: number; left: number };
  peakMb: number;
  /** The machine's 1-minute load average at the scenario's start and end: others' work shows here. */
  loadAverage: [number, number];
}

export interface Running {
  bridge: BridgeProcess;
  pool: pg.Pool;
  target: Target;
}

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

/** Runs a scenario; `during` runs with the bridge still up and idle (B1 and B3 use it in the first scenario). */
export async function runScenario(stack: Stack, name: ScenarioName, o: Options, during?: (r: Running) => Promise<void>): Promise<ScenarioResult> {
  const loadAtStart = loadavg()[0]!;
  log(`${name}: database`);
  const db = await freshDatabase(stack, name);
  const seeded = performance.now();
  try {
    if (name === 'million') await seedStoredRecords(db, o.million);
    if (name === 'backlog') await seedBacklog(db, o.backlog, stack.topicPrefix);
  } catch (err) {
    if (!o.keepDatabases) await dropDatabase(stack, db);
    throw err;
  }
  const seedSeconds = (performance.now() - seeded) / 1_000;
  // A deep backlog builds up while Kafka is away: the backlog scenario takes its load with the relay off (the
  // HTTP figures with the backlog in the table), then restarts with the relay on and times the catch-up.
  const relay = name !== 'backlog';
  let bridge = await startBridge(stack, db, { cpuProfileDir: name === 'empty' ? o.cpuProfileDir : undefined, env: relay ? {} : { RELAY_ENABLED: 'false' } });
  const pool = new pg.Pool({ connectionString: db, max: 2 });
  pool.on('error', () => undefined); // an idle connection cut when the database is dropped
  const consumer = await startConsumer(stack.brokers, topicName(stack.topicPrefix, 'advice', 'om-zsm'));
  let target: Target = { url: bridge.url, path: '/v1/advices', token: stack.token };
  try {
    log(`${name}: warm-up`);
    await capacity({ target, runId: stack.runId, callers: 2, seconds: o.warmupSeconds });
    if (relay) await waitDrained(pool, 60_000);
    log(`${name}: B2 (node-postgres, the same rows)`);
    const template = await readTemplate(pool);
    const b2 = {
      single: await postgresBaseline(db, template, { callers: o.callers, seconds: o.capacitySeconds, batchSize: 1 }),
      oneCaller: await postgresBaseline(db, template, { callers: 1, seconds: Math.min(3, o.capacitySeconds), batchSize: 1 }),
      multi: await postgresBaseline(db, template, { callers: o.batchCallers, seconds: o.capacitySeconds, batchSize: o.batchSize }),
    };
    const steps: StepResult[] = [];
    for (const rate of o.rates) {
      log(`${name}: ${rate}/s for ${o.stepSeconds} s${relay ? '' : ' (relay off)'}`);
      steps.push(await rateStep({ target, pool, pid: bridge.pid, consumer, runId: stack.runId, rate, seconds: o.stepSeconds, relay }));
    }
    const sustainableRate = sustainable(steps);
    const halfRate = Math.max(1, Math.round((sustainableRate ?? Math.min(...o.rates)) / 2));
    let half: StepResult | undefined;
    if (relay) {
      log(`${name}: half the sustainable rate, ${halfRate}/s`);
      half = await rateStep({ target, pool, pid: bridge.pid, consumer, runId: stack.runId, rate: halfRate, seconds: o.stepSeconds });
    }
    log(`${name}: saturation, ${o.callers} callers`);
    const single = await capacity({ target, pid: bridge.pid, runId: stack.runId, callers: o.callers, seconds: o.capacitySeconds });
    if (relay) await waitDrained(pool, 120_000);
    log(`${name}: batches of ${o.batchSize}, ${o.batchCallers} callers`);
    const batch = await capacity({ target: { ...target, path: '/v1/advice-batches' }, pid: bridge.pid, runId: stack.runId, callers: o.batchCallers, seconds: o.capacitySeconds, batchSize: o.batchSize });
    let drain;
    if (relay) {
      await waitDrained(pool, 300_000);
      log(`${name}: relay draining ${o.drain} messages`);
      drain = await relayDrain(pool, o.drain);
    } else {
      await bridge.stop();
      const backlog = await pending(pool);
      log(`${name}: relay on again, catching up ${backlog} messages`);
      const since = (await pool.query<{ at: Date }>('SELECT clock_timestamp() AS at')).rows[0]!.at;
      bridge = await startBridge(stack, db);
      target = { ...target, url: bridge.url };
      drain = await catchUp(pool, since);
      log(`${name}: half the sustainable rate, ${halfRate}/s, after the catch-up`);
      half = await rateStep({ target, pool, pid: bridge.pid, consumer, runId: stack.runId, rate: halfRate, seconds: o.stepSeconds });
    }
    await during?.({ bridge, pool, target });
    return { name, seedSeconds, b2, steps, sustainableRate, half, single, batch, drain, peakMb: memoryMb(bridge.pid).peakMb, loadAverage: [loadAtStart, loadavg()[0]!] };
  } finally {
    await consumer.close().catch(() => undefined);
    await pool.end();
    await bridge.stop();
    if (!o.keepDatabases) await dropDatabase(stack, db);
  }
}
