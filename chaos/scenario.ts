// Runs one scenario: steady load, the fault while the load runs, the load until its records are acknowledged,
// then the relay drained and every topic read and checked. Returns the counts and prints one summary line.
import { CaseEventLoad, caseEventAcks } from './case-events.ts';
import { check, promisedMessages, type CheckResult } from './checker.ts';
import type { Cluster } from './cluster.ts';
import { Load, statusSummary, type LoadCounts } from './load.ts';
import { sleep } from '../harness/processes.ts';
import { readAllTopics } from './read-topics.ts';
import type { Ack } from './load.ts';
import type { WebhookCheck } from './webhook-scenario.ts';

export interface FaultContext {
  cluster: Cluster;
  load: Load;
  /** How long a fault lasts (short in the test suite, longer in a campaign). */
  holdMs: number;
  /** How long a webhook receiver stays down (the webhook scenario; the hold when not given). */
  webhookDownMs?: number | undefined;
  /** Resolves once this many advices of the scenario are acknowledged. */
  acked(n: number, timeoutMs?: number): Promise<void>;
}

export interface FaultReport {
  /** Time until the surviving replicas held every slot of a dead one. */
  takeoverMs?: number;
  /** Whether the replica was really killed in the middle of a relay batch. */
  midBatch?: boolean;
  /** How many slots the killed replica held. */
  victimSlots?: number;
  /** Exit code of a replica stopped with SIGTERM: 0 is a clean shutdown. */
  sigtermExit?: number | null;
  /** The webhook receivers' check (chaos/webhook-scenario.ts). */
  webhook?: WebhookCheck;
  /** More figures of a scenario, printed as key=value (the topology scenarios'). */
  extra?: Record<string, string | number | boolean>;
}

export interface Scenario {
  name: string;
  /** The fault itself cuts requests off (a replica killed); otherwise a cut-off request is a defect. */
  allowsCutOff?: boolean;
  /** A graceful stop: every request sent must get an answer (no cut-off, no stale keep-alive, no timeout). */
  answersEveryRequest?: boolean;
  /** Expected to possibly lose acknowledged writes (an asynchronous standby promoted): counted and reported, not
   * a failure of the campaign. */
  mayLose?: boolean;
  fault(ctx: FaultContext): Promise<FaultReport>;
  /** Set-up before the load starts (the webhook scenario subscribes its receivers). */
  before?(cluster: Cluster): Promise<void>;
  /** A check of its own after the relay is drained, given the acknowledged advices; merged into the fault report. */
  after?(cluster: Cluster, acks: Ack[]): Promise<FaultReport>;
}

export interface ScenarioSize {
  records: number;
  clients: number;
  subjectsPerClient: number;
  holdMs: number;
  paceMs?: number;
  webhookDownMs?: number;
}

export interface ScenarioResult extends CheckResult {
  name: string;
  load: LoadCounts;
  /** Case events acknowledged by Kafka on the inbound topic (topology clusters), and those the bridge never stored. */
  caseEvents: number;
  caseEventsMissing: number;
  /** 429/503 answers without Retry-After. */
  retryAfterMissing: number;
  fault: FaultReport;
  crashes: number;
  durationMs: number;
  line: string;
}

