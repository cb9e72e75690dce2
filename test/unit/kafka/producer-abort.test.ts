// The relay's producer gives up a send when its caller stops, however long the broker keeps it waiting.
import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaSendAbortedError } from '../../../src/kafka/errors.ts';
import { createMessageProducer } from '../../../src/kafka/producer.ts';
import { createLogger } from '../../../src/logger.ts';

/** A broker that takes the connection and never acknowledges (frozen). */
function frozenKafka(): { kafka: Kafka; disconnects: () => number } {
  let disconnects = 0;
  const kafka = {
    producer: () => ({
      connect: async () => undefined,
      sendBatch: () => new Promise(() => undefined),
      disconnect: async () => void disconnects++,
    }),
  } as unknown as Kafka;
  return { kafka, disconnects: () => disconnects };
}

const message = { topic: 't', key: 'k', value: '{}', headers: {} };

describe('a send given up', () => {
  it('rejects with KafkaSendAbortedError when its signal aborts, long before its deadline, and close() disconnects the producer', async () => {
    const { kafka, disconnects } = frozenKafka();
    const producer = createMessageProducer(kafka, createLogger('silent'));
    const stop = new AbortController();
    const sending = producer.send([message], 3_600_000, stop.signal);
    stop.abort();
    await expect(sending).rejects.toBeInstanceOf(KafkaSendAbortedError);
    await producer.close();
    expect(disconnects()).toBeGreaterThanOrEqual(1);
  });

  it('rejects at once when the signal has aborted already', async () => {
    const producer = createMessageProducer(frozenKafka().kafka, createLogger('silent'));
    await expect(producer.send([message], 3_600_000, AbortSignal.abort())).rejects.toBeInstanceOf(KafkaSendAbortedError);
    await producer.close();
  });
});
