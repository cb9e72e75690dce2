// The faults of the production topology (a cluster started with `topology: true`): three Kafka nodes with
// replication factor 3 and min.insync.replicas 2, PostgreSQL with a streaming standby behind one address. Each
// scenario leaves the cluster whole again (every node up and every replica in sync, a standby streaming), so they
// run one after the other on the same cluster.
import { adminQuery } from '../harness/pg-admin.ts';
import { sleep } from '../harness/processes.ts';
import type { Cluster } from './cluster.ts';
import type { KafkaNodes } from './kafka-cluster.ts';
import type { FaultContext, Scenario } from './scenario.ts';

const warmUp = (ctx: FaultContext) => ctx.acked(ctx.load.acks.length + 20);

function kafkaOf(cluster: Cluster): KafkaNodes {
  if (!cluster.kafka) throw new Error('a topology scenario needs a cluster started with topology: true');
  return cluster.kafka;
}

async function delivered(cluster: Cluster): Promise<number> {
  const [r] = await cluster.query<{ n: string }>(/* sql */ `SELECT count(*) AS n FROM outbox WHERE delivered_at IS NOT NULL`);
  return Number(r?.n ?? 0);
}

/** Time from `since` until the load got its next 202 (the system serves again). */
async function nextAck(ctx: FaultContext, since: number): Promise<number> {
  await ctx.acked(ctx.load.acks.length + 1, 120_000);
  return Date.now() - since;
}

const leaderKill: Scenario = {
  name: 'kafka-leader-kill',
  async fault(ctx) {
    const kafka = kafkaOf(ctx.cluster);
    await warmUp(ctx);
    const victim = await kafka.busiestLeader(ctx.cluster.topicPrefix);
    const before = await kafka.partitions(ctx.cluster.topicPrefix);
    await kafka.nodes[victim]!.stop('SIGKILL');
    const killedAt = Date.now();
    // Past broker.session.timeout.ms (9 s): the controller fences the dead node and elects new leaders while it
    // is down (a shorter outage ends before any election, and the leaderships move only once it is back).
    await sleep(Math.max(ctx.holdMs, 12_000));
    const during = await kafka.partitions(ctx.cluster.topicPrefix);
    await kafka.nodes[victim]!.start();
    await kafka.inSync(ctx.cluster.topicPrefix);
    return {
      extra: {
        killed_node: victim + 1,
        led_partitions: before.filter((p) => p.leader === victim + 1).length,
        still_led_by_killed: during.filter((p) => p.leader === victim + 1).length,
        down_ms: Date.now() - killedAt,
      },
    };
  },
};

const twoBrokersDown: Scenario = {
  name: 'kafka-two-down',
  async fault(ctx) {
    const kafka = kafkaOf(ctx.cluster);
    await warmUp(ctx);
    // Longer than the relay's send deadline (5 s) and the followers' lag limit, so sends really fail.
    const hold = Math.max(8_000, ctx.holdMs);
    await Promise.all([kafka.nodes[1]!.stop('SIGKILL'), kafka.nodes[2]!.stop('SIGKILL')]);
    // A send acknowledged just before the kill may still be marked delivered; after that, nothing may be: one
    // node is below min.insync.replicas (and the quorum is lost).
    await sleep(2_000);
    const deliveredAfterKill = await delivered(ctx.cluster);
    const pendingAfterKill = await ctx.cluster.pendingMessages();
    await sleep(hold - 2_000);
    const deliveredWhileDown = (await delivered(ctx.cluster)) - deliveredAfterKill;
    const pendingAtEnd = await ctx.cluster.pendingMessages();
    const backAt = Date.now();
    await Promise.all([kafka.nodes[1]!.start(), kafka.nodes[2]!.start()]);
    await kafka.inSync(ctx.cluster.topicPrefix);
    return {
      extra: {
        delivered_while_down: deliveredWhileDown,
        pending_grew: `${pendingAfterKill}->${pendingAtEnd}`,
        back_in_sync_ms: Date.now() - backAt,
      },
    };
  },
};

const brokerIsolated: Scenario = {
  name: 'kafka-node-isolated',
  async fault(ctx) {
    const kafka = kafkaOf(ctx.cluster);
    await warmUp(ctx);
    const victim = await kafka.busiestLeader(ctx.cluster.topicPrefix);
    kafka.isolate(victim);
    // Longer than broker.session.timeout.ms (9 s): the controller fences the node and moves its leaderships.
    await sleep(Math.max(12_000, ctx.holdMs));
    const during = await kafka.partitions(ctx.cluster.topicPrefix).catch(() => []);
    kafka.heal();
    await kafka.inSync(ctx.cluster.topicPrefix);
    return { extra: { isolated_node: victim + 1, still_led_by_isolated: during.filter((p) => p.leader === victim + 1).length } };
  },
};

const rollingRestart: Scenario = {
  name: 'kafka-rolling-restart',
  async fault(ctx) {
    const kafka = kafkaOf(ctx.cluster);
    await warmUp(ctx);
    const started = Date.now();
    // As an operator does it: one node at a time (SIGTERM: a controlled shutdown that hands its leaderships
    // over), and the next only once every replica is in sync again.
    for (const node of kafka.nodes) {
      await node.stop('SIGTERM');
      await sleep(Math.min(ctx.holdMs / 3, 3_000));
      await node.start();
      await kafka.inSync(ctx.cluster.topicPrefix);
    }
    return { extra: { restart_ms: Date.now() - started } };
  },
};

/** SIGKILL of the primary's every process under load, the standby promoted, the address moved; then a new
 * standby from the new primary, so the next scenario has its pair again. */
function databaseFailover(sync: boolean): Scenario {
  return {
    name: sync ? 'pg-failover-sync' : 'pg-failover-async',
    mayLose: !sync,
    async fault(ctx) {
      const { cluster } = ctx;
      await cluster.setSynchronous(sync);
      await warmUp(ctx);
      const [lag] = (await adminQuery<{ state: string; sync_state: string }>(cluster.postgres.url(), 'SELECT state, sync_state FROM pg_stat_replication')).rows;
      // The time a failover manager takes to decide (Patroni: its loop wait and TTL, seconds).
      const times = await cluster.failover(Math.min(ctx.holdMs / 2, 5_000));
      const recoveredMs = await nextAck(ctx, Date.now());
      await cluster.rebuildStandby();
      await cluster.setSynchronous(true);
      return {
        extra: {
          standby: `${lag?.sync_state ?? 'none'}`,
          promoted_ms: times.promotedMs,
          switched_ms: times.switchedMs,
          first_202_after_switch_ms: recoveredMs,
        },
      };
    },
  };
}

export const TOPOLOGY_SCENARIOS: Scenario[] = [leaderKill, twoBrokersDown, brokerIsolated, rollingRestart, databaseFailover(true), databaseFailover(false)];
