// One scenario (an empty database, a million stored records, or a deep outbox backlog): B2 on its database, then
// the bridge at fixed rates, at half its sustainable rate, at saturation (single and batch), and draining a backlog.
import { loadavg } from 'node:os';
import pg from 'pg';
import { topicName } from '../src/kafka/topics.ts';
import { postgresBaseline, readTemplate, type PostgresBaseline } from './baselines/postgres.ts';
import { kafkaBaselines, type KafkaBaseline } from './baselines/kafka.ts';
import { capacity, catchUp, realMessages, relayDrain, type Capacity } from './capacity.ts';
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
  /** `paced`: one caller, one transaction at a time at the half-rate step's pace (what its e2e figure is set beside). */
  b2: { single: PostgresBaseline; oneCaller: PostgresBaseline; multi: PostgresBaseline; paced: PostgresBaseline };
  steps: StepResult[];
  sustainableRate: number | undefined;
  half: StepResult | undefined;
  /** Saturation of the ingest alone (the relay held back, as while Kafka is away): the same work as B2. */
  single: Capacity;
  batch: Capacity;
  /** The same with the relay sending everything at once on the same cores (empty and million scenarios). */
  relaying: { single: Capacity; batch: Capacity } | undefined;
  /** B1 on this scenario's messages, measured right after its relay figures. */
  b1: KafkaBaseline[];
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
    const saturation = async (how: string) => {
      log(`${name}: saturation${how}, ${o.callers} callers`);
      const single = await capacity({ target, pid: bridge.pid, runId: stack.runId, callers: o.callers, seconds: o.capacitySeconds });
      if (relay) await waitDrained(pool, 120_000);
      log(`${name}: batches of ${o.batchSize}, ${o.batchCallers} callers${how}`);
      const batch = await capacity({ target: { ...target, path: '/v1/advice-batches' }, pid: bridge.pid, runId: stack.runId, callers: o.batchCallers, seconds: o.capacitySeconds, batchSize: o.batchSize });
      return { single, batch };
    };
    const restart = async (env: Record<string, string>) => {
      peakMb = Math.max(peakMb, memoryMb(bridge.pid).peakMb);
      await bridge.stop();
      bridge = await startBridge(stack, db, { env });
      target = { ...target, url: bridge.url };
      // A new process: warm it up (JIT, connections, prepared statements) as the first one was.
      await capacity({ target, runId: stack.runId, callers: 2, seconds: o.warmupSeconds });
    };
    let peakMb = 0;
    let relaying: { single: Capacity; batch: Capacity } | undefined;
    let ingestOnly: { single: Capacity; batch: Capacity };
    let drain;
    if (relay) {
      relaying = await saturation(' with the relay running');
      await waitDrained(pool, 300_000);
      log(`${name}: relay draining ${o.drain} messages`);
      drain = await relayDrain(pool, o.drain);
      // The ingest alone, as B2 measures the same rows alone: a bridge with its relay held back (as while Kafka
      // is away), then the relay back on to send what piled up.
      await restart({ RELAY_ENABLED: 'false' });
      ingestOnly = await saturation(' (relay held back)');
      await restart({});
      await waitDrained(pool, 300_000);
    } else {
      ingestOnly = await saturation(' (relay off)');
      const backlog = await pending(pool);
      const since = (await pool.query<{ at: Date }>('SELECT clock_timestamp() AS at')).rows[0]!.at;
      log(`${name}: relay on again, catching up ${backlog} messages`);
      await restart({});
      drain = await catchUp(pool, since);
      log(`${name}: half the sustainable rate, ${halfRate}/s, after the catch-up`);
      half = await rateStep({ target, pool, pid: bridge.pid, consumer, runId: stack.runId, rate: halfRate, seconds: o.stepSeconds });
    }
    // The end-to-end figure at half rate is set beside B2's commit and B1's acknowledgement taken at the same pace:
    // a process woken every 25 ms answers slower than one kept busy, the database and the broker included
    // (decision 0097).
    const paced = { intervalMs: 1_000 / halfRate, samples: Math.round(halfRate * o.stepSeconds) };
    log(`${name}: B2 one caller at ${halfRate}/s`);
    const b2Paced = await postgresBaseline(db, template, { callers: 1, seconds: o.stepSeconds, batchSize: 1, intervalMs: paced.intervalMs });
    log(`${name}: B1 (the same messages straight to Kafka: kafkajs, @platformatic/kafka)`);
    const b1 = await kafkaBaselines(stack.brokers, await realMessages(pool, o.drain), 500, 200, paced);
    await during?.({ bridge, pool, target });
    peakMb = Math.max(peakMb, memoryMb(bridge.pid).peakMb);
    return { name, seedSeconds, b2: { ...b2, paced: b2Paced }, steps, sustainableRate, half, ...ingestOnly, relaying, b1, drain, peakMb, loadAverage: [loadAtStart, loadavg()[0]!] };
  } finally {
    await consumer.close().catch(() => undefined);
    await pool.end();
    await bridge.stop();
    if (!o.keepDatabases) await dropDatabase(stack, db);
  }
}
