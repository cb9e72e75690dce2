// Consumer factory: used by the inbound topic, the example consumer and the tests.
import type { Consumer, ConsumerConfig, EachMessagePayload, Kafka } from 'kafkajs';

export type { Consumer, EachMessagePayload };

export function createConsumer(kafka: Kafka, groupId: string, options: Partial<ConsumerConfig> = {}): Consumer {
  return kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, allowAutoTopicCreation: false, ...options });
}
