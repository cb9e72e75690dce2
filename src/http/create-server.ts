// The Fastify instance, with the options that must be given at creation (the app plugin cannot set them).
// server.ts and the tests both create it here, so they run the same server.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AjvCompiler } from '@fastify/ajv-compiler';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { BridgeError, toProblem } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { API_VERSION } from '../version.ts';

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

/** How often Node looks for requests past REQUEST_TIMEOUT_MS (its default, 30 s, let the idle timeout win). */
function checkingInterval(timeout: number): number {
  return Math.min(1_000, Math.ceil(timeout / 4));
}

/** Errors Node raises on a connection before or while Fastify has the request: a request timeout (the body
 * shorter than its Content-Length, or too slow), an HTTP message llhttp refuses (two Content-Length headers, one
 * with Transfer-Encoding). Answered with a problem document, as every other refusal, and the connection closed. */
function answerClientError(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let problem: BridgeError;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') problem = new BridgeError('BRIDGE_REQUEST_TIMEOUT');
  else if (err.code === 'HPE_UNEXPECTED_CONTENT_LENGTH')
    problem = new BridgeError('BRIDGE_DUPLICATE_HEADER', 'Content-Length appears more than once, or beside Transfer-Encoding');
  else problem = new BridgeError('BRIDGE_BAD_REQUEST', 'The request is not a valid HTTP/1.1 message');
  this.log.info({ event: 'client-error', code: problem.code, cause: err.code }, 'request refused before routing');
  // Not when an answer has begun: bytes written now would corrupt it (Node's own handler makes the same check).
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !answering) {
    const body = JSON.stringify(toProblem(problem));
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `API-Version: ${API_VERSION}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n` +
        body,
    );
  }
  socket.destroy();
}

/** The suites the bridge negotiates (Digikoppeling: TLS 1.2 or later; FSC: forward secret only). TLS 1.3's are
 * all forward secret and AEAD; for TLS 1.2 only ECDHE key exchange with an AEAD cipher, the NCSC TLS guidelines'
 * "good" set. No DHE: it needs DH parameters of the bridge's own and adds nothing a current client lacks. No
 * RSA key exchange and no CBC: a stolen server key would open recorded traffic, and CBC has padding oracles. */
export const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

function httpsOptions(tls: NonNullable<HttpServerOptions['tls']>) {
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1.2' as const,
    ciphers: TLS_CIPHERS,
    // The server's order, not the client's: a client that lists a weaker suite first still gets the stronger one.
    honorCipherOrder: true,
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

const buildAjv = AjvCompiler();
const AJV_OPTIONS = { coerceTypes: false, removeAdditional: false, allErrors: true } as const;

export function createHttpServer(opts: HttpServerOptions): FastifyInstance {
  // Typed as Fastify's base logger so the instance type is the plain FastifyInstance every route file uses.
  const loggerInstance: FastifyBaseLogger = opts.logger;
  const timeout = opts.requestTimeoutMs ?? 30_000;
  // Given to Node's server at its creation too: Fastify sets requestTimeout only afterwards, and Node (24) then
  // keeps the expiry check it set up with its default (a short body was dropped by the idle timeout instead).
  const nodeOptions = { connectionsCheckingInterval: checkingInterval(timeout), requestTimeout: timeout };
  return Fastify({
    ...(opts.tls ? { https: { ...httpsOptions(opts.tls), ...nodeOptions } } : { http: nodeOptions }),
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
    // Requests that still arrive while the server closes (on a connection accepted just before) are served, with
    // `Connection: close`: the services stay open until every request is answered (src/http/shutdown.ts). Fastify's
    // own 503 for them was plain JSON without Retry-After.
    return503OnClosing: false,
    // The idle timeout of a socket comes after the request timeout, so that a body shorter than its Content-Length
    // is answered 408 when REQUEST_TIMEOUT_MS runs out instead of being dropped without a word.
    connectionTimeout: timeout + 2 * nodeOptions.connectionsCheckingInterval,
    requestTimeout: timeout,
    clientErrorHandler: answerClientError,
    keepAliveTimeout: 5_000,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 100 },
    // Errors raised by the router before any hook or error handler runs (a malformed percent-encoding in the
    // path: found by the fuzz campaign, where Fastify's own answer was a bare JSON 400).
    frameworkErrors: (error, _request, reply) => {
      const problem = new BridgeError('BRIDGE_URL_REFUSED', error.code === 'FST_ERR_BAD_URL' ? 'The URL is malformed' : 'The request cannot be routed');
      // Before routing, so the onSend hook that sets API-Version does not run: set here (ADR /core/version-header).
      void (reply as FastifyReply).code(problem.status).header('api-version', API_VERSION).type('application/problem+json').send(toProblem(problem));
    },
    ajv: { customOptions: AJV_OPTIONS },
    // A body is JSON and is taken as it is: "5" is not 5. The query string, path and headers are text by nature,
    // so there an integer parameter is read from its digits (`?limit=50` was refused as "must be integer").
    schemaController: {
      compilersFactory: {
        buildValidator: (externalSchemas, ajvOptions) => {
          const strict = buildAjv(externalSchemas, ajvOptions);
          const fromText = buildAjv(externalSchemas, { customOptions: { ...AJV_OPTIONS, coerceTypes: true } });
          return (route) => (route.httpPart === 'body' ? strict : fromText)(route);
        },
      },
    },
  });
}
