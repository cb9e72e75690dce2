// A replicated Kafka of the harness's own: three KRaft nodes (each broker and controller, a quorum of three) from
// the same jars as the single broker (scripts/kafka.sh run), internal topics and the topics' default replication
// factor 3, min.insync.replicas 2. Every node advertises the port of a TCP proxy of its own, so clients and the
// other nodes' replica fetches reach it through that proxy; and each node reaches each other node's controller
// through a proxy of that pair (node i's controller.quorum.voters names them), so one node can be cut off from
// everyone: its client proxy and the controller proxies to and from it black-holed.
import { randomBytes } from 'node:crypto';
import { createKafka } from '../src/kafka/client.ts';
import { createLogger } from '../src/logger.ts';
import { freePort } from '../harness/ports.ts';
import { keepFolder, sleep } from '../harness/processes.ts';
import { OwnedBroker } from './owned-broker.ts';
import { TcpProxy } from './tcp-proxy.ts';

export const REPLICATION = 3;
export const MIN_INSYNC = 2;

export interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  isr: number[];
}

export class KafkaNodes {
  /** nodes[i] has node.id i + 1. */
  readonly nodes: OwnedBroker[] = [];
  /** The address clients use for nodes[i]. */
  readonly proxies: TcpProxy[] = [];
  /** controllerProxies[i][j]: node i's way to node j's controller (undefined for i = j). */
  readonly controllerProxies: (TcpProxy | undefined)[][] = [];

  get brokers(): string {
    return this.proxies.map((p) => `127.0.0.1:${p.port}`).join(',');
  }

  static async create(size = 3): Promise<KafkaNodes> {
    const k = new KafkaNodes();
    try {
      const clusterId = randomBytes(16).toString('base64url').replace(/^-/, 'A');
      for (let i = 0; i < size; i++) k.nodes.push(await OwnedBroker.create(await freePort()));
      for (const [i, node] of k.nodes.entries()) {
        k.proxies.push(await TcpProxy.listen({ host: '127.0.0.1', port: node.port }, node.advertisedPort));
        const row: (TcpProxy | undefined)[] = [];
        for (const [j, other] of k.nodes.entries()) row.push(i === j ? undefined : await TcpProxy.listen({ host: '127.0.0.1', port: other.controllerPort }));
        k.controllerProxies.push(row);
      }
      for (const [i, node] of k.nodes.entries()) {
        const voters = k.nodes.map((other, j) => `${j + 1}@127.0.0.1:${i === j ? other.controllerPort : k.controllerProxies[i]![j]!.port}`).join(',');
        node.settings = {
          KAFKA_NODE_ID: String(i + 1),
          KAFKA_QUORUM_VOTERS: voters,
          KAFKA_CLUSTER_ID: clusterId,
          KAFKA_REPLICATION: String(Math.min(REPLICATION, size)),
          KAFKA_MIN_INSYNC: String(Math.min(MIN_INSYNC, size)),
        };
      }
      return k;
    } catch (err) {
      await k.destroy();
      throw err;
    }
  }

  /** All at once: a node reports itself started only once the quorum has a leader. */
  async start(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.start()));
  }

  /** Cuts node i off from clients and from the other nodes (its controller traffic both ways, fetches from it). */
  isolate(i: number): void {
    this.proxies[i]!.setMode('black-hole');
    for (const [a, row] of this.controllerProxies.entries()) for (const [b, p] of row.entries()) if (p && (a === i || b === i)) p.setMode('black-hole');
  }

  heal(): void {
    for (const p of this.proxies) p.setMode('pass');
    for (const row of this.controllerProxies) for (const p of row) p?.setMode('pass');
  }

  /** Leader and in-sync replicas of every partition of the topics with this prefix (node ids 1..3). */
  async partitions(prefix: string): Promise<PartitionState[]> {
    const kafka = createKafka({ kafkaBrokers: this.brokers.split(','), kafkaClientId: 'chaos-topology' }, createLogger('fatal'));
    const admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } });
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      const meta = await admin.fetchTopicMetadata({ topics });
      return meta.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionId, leader: p.leader, isr: p.isr })));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** The topic-level min.insync.replicas in force for a topic (the broker default unless the topic sets it). */
  async minInsync(topic: string): Promise<number> {
    const kafka = createKafka({ kafkaBrokers: this.brokers.split(','), kafkaClientId: 'chaos-topology' }, createLogger('fatal'));
    const admin = kafka.admin();
    await admin.connect();
    try {
      const r = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2 /* TOPIC */, name: topic, configNames: ['min.insync.replicas'] }],
      });
      return Number(r.resources[0]?.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** The node (index) leading most partitions of the run's topics. */
  async busiestLeader(prefix: string): Promise<number> {
    const counts = new Map<number, number>();
    for (const p of await this.partitions(prefix)) if (p.leader > 0) counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1);
    const [id] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [1];
    return id - 1;
  }

  /** Waits until every partition of the run's topics has all three replicas in sync again (as an operator waits
   * between two restarts of a rolling restart). */
  async inSync(prefix: string, timeoutMs = 120_000): Promise<void> {
    const started = Date.now();
    let last = '';
    while (Date.now() - started < timeoutMs) {
      try {
        const parts = await this.partitions(prefix);
        const short = parts.filter((p) => p.isr.length < this.nodes.length || p.leader < 0);
        if (parts.length > 0 && short.length === 0) return;
        last = `${short.length} of ${parts.length} partitions short`;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(500);
    }
    throw new Error(`Kafka replicas not in sync after ${timeoutMs} ms: ${last}`);
  }

  async destroy(): Promise<void> {
    for (const p of this.proxies) await p.close().catch(() => undefined);
    for (const row of this.controllerProxies) for (const p of row) await p?.close().catch(() => undefined);
    const keep = process.env['CHAOS_KEEP_LOGS'] !== undefined;
    await Promise.all(this.nodes.map((n) => (keep ? n.stop('SIGKILL') : n.destroy()).catch(() => undefined)));
    if (!keep) return;
    for (const n of this.nodes) {
      keepFolder(n.stateDir);
      process.stderr.write(`chaos: Kafka node state kept in ${n.stateDir}\n`);
    }
  }
}
