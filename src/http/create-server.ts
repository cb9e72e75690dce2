// The Fastify instance, with the options that must be given at creation (the app plugin cannot set them).
// server.ts and the tests both create it here, so they run the same server.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { BridgeError, toProblem } from '../errors.ts';
import type { Logger } from '../logger.ts';

// A caller's request id is kept for correlation only when it is opaque: a UUID or 16-64 hex digits (a trace id).
// Anything else could be a name, a birth date or a BSN, and the id is in every log line of the request.
const REQUEST_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64})$/i;

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
    // Not `requestIdHeader`: with it Fastify takes the header as it is and never calls genReqId (the fuzz
    // campaign found caller text in the log's reqId). An incoming id is kept only when it is opaque and holds no
    // long run of decimal digits (a BSN); otherwise it is replaced, so a caller cannot put text into the logs.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) && !/[0-9]{8}/.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    connectionTimeout: timeout,
    requestTimeout: timeout,
    keepAliveTimeout: 5_000,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 100 },
    // Errors raised by the router before any hook or error handler runs (a malformed percent-encoding in the
    // path: found by the fuzz campaign, where Fastify's own answer was a bare JSON 400).
    frameworkErrors: (error, _request, reply) => {
      const problem = new BridgeError('BRIDGE_URL_REFUSED', error.code === 'FST_ERR_BAD_URL' ? 'The URL is malformed' : 'The request cannot be routed');
      void (reply as FastifyReply).code(problem.status).type('application/problem+json').send(toProblem(problem));
    },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
  });
}
