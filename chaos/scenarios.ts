// The faults, each applied while the load runs. Each heals what it broke, so the scenarios run one after the
// other on the same cluster.
import type { FaultContext, FaultReport, Scenario } from './scenario.ts';
import { measureTakeover, relayBackendOf, waitUntilMidBatch } from './takeover.ts';
import { sleep } from '../harness/processes.ts';
import { webhookReceiverFaults } from './webhook-scenario.ts';

/** Waits for some acknowledgements first, so the fault hits a running system. */
const warmUp = (ctx: FaultContext) => ctx.acked(ctx.load.acks.length + 20);

const brokerKill: Scenario = {
  name: 'broker-kill',
  async fault(ctx) {
    await warmUp(ctx);
    await ctx.cluster.broker.stop('SIGKILL');
    await sleep(ctx.holdMs);
    await ctx.cluster.broker.start();
    return {};
  },
};

const brokerFreeze: Scenario = {
  name: 'broker-freeze',
  async fault(ctx) {
    await warmUp(ctx);
    ctx.cluster.broker.freeze();
    await sleep(ctx.holdMs);
    ctx.cluster.broker.thaw();
    return {};
  },
};

const databaseRestart: Scenario = {
  name: 'database-restart',
  async fault(ctx) {
    await warmUp(ctx);
    await ctx.cluster.postgres.restart(ctx.holdMs / 2);
    return {};
  },
};

const replicaKillMidBatch: Scenario = {
  name: 'replica-kill-mid-batch',
  allowsCutOff: true, // requests in flight at the killed replica get no answer; the clients send them again
  async fault(ctx): Promise<FaultReport> {
    const { cluster } = ctx;
    await warmUp(ctx);
    const victim = cluster.replicas[0]!;
    // Slow the broker's answers, so a batch is in flight for a while and the kill lands inside one.
    cluster.proxy.setMode('delay', 300);
    try {
      const backend = await relayBackendOf(cluster, victim.pid!);
      const midBatch = await waitUntilMidBatch(cluster, backend, 15_000);
      const takeover = await measureTakeover(cluster, backend);
      const killedAt = Date.now();
      await victim.stop('SIGKILL');
      const takeoverMs = await takeover.done(killedAt);
      return { takeoverMs, midBatch, victimSlots: takeover.slots };
    } finally {
      cluster.proxy.setMode('pass');
      await victim.start();
    }
  },
};

const proxyFaults: Scenario = {
  name: 'proxy-faults',
  async fault(ctx) {
    const { proxy } = ctx.cluster;
    const step = Math.max(500, ctx.holdMs / 4);
    await warmUp(ctx);
    proxy.setMode('delay', 400);
    await sleep(step);
    proxy.setMode('black-hole');
    // Longer than the relay's send deadline (RELAY_SEND_TIMEOUT_MS, 5 s here): the outcome of the batch in flight
    // is unknown, and the relay must send it again after the partition heals.
    await sleep(Math.max(6_000, step));
    proxy.setMode('pass');
    await sleep(step / 2);
    proxy.setMode('reset');
    await sleep(step / 2);
    proxy.setMode('pass');
    await sleep(step / 2);
    proxy.setMode('drop');
    await sleep(step);
    proxy.setMode('pass');
    return {};
  },
};

/** PostgreSQL stopped with `-m immediate` under load: commits under way lose their connection. Their 503s must
 * not say "nothing stored" for what was stored (the load counts them: falsely_not_stored). */
const databaseImmediateStop: Scenario = {
  name: 'database-immediate-stop',
  async fault(ctx) {
    await warmUp(ctx);
    await ctx.cluster.postgres.restart(ctx.holdMs / 2, 'immediate');
    return {};
  },
};

/** SIGTERM while the load goes on: the load keeps sending to the replica until it is gone (no load balancer takes
 * it out), and every request sent gets an answer. */
async function gracefulStop(ctx: FaultContext, during?: { begin(): void; end(): void }): Promise<FaultReport> {
  await warmUp(ctx);
  const victim = ctx.cluster.replicas[1]!;
  during?.begin();
  const started = Date.now();
  try {
    await victim.stop('SIGTERM');
  } finally {
    during?.end();
  }
  const stopSeconds = (Date.now() - started) / 1000;
  const sigtermExit = victim.exits.at(-1)?.code ?? null;
  await sleep(ctx.holdMs / 2);
  await victim.start();
  return { sigtermExit, extra: { stop_seconds: stopSeconds.toFixed(1) } };
}

const replicaGracefulStop: Scenario = {
  name: 'replica-sigterm',
  answersEveryRequest: true,
  fault: (ctx) => gracefulStop(ctx),
};

/** The same with the broker frozen: the relay's send is in flight and never answered; the stop must still end
 * within its grace (exit 0), the rows left pending. */
const replicaGracefulStopBrokerFrozen: Scenario = {
  name: 'replica-sigterm-broker-frozen',
  answersEveryRequest: true,
  fault: (ctx) =>
    gracefulStop(ctx, {
      begin: () => ctx.cluster.broker.freeze(),
      end: () => ctx.cluster.broker.thaw(),
    }),
};

export const SCENARIOS: Scenario[] = [
  brokerKill,
  brokerFreeze,
  databaseRestart,
  databaseImmediateStop,
  replicaKillMidBatch,
  proxyFaults,
  replicaGracefulStop,
  replicaGracefulStopBrokerFrozen,
  webhookReceiverFaults(),
];
