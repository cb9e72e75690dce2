// Topic creation at start and the broker check behind readiness.
import type { Admin, Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
}

export interface KafkaAdmin {
  ensureTopics(specs: TopicSpec[]): Promise<string[]>;
  ping(timeoutMs: number): Promise<void>;
  listTopics(): Promise<string[]>;
  deleteTopics(topics: string[]): Promise<void>;
  close(): Promise<void>;
}

export function createKafkaAdmin(kafka: Kafka): KafkaAdmin {
  let admin: Admin | undefined;
  let connecting: Promise<Admin> | undefined;

  async function get(): Promise<Admin> {
    if (admin) return admin;
    connecting ??= (async () => {
      const a = kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 } });
      try {
        await a.connect();
      } finally {
        connecting = undefined;
      }
      admin = a;
      return a;
    })();
    return connecting;
  }

  async function reset(): Promise<void> {
    const a = admin;
    admin = undefined;
    await a?.disconnect().catch(() => undefined);
  }

  return {
    async ensureTopics(specs) {
      const a = await get();
      const existing = new Set(await a.listTopics());
      const missing = specs.filter((s) => !existing.has(s.topic));
      if (missing.length === 0) return [];
      await a.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({ topic: s.topic, numPartitions: s.partitions, replicationFactor: s.replicationFactor })),
      });
      return missing.map((s) => s.topic);
    },
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          (async () => {
            const a = await get();
            await a.describeCluster();
          })(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('Kafka admin call timed out')), timeoutMs);
          }),
        ]);
      } catch (err) {
        // A fresh connection next time: kafkajs may keep a dead socket otherwise.
        await reset();
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
    async listTopics() {
      return (await get()).listTopics();
    },
    async deleteTopics(topics) {
      if (topics.length > 0) await (await get()).deleteTopics({ topics, timeout: 10_000 });
    },
    async close() {
      await reset();
    },
  };
}
