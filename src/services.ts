// Everything the service holds open: built once at start, closed once at shutdown. Tests build their own.
import type { Config } from './config.ts';
import { DEFAULT_REGISTER_FILE, loadActivityRegister, useActivityRegister } from './exchange/activity-register.ts';
import type { ExchangePlan } from './exchange/plan.ts';
import { loadExchangePolicy } from './exchange/policy-load.ts';
import { createPolicyPlan } from './exchange/policy-plan.ts';
import { loadRegionDirectory, type RegionDirectory } from './regions/regions.ts';
import { kindSchemas } from './ingest/kinds/index.ts';
import { createJobs } from './jobs/index.ts';
import { createScheduler, type Scheduler } from './jobs/scheduler.ts';
import { createDurabilityCheck, type DurabilityCheck } from './deployment/durability-check.ts';
import { createKafkaAdmin, type KafkaAdmin } from './kafka/admin.ts';
import { createKafka, type Kafka } from './kafka/client.ts';
import { createMessageProducer, type MessageProducer } from './kafka/producer.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { flushTracing } from './observability/tracing-sdk.ts';
import { createPseudonymiser, type Pseudonymiser } from './privacy/pseudonym.ts';
import type { IncidentSource } from './feedback/incident-source.ts';
import { caseEventIncidents } from './feedback/incident-source.ts';
import { createInboundConsumer, type InboundConsumer } from './inbound/consumer.ts';
import { deadLetterTopicName, inboundTopicName } from './kafka/topics.ts';
import { setDataschemaBase } from './outbox/cloudevents.ts';
import { createFeedWake, type FeedWake } from './feed/feed-wake.ts';
import { createRelay, type Relay } from './relay/relay.ts';
import { createOutboxNotifier, type OutboxNotifier } from './store/outbox-notify.ts';
import { createPool, type Pool } from './store/pool.ts';
import { hostname } from 'node:os';
import type { BlockList } from 'node:net';
import { allowedNetworks } from './webhook/address-guard.ts';
import { createWebhookDeliverer, type WebhookDeliverer } from './webhook/deliverer.ts';
import { readDeclaredSubscriptions } from './webhook/declared-subscriptions.ts';
import { applyDeclaredSubscriptions } from './webhook/subscriptions.ts';
import { randomBytes } from 'node:crypto';
import { secretBox, type SecretBox } from './webhook/secrets.ts';
import { API_VERSION } from './version.ts';

export interface Services {
  config: Config;
  logger: Logger;
  pool: Pool;
  kafka: Kafka;
  admin: KafkaAdmin;
  producer: MessageProducer;
  metrics: Metrics;
  pseudonymiser: Pseudonymiser;
  plan: ExchangePlan;
  /** Incidents the bridge holds about a person (from ZSM case events), for domestic-violence advices. */
  incidents: IncidentSource;
  relay: Relay;
  /** One LISTEN on the outbox channel for every reader waiting for new rows (the pull feed). */
  feedWake: FeedWake;
  /** The NOTIFY that tells other processes of new outbox rows, sent after the ingest's commit (decision 0114). */
  outboxNotifier: OutboxNotifier;
  /** Called after a commit that stored outbox rows: wakes this process's relay, webhooks and feed now, and tells
   * the other replicas. */
  stored: () => void;
  scheduler: Scheduler;
  /** The Zorg- en Veiligheidshuis regions (data/): routing of case events, links between records. */
  regions: RegionDirectory;
  /** The inbound topic of ZSM case events, and where what cannot be taken is announced. */
  inbound: InboundConsumer;
  inboundTopic: string;
  deadLetterTopic: string;
  /** The PostgreSQL and Kafka settings the guarantees depend on (decision 0107). */
  durability: DurabilityCheck;
  /** Webhook push (decision 0111): the deliverer, the box sealing the subscriptions' secrets, the networks a
   * webhook may reach despite being private. */
  webhooks: WebhookDeliverer;
  webhookSecrets: SecretBox;
  webhookAllowed: BlockList;
}

