// Per-client rate limits: a fixed window of one minute per authenticated client, 429 with Retry-After when
// exceeded. Public routes and unauthenticated requests (already refused) are not counted. The counters live in
// each replica's memory: with N replicas a client can reach N times its limit, which the limit's size allows for.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { DeclaredClient } from '../auth/clients.ts';
import { BridgeError } from '../errors.ts';

export async function installRateLimit(app: FastifyInstance, opts: { perMinute: number; clients: readonly DeclaredClient[] }): Promise<void> {
  if (opts.perMinute === 0) return;
  const limits = new Map(opts.clients.map((c) => [c.id, c.rateLimitPerMinute ?? opts.perMinute]));
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    // Runs as a route hook, so after the instance's authentication hook: the key is the client, never an address.
    hook: 'onRequest',
    keyGenerator: (request) => `client:${request.client?.id ?? ''}`,
    allowList: (request) => request.client === null,
    max: (request) => limits.get(request.client?.id ?? '') ?? opts.perMinute,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new BridgeError('BRIDGE_RATE_LIMITED', `More than ${context.max} requests in a minute; try again in ${seconds} s`, {
        headers: { 'retry-after': String(seconds) },
      });
    },
  });
}
