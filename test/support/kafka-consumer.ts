// Reads a topic from the beginning with a real consumer, as a recipient would.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createKafka } from '../../src/kafka/client.ts';
import { createConsumer } from '../../src/kafka/consumer.ts';
import { createLogger } from '../../src/logger.ts';
import { assertNlGovCloudEvent } from './cloudevents.ts';
import { assertMatchesContract } from './contract.ts';

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Collects messages until `count` have arrived (then waits `settleMs` more to catch extras) or the timeout passes.
 * Every message read is checked against the NL GOV profile for CloudEvents (test/support/cloudevents.ts): a
 * bridge topic carries nothing else; and against its channel in the AsyncAPI document of the bridge that wrote it
 * (test/support/contract.ts). */
export async function readTopic(topic: string, opts: { count: number; timeoutMs?: number; settleMs?: number; brokers?: string }): Promise<ReceivedMessage[]> {
  const kafka = createKafka({ kafkaBrokers: (opts.brokers ?? inject('kafkaBrokers')).split(','), kafkaClientId: 'test-consumer' }, createLogger('error'));
  const consumer = createConsumer(kafka, `test-${randomBytes(4).toString('hex')}`);
  const got: ReceivedMessage[] = [];
  let reached: () => void = () => undefined;
  const enough = new Promise<void>((r) => (reached = r));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: t, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        got.push({ topic: t, partition, offset: message.offset, key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', headers });
        if (got.length >= opts.count) reached();
      },
    });
    const timeout = new Promise<void>((r) => setTimeout(r, opts.timeoutMs ?? 20_000));
    await Promise.race([enough, timeout]);
    if (got.length >= opts.count && opts.settleMs !== 0) await new Promise((r) => setTimeout(r, opts.settleMs ?? 1_000));
    for (const m of got) {
      assertNlGovCloudEvent(m);
      assertMatchesContract(m);
    }
    return got;
  } finally {
    await consumer.disconnect();
  }
}
