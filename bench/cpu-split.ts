// `npm run bench:cpu-split`: where the CPU goes per record, by process, at saturation: the bridge, PostgreSQL's
// backends, the Kafka broker, and this load generator; for the bridge with and without its relay, and for B2.
// The main bench reports the bridge's own CPU only; on two shared cores the database's share decides as much.
// Backends that exit during a phase take their CPU time with them (B2's pool is closed at its end), so B2's
// PostgreSQL figure is a lower bound. `--drains 60000,180000` instead times relay drains of those sizes on one
// bridge, CPU per message by process (the copy's INSERT included, a few µs of PostgreSQL's).
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { postgresBaseline, readTemplate } from './baselines/postgres.ts';
import { capacity, relayDrain } from './capacity.ts';
import { seedBacklog } from './growth.ts';
import { processStat } from './proc.ts';
import { dropDatabase, freshDatabase, prepareStack, startBridge } from './stack.ts';
import { waitDrained } from './steps.ts';

/** CPU seconds of every process on the machine, summed by group. */
function cpuByGroup(bridgePid: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    let stat;
    try {
      stat = processStat(pid);
    } catch {
      continue; // exited meanwhile
    }
    const group =
      pid === bridgePid
        ? 'bridge'
        : pid === process.pid
          ? 'load generator'
          : stat.comm.startsWith('postgres')
            ? 'postgres'
            : stat.comm === 'java'
              ? 'kafka'
              : 'other';
    m.set(group, (m.get(group) ?? 0) + stat.cpuSeconds);
  }
  return m;
}

async function perRecord(bridgePid: number, run: () => Promise<number>, unitsPerSecond = 1_000): Promise<{ recordsPerSecond: number; cpu: string }> {
  const before = cpuByGroup(bridgePid);
  const started = performance.now();
  const records = await run();
  const seconds = (performance.now() - started) / 1_000;
  const after = cpuByGroup(bridgePid);
  const cpu = ['bridge', 'postgres', 'kafka', 'load generator', 'other']
    .map((g) => `${g} ${((((after.get(g) ?? 0) - (before.get(g) ?? 0)) * unitsPerSecond) / Math.max(records, 1)).toFixed(unitsPerSecond > 1_000 ? 1 : 2)}`)
    .join(', ');
  return { recordsPerSecond: records / seconds, cpu };
}

const { values: v } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    callers: { type: 'string', default: '10' },
    backlog: { type: 'string', default: '0' },
    drains: { type: 'string' },
  },
});
const seconds = Number(v.seconds);
const callers = Number(v.callers);
const backlog = Number(v.backlog);
const stack = await prepareStack(
  process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092',
);
const db = await freshDatabase(stack, 'cpusplit');
try {
  if (v.drains) await drains(v.drains.split(',').map(Number));
  else await ingest();
} finally {
  await dropDatabase(stack, db);
  stack.remove();
}

/** The bridge at saturation with its relay held back and running, then B2: CPU per record by process. */
async function ingest(): Promise<void> {
  // --backlog N: undelivered outbox rows seeded first, as in the bench's backlog scenario (its relay is held back
  // in the first phase only, so the second phase drains them while it runs).
  if (backlog > 0) await seedBacklog(db, backlog, stack.topicPrefix);
  for (const relay of [false, true]) {
    const bridge = await startBridge(stack, db, { env: relay ? {} : { RELAY_ENABLED: 'false' } });
    try {
      const target = { url: bridge.url, path: '/v1/advices', token: stack.token };
      await capacity({ target, runId: stack.runId, callers: 2, seconds: 3 }); // warm-up
      const r = await perRecord(bridge.pid, async () => {
        const c = await capacity({ target, runId: stack.runId, callers, seconds });
        return Math.round(c.recordsPerSecond * seconds);
      });
      process.stdout.write(`bridge, relay ${relay ? 'running' : 'held back'}: ${r.recordsPerSecond.toFixed(0)} rec/s; CPU ms per record: ${r.cpu}\n`);
    } finally {
      await bridge.stop();
    }
  }
  const pool = new pg.Pool({ connectionString: db, max: 1 });
  const template = await readTemplate(pool);
  await pool.end();
  const r = await perRecord(-1, async () => {
    const b2 = await postgresBaseline(db, template, { callers, seconds, batchSize: 1 });
    return Math.round(b2.recordsPerSecond * seconds);
  });
  process.stdout.write(`B2: ${r.recordsPerSecond.toFixed(0)} rec/s; CPU ms per record: ${r.cpu} (postgres: a lower bound, see above)\n`);
}

/** Relay drains of the given sizes, one after another on one bridge: how the database's share grows with the backlog. */
async function drains(sizes: number[]): Promise<void> {
  const pool = new pg.Pool({ connectionString: db, max: 2 });
  const bridge = await startBridge(stack, db, {});
  try {
    // Accepted advices whose delivered messages the drains copy; also the bridge's warm-up.
    await capacity({ target: { url: bridge.url, path: '/v1/advices', token: stack.token }, runId: stack.runId, callers: 2, seconds: 4 });
    await waitDrained(pool, 60_000);
    for (const n of sizes) {
      let rate = NaN;
      const r = await perRecord(bridge.pid, async () => ((rate = (await relayDrain(pool, n)).messagesPerSecond), n), 1_000_000);
      const { rows } = await pool.query<{ n: string }>('SELECT checkpoints_req::text AS n FROM pg_stat_bgwriter');
      process.stdout.write(`relay drain of ${n}: ${rate.toFixed(0)} msg/s; CPU µs per message: ${r.cpu}; checkpoints requested so far ${rows[0]!.n}\n`);
    }
  } finally {
    await bridge.stop();
    await pool.end();
  }
}
