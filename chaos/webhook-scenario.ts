// The webhook receiver faults (decision 0111), under the same steady load as every scenario: four subscriptions
// of om-zsm, each with its own receiver in this process: one down for the hold (10 minutes in `npm run chaos`),
// one answering 500 to every third call, one slow, one healthy. After the load, the checker of chaos/checker.ts
// applied to what each receiver accepted: every acknowledged advice's om-zsm event arrived (lost = 0), and per
// subject the first arrivals keep acceptance order (inversions = 0). The slow receiver must not slow the others:
// when the healthy one has every event, the slow one has fewer.
import { request } from 'node:http';
import { adminQuery } from '../harness/pg-admin.ts';
import { sleep } from '../harness/processes.ts';
import { startReceiver, type Receiver } from '../test/support/webhook-receiver.ts';
import type { Cluster } from './cluster.ts';
import type { Ack } from './load.ts';
import type { FaultReport, Scenario } from './scenario.ts';

const RECIPIENT = 'om-zsm';
/** How long each call to the slow receiver takes: below the replicas' attempt timeout (WEBHOOK_TIMEOUT_MS). */
const SLOW_MS = 1_000;

export interface WebhookCheck {
  /** Per receiver: events expected, lost, duplicates (re-sends, allowed), inversions. */
  receivers: Record<string, { expected: number; lost: number; duplicates: number; inversions: number }>;
  /** When the healthy receiver had every event, how many the slow one had. */
  slowHadWhenHealthyDone: number;
  badSignatures: number;
}

function call(cluster: Cluster, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  const base = cluster.targets()[0];
  if (!base) throw new Error('no replica runs');
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${cluster.privacyToken}`,
          ...(payload && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Per subject, first arrivals must keep the acks' order; every promised event must arrive. */
export function checkReceiver(r: Receiver, promised: Map<string, Ack>): { expected: number; lost: number; duplicates: number; inversions: number } {
  const seen = new Map<string, number>();
  const highest = new Map<number, number>();
  let inversions = 0;
  for (const e of r.accepted) {
    const ack = promised.get(e.id);
    if (!ack) continue;
    const n = seen.get(e.id) ?? 0;
    seen.set(e.id, n + 1);
    if (n > 0) continue;
    if (ack.seq < (highest.get(ack.subject) ?? -1)) inversions++;
    else highest.set(ack.subject, ack.seq);
  }
  const lost = [...promised.keys()].filter((id) => !seen.has(id)).length;
  const duplicates = [...seen.values()].reduce((s, n) => s + n - 1, 0);
  return { expected: promised.size, lost, duplicates, inversions };
}

export function webhookReceiverFaults(): Scenario {
  const receivers: Record<'down' | 'third500' | 'slow' | 'healthy', Receiver | undefined> = {
    down: undefined,
    third500: undefined,
    slow: undefined,
    healthy: undefined,
  };
  const subscriptions: string[] = [];
  return {
    name: 'webhook-receiver-faults',
    async before(cluster) {
      for (const name of Object.keys(receivers) as (keyof typeof receivers)[]) {
        const r = await startReceiver();
        if (name === 'third500') r.answer = (n) => ({ status: n % 3 === 0 ? 500 : 200 });
        if (name === 'slow') r.answer = () => ({ status: 200, delayMs: SLOW_MS });
        const res = await call(cluster, 'POST', `/v1/recipients/${RECIPIENT}/subscriptions`, { url: r.url });
        if (res.status !== 201) throw new Error(`subscription refused: ${res.status} ${res.body}`);
        const created = JSON.parse(res.body) as { id: string; secret: string };
        r.secret = created.secret;
        subscriptions.push(created.id);
        receivers[name] = r;
      }
    },
    async fault(ctx): Promise<FaultReport> {
      await ctx.acked(ctx.load.acks.length + 20);
      await receivers.down!.down();
      await sleep(ctx.webhookDownMs ?? ctx.holdMs);
      await receivers.down!.up();
      return {};
    },
    async after(cluster, acks) {
      const { rows } = await adminQuery<{ event_id: string; record_id: string }>(
        cluster.databaseUrl,
        /* sql */ `SELECT event_id, record_id FROM outbox WHERE recipient = $1 AND record_id = ANY($2::uuid[])`,
        [RECIPIENT, acks.map((a) => a.recordId)],
      );
      const ackOf = new Map(acks.map((a) => [a.recordId, a]));
      const promised = new Map(rows.map((r) => [r.event_id, ackOf.get(r.record_id)!]));
      const has = (r: Receiver) => new Set(r.accepted.map((e) => e.id).filter((id) => promised.has(id))).size;
      // Every receiver but the slow one catches up; the slow one is then counted, not waited for.
      const deadline = Date.now() + 600_000;
      let said = Date.now();
      while (Date.now() < deadline && [receivers.down!, receivers.third500!, receivers.healthy!].some((r) => has(r) < promised.size)) {
        await sleep(250);
        if (Date.now() - said > 10_000) {
          said = Date.now();
          const counts = Object.entries(receivers).map(([n, r]) => `${n}=${r ? has(r) : 0}/${r?.calls ?? 0}`);
          process.stderr.write(`webhook-receiver-faults: waiting for ${promised.size} events: ${counts.join(' ')}\n`);
        }
      }
      const slowHadWhenHealthyDone = has(receivers.slow!);
      const check: WebhookCheck = { receivers: {}, slowHadWhenHealthyDone, badSignatures: 0 };
      for (const [name, r] of Object.entries(receivers)) {
        if (!r) continue;
        check.badSignatures += r.badSignatures;
        if (name !== 'slow') check.receivers[name] = checkReceiver(r, promised);
      }
      for (const id of subscriptions.splice(0)) await call(cluster, 'DELETE', `/v1/recipients/${RECIPIENT}/subscriptions/${id}`);
      await Promise.all(Object.values(receivers).flatMap((r) => (r ? [r.close()] : [])));
      const lost = Object.values(check.receivers).reduce((s, r) => s + r.lost, 0);
      const inversions = Object.values(check.receivers).reduce((s, r) => s + r.inversions, 0);
      const duplicates = Object.values(check.receivers).reduce((s, r) => s + r.duplicates, 0);
      return {
        webhook: check,
        extra: {
          webhook_events: promised.size,
          webhook_lost: lost,
          webhook_inversions: inversions,
          webhook_duplicates: duplicates,
          webhook_slow_had: slowHadWhenHealthyDone,
          webhook_bad_signatures: check.badSignatures,
        },
      };
    },
  };
}
