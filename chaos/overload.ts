// Overload: first the sustainable rate of one replica (closed-loop clients), then about twice that rate as an
// open loop against it, with load shedding on as in production. The replica must shed with 429/503 and
// Retry-After, keep answering readiness, not crash, keep its memory bounded (RSS sampled), and lose nothing it
// acknowledged.
import { Agent, request } from 'node:http';
import { syntheticBsn, validAdvice } from '../test/support/fixtures.ts';
import { check, promisedMessages } from './checker.ts';
import type { Cluster } from './cluster.ts';
import { Load, type Ack } from './load.ts';
import { sleep } from '../harness/processes.ts';
import { readAllTopics } from './read-topics.ts';

export interface OverloadResult {
  held: boolean;
  sustainablePerSecond: number;
  offeredPerSecond: number;
  statuses: Record<number, number>;
  shed: number;
  shedWithoutRetryAfter: number;
  readinessAnswered: number;
  readinessMissed: number;
  rssStartMb: number;
  rssMaxMb: number;
  crashes: number;
  lost: number;
  line: string;
}

const MAX_IN_FLIGHT = 500; // the load generator's own bound: beyond it, an arrival is counted as not sent
const RSS_LIMIT_MB = 768;

export async function runOverload(cluster: Cluster, o: { seconds: number; measureSeconds?: number }): Promise<OverloadResult> {
  // Shedding as in production (defaults of SHED_*), but the database-wait threshold scaled to the small pool.
  const replica = await cluster.addReplica('overload', { SHED_EVENT_LOOP_DELAY_MS: '200', SHED_DB_WAITING: '20', PG_POOL_MAX: '5' });
  const crashesBefore = cluster.crashes();
  try {
    // 1. Sustainable: closed loop, as many clients as the pool has connections and a few more.
    const closed = new Load({
      targets: () => [replica.base],
      token: cluster.token,
      clients: 8,
      subjectsPerClient: 1,
      tag: `${cluster.runId}-ovl-measure`,
      firstSubject: 5_000,
    }).start();
    const measureMs = (o.measureSeconds ?? 5) * 1000;
    await sleep(1_000); // warm-up
    const before = closed.acks.length;
    await sleep(measureMs);
    const sustainable = ((closed.acks.length - before) * 1000) / measureMs;
    await closed.stop();

    // 2. Twice that, open loop: arrivals do not wait for answers.
    const offered = Math.max(20, Math.round(sustainable * 2));
    const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
    const statuses: Record<number, number> = {};
    const acks: Ack[] = [];
    let shed = 0;
    let shedWithoutRetryAfter = 0;
    let inFlight = 0;
    let notSent = 0;
    let n = 0;
    const post = (body: string, seq: number) => {
      inFlight++;
      const req = request(
        `${replica.base}/v1/advices`,
        {
          method: 'POST',
          agent,
          timeout: 30_000,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${cluster.token}`, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => {
            inFlight--;
            const s = res.statusCode ?? 0;
            statuses[s] = (statuses[s] ?? 0) + 1;
            if (s === 429 || s === 503) {
              shed++;
              if (res.headers['retry-after'] === undefined) shedWithoutRetryAfter++;
            }
            if (s === 202) acks.push({ recordId: (JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id, adviceId: '', subject: seq, seq: 0 });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('client timeout')));
      req.on('error', () => {
        inFlight--;
        statuses[0] = (statuses[0] ?? 0) + 1; // no answer
      });
      req.end(body);
    };
    const rss: number[] = [];
    let readinessAnswered = 0;
    let readinessMissed = 0;
    const started = Date.now();
    const sampler = (async () => {
      while (Date.now() - started < o.seconds * 1000) {
        rss.push(replica.rssBytes() ?? 0);
        try {
          await fetch(`${replica.base}/health/ready`, { signal: AbortSignal.timeout(5_000) });
          readinessAnswered++;
        } catch {
          readinessMissed++;
        }
        await sleep(500);
      }
    })();
    const bsns = Array.from({ length: 50 }, (_, i) => syntheticBsn(6_000 + i));
    while (Date.now() - started < o.seconds * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * offered);
      for (; n < due; n++) {
        if (inFlight >= MAX_IN_FLIGHT) {
          notSent++;
          continue;
        }
        post(JSON.stringify(validAdvice({ adviceId: `${cluster.runId}-ovl-${n}`, bsn: bsns[n % bsns.length]! })), n);
      }
      await sleep(10);
    }
    await sampler;
    while (inFlight > 0) await sleep(50);
    agent.destroy();

    await cluster.drained();
    const promised = await promisedMessages(
      cluster.databaseUrl,
      acks.map((a) => a.recordId),
    );
    const checked = check(acks, promised, await readAllTopics(cluster.brokers, cluster.topicPrefix));
    const lost = checked.lost + checked.lostRecords;
    const crashes = cluster.crashes() - crashesBefore + (replica.running ? 0 : 1);
    const rssStartMb = Math.round((rss[0] ?? 0) / 2 ** 20);
    const rssMaxMb = Math.round(Math.max(...rss) / 2 ** 20);
    const unexpected = Object.keys(statuses)
      .map(Number)
      .filter((s) => ![202, 429, 503].includes(s));
    const held =
      shed > 0 && shedWithoutRetryAfter === 0 && unexpected.length === 0 && readinessMissed === 0 && crashes === 0 && lost === 0 && rssMaxMb < RSS_LIMIT_MB;
    const line = [
      'scenario=overload',
      `sustainable_per_s=${sustainable.toFixed(0)}`,
      `offered_per_s=${offered}`,
      `seconds=${o.seconds}`,
      `http=[${Object.entries(statuses)
        .map(([s, c]) => `${s}:${c}`)
        .join(' ')}]`,
      `shed=${shed}`,
      `shed_without_retry_after=${shedWithoutRetryAfter}`,
      `not_sent_client_cap=${notSent}`,
      `readiness_answered=${readinessAnswered}`,
      `readiness_missed=${readinessMissed}`,
      `rss_start_mb=${rssStartMb}`,
      `rss_max_mb=${rssMaxMb}`,
      `acked=${acks.length}`,
      `lost=${lost}`,
      `crashes=${crashes}`,
      `held=${held}`,
    ].join(' ');
    return {
      held,
      sustainablePerSecond: sustainable,
      offeredPerSecond: offered,
      statuses,
      shed,
      shedWithoutRetryAfter,
      readinessAnswered,
      readinessMissed,
      rssStartMb,
      rssMaxMb,
      crashes,
      lost,
      line,
    };
  } finally {
    await replica.stop('SIGTERM');
  }
}
