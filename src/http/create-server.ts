// The Fastify instance, with the options that must be given at creation (the app plugin cannot set them).
// server.ts and the tests both create it here, so they run the same server.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logger.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface HttpServerOptions {
  logger: Logger;
  bodyLimitBytes: number;
  requestTimeoutMs?: number;
  /** HTTPS; with `ca`, mutual TLS: a client certificate is asked for and checked against `ca`. */
  tls?: { cert: Buffer; key: Buffer; ca: Buffer | undefined } | undefined;
}

function httpsOptions(tls: NonNullable<HttpServerOptions['tls']>) {
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1.2',
    ...(tls.ca
      ? {
          ca: tls.ca,
          requestCert: true,
          // A client without a certificate may still use a bearer token, and a wrong certificate gets a 401
          // problem document rather than a bare handshake failure: the authentication hook judges
          // `socket.authorized`, which holds the outcome of the check against `ca`.
          rejectUnauthorized: false,
        }
      : {}),
  };
}

export function createHttpServer(opts: HttpServerOptions): FastifyInstance {
  // Typed as Fastify's base logger so the instance type is the plain FastifyInstance every route file uses.
  const loggerInstance: FastifyBaseLogger = opts.logger;
  const timeout = opts.requestTimeoutMs ?? 30_000;
  return Fastify({
    ...(opts.tls ? { https: httpsOptions(opts.tls) } : {}),
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
    connectionTimeout: timeout,
    requestTimeout: timeout,
    keepAliveTimeout: 5_000,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 100 },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
  });
}
