// The Fastify app as a plugin: tests register it on their own instance and use inject; server.ts listens.
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createAuthenticator } from './auth/authenticate.ts';
import { installAccessControl } from './http/access.ts';
import { installAmbiguityChecks } from './http/ambiguity.ts';
import { installContentNegotiation } from './http/content-negotiation.ts';
import { adviceBatchRoutes } from './http/advice-batches.ts';
import { asyncapiRoutes } from './http/asyncapi.ts';
import { adviceRoutes } from './http/advices.ts';
import { caseEventRoutes } from './http/case-events.ts';
import { createFanoutPace } from './feed/fanout-pace.ts';
import { feedRoutes } from './http/feeds.ts';
import { replayRoutes } from './http/replays.ts';
import { knownPersonRoutes } from './http/known-person-lookups.ts';
import { quarantineRoutes } from './http/quarantine.ts';
import { installErrorHandling } from './http/error-handler.ts';
import { healthRoutes } from './http/health.ts';
import { installHooks } from './http/hooks.ts';
import { installJsonBodyParser } from './http/json-body.ts';
import { installLoadShedding } from './http/load-shedding.ts';
import { metricsRoutes } from './http/metrics-route.ts';
import { openapiOptions, openapiRoutes } from './http/openapi.ts';
import { installRateLimit } from './http/rate-limit.ts';
import { recordRoutes } from './http/records.ts';
import { schemaRoutes } from './http/schemas.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { createShutdownGate, installShutdownHooks, type ShutdownGate } from './http/shutdown.ts';
import { subjectAccessRoutes } from './http/subject-access-reports.ts';
import { installTransactionId } from './http/fsc-transaction.ts';
import { installTracing } from './http/tracing.ts';
import { installUrlHygiene } from './http/url-hygiene.ts';
import { webhookRoutes } from './http/webhook-subscriptions.ts';
import type { Services } from './services.ts';

export interface AppOptions {
  services: Services;
  /** The process's stop (server.ts); tests that never stop leave it out. */
  shutdown?: ShutdownGate;
}

async function app(fastify: FastifyInstance, { services: s, shutdown = createShutdownGate() }: AppOptions): Promise<void> {
  const c = s.config;
  // First, so that every hook and route below runs inside the request's span (nothing when tracing is off).
  await installTracing(fastify);
  installErrorHandling(fastify);
  // Request hooks in the order they run: headers, the FSC transaction id, URL check, repeated headers, shedding, authentication and roles,
  // content negotiation (406), rate limit. Each refuses as early and as cheaply as it can; all of them come before the body is read (the
  // ambiguity checks' Content-Encoding and charset check runs as the body is about to be read).
  await installSecurityHeaders(fastify, { https: c.tls !== undefined });
  installTransactionId(fastify);
  installUrlHygiene(fastify);
  installAmbiguityChecks(fastify);
  await installLoadShedding(fastify, {
    pool: s.pool,
    metrics: s.metrics,
    settings: {
      maxEventLoopDelayMs: c.shedEventLoopDelayMs,
      maxEventLoopUtilization: c.shedEventLoopUtilization,
      maxDatabaseWaiting: c.shedDbWaiting,
      retryAfterSeconds: c.shedRetryAfterSeconds,
      sampleIntervalMs: c.shedSampleIntervalMs,
    },
  });
  installAccessControl(fastify, createAuthenticator(c.clients));
  installContentNegotiation(fastify);
  await installRateLimit(fastify, { perMinute: c.rateLimitPerMinute, clients: c.clients });
  installHooks(fastify, s.metrics);
  installShutdownHooks(fastify, shutdown);
  installJsonBodyParser(fastify);
  await fastify.register(swagger, openapiOptions());

  // Every route below declares its access; the hooks above enforce it.
  const pipeline = {
    pool: s.pool,
    plan: s.plan,
    pseudonymiser: s.pseudonymiser,
    metrics: s.metrics,
    bridgeOin: c.bridgeOin,
    logger: s.logger,
    stored: s.stored,
    outcomeWaitMs: c.pgOutcomeWaitMs,
    severities: c.qualitySeverities,
    incidents: s.incidents,
    regions: s.regions,
  };
  await healthRoutes(fastify, { pool: s.pool, admin: s.admin, readyMaxOutboxAgeSeconds: c.readyMaxOutboxAgeSeconds, durability: s.durability, shutdown });
  await metricsRoutes(fastify, { pool: s.pool, metrics: s.metrics, metricsPublic: c.metricsPublic });
  await adviceRoutes(fastify, pipeline);
  await adviceBatchRoutes(fastify, pipeline, { maxItems: c.batchMaxItems, bodyLimitBytes: c.batchBodyLimitBytes });
  await caseEventRoutes(fastify, pipeline);
  await knownPersonRoutes(fastify, { pool: s.pool, plan: s.plan, pseudonymiser: s.pseudonymiser, metrics: s.metrics });
  await quarantineRoutes(fastify, { ...pipeline, deadLetterTopic: s.deadLetterTopic });
  await recordRoutes(fastify, { pool: s.pool });
  await subjectAccessRoutes(fastify, { pool: s.pool, plan: s.plan, pseudonymiser: s.pseudonymiser });
  await feedRoutes(
    fastify,
    {
      pool: s.pool,
      plan: s.plan,
      wake: s.feedWake,
      metrics: s.metrics,
      // What the clean-up keeps (jobs/index.ts): the longer of the two.
      windowMs: Math.max(c.feedWindowDays * 86_400_000, c.outboxRetentionHours * 3_600_000),
      maxWaiting: c.feedMaxWaiting,
      pace: createFanoutPace(c.feedFanoutPagesPerSecond),
      retryAfterSeconds: c.shedRetryAfterSeconds,
    },
    { maxWaitSeconds: c.feedMaxWaitSeconds, maxLimit: c.feedMaxLimit },
  );
  await replayRoutes(fastify, { pool: s.pool, plan: s.plan, metrics: s.metrics, stored: () => s.relay.nudge(), redrivesQueued: () => s.webhooks.nudge() });
  await schemaRoutes(fastify, { plan: s.plan, regions: s.regions, topicPrefix: c.kafkaTopicPrefix, deadLetterTopic: s.deadLetterTopic });
  await asyncapiRoutes(fastify, {
    policy: s.plan.policy,
    regions: s.regions,
    topicPrefix: c.kafkaTopicPrefix,
    deadLetterTopic: s.deadLetterTopic,
    inboundTopic: s.inboundTopic,
    inboundGroupId: c.inboundGroupId,
  });
  const recipients = new Set([...Object.keys(s.plan.policy.recipients), ...s.regions.regions.map((r) => r.recipient)]);
  await webhookRoutes(fastify, { pool: s.pool, secrets: s.webhookSecrets, allowed: s.webhookAllowed, isRecipient: (name) => recipients.has(name) });
  await openapiRoutes(fastify);
}

export default fp(app, { name: 'gcos-zsm-bridge', fastify: '5.x' });
