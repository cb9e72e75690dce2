// Reads every topic with the run's prefix from the beginning to its end (the high watermark when the read
// starts), as a recipient would, with a consumer group of its own. `brokers`: one address or several, comma-separated.
import { randomBytes } from 'node:crypto';
import { createKafka } from '../src/kafka/client.ts';
import { createConsumer } from '../src/kafka/consumer.ts';
import { createLogger } from '../src/logger.ts';

export interface ReadMessage {
  topic: string;
  partition: number;
  offset: number;
  ceId: string;
  recordId: string;
}

export async function readAllTopics(brokers: string, prefix: string, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const kafka = createKafka({ kafkaBrokers: brokers.split(','), kafkaClientId: 'chaos-checker' }, createLogger('fatal'));
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>(); // "topic/partition" -> high watermark
  let topics: string[];
  try {
    topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    for (const t of topics) for (const p of await admin.fetchTopicOffsets(t)) if (Number(p.high) > 0) ends.set(`${t}/${p.partition}`, Number(p.high));
  } finally {
    await admin.disconnect();
  }
  const got: ReadMessage[] = [];
  if (ends.size === 0) return got;
  const consumer = createConsumer(kafka, `chaos-checker-${randomBytes(4).toString('hex')}`);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: topics.filter((t) => [...ends.keys()].some((k) => k.startsWith(`${t}/`))), fromBeginning: true });
    let finished: () => void = () => undefined;
    const all = new Promise<void>((r) => (finished = r));
    const remaining = new Set(ends.keys());
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const offset = Number(message.offset);
        const payload = JSON.parse(message.value?.toString() ?? '{}') as { recordId?: string };
        got.push({ topic, partition, offset, ceId: String(message.headers?.['ce_id'] ?? ''), recordId: payload.recordId ?? '' });
        const key = `${topic}/${partition}`;
        if (offset + 1 >= (ends.get(key) ?? 0)) remaining.delete(key);
        if (remaining.size === 0) finished();
      },
    });
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
    if (timedOut) throw new Error(`reading the topics did not reach their end in ${timeoutMs} ms (${remaining.size} partitions short)`);
    return got;
  } finally {
    await consumer.disconnect();
  }
}
