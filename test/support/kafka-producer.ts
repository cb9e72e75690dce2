// Writes raw messages to a topic, as a ZSM system publishing to the inbound topic would.
import { inject } from 'vitest';
import { createKafka } from '../../src/kafka/client.ts';
import { createLogger } from '../../src/logger.ts';

export async function produce(topic: string, messages: { key?: string; value: string | Buffer; headers?: Record<string, string> }[]): Promise<void> {
  const kafka = createKafka({ kafkaBrokers: inject('kafkaBrokers').split(','), kafkaClientId: 'test-zsm-producer' }, createLogger('error'));
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    // One send per message, in order: each is its own publication, as from a live system.
    for (const m of messages) await producer.send({ topic, acks: -1, messages: [{ key: m.key ?? null, value: m.value, headers: m.headers ?? {} }] });
  } finally {
    await producer.disconnect();
  }
}
