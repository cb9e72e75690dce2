// `npm run bench:feed`: the pull feed's two figures (issue 20), on this machine's PostgreSQL and Kafka broker.
//   (a) at half the sustainable rate: p50/p95 from the 202 to receipt by one long-polling feed client, beside a
//       Kafka consumer of the same topic (target: feed p50 at most 2x the consumer's);
//   (b) ingest p99 at that rate without, then with, 50 long-polling feed clients, alternated over --rounds
//       (target: at most 20 % higher with them). The 50 run in a child process at nice 19
//       (feed-clients.ts): receivers on other machines, not a second load on the generator's event loop.
// The sustainable rate is taken here as the closed-loop saturation with the relay on (10 callers): a quicker
// stand-in for `npm run bench`'s rate steps, printed with the figures.
import { parseArgs } from 'node:util';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createToken } from '../src/auth/tokens.ts';
import { topicName } from '../src/kafka/topics.ts';
import { adviceBody } from './bodies.ts';
import { capacity } from './capacity.ts';
import { feedClient, type FeedClientTally, type FeedTarget } from './feed-client.ts';
import { cpuSeconds, cpuSecondsOf } from './proc.ts';
import { sampleWaits } from './pg-waits.ts';
import { checkpointsSoFar } from './pg-checkpoints.ts';
import { startConsumer } from './consumer.ts';
import { openLoop, type Target } from './http-load.ts';
import { BENCH_OIN, dropDatabase, freshDatabase, prepareStack, startBridge } from './stack.ts';
import { fmt, percentile } from './stats.ts';

const { values: v } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    clients: { type: 'string', default: '50' },
    'cpu-prof': { type: 'string' },
    // Sample PostgreSQL's wait events during each (b) step (bench/pg-waits.ts).
    'pg-waits': { type: 'boolean', default: false },
  },
});
const seconds = Number(v.seconds);
const rounds = Number(v.rounds);
const clientCount = Number(v.clients);
const log = (s: string) => process.stderr.write(`[bench:feed] ${s}\n`);
const RECIPIENT = 'om-zsm';

const pgUrl = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const stack = await prepareStack(pgUrl, process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
// The stack's clients file plus a receiver bound to the OM's feed.
const receiver = await createToken({ log2N: 14, r: 8, p: 1 });
const submitter = await createToken({ log2N: 14, r: 8, p: 1 });
const clientsFile = join(stack.dir, 'clients-feed.json');
writeFileSync(
  clientsFile,
  JSON.stringify({
    clients: [
      { id: 'bench-gcos', organisation: { oin: BENCH_OIN, name: 'Bench' }, roles: ['submit-advice'], tokens: [submitter.hashLine] },
      { id: 'bench-receiver', organisation: { oin: '00000009999999994000' }, roles: ['receiver'], recipients: [RECIPIENT], tokens: [receiver.hashLine] },
    ],
  }),
  { mode: 0o600 },
);
const db = await freshDatabase(stack, 'feed');
// FEED_* settings of this environment go to the bridge (e.g. FEED_FANOUT_PAGES_PER_SECOND), to compare them.
const feedEnv = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('FEED_') && e[1] !== undefined));
const bridge = await startBridge({ ...stack, clientsFile }, db, { env: { METRICS_PUBLIC: 'true', ...feedEnv }, cpuProfileDir: v['cpu-prof'] });

/** The bridge's event-loop delay (prom-client's, reset at each scrape): p99 and max since the last call, in ms. */
async function loopDelay(): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN) * 1_000;
  return { p99: read('nodejs_eventloop_lag_p99_seconds'), max: read('nodejs_eventloop_lag_max_seconds') };
}
const target: Target = { url: bridge.url, path: '/v1/advices', token: submitter.token };

const feedTarget: FeedTarget = { url: bridge.url, recipient: RECIPIENT, token: receiver.token };
const tally: FeedClientTally = { pages: 0, bytes: 0, refusals: new Map() };

/** `count` feed clients from `start` in a child process at nice 19 (feed-clients.ts); `stop` ends them and gives
 * their pages, refusals and CPU seconds. */
