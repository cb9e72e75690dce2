// A bridge for one test file: its own fresh database (from the migrated template), its own topic prefix,
// real PostgreSQL and Kafka, and its log lines captured.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import app from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createHttpServer } from '../../src/http/create-server.ts';
import { createLogger } from '../../src/logger.ts';
import { closeServices, createServices, ensureTopics, type Services } from '../../src/services.ts';
import { topicName } from '../../src/kafka/topics.ts';
import { asyncApiDocument } from '../../src/contract/asyncapi.ts';
import { createDatabase } from '../../harness/database.ts';
import { registerContract } from './contract.ts';
import { LogCapture } from './log-capture.ts';
import type { TestClientName } from './clients.ts';

export const TEST_OIN = '00000009999999999000';

/** A new database cloned from the run's migrated template. */
export async function freshDatabase(): Promise<string> {
  return createDatabase(inject('pgServerUrl'), `bridge_${inject('runId')}_${randomBytes(4).toString('hex')}`, { template: inject('templateDatabase') });
}

/** A new database with nothing in it (not migrated); `tag` tells the test files' databases apart. */
export async function emptyDatabase(tag: string): Promise<string> {
  return createDatabase(inject('pgServerUrl'), `bridge_${inject('runId')}_${tag}${randomBytes(3).toString('hex')}`);
}

export function testEnv(databaseUrlValue: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const prefix = `${inject('runId')}.${randomBytes(3).toString('hex')}.`;
  return {
    DATABASE_URL: databaseUrlValue,
    KAFKA_BROKERS: inject('kafkaBrokers'),
    KAFKA_TOPIC_PREFIX: prefix,
    // Each test bridge is a deployment of its own: with the default group every bridge on the broker (parallel test
    // files, a bridge killed without leaving the group) joined one consumer group, and a rebalance could wait out a
    // dead member's session while an inbound test waited 30 s for its messages.
    INBOUND_GROUP_ID: `${prefix}inbound`,
    KAFKA_TOPIC_PARTITIONS: '3',
    BRIDGE_OIN: TEST_OIN,
    PSEUDONYM_KEY: 'test-only-pseudonym-secret-0123456789abcdef',
    LOG_LEVEL: 'info',
    PG_POOL_MAX: '5',
    RELAY_POLL_INTERVAL_MS: '200',
    RELAY_SEND_TIMEOUT_MS: '5000',
    RELAY_MAX_BACKOFF_MS: '1000',
    // The run's test clients (test/support/clients.ts); bridge.inject() sends their tokens.
    CLIENTS_FILE: inject('testClients').path,
    // Shedding is off unless a test turns it on: on a shared 2-core machine the event loop stalls now and then,
    // and a test about something else must not get a 503 for it.
    SHED_EVENT_LOOP_DELAY_MS: '0',
    SHED_DB_WAITING: '0',
    ...extra,
  };
}

export interface TestBridge {
  app: FastifyInstance;
  services: Services;
  config: Config;
  logs: LogCapture;
  topic(kind: string, recipient: string): string;
  /** app.inject as a test client (default: the GCOS client of the example advice's Veiligheidshuis); null: no credentials. */
  inject(opts: InjectOptions, as?: TestClientName | null): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The Authorization header of a test client. */
export function authorization(as: TestClientName): Record<string, string> {
  return { authorization: `Bearer ${inject('testClients').tokens[as]}` };
}

export interface StartOptions {
  env?: Record<string, string>;
  databaseUrl?: string;
  relay?: boolean;
  /** Start the webhook deliverer (off by default: only the webhook tests need its connection and loops). */
  webhooks?: boolean;
  /** Extra routes registered after the app (to test what the app does with routes added later). */
  routes?: (app: FastifyInstance) => void;
}

export async function startBridge(options: StartOptions = {}): Promise<TestBridge> {
  const config = loadConfig(testEnv(options.databaseUrl ?? (await freshDatabase()), options.env));
  const logs = new LogCapture();
  const logger = createLogger(config.logLevel, logs);
  const services = createServices(config, logger);
  await ensureTopics(services);
  const server = createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes, requestTimeoutMs: config.requestTimeoutMs, tls: config.tls });
  await server.register(app, { services });
  options.routes?.(server);
  await server.ready();
  // What this bridge says it sends, as GET /v1/asyncapi.json serves it: readTopic checks every message against it
  // (test/support/contract.ts).
  registerContract(() =>
    asyncApiDocument({
      policy: services.plan.policy,
      regions: services.regions,
      topicPrefix: config.kafkaTopicPrefix,
      deadLetterTopic: services.deadLetterTopic,
      inboundTopic: services.inboundTopic,
      inboundGroupId: config.inboundGroupId,
    }),
  );
  if (options.relay ?? true) services.relay.start();
  if (options.webhooks) services.webhooks.start();
  return {
    app: server,
    services,
    config,
    logs,
    topic: (kind, recipient) => topicName(config.kafkaTopicPrefix, kind, recipient),
    inject: (opts, as = 'gcos') => server.inject({ ...opts, headers: { ...(as ? authorization(as) : {}), ...(opts.headers ?? {}) } }),
    async close() {
      await server.close();
      await closeServices(services);
    },
  };
}
