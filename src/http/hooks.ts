// Headers every response carries (Logius API Design Rules) and request metrics by route pattern.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.ts';
import { API_VERSION } from '../version.ts';

export function installHooks(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('api-version', API_VERSION);
    reply.header('x-request-id', request.id);
    // Personal data must not sit in caches; only the public contract may be cached.
    if (request.routeOptions.url !== '/v1/openapi.json') reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: bounded label values and nothing the caller typed.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });
}
