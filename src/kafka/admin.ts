// Topic creation at start and the broker check behind readiness.
import type { Admin, Kafka } from 'kafkajs';
import type { KafkaSettings } from '../deployment/findings.ts';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
}

export interface KafkaAdmin {
  ensureTopics(specs: TopicSpec[]): Promise<string[]>;
  ping(timeoutMs: number): Promise<void>;
  listTopics(): Promise<string[]>;
  /** The broker count and, for those of `topics` that exist, the settings their durability depends on. */
  describeDurability(topics: string[]): Promise<KafkaSettings>;
  deleteTopics(topics: string[]): Promise<void>;
  close(): Promise<void>;
}

// kafkajs's ConfigResourceTypes.TOPIC: its enum is not a named export Node's ES module loader can see.
const TOPIC_RESOURCE = 2;

const RETIRE_WAIT_MS = 8_000; // longest a retired client's last call can take (request timeout and retries)

export function createKafkaAdmin(kafka: Kafka): KafkaAdmin {
  let admin: Admin | undefined;
  let connecting: Promise<Admin> | undefined;
  let closed = false;
  const retiring = new Set<Promise<void>>();
  const inFlight = new Set<Promise<unknown>>();

  /** Runs a call and remembers it until it settles: close() waits for it, because kafkajs keeps working inside
   * a call (createTopics polls metadata until leaders exist) and reconnects a client disconnected under it. */
  function tracked<T>(call: () => Promise<T>): Promise<T> {
    const p = call();
    inFlight.add(p);
    void p.catch(() => undefined).finally(() => inFlight.delete(p));
    return p;
  }

  async function get(): Promise<Admin> {
    if (closed) throw new Error('Kafka admin is closed');
    if (admin) return admin;
    connecting ??= (async () => {
      const a = kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 } });
      try {
        await a.connect();
      } catch (err) {
        await a.disconnect().catch(() => undefined);
        throw err;
      } finally {
        connecting = undefined;
      }
      if (closed) {
        // close() ran while this connect was under way: leave no socket behind.
        await a.disconnect().catch(() => undefined);
        throw new Error('Kafka admin is closed');
      }
      admin = a;
      return a;
    })();
    return connecting;
  }

  /** Replaces the client after a failed call. kafkajs reconnects on the next request, so a client is only
   * disconnected once its last call has settled; disconnecting it earlier lets that call open a new socket
   * that nothing would ever close. */
  function retire(a: Admin | undefined, lastCall: Promise<unknown>): void {
    if (!a) return;
    if (admin === a) admin = undefined;
    const p = lastCall
      .then(
        () => a.disconnect(),
        () => a.disconnect(),
      )
      .catch(() => undefined);
    retiring.add(p);
    void p.finally(() => retiring.delete(p));
  }

  return {
    ensureTopics(specs) {
      return tracked(async () => {
        const a = await get();
        const existing = new Set(await a.listTopics());
        const missing = specs.filter((s) => !existing.has(s.topic));
        if (missing.length === 0) return [];
        await a.createTopics({
          waitForLeaders: true,
          topics: missing.map((s) => ({ topic: s.topic, numPartitions: s.partitions, replicationFactor: s.replicationFactor })),
        });
        return missing.map((s) => s.topic);
      });
    },
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      let client: Admin | undefined;
      const call = tracked(async () => {
        client = await get();
        await client.describeCluster();
      });
      try {
        await Promise.race([
          call,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('Kafka admin call timed out')), timeoutMs);
          }),
        ]);
      } catch (err) {
        // A fresh client next time: after a broker restart kafkajs may hold on to a dead socket.
        retire(client ?? admin, call);
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
    listTopics() {
      return tracked(async () => (await get()).listTopics());
    },
    describeDurability(topics) {
      return tracked(async () => {
        const a = await get();
        const { brokers } = await a.describeCluster();
        const existing = new Set(await a.listTopics());
        const names = topics.filter((t) => existing.has(t));
        if (names.length === 0) return { brokers: brokers.length, topics: [] };
        const [metadata, configs] = await Promise.all([
          a.fetchTopicMetadata({ topics: names }),
          a.describeConfigs({
            includeSynonyms: false,
            resources: names.map((name) => ({
              type: TOPIC_RESOURCE,
              name,
              configNames: ['min.insync.replicas', 'unclean.leader.election.enable'],
            })),
          }),
        ]);
        const config = new Map(configs.resources.map((r) => [r.resourceName, new Map(r.configEntries.map((e) => [e.configName, e.configValue]))]));
        return {
          brokers: brokers.length,
          topics: metadata.topics.map((t) => ({
            topic: t.name,
            replicationFactor: Math.min(...t.partitions.map((p) => p.replicas.length)),
            // A topic's describe gives the value in force: its own, else the broker's default.
            minInsyncReplicas: Number(config.get(t.name)?.get('min.insync.replicas') ?? 1),
            uncleanLeaderElection: config.get(t.name)?.get('unclean.leader.election.enable') === 'true',
          })),
        };
      });
    },
    deleteTopics(topics) {
      return tracked(async () => {
        if (topics.length > 0) await (await get()).deleteTopics({ topics, timeout: 10_000 });
      });
    },
    async close() {
      closed = true;
      await connecting?.catch(() => undefined);
      await Promise.race([Promise.all([...inFlight].map((p) => p.catch(() => undefined))), new Promise((r) => setTimeout(r, RETIRE_WAIT_MS).unref())]);
      const a = admin;
      admin = undefined;
      await a?.disconnect().catch(() => undefined);
      await Promise.race([Promise.all([...retiring]), new Promise((r) => setTimeout(r, RETIRE_WAIT_MS).unref())]);
    },
  };
}
