// The relay's producer does not retry inside kafkajs: kafkajs's retry of a batch spanning several partition
// leaders skips a partition whose leadership moved to a broker that had answered the first attempt, and the send
// resolves without it (messages marked delivered and never written). The three-node chaos scenarios
// (test/integration/chaos/topology.test.ts) are the end-to-end check; this pins the setting.
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { PRODUCER_CONFIG } from '../../../src/kafka/producer.ts';

describe('the relay producer settings', () => {
  it('fails a send as a whole instead of retrying inside kafkajs, one request in flight', () => {
    expect(PRODUCER_CONFIG.retry.retries).toBe(0);
    expect(PRODUCER_CONFIG.maxInFlightRequests).toBe(1);
    // kafkajs refuses an idempotent producer without retries: the setting must be one it accepts.
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING });
    expect(() => kafka.producer(PRODUCER_CONFIG)).not.toThrow();
    expect(() => kafka.producer({ ...PRODUCER_CONFIG, idempotent: true })).toThrow(/retries/);
  });
});
