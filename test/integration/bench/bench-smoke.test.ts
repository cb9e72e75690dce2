// `npm run bench` at toy rates for a few seconds: it must produce every figure and ratio from real measurements
// (real PostgreSQL, the real broker, the bridge as a child process). No figure is judged: only that it exists.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { BenchResult } from '../../../bench/report.ts';
import { runNode, type Exit } from '../../../harness/bridge-process.ts';

const RUN = fileURLToPath(new URL('../../../bench/run.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bench(args: string[]): Promise<Exit> {
  return runNode(RUN, { args, env: { KAFKA_BROKERS: inject('kafkaBrokers'), BENCH_PG_URL: inject('pgServerUrl') } }).exited;
}

const positive = (n: number) => expect(Number.isFinite(n) && n > 0, `expected a positive number, got ${n}`).toBe(true);

describe('npm run bench (smoke)', () => {
  it('prints and records every figure, baseline and ratio of one run', async () => {
    const json = join(dir, 'bench.json');
    const r = await bench([
      '--rates',
      '4',
      '--step-seconds',
      '1.5',
      '--capacity-seconds',
      '1',
      '--warmup-seconds',
      '1',
      '--drain',
      '200',
      '--rounds',
      '2',
      '--batch-size',
      '5',
      '--no-growth',
      '--json',
      json,
    ]);
    expect(r.code, r.stderr.slice(-2_000)).toBe(0);
    for (const label of [
      'B1 kafkajs',
      'B1 @platformatic/kafka',
      'B3 bare Fastify',
      'scenario: empty',
      'ingest alone / B2',
      'with the relay running',
      'relay / B1 kafkajs',
      'e2e p50 / (B2 commit + B1 ack)',
      'baselines back to back',
      'the median of rounds',
      'batch ingest / B2 multi-row',
    ]) {
      expect(r.stdout).toContain(label);
    }
    const result = JSON.parse(readFileSync(json, 'utf8')) as BenchResult;
    positive(result.b3!.recordsPerSecond);
    const [s] = result.scenarios;
    expect(s!.name).toBe('empty');
    expect(s!.b1.map((b) => b.client)).toEqual(['kafkajs 2.2.4', '@platformatic/kafka']);
    for (const b of s!.b1) {
      positive(b.messagesPerSecond);
      positive(b.ack.p50);
    }
    const step = s!.steps[0]!;
    expect(step.errors).toEqual({});
    positive(step.acceptedPerSecond);
    positive(step.http.p50);
    expect(step.e2e.n).toBe(step.http.n); // every accepted advice reached the consumer
    positive(step.e2e.p50);
    positive(step.relayPerSecond);
    positive(step.cpuPer1000);
    positive(step.peakMb);
    for (const v of [
      s!.single.recordsPerSecond,
      s!.batch.recordsPerSecond,
      s!.relaying!.single.recordsPerSecond,
      s!.relaying!.batch.recordsPerSecond,
      s!.drain.messagesPerSecond,
      s!.b2.single.recordsPerSecond,
      s!.b2.multi.recordsPerSecond,
      s!.b2.oneCaller.commit.p50,
    ])
      positive(v);
    // Two rounds of each target's figure, each beside baselines taken around or right after it (decision 0098).
    const { ingest, relay, e2e } = s!.rounds;
    expect([ingest.bridge.length, ingest.b2.length, relay.bridge.length, relay.b1.length, e2e.bridge.length, e2e.b2Commit.length, e2e.b1Ack.length]).toEqual([
      2, 3, 2, 3, 2, 2, 2,
    ]);
    for (const v of [...ingest.bridge, ...ingest.b2, ...relay.bridge, ...relay.b1, ...e2e.bridge, ...e2e.b2Commit, ...e2e.b1Ack]) positive(v);
    expect(s!.halves).toHaveLength(2);
    for (const q of [s!.ratios.ingestOverB2Rounds, s!.ratios.relayOverB1Rounds, s!.ratios.e2eOverheadRounds]) expect(q).toHaveLength(2);
    for (const v of Object.values(s!.ratios).flat() as number[]) positive(v);
    expect(result.machine.nproc).toBeGreaterThan(0);
  }, 240_000);
});
