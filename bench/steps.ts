// One open-loop rate step against the bridge: HTTP figures, relay drain, end-to-end latency, CPU and memory.
import type pg from 'pg';
import { adviceBody } from './bodies.ts';
import type { E2eConsumer } from './consumer.ts';
import { openLoop, type Target } from './http-load.ts';
import { cpuSeconds, memoryMb } from './proc.ts';
import { spread, type Spread } from './stats.ts';

export interface StepResult {
  rate: number;
  acceptedPerSecond: number;
  http: Spread;
  errors: Record<string, number>;
  relayPerSecond: number;
  backlogAfter: number;
  /** From the 202 to the consumer's receipt; and from the acceptance time in the message (ce_time). */
  e2e: Spread;
  e2eFromMessage: Spread;
  lost: number;
  /** How late requests left the generator (ms): its own error, included in `http`. */
  late: Spread;
  cpuPer1000: number;
  peakMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pending rows the relay owns (B2's rows sit in slot -1, no relay's). */
export async function pending(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL AND slot >= 0`);
  return Number(rows[0]!.n);
}

export async function waitDrained(pool: pg.Pool, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await pending(pool);
    if (left === 0 || Date.now() > deadline) return left;
    await sleep(200);
  }
}

/** With `relay: false` (the bridge runs without its relay, as while Kafka is away) only the HTTP side is measured. */
export async function rateStep(o: {
  target: Target;
  pool: pg.Pool;
  pid: number;
  consumer: E2eConsumer;
  runId: string;
  rate: number;
  seconds: number;
  relay?: boolean;
}): Promise<StepResult> {
  const relay = o.relay ?? true;
  const dbStart = (await o.pool.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;
  const cpu0 = cpuSeconds(o.pid);
  const { answers, lateMs } = await openLoop(o.target, o.rate, o.seconds, () => adviceBody(o.runId));
  const accepted = answers.filter((a) => a.status === 202);
  const backlogAfter = await pending(o.pool);
  const errors: Record<string, number> = {};
  for (const a of answers) if (a.status !== 202) errors[String(a.status || 'no answer')] = (errors[String(a.status || 'no answer')] ?? 0) + 1;
  // End to end: wait for the consumer to see every accepted record (or give up after 20 s).
  const ids = accepted.map((a) => ({ id: (JSON.parse(a.body) as { id: string }).id, at: a.at }));
  const deadline = Date.now() + (relay ? 20_000 : 0);
  while (ids.some((i) => !o.consumer.arrivals.has(i.id)) && Date.now() < deadline) await sleep(100);
  if (relay) await waitDrained(o.pool, 20_000);
  const cpu1 = cpuSeconds(o.pid);
  const arrived = ids.flatMap((i) => {
    const a = o.consumer.arrivals.get(i.id);
    return a ? [{ fromReply: a.at - i.at, fromMessage: a.wall - a.acceptedAt }] : [];
  });
  const { rows } = await o.pool.query<{ n: string; seconds: number | null }>(
    `SELECT count(*) AS n, EXTRACT(EPOCH FROM max(delivered_at) - min(created_at))::float8 AS seconds FROM outbox WHERE created_at >= $1 AND delivered_at IS NOT NULL AND slot >= 0`,
    [dbStart],
  );
  const lastAnswer = Math.max(...answers.map((a) => a.at)) - Math.min(...answers.map((a) => a.at - a.latencyMs));
  return {
    rate: o.rate,
    // Over the offered window, or longer when the answers came later than it.
    acceptedPerSecond: accepted.length / Math.max(o.seconds, lastAnswer / 1_000),
    http: spread(accepted.map((a) => a.latencyMs)),
    errors,
    relayPerSecond: relay ? Number(rows[0]!.n) / Math.max(rows[0]!.seconds ?? 0, 0.001) : NaN,
    backlogAfter,
    e2e: spread(arrived.map((a) => a.fromReply)),
    e2eFromMessage: spread(arrived.map((a) => a.fromMessage)),
    lost: relay ? ids.length - arrived.length : 0,
    late: spread(lateMs),
    cpuPer1000: accepted.length > 0 ? ((cpu1 - cpu0) / accepted.length) * 1_000 : NaN,
    peakMb: memoryMb(o.pid).peakMb,
  };
}

/** The highest rate the bridge took in full: every request accepted, at least 95% of the offered rate, p99 under 1 s. */
export function sustainable(steps: readonly StepResult[]): number | undefined {
  const ok = steps.filter((s) => Object.keys(s.errors).length === 0 && s.acceptedPerSecond >= 0.95 * s.rate && s.http.p99 < 1_000);
  return ok.length > 0 ? Math.max(...ok.map((s) => s.rate)) : undefined;
}