async function clientsInChild(count: number, start: string): Promise<{ stop: () => Promise<{ pages: number; mb: number; cpu: number }> }> {
  const child = spawn('nice', ['-n', '19', process.execPath, fileURLToPath(new URL('./feed-clients.ts', import.meta.url))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send({ target: feedTarget, start, clients: count });
  await once(child, 'message');
  return {
    async stop() {
      const cpu = cpuSeconds(child.pid!);
      child.send('stop');
      const [result] = (await once(child, 'message')) as [{ pages: number; bytes: number; refusals: [number, number][] }];
      await once(child, 'exit');
      for (const [status, n] of result.refusals) tally.refusals.set(status, (tally.refusals.get(status) ?? 0) + n);
      return { pages: result.pages, mb: result.bytes / 1e6, cpu };
    },
  };
}

/** The cursor after everything held now: where a client that wants only new events starts. */
// From where the last call ended: paging from the start before every round read the whole (growing) outbox and
// logged its disclosure just before each round with clients, which cooled PostgreSQL's cache for that round only.
let lastEnd: string | null = null;
async function endCursor(): Promise<string> {
  let q = lastEnd ? `after=${lastEnd}&limit=500` : 'limit=500';
  for (;;) {
    const res = await fetch(`${bridge.url}/v1/feeds/${RECIPIENT}/events?${q}`, { headers: { authorization: `Bearer ${receiver.token}` } });
    const events = (await res.json()) as unknown[];
    const after = decodeURIComponent(/after=([^&>]+)/.exec(res.headers.get('link') ?? '')![1]!);
    if (events.length < 500) return (lastEnd = after);
    q = `after=${after}&limit=500`;
  }
}

try {
  log('warm-up and saturation with the relay on');
  await capacity({ target, runId: stack.runId, callers: 10, seconds: 4 });
  const sat = await capacity({ target, pid: bridge.pid, runId: stack.runId, callers: 10, seconds: 8 });
  const rate = Math.max(1, Math.round(sat.recordsPerSecond / 2));
  log(`saturation ${fmt(sat.recordsPerSecond)}/s; half: ${rate}/s`);
  await sleep(3_000);

  // (a) one feed client beside one Kafka consumer.
  const consumer = await startConsumer(stack.brokers, topicName(stack.topicPrefix, 'advice', RECIPIENT));
  const stopA = new AbortController();
  const feedArrivals = new Map<string, number>();
  const first = feedClient(feedTarget, stopA.signal, await endCursor(), tally, feedArrivals);
  await sleep(1_000);
  log(`(a) ${rate}/s for ${seconds} s with one feed client and one Kafka consumer`);
  const a = await openLoop(target, rate, seconds, () => adviceBody(stack.runId));
  await sleep(3_000);
  const accepted = a.answers.filter((x) => x.status === 202).map((x) => ({ id: (JSON.parse(x.body) as { id: string }).id, at: x.at }));
  const lat = (arr: (id: string) => number | undefined) =>
    accepted
      .map((x) => (arr(x.id) ?? NaN) - x.at)
      .filter(Number.isFinite)
      .sort((p, q) => p - q);
  const feedLat = lat((id) => feedArrivals.get(id));
  const kafkaLat = lat((id) => consumer.arrivals.get(id)?.at);
  stopA.abort();
  await first;
  await consumer.close();

  // (b) ingest p99 without and with 50 long-polling clients, alternated.
  const p99s: { without: number[]; with: number[] } = { without: [], with: [] };
  // Every round's latencies together, per side: a second view of the same target, less moved by one round's p99.
  const pooled: { without: number[]; with: number[] } = { without: [], with: [] };
  // What the clients cost, per round: feed pages answered, and CPU seconds of the bridge, this process, the clients,
  // PostgreSQL's processes and the broker's JVM (every `java` process: run nothing else in Java meanwhile).
  const costs: { without: string[]; with: string[] } = { without: [], with: [] };
  // ABBA: without first in odd rounds, with first in even ones, so a drift over the run (a growing database, say)
  // weighs on both sides alike.
  for (let r = 1; r <= rounds; r++) {
    for (const withClients of r % 2 === 1 ? [false, true] : [true, false]) {
      const clients = withClients ? await clientsInChild(clientCount, await endCursor()) : null;
      if (clients) await sleep(1_000);
      log(`(b) round ${r}: ${rate}/s for ${seconds} s ${withClients ? `with ${clientCount}` : 'without'} feed clients`);
      await loopDelay();
      const cpu0 = cpuSeconds(bridge.pid);
      const pg0 = cpuSecondsOf('postgres');
      const kafka0 = cpuSecondsOf('java');
      const self0 = process.cpuUsage();
      const waits = v['pg-waits'] ? await sampleWaits(db) : null;
      const checkpoints0 = await checkpointsSoFar(db);
      const b = await openLoop(target, rate, seconds, () => adviceBody(stack.runId));
      const self = process.cpuUsage(self0);
      const cpu = cpuSeconds(bridge.pid) - cpu0;
      const pg = cpuSecondsOf('postgres') - pg0;
      const kafka = cpuSecondsOf('java') - kafka0;
      const checkpoints = (await checkpointsSoFar(db)) - checkpoints0;
      const waited = waits ? `; ${await waits.stop()}` : '';
      const delay = await loopDelay();
      const ok = b.answers
        .filter((x) => x.status === 202)
        .map((x) => x.latencyMs)
        .sort((p, q) => p - q);
      (withClients ? p99s.with : p99s.without).push(percentile(ok, 99));
      (withClients ? pooled.with : pooled.without).push(...ok);
      const fed = clients ? await clients.stop() : { pages: 0, mb: 0, cpu: 0 };
      const late = percentile(
        [...b.lateMs].sort((p, q) => p - q),
        99,
      );
      (withClients ? costs.with : costs.without).push(
        `${fed.pages} pages (${fmt(fed.mb)} MB), CPU s: bridge ${fmt(cpu)}, generator ${fmt((self.user + self.system) / 1e6)}, clients ${fmt(fed.cpu)}, PostgreSQL ${fmt(pg)}, Kafka ${fmt(kafka)}; generator late p99 ${fmt(late)} ms; bridge event-loop delay p99 ${fmt(delay.p99)}, max ${fmt(delay.max)} ms; checkpoints begun ${checkpoints}${waited}`,
      );
      await sleep(2_000);
    }
  }
  // The middle value, or the mean of the two middle ones (an even number of rounds).
  const median = (xs: number[]) => {
    const o = [...xs].sort((p, q) => p - q);
    return (o[Math.floor((o.length - 1) / 2)]! + o[Math.ceil((o.length - 1) / 2)]!) / 2;
  };
  const p99Of = (xs: number[]) =>
    percentile(
      [...xs].sort((p, q) => p - q),
      99,
    );
  const out = [
    `feed bench: saturation (relay on, 10 callers)${Object.keys(feedEnv).length > 0 ? ` (bridge ${JSON.stringify(feedEnv)})` : ''} ${fmt(sat.recordsPerSecond)}/s, half ${rate}/s, ${seconds} s per step`,
    `(a) 202 to receipt, ms   p50      p95      n`,
    `    feed (long poll)     ${fmt(percentile(feedLat, 50))}    ${fmt(percentile(feedLat, 95))}    ${feedLat.length}`,
    `    Kafka consumer       ${fmt(percentile(kafkaLat, 50))}    ${fmt(percentile(kafkaLat, 95))}    ${kafkaLat.length}`,
    `    feed p50 / consumer p50: ${fmt(percentile(feedLat, 50) / percentile(kafkaLat, 50), 2)} (target at most 2)`,
    `(b) ingest p99, ms, per round: without ${p99s.without.map((x) => fmt(x)).join(', ')}; with ${clientCount} feed clients ${p99s.with.map((x) => fmt(x)).join(', ')}`,
    `    per round without: ${costs.without.join('; ')}`,
    `    per round with:    ${costs.with.join('; ')}`,
    `    feed pages refused or failed, by status: ${JSON.stringify(Object.fromEntries(tally.refusals))}`,
    `    median with / without: ${fmt(median(p99s.with) / median(p99s.without), 2)} (target at most 1.20); per round: ${p99s.with.map((w, i) => fmt(w / p99s.without[i]!, 2)).join(', ')}`,
    `    p99 of all rounds together, with / without: ${fmt(p99Of(pooled.with), 1)} / ${fmt(p99Of(pooled.without), 1)} ms = ${fmt(p99Of(pooled.with) / p99Of(pooled.without), 2)}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await bridge.stop();
  await dropDatabase(stack, db);
  stack.remove();
}
