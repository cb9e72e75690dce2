// The Fastify instance, with the options that must be given at creation (the app plugin cannot set them).
// server.ts and the tests both create it here, so they run the same server.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logger.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function createHttpServer(opts: { logger: Logger; bodyLimitBytes: number }): FastifyInstance {
  // Typed as Fastify's base logger so the instance type is the plain FastifyInstance every route file uses.
  const loggerInstance: FastifyBaseLogger = opts.logger;
  return Fastify({
    loggerInstance,
    bodyLimit: opts.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // An incoming id that fails the pattern is replaced, so a caller cannot smuggle text into the logs.
    return503OnClosing: true,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 5_000,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 100 },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
  });
}
