// `npm run bench`: every figure and its baseline in one run, on this machine's PostgreSQL and Kafka broker.
// PostgreSQL: BENCH_PG_URL (a server URL whose user may create databases), default the local server. Kafka:
// KAFKA_BROKERS, default scripts/kafka.sh (which reuses a broker already on 127.0.0.1:9092).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { adminQuery } from '../harness/pg-admin.ts';
import { startBareFastify } from './baselines/bare-fastify.ts';
import { capacity, type Capacity } from './capacity.ts';
import { parseOptions } from './options.ts';
import { newestProfile, summariseProfile } from './profile-summary.ts';
import { formatReport, ratiosOf, type BenchResult } from './report.ts';
import { runScenario } from './scenario.ts';
import { prepareStack, type Stack } from './stack.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

function brokers(): string {
  if (process.env['KAFKA_BROKERS']) return process.env['KAFKA_BROKERS'];
  const r = spawnSync('bash', [`${ROOT}scripts/kafka.sh`, 'start'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  if (r.status !== 0) throw new Error('no Kafka: set KAFKA_BROKERS or make scripts/kafka.sh start work');
  return '127.0.0.1:9092';
}

async function postgresVersion(url: string): Promise<string> {
  const { rows } = await adminQuery<{ v: string; autovacuum: string }>(
    url,
    `SELECT current_setting('server_version') AS v, current_setting('autovacuum') AS autovacuum`,
  );
  // A server without autovacuum keeps the statistics and dead rows of the start of a run all the way through
  // (this machine's is so configured): say so beside the figures, production servers run with it.
  const r = rows[0];
  return `PostgreSQL ${r?.v.split(' ')[0] ?? '?'}${r?.autovacuum === 'off' ? ' (autovacuum off)' : ''}`;
}

async function deleteTopics(stack: Stack): Promise<void> {
  const admin = new Kafka({ clientId: 'bench-cleanup', brokers: stack.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(stack.topicPrefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const pgUrl = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const stack = await prepareStack(pgUrl, brokers());
  if (o.cpuProfileDir) mkdirSync(o.cpuProfileDir, { recursive: true });
  const machine = {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? '?',
    node: process.version,
    postgres: await postgresVersion(pgUrl),
    kafka: '3.9 (scripts/kafka.sh, one KRaft node)',
  };
  let b3: Capacity | undefined;
  const scenarios = [];
  try {
    for (const name of o.scenarios) {
      scenarios.push(
        await runScenario(
          stack,
          name,
          o,
          name !== 'empty'
            ? undefined
            : async () => {
                log('B3: bare Fastify');
                const bare = await startBareFastify();
                try {
                  b3 = await capacity({
                    target: { url: bare.url, path: '/v1/advices' },
                    pid: bare.pid,
                    runId: stack.runId,
                    callers: o.callers,
                    seconds: o.capacitySeconds,
                  });
                } finally {
                  await bare.stop();
                }
              },
        ),
      );
    }
  } finally {
    await deleteTopics(stack).catch((err: unknown) => log(`could not delete the bench topics: ${(err as Error).message}`));
    stack.remove();
  }
  const profileFile = o.cpuProfileDir ? newestProfile(o.cpuProfileDir) : undefined;
  const result: BenchResult = {
    machine,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: new Date().toISOString(),
    b3,
    scenarios: scenarios.map((s) => ({ ...s, ratios: ratiosOf(s) })),
    profile: profileFile ? summariseProfile(profileFile) : undefined,
  };
  process.stdout.write(`${formatReport(result)}\n`);
  if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 2));
}

await main();
