// One scenario (an empty database, a million stored records, or a deep outbox backlog): the bridge at fixed rates,
// at half its sustainable rate, at saturation (single and batch), and draining a backlog; the three targets'
// figures each in rounds alternating with their baseline (decision 0098).
import { loadavg } from 'node:os';
import pg from 'pg';
import { topicName } from '../src/kafka/topics.ts';
import { postgresBaseline, readTemplate, type PostgresBaseline } from './baselines/postgres.ts';
import { kafkaBaselines, kafkajsPacedAck, kafkajsThroughput, type KafkaBaseline } from './baselines/kafka.ts';
import { capacity, catchUp, realMessages, relayDrain, type Capacity, type Drain } from './capacity.ts';
import { startConsumer } from './consumer.ts';
import { seedBacklog, seedStoredRecords } from './growth.ts';
import type { Target } from './http-load.ts';
import type { Options, ScenarioName } from './options.ts';
import { medianIndex } from './rounds.ts';
import { memoryMb } from './proc.ts';
import { dropDatabase, freshDatabase, startBridge, type BridgeProcess, type Stack } from './stack.ts';
import { pending, rateStep, sustainable, waitDrained, type StepResult } from './steps.ts';

export interface ScenarioResult {
  name: ScenarioName;
  seedSeconds: number;
  /** `single`: the median of the ingest rounds' B2 runs (`rounds.ingest.b2`). */
  b2: { single: PostgresBaseline; oneCaller: PostgresBaseline; multi: PostgresBaseline };
  steps: StepResult[];
  sustainableRate: number | undefined;
  /** The half-rate step of each end-to-end round. */
  halves: StepResult[];
  /** Saturation of the ingest alone (the relay held back, as while Kafka is away): the same work as B2. `single`
   * is the median of the ingest rounds. */
  single: Capacity;
  batch: Capacity;
  /** The same with the relay sending everything at once on the same cores (empty and million scenarios). */
  relaying: { single: Capacity; batch: Capacity } | undefined;
  /** B1 on this scenario's messages (both clients, informative), measured at the scenario's end. */
  b1: KafkaBaseline[];
  /** The median of the relay rounds' drains (the backlog scenario: its one catch-up). */
  drain: Drain;
  /** The three targets' figures, each measured in alternation with its baseline (decision 0098). */
  rounds: Rounds;
  /** The backlog scenario: how long the outbox's VACUUM after the catch-up took (decision 0099). */
  vacuumSeconds: number | undefined;
  peakMb: number;
  /** The machine's 1-minute load average at the scenario's start and end: others' work shows here. */
  loadAverage: [number, number];
}

