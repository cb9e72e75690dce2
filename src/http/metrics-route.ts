// Prometheus scrape endpoint. Backlog gauges are read from the database at scrape time.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.ts';
import { backlog } from '../store/outbox-repo.ts';
import type { Pool } from '../store/pool.ts';

export async function metricsRoutes(app: FastifyInstance, deps: { pool: Pool; metrics: Metrics; metricsPublic: boolean }): Promise<void> {
  // Public only when the operator says so (METRICS_PUBLIC): the numbers tell an attacker how the bridge is doing.
  app.get(
    '/metrics',
    {
      config: { access: deps.metricsPublic ? 'public' : { roles: ['ops'] } },
      schema: {
        tags: ['operations'],
        operationId: 'getMetrics',
        summary: 'Metrics in Prometheus text format',
        produces: ['text/plain'],
        response: { 200: { description: 'The metrics (Prometheus text exposition format 0.0.4)', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    async (_request, reply) => {
      try {
        const b = await backlog(deps.pool);
        deps.metrics.outboxPending.set(b.pending);
        deps.metrics.outboxOldestAge.set(b.oldestAgeSeconds);
      } catch {
        // A scrape must still answer while the database is down; the gauges keep their last value.
      }
      return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },
  );
}
