// The Fastify app as a plugin: tests register it on their own instance and use inject; server.ts listens.
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { adviceRoutes } from './http/advices.ts';
import { caseEventRoutes } from './http/case-events.ts';
import { knownPersonRoutes } from './http/known-person-lookups.ts';
import { quarantineRoutes } from './http/quarantine.ts';
import { installErrorHandling } from './http/error-handler.ts';
import { healthRoutes } from './http/health.ts';
import { installHooks } from './http/hooks.ts';
import { installJsonBodyParser } from './http/json-body.ts';
import { metricsRoutes } from './http/metrics-route.ts';
import { openapiOptions, openapiRoutes } from './http/openapi.ts';
import { recordRoutes } from './http/records.ts';
import { subjectAccessRoutes } from './http/subject-access-reports.ts';
import type { Services } from './services.ts';
import './http/access.ts';

export interface AppOptions {
  services: Services;
}

async function app(fastify: FastifyInstance, { services: s }: AppOptions): Promise<void> {
  installErrorHandling(fastify);
  installHooks(fastify, s.metrics);
  installJsonBodyParser(fastify);
  await fastify.register(swagger, openapiOptions());

  const pipeline = {
    pool: s.pool, plan: s.plan, pseudonymiser: s.pseudonymiser, metrics: s.metrics, bridgeOin: s.config.bridgeOin, logger: s.logger,
    severities: s.config.qualitySeverities, incidents: s.incidents, regions: s.regions,
  };
  await healthRoutes(fastify, { pool: s.pool, admin: s.admin, readyMaxOutboxAgeSeconds: s.config.readyMaxOutboxAgeSeconds });
  await metricsRoutes(fastify, { pool: s.pool, metrics: s.metrics });
  await adviceRoutes(fastify, pipeline);
  await caseEventRoutes(fastify, pipeline);
  await knownPersonRoutes(fastify, { pool: s.pool, plan: s.plan, pseudonymiser: s.pseudonymiser, metrics: s.metrics });
  await quarantineRoutes(fastify, { ...pipeline, deadLetterTopic: s.deadLetterTopic });
  await recordRoutes(fastify, { pool: s.pool });
  await subjectAccessRoutes(fastify, { pool: s.pool, plan: s.plan, pseudonymiser: s.pseudonymiser });
  await openapiRoutes(fastify);
}

export default fp(app, { name: 'gcos-zsm-bridge', fastify: '5.x' });
