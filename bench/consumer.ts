// A recipient's consumer (kafkajs, its own group) on the OM's advice topic: it notes for every message the record
// id, the acceptance time the message carries (ce_time) and when it arrived.
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import '../src/kafka/request-queue-fix.ts'; // an idle kafkajs connection must not wake the load generator every millisecond

export interface Arrival {
  recordId: string;
  /** ce_time: when the bridge accepted the record (wall clock, ms). */
  acceptedAt: number;
  /** Wall clock and performance.now() at arrival. */
  wall: number;
  at: number;
}

export interface E2eConsumer {
  arrivals: Map<string, Arrival>;
  close(): Promise<void>;
}

export async function startConsumer(brokers: string, topic: string): Promise<E2eConsumer> {
  const kafka = new Kafka({ clientId: 'bench-consumer', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer: Consumer = kafka.consumer({ groupId: `bench-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  const arrivals = new Map<string, Arrival>();
  await consumer.connect();
  // The bridge creates its topics in the background after it answers ready: wait for the topic to exist.
  for (let attempt = 0; ; attempt++) {
    try {
      await consumer.subscribe({ topic, fromBeginning: false });
      break;
    } catch (err) {
      if ((err as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt >= 60) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const wall = Date.now();
      const at = performance.now();
      const recordId = (JSON.parse(message.value?.toString() ?? '{}') as { recordId?: string }).recordId;
      const ceTime = message.headers?.['ce_time']?.toString();
      if (recordId && ceTime && !arrivals.has(recordId)) arrivals.set(recordId, { recordId, acceptedAt: Date.parse(ceTime), wall, at });
    },
  });
  await joined;
  // Fetch offsets are set once the group has joined; a short pause lets the first fetch start.
  await new Promise((r) => setTimeout(r, 500));
  return { arrivals, close: () => consumer.disconnect() };
}
