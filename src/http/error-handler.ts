// One place that turns every failure into application/problem+json. Clients never see a stack trace; a 5xx is
// logged with its cause and answered with a generic text.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { BridgeError, toProblem } from '../errors.ts';
import { toFieldErrors } from '../ingest/schemas.ts';
import { isDatabaseUnavailable } from '../store/pool.ts';
import { logSecurityRefusal } from './refusal-log.ts';
import { safeInstance } from './url-hygiene.ts';

function fromFastify(err: FastifyError): BridgeError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new BridgeError('BRIDGE_UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BridgeError('BRIDGE_BODY_TOO_LARGE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BridgeError('BRIDGE_MALFORMED_JSON', 'The request body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new BridgeError('BRIDGE_BAD_REQUEST', 'Content-Length does not match the body');
    default:
      break;
  }
  if (/forbidden prototype property/i.test(err.message)) return new BridgeError('BRIDGE_FORBIDDEN_KEY');
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new BridgeError('BRIDGE_MALFORMED_JSON');
  }
  if (err.validation) {
    // The same codes, texts and pointers as the ingest's own validation, placed under the part that failed.
    const part = `/${err.validationContext ?? 'request'}`;
    const errors = toFieldErrors(err.validation as ErrorObject[]).map((e) => ({ ...e, pointer: part + e.pointer }));
    return new BridgeError('BRIDGE_BAD_REQUEST', 'The request parameters are invalid', { errors });
  }
  if (err.statusCode === 404) return new BridgeError('BRIDGE_NOT_FOUND');
  if (err.statusCode === 405) return new BridgeError('BRIDGE_METHOD_NOT_ALLOWED');
  if (err.statusCode === 406) return new BridgeError('BRIDGE_NOT_ACCEPTABLE');
  if (err.statusCode === 503) return new BridgeError('BRIDGE_UNAVAILABLE', undefined, { headers: { 'retry-after': '5' } });
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new BridgeError('BRIDGE_BAD_REQUEST');
  return undefined;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The methods the router has a route for at this concrete path. */
function methodsAt(app: FastifyInstance, path: string): string[] {
  return METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let bridgeError = error instanceof BridgeError ? error : fromFastify(error);
    if (!bridgeError && isDatabaseUnavailable(error)) {
      bridgeError = new BridgeError('BRIDGE_UNAVAILABLE', 'The database is unavailable', { cause: error, headers: { 'retry-after': '5' } });
    }
    if (!bridgeError) {
      request.log.error({ err: error }, 'unhandled error');
      bridgeError = new BridgeError('BRIDGE_INTERNAL', undefined, { cause: error });
    } else if (bridgeError.status >= 500) {
      request.log.warn({ code: bridgeError.code, cause: (bridgeError.cause as Error | undefined)?.message }, 'request failed');
    } else {
      logSecurityRefusal(request, bridgeError);
    }
    return reply
      .code(bridgeError.status)
      .headers(bridgeError.headers)
      .type('application/problem+json')
      .send(toProblem(bridgeError, safeInstance(request.url)));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = safeInstance(request.url);
    // A known path asked with a method it does not have: 405 naming the methods it has (RFC 9110 section 15.5.6).
    const allowed = path === undefined ? [] : methodsAt(app, path);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .type('application/problem+json')
        .send(toProblem(new BridgeError('BRIDGE_METHOD_NOT_ALLOWED', `${path} takes ${allowed.join(', ')}, not ${request.method}`), path));
    }
    const detail = path === undefined ? 'No such resource' : `No resource at ${request.method} ${path}`;
    return reply
      .code(404)
      .type('application/problem+json')
      .send(toProblem(new BridgeError('BRIDGE_NOT_FOUND', detail), path));
  });
}
