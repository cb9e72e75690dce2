// Load shedding: when the event loop or the database falls behind, protected routes answer 503 with Retry-After
// at once, before authentication or parsing, instead of queueing work that would time out anyway. Health checks
// and the OpenAPI document are never shed: an orchestrator must still see how the replica is doing.
//
// @fastify/under-pressure samples event-loop delay and utilisation; the pool's waiting count (requests queued for
// a PostgreSQL connection) is read per request, as it changes faster than any sampling interval.
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BridgeError } from '../errors.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Pool } from '../store/pool.ts';
import { isPublic } from './access.ts';

export interface SheddingSettings {
  /** Mean event-loop delay (ms) above which requests are shed; 0 switches the check off. */
  maxEventLoopDelayMs: number;
  /** Event-loop utilisation (0-1) above which requests are shed; 0 switches the check off. */
  maxEventLoopUtilization: number;
  /** Requests waiting for a database connection at which requests are shed; 0 switches the check off. */
  maxDatabaseWaiting: number;
  retryAfterSeconds: number;
  sampleIntervalMs: number;
}

export async function installLoadShedding(app: FastifyInstance, deps: { pool: Pool; metrics: Metrics; settings: SheddingSettings }): Promise<void> {
  const { settings: s, metrics } = deps;
  const shed = (reason: string) => {
    metrics.requestsShed.inc({ reason });
    return new BridgeError('BRIDGE_OVERLOADED', `The service is overloaded (${reason}); nothing was stored`, {
      headers: { 'retry-after': String(s.retryAfterSeconds) },
    });
  };
  const exempt = (request: FastifyRequest) => request.is404 || isPublic(request.routeOptions.config.access);

  await app.register(underPressure, {
    sampleInterval: s.sampleIntervalMs,
    maxEventLoopDelay: s.maxEventLoopDelayMs,
    maxEventLoopUtilization: s.maxEventLoopUtilization,
    eventLoopUtilizationMode: 'interval',
    // Called only when a threshold is passed: a public route goes on, any other is refused.
    pressureHandler: async (request, _reply, type) => {
      if (!exempt(request)) throw shed(type);
    },
  });

  if (s.maxDatabaseWaiting > 0) {
    app.addHook('onRequest', async (request) => {
      if (deps.pool.waitingCount >= s.maxDatabaseWaiting && !exempt(request)) throw shed('databaseWaiting');
    });
  }
}