/** Builds every service. Throws a PolicyError, before opening anything, when the exchange policy is broken. */
export function createServices(config: Config, logger: Logger): Services {
  // Every message's dataschema points back here (src/outbox/cloudevents.ts).
  setDataschemaBase(config.publicBaseUrl);
  const kinds = kindSchemas();
  const policy = loadExchangePolicy(config.exchangePolicyFile, kinds);
  const pseudonymiser = createPseudonymiser(config.pseudonymKey, config.pseudonymKeyId, config.pseudonymPreviousKeys);
  const regions = loadRegionDirectory();
  const plan = createPolicyPlan(policy, kinds, config.kafkaTopicPrefix, pseudonymiser, regions);
  // Every activity the bridge logs under must be in the register its spans point into; checked before anything opens.
  const activities = [...kinds.map((k) => plan.processingActivity(k.name)), ...Object.values(policy.processingActivities).map((a) => a.processingActivity)];
  useActivityRegister(loadActivityRegister(DEFAULT_REGISTER_FILE, config.processingActivityRegisterUrl, activities));
  const pool = createPool(config, logger);
  const kafka = createKafka(config, logger);
  const metrics = createMetrics({ tlsCertificate: config.tls?.cert });
  const producer = createMessageProducer(kafka, logger);
  const runner = `${hostname()}:${process.pid}`;
  const relay = createRelay(producer, metrics, logger, {
    databaseUrl: config.databaseUrl,
    batchSize: config.relayBatchSize,
    sendTimeoutMs: config.relaySendTimeoutMs,
    pollIntervalMs: config.relayPollIntervalMs,
    maxBackoffMs: config.relayMaxBackoffMs,
    replicaId: runner,
  });
  const webhookSecrets = secretBox(config.webhookSecretKey ?? config.pseudonymKey);
  const webhookAllowed = allowedNetworks(config.webhookAllowedNetworks.split(',').filter((n) => n.trim() !== ''));
  const webhooks = createWebhookDeliverer({
    databaseUrl: config.databaseUrl,
    pool,
    metrics,
    logger,
    secrets: webhookSecrets,
    backoff: { minMs: config.webhookBackoffMinMs, maxMs: config.webhookBackoffMaxMs, deadlineMs: config.webhookDeliveryDeadlineMs },
    sender: { timeoutMs: config.webhookTimeoutMs, allowed: webhookAllowed, userAgent: `gcos-zsm-bridge/${API_VERSION}` },
    pollIntervalMs: config.webhookPollIntervalMs,
    replicaId: runner,
  });
  const feedWake = createFeedWake(config.databaseUrl, logger);
  const outboxNotifier = createOutboxNotifier(pool, (err) =>
    logger.warn({ err: { message: (err as Error).message } }, 'outbox NOTIFY not sent; other replicas find the rows when they poll'),
  );
  const stored = () => {
    relay.nudge();
    webhooks.nudge();
    feedWake.nudge();
    outboxNotifier.send();
  };
  const incidents = caseEventIncidents(pool);
  const inboundTopic = inboundTopicName(config.kafkaTopicPrefix, config.inboundTopic);
  const deadLetterTopic = deadLetterTopicName(config.kafkaTopicPrefix);
  const admin = createKafkaAdmin(kafka);
  const durability = createDurabilityCheck({
    pool,
    admin,
    metrics,
    logger,
    mode: config.durabilityChecks,
    topics: () => [...plan.topics(), inboundTopic, deadLetterTopic],
  });
  return {
    config,
    logger,
    pool,
    kafka,
    metrics,
    pseudonymiser,
    producer,
    relay,
    feedWake,
    outboxNotifier,
    stored,
    admin,
    plan,
    incidents,
    scheduler: createScheduler(pool, createJobs(config, { plan, pseudonymiser }), metrics, logger, runner),
    regions,
    inbound: createInboundConsumer(
      kafka,
      {
        pool,
        plan,
        pseudonymiser,
        metrics,
        bridgeOin: config.bridgeOin,
        logger,
        severities: config.qualitySeverities,
        incidents,
        regions,
        stored,
        outcomeWaitMs: config.pgOutcomeWaitMs,
      },
      logger,
      {
        topic: inboundTopic,
        groupId: config.inboundGroupId,
        deadLetterTopic,
      },
    ),
    inboundTopic,
    deadLetterTopic,
    durability,
    webhooks,
    webhookSecrets,
    webhookAllowed,
  };
}

/** Creates the plan's topics, retrying in the background until Kafka answers; ingest does not wait for it. */
export async function ensureTopics(s: Services, signal?: AbortSignal): Promise<void> {
  const specs = [...s.plan.topics(), s.inboundTopic, s.deadLetterTopic].map((topic) => ({
    topic,
    partitions: s.config.kafkaTopicPartitions,
    replicationFactor: s.config.kafkaReplicationFactor,
  }));
  for (let delay = 500; !signal?.aborted; delay = Math.min(delay * 2, 15_000)) {
    try {
      const created = await s.admin.ensureTopics(specs);
      if (created.length > 0) s.logger.info({ topics: created }, 'topics created');
      return;
    } catch (err) {
      s.logger.warn({ err: { message: (err as Error).message }, retryInMs: delay }, 'cannot create topics yet');
      await new Promise((r) => setTimeout(r, delay).unref());
    }
  }
}

/** Applies the subscriptions declared in configuration (a problem stops the start, as a configuration error
 * does), then starts delivering webhooks. */
export async function startWebhooks(s: Services): Promise<void> {
  const file = s.config.webhookSubscriptionsFile;
  if (file) {
    const declared = readDeclaredSubscriptions(file);
    const changed = await applyDeclaredSubscriptions(
      { pool: s.pool, secrets: s.webhookSecrets, allowed: s.webhookAllowed },
      declared,
      randomBytes(16).toString('hex'),
    );
    s.logger.info({ declared: declared.length, changed }, 'webhook subscriptions from configuration applied');
  }
  s.webhooks.start();
}

export async function closeServices(s: Services): Promise<void> {
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const started = Date.now();
    await fn();
    s.logger.debug({ step: name, ms: Date.now() - started }, 'closed');
  };
  await step('inbound', () => s.inbound.stop());
  await step('jobs', () => s.scheduler.stop());
  await step('relay', () => s.relay.stop());
  await step('webhooks', () => s.webhooks.stop());
  await step('feed', () => s.feedWake.close());
  const KAFKA_CLOSE_MS = 2_000;
  // Bounded: with the broker frozen, a connect under way (and so a disconnect) waits out kafkajs's own timeouts,
  // which would use up the shutdown grace. Nothing is sent any more; the sockets go with the process.
  await step('kafka', async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, KAFKA_CLOSE_MS)));
    const closed = Promise.allSettled([s.producer.close(), s.admin.close()]).then(() => true);
    if (!(await Promise.race([closed, late.then(() => false)]))) s.logger.warn('the Kafka clients did not close in time; going on');
    clearTimeout(timer);
  });
  await step('database', async () => {
    await s.outboxNotifier.settled();
    await s.pool.end();
  });
  await step('tracing', () => flushTracing());
}