export async function runScenario(cluster: Cluster, scenario: Scenario, size: ScenarioSize, firstSubject = 0): Promise<ScenarioResult> {
  const started = Date.now();
  const crashesBefore = cluster.crashes();
  await scenario.before?.(cluster);
  const load = new Load({
    targets: () => cluster.targets(),
    token: cluster.token,
    clients: size.clients,
    subjectsPerClient: size.subjectsPerClient,
    tag: `${cluster.runId}-${scenario.name}`,
    firstSubject,
    records: size.records,
    ...(size.paceMs !== undefined && { paceMs: size.paceMs }),
  }).start();
  const inbound = cluster.inboundTopic;
  const events = inbound
    ? new CaseEventLoad({
        brokers: cluster.brokers,
        topic: inbound,
        publishers: 2,
        subjectsPerPublisher: 2,
        firstBsn: 5_000 + firstSubject,
        paceMs: size.paceMs ?? 20,
      }).start()
    : undefined;
  const acked = async (n: number, timeoutMs = 120_000) => {
    const t0 = Date.now();
    while (load.acks.length < n) {
      // A crashed replica is the finding: say so at once instead of waiting out the timeout.
      if (cluster.crashes() > crashesBefore) throw new Error(`${scenario.name}: a replica crashed:\n${cluster.crashLogs()}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`${scenario.name}: only ${load.acks.length} of ${n} advices acknowledged in ${timeoutMs} ms`);
      await sleep(50);
    }
  };
  let fault: FaultReport;
  try {
    fault = await scenario.fault({ cluster, load, holdMs: size.holdMs, webhookDownMs: size.webhookDownMs, acked });
    await acked(size.records, 300_000);
  } finally {
    await Promise.all([load.stop(), events?.stop()]);
  }
  // Case events the bridge has not stored when no more arrive for 30 s (or after 90 s) count as lost.
  const fromInbound = events ? await caseEventAcks(cluster.databaseUrl, events.sent, 90_000) : { acks: [], missing: 0 };
  await cluster.drained();
  const acks = [...load.acks, ...fromInbound.acks];
  const promised = await promisedMessages(
    cluster.databaseUrl,
    acks.map((a) => a.recordId),
  );
  if (scenario.after) {
    const more = await scenario.after(cluster, load.acks);
    fault = { ...fault, ...more, extra: { ...fault.extra, ...more.extra } };
  }
  const read = await readAllTopics(cluster.brokers, cluster.topicPrefix);
  const checked = check(acks, promised, read);
  if (process.env['CHAOS_DEBUG_LOST'] !== undefined) {
    const seen = new Set(read.map((m) => m.ceId));
    const ackOf = new Map(acks.map((a) => [a.recordId, a]));
    for (const p of promised.filter((r) => !seen.has(r.eventId))) process.stderr.write(`chaos lost: ${JSON.stringify({ ...p, ack: ackOf.get(p.recordId) })}\n`);
    const stored = new Set(fromInbound.acks.map((a) => a.adviceId));
    for (const e of events?.sent ?? []) if (!stored.has(e.eventId)) process.stderr.write(`chaos case event not stored: ${JSON.stringify(e)}\n`);
  }
  // An acknowledged case event the bridge never stored is lost like a 202 without a commit.
  const result = { ...checked, acked: load.acks.length, lostRecords: checked.lostRecords + fromInbound.missing };
  const crashes = cluster.crashes() - crashesBefore;
  const durationMs = Date.now() - started;
  const shed = (load.counts.statuses[429] ?? 0) + (load.counts.statuses[503] ?? 0);
  const extra = {
    caseEvents: events?.sent.length ?? 0,
    caseEventsMissing: fromInbound.missing,
    retryAfterMissing: shed - load.counts.withRetryAfter,
  };
  const line = summaryLine(scenario.name, result, load.counts, fault, crashes, durationMs, extra);
  return { name: scenario.name, ...result, ...extra, load: load.counts, fault, crashes, durationMs, line };
}

/** Requests sent that got no answer at all: cut off, on a stale keep-alive connection, or timed out. */
export function unanswered(l: LoadCounts): number {
  return l.cutOff + l.staleKeepAlive + l.timeouts;
}

function summaryLine(
  name: string,
  r: CheckResult,
  l: LoadCounts,
  f: FaultReport,
  crashes: number,
  ms: number,
  x: { caseEvents: number; caseEventsMissing: number; retryAfterMissing: number },
): string {
  const parts = [
    `scenario=${name}`,
    `acked=${r.acked}`,
    ...(x.caseEvents > 0 ? [`case_events=${x.caseEvents}`] : []),
    `messages=${r.expected}`,
    `lost=${r.lost + r.lostRecords}`,
    `duplicates=${r.duplicates}`,
    `foreign_duplicates=${r.foreignDuplicates}`,
    `inversions=${r.inversions}`,
    `http=[${statusSummary(l)}]`,
    `retry_after_missing=${x.retryAfterMissing}`,
    `cut_off=${l.cutOff}${
      l.cutOff
        ? `(${Object.entries(l.cutOffCauses)
            .map(([c, n]) => `${c}x${n}`)
            .join(',')})`
        : ''
    }`,
    `unanswered=${unanswered(l)}`,
    `falsely_not_stored=${l.falselyNotStored}`,
    `outcome_unknown=${l.outcomeUnknown}`,
    `refused=${l.refused}`,
    `stale_keepalive=${l.staleKeepAlive}`,
    `timeouts=${l.timeouts}`,
    `crashes=${crashes}`,
  ];
  if (f.takeoverMs !== undefined) parts.push(`takeover_ms=${f.takeoverMs}`);
  if (f.midBatch !== undefined) parts.push(`mid_batch=${f.midBatch}`);
  if (f.victimSlots !== undefined) parts.push(`victim_slots=${f.victimSlots}`);
  if (f.sigtermExit !== undefined) parts.push(`sigterm_exit=${f.sigtermExit}`);
  for (const [k, v] of Object.entries(f.extra ?? {})) parts.push(`${k}=${v}`);
  parts.push(`seconds=${(ms / 1000).toFixed(1)}`);
  return parts.join(' ');
}