export interface Rounds {
  /** Records per second: B2 single, and the ingest alone between each two B2 runs (one more B2 run than ingest). */
  ingest: { b2: number[]; bridge: number[] };
  /** Messages per second: B1 kafkajs, and the relay's drain between each two B1 runs. */
  relay: { b1: number[]; bridge: number[] };
  /** Per round, p50s in ms: the half-rate step's HTTP + 202-to-receipt, then B2's commit and B1's ack at its pace. */
  e2e: { bridge: number[]; b2Commit: number[]; b1Ack: number[] };
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
  let peakMb = 0;
  try {
    log(`${name}: warm-up`);
    await capacity({ target, runId: stack.runId, callers: 2, seconds: o.warmupSeconds });
    if (relay) await waitDrained(pool, 60_000);
    log(`${name}: B2 (node-postgres, the same rows): one caller, multi-row`);
    const template = await readTemplate(pool);
    const b2OneCaller = await postgresBaseline(db, template, { callers: 1, seconds: Math.min(3, o.capacitySeconds), batchSize: 1 });
    const b2Multi = await postgresBaseline(db, template, { callers: o.batchCallers, seconds: o.capacitySeconds, batchSize: o.batchSize });
    const steps: StepResult[] = [];
    for (const rate of o.rates) {
      log(`${name}: ${rate}/s for ${o.stepSeconds} s${relay ? '' : ' (relay off)'}`);
      steps.push(await rateStep({ target, pool, pid: bridge.pid, consumer, runId: stack.runId, rate, seconds: o.stepSeconds, relay }));
    }
    const sustainableRate = sustainable(steps);
    const halfRate = Math.max(1, Math.round((sustainableRate ?? Math.min(...o.rates)) / 2));

    /** The end-to-end target's rounds: the half-rate step, then B2's commit and B1's acknowledgement at its pace
     * (decision 0097), each baseline right after the step it is set beside. */
    const e2eRounds = async () => {
      const paced = { intervalMs: 1_000 / halfRate, samples: Math.round(halfRate * o.stepSeconds) };
      const messages = await realMessages(pool, 2_000);
      const out = { halves: [] as StepResult[], bridge: [] as number[], b2Commit: [] as number[], b1Ack: [] as number[] };
      for (let k = 1; k <= o.rounds; k++) {
        log(`${name}: round ${k} of ${o.rounds}: half the sustainable rate, ${halfRate}/s, then B2 and B1 at that pace`);
        const half = await rateStep({ target, pool, pid: bridge.pid, consumer, runId: stack.runId, rate: halfRate, seconds: o.stepSeconds });
        const b2 = await postgresBaseline(db, template, { callers: 1, seconds: o.stepSeconds, batchSize: 1, intervalMs: paced.intervalMs });
        const b1 = await kafkajsPacedAck(stack.brokers, messages, paced);
        out.halves.push(half);
        out.bridge.push(half.http.p50 + half.e2e.p50);
        out.b2Commit.push(b2.commit.p50);
        out.b1Ack.push(b1.p50);
      }
      return out;
    };

    /** The ingest target's rounds on a bridge with its relay held back: B2, the ingest, B2, ..., B2. Then batches. */
    const ingestRounds = async (how: string) => {
      const b2Runs: PostgresBaseline[] = [];
      const singles: Capacity[] = [];
      const b2Single = async () => {
        log(`${name}: B2 single, ${o.callers} callers`);
        b2Runs.push(await postgresBaseline(db, template, { callers: o.callers, seconds: o.capacitySeconds, batchSize: 1 }));
      };
      await b2Single();
      for (let k = 1; k <= o.rounds; k++) {
        log(`${name}: round ${k} of ${o.rounds}: saturation${how}, ${o.callers} callers`);
        singles.push(await capacity({ target, pid: bridge.pid, runId: stack.runId, callers: o.callers, seconds: o.capacitySeconds }));
        await b2Single();
      }
      log(`${name}: batches of ${o.batchSize}, ${o.batchCallers} callers${how}`);
      const batch = await capacity({
        target: { ...target, path: '/v1/advice-batches' },
        pid: bridge.pid,
        runId: stack.runId,
        callers: o.batchCallers,
        seconds: o.capacitySeconds,
        batchSize: o.batchSize,
      });
      const b2 = b2Runs.map((r) => r.recordsPerSecond);
      const bridgeRuns = singles.map((c) => c.recordsPerSecond);
      return {
        single: singles[medianIndex(bridgeRuns)]!,
        batch,
        b2Single: b2Runs[medianIndex(b2)]!,
        rounds: { b2, bridge: bridgeRuns },
      };
    };

    // A new process is warmed up (JIT, connections, prepared statements) as the first one was.
    const warmUp = () => capacity({ target, runId: stack.runId, callers: 2, seconds: o.warmupSeconds });
    const restart = async (env: Record<string, string>, warm = true) => {
      peakMb = Math.max(peakMb, memoryMb(bridge.pid).peakMb);
      await bridge.stop();
      bridge = await startBridge(stack, db, { env });
      target = { ...target, url: bridge.url };
      if (warm) await warmUp();
    };

    let e2e: Awaited<ReturnType<typeof e2eRounds>>;
    let relaying: { single: Capacity; batch: Capacity } | undefined;
    let ingest: Awaited<ReturnType<typeof ingestRounds>>;
    const b1Runs: number[] = [];
    const drains: Drain[] = [];
    let vacuumSeconds: number | undefined;
    const b1Throughput = async () => {
      log(`${name}: B1 kafkajs, ${o.drain} messages in batches of 500`);
      b1Runs.push(await kafkajsThroughput(stack.brokers, await realMessages(pool, o.drain), 500));
    };
    if (relay) {
      e2e = await e2eRounds();
      log(`${name}: saturation with the relay running, ${o.callers} callers`);
      const single = await capacity({ target, pid: bridge.pid, runId: stack.runId, callers: o.callers, seconds: o.capacitySeconds });
      await waitDrained(pool, 120_000);
      log(`${name}: batches of ${o.batchSize}, ${o.batchCallers} callers with the relay running`);
      relaying = {
        single,
        batch: await capacity({
          target: { ...target, path: '/v1/advice-batches' },
          pid: bridge.pid,
          runId: stack.runId,
          callers: o.batchCallers,
          seconds: o.capacitySeconds,
          batchSize: o.batchSize,
        }),
      };
      await waitDrained(pool, 300_000);
      // The relay target's rounds: B1, a drain, B1, ..., B1.
      await b1Throughput();
      for (let k = 1; k <= o.rounds; k++) {
        log(`${name}: round ${k} of ${o.rounds}: relay draining ${o.drain} messages`);
        drains.push(await relayDrain(pool, o.drain));
        await b1Throughput();
      }
      // The ingest alone, as B2 measures the same rows alone: a bridge with its relay held back (as while Kafka
      // is away), then the relay back on to send what piled up.
      await restart({ RELAY_ENABLED: 'false' });
      ingest = await ingestRounds(' (relay held back)');
      await restart({});
      await waitDrained(pool, 300_000);
    } else {
      ingest = await ingestRounds(' (relay off)');
      const backlog = await pending(pool);
      const since = (await pool.query<{ at: Date }>('SELECT clock_timestamp() AS at')).rows[0]!.at;
      // The catch-up happens once: B1 just before and just after it.
      await b1Throughput();
      log(`${name}: relay on again, catching up ${backlog} messages`);
      // No warm-up load until the catch-up is done: its relay starts at once, and up to run 21 it caught up while
      // the warm-up's two callers were ingesting on the same cores (for its first 3 of about 10 s; taking them away
      // changed nothing measurable, 17,113 msg/s against 17,293 to 18,418 with them, but the figure is now the relay's alone).
      await restart({}, false);
      drains.push(await catchUp(pool, since));
      await b1Throughput();
      await warmUp();
      await waitDrained(pool, 60_000);
      // What production's autovacuum does within a minute of a catch-up (migration 091 sets the outbox's threshold
      // to 5,000 dead rows) and this server, with autovacuum off, never does: without it every claim after the
      // catch-up walks past its dead index entries, which cost the end-to-end rounds about 1 ms (decision 0099).
      log(`${name}: VACUUM (ANALYZE) outbox, as autovacuum would after the catch-up`);
      const vacuumStarted = performance.now();
      await pool.query('VACUUM (ANALYZE) outbox');
      vacuumSeconds = (performance.now() - vacuumStarted) / 1_000;
      e2e = await e2eRounds();
    }
    log(`${name}: B1 (the same messages straight to Kafka: kafkajs, @platformatic/kafka)`);
    const b1 = await kafkaBaselines(stack.brokers, await realMessages(pool, o.drain), 500, 200);
    await during?.({ bridge, pool, target });
    peakMb = Math.max(peakMb, memoryMb(bridge.pid).peakMb);
    const drainRates = drains.map((d) => d.messagesPerSecond);
    return {
      name,
      seedSeconds,
      b2: { single: ingest.b2Single, oneCaller: b2OneCaller, multi: b2Multi },
      steps,
      sustainableRate,
      halves: e2e.halves,
      single: ingest.single,
      batch: ingest.batch,
      relaying,
      b1,
      drain: drains[medianIndex(drainRates)]!,
      rounds: { ingest: ingest.rounds, relay: { b1: b1Runs, bridge: drainRates }, e2e: { bridge: e2e.bridge, b2Commit: e2e.b2Commit, b1Ack: e2e.b1Ack } },
      vacuumSeconds,
      peakMb,
      loadAverage: [loadAtStart, loadavg()[0]!],
    };
  } finally {
    await consumer.close().catch(() => undefined);
    await pool.end();
    await bridge.stop();
    if (!o.keepDatabases) await dropDatabase(stack, db);
  }
}
