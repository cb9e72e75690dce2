// The only place (with its siblings in src/kafka/) that imports kafkajs. kafkajs has had no release since 2.2.4,
// so a later switch of client should touch this folder only.
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../logger.ts';
import './request-queue-fix.ts'; // before any connection is made: see there

export interface KafkaSettings {
  kafkaBrokers: string[];
  kafkaClientId: string;
  kafkaRequestTimeoutMs?: number;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: settings.kafkaClientId,
    brokers: settings.kafkaBrokers,
    connectionTimeout: 3_000,
    requestTimeout: settings.kafkaRequestTimeoutMs ?? 5_000,
    // Connection-level retries stay short: the relay and readiness have their own deadlines and retry loops.
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      // Retries are bounded on purpose (see producer.ts): the warning about it is not news to an operator.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      // kafkajs log entries carry broker addresses and error text, never message contents.
      log[LEVELS[entry.level] ?? 'info']({ namespace: entry.namespace, ...rest }, message);
    },
  });
}

export type { Kafka };
