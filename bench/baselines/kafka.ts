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
  /** The same, one message every `intervalMs` (the pace of the end-to-end step it is set beside). */
  pacedAck?: Spread;
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
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return {
    async send(batch) {
      const byTopic = new Map<string, Message[]>();
      for (const m of batch) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, ms]) => ({ topic, messages: ms.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) })) });
    },
    close: () => producer.disconnect(),
  };
}

async function platformaticSender(brokers: string): Promise<Sender> {
  const producer = new PltProducer({
    clientId: 'bench-b1-platformatic', bootstrapBrokers: brokers.split(','), idempotent: true, acks: ProduceAcks.ALL,
    serializers: stringSerializers, autocreateTopics: false,
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

async function measure(client: string, sender: Sender, messages: readonly Message[], batchSize: number, ackSamples: number, paced?: Paced): Promise<KafkaBaseline> {
  try {
    await sender.send(messages.slice(0, 1)); // connection and producer id outside the clock
    const started = performance.now();
    for (let i = 0; i < messages.length; i += batchSize) await sender.send(messages.slice(i, i + batchSize));
    const seconds = (performance.now() - started) / 1_000;
    const ack = await timedAcks(sender, messages, ackSamples);
    const pacedAck = paced && await timedAcks(sender, messages, paced.samples, paced.intervalMs);
    return { client, messagesPerSecond: messages.length / seconds, ack, ...(pacedAck && { pacedAck }) };
  } finally {
    await sender.close();
  }
}

export async function kafkaBaselines(brokers: string, messages: readonly Message[], batchSize: number, ackSamples: number, paced?: Paced): Promise<KafkaBaseline[]> {
  return [
    await measure('kafkajs 2.2.4', await kafkajsSender(brokers), messages, batchSize, ackSamples, paced),
    await measure('@platformatic/kafka', await platformaticSender(brokers), messages, batchSize, ackSamples, paced),
  ];
}
