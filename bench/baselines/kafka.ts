// B1: the same messages sent straight to the broker, without the bridge: kafkajs as the relay configures it
// (idempotent, acks -1, one request in flight, batches awaited one after another), and @platformatic/kafka with
// the same settings, to see what the choice of client costs.
import { Producer as PltProducer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import '../../src/kafka/request-queue-fix.ts'; // B1 runs kafkajs as the relay runs it
import { spread, type Spread } from '../stats.ts';

export interface Message {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface KafkaBaseline {
  client: string;
  messagesPerSecond: number;
  /** One message sent and acknowledged, one after another (ms). */
  ack: Spread;
}

/** One message every `intervalMs`, `samples` times: acknowledgements at the pace of a rate step. */
export interface Paced {
  intervalMs: number;
  samples: number;
}

interface Sender {
  send(batch: Message[]): Promise<void>;
  close(): Promise<void>;
}

async function kafkajsSender(brokers: string): Promise<Sender> {
  const kafka = new Kafka({ clientId: 'bench-b1', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    async send(batch) {
      const byTopic = new Map<string, Message[]>();
      for (const m of batch) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, ms]) => ({ topic, messages: ms.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) })),
      });
    },
    close: () => producer.disconnect(),
  };
}

async function platformaticSender(brokers: string): Promise<Sender> {
  const producer = new PltProducer({
    clientId: 'bench-b1-platformatic',
    bootstrapBrokers: brokers.split(','),
    idempotent: true,
    acks: ProduceAcks.ALL,
    serializers: stringSerializers,
    autocreateTopics: false,
  });
  return {
    async send(batch) {
      await producer.send({ messages: batch.map((m) => ({ topic: m.topic, key: m.key, value: m.value, headers: m.headers })) });
    },
    close: () => producer.close(),
  };
}

/** `samples` messages sent one at a time, each timed from send to acknowledgement: back to back, or with
 * `intervalMs` each due that long after the one before (on a fixed schedule; one that is late goes at once). */
async function timedAcks(sender: Sender, messages: readonly Message[], samples: number, intervalMs = 0): Promise<Spread> {
  const acks: number[] = [];
  const start = performance.now();
  for (let i = 1; i <= samples; i++) {
    if (intervalMs) await sleep(Math.max(0, start + i * intervalMs - performance.now()));
    const t = performance.now();
    await sender.send([messages[i % messages.length]!]);
    acks.push(performance.now() - t);
  }
  return spread(acks);
}

/** Messages sent in batches of `batchSize`, each awaited before the next: messages per second. */
async function throughput(sender: Sender, messages: readonly Message[], batchSize: number): Promise<number> {
  await sender.send(messages.slice(0, 1)); // connection and producer id outside the clock
  const started = performance.now();
  for (let i = 0; i < messages.length; i += batchSize) await sender.send(messages.slice(i, i + batchSize));
  return messages.length / ((performance.now() - started) / 1_000);
}

async function measure(client: string, sender: Sender, messages: readonly Message[], batchSize: number, ackSamples: number): Promise<KafkaBaseline> {
  try {
    const messagesPerSecond = await throughput(sender, messages, batchSize);
    return { client, messagesPerSecond, ack: await timedAcks(sender, messages, ackSamples) };
  } finally {
    await sender.close();
  }
}

/** Both clients: throughput in batches and one message's acknowledgement back to back. */
export async function kafkaBaselines(brokers: string, messages: readonly Message[], batchSize: number, ackSamples: number): Promise<KafkaBaseline[]> {
  return [
    await measure('kafkajs 2.2.4', await kafkajsSender(brokers), messages, batchSize, ackSamples),
    await measure('@platformatic/kafka', await platformaticSender(brokers), messages, batchSize, ackSamples),
  ];
}

/** B1 as the relay target's rounds take it: kafkajs only, a fresh producer, messages per second. */
export async function kafkajsThroughput(brokers: string, messages: readonly Message[], batchSize: number): Promise<number> {
  const sender = await kafkajsSender(brokers);
  try {
    return await throughput(sender, messages, batchSize);
  } finally {
    await sender.close();
  }
}

/** B1's acknowledgement at the pace of the end-to-end step it is set beside (decision 0097): kafkajs, one message
 * every `intervalMs`. */
export async function kafkajsPacedAck(brokers: string, messages: readonly Message[], paced: Paced): Promise<Spread> {
  const sender = await kafkajsSender(brokers);
  try {
    await sender.send(messages.slice(0, 1)); // connection and producer id outside the clock
    return await timedAcks(sender, messages, paced.samples, paced.intervalMs);
  } finally {
    await sender.close();
  }
}
