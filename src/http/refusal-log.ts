// The security log: one structured line per refused request (BIO2: action, object, result, origin, actor, time).
// Codes, route patterns and client ids only; never the URL as sent, a body, or a credential.
//
// A refused submission also reaches the processing log (Logboek Dataverwerkingen): source binding is checked
// inside the ingest pipeline, whose refusal handling writes a `refused` entry with the client as actor. 401, 403
// by role, 429 and URL refusals never reach the pipeline and process no personal data: this line records them.
import type { FastifyRequest } from 'fastify';
import type { BridgeError, ProblemCode } from '../errors.ts';

const SECURITY_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'BRIDGE_UNAUTHENTICATED',
  'BRIDGE_FORBIDDEN',
  'BRIDGE_SOURCE_MISMATCH',
  'BRIDGE_RATE_LIMITED',
  'BRIDGE_URL_REFUSED',
]);

export function logSecurityRefusal(request: FastifyRequest, err: BridgeError): void {
  if (!SECURITY_CODES.has(err.code)) return;
  request.log.warn(
    {
      event: 'request-refused',
      code: err.code,
      status: err.status,
      actor: request.client ? `client:${request.client.id}` : null,
      via: request.client?.authenticatedBy ?? null,
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      origin: request.ip,
      // Fixed texts, or organisation numbers for a source mismatch: nothing the caller typed.
      detail: err.message,
    },
    'request refused',
  );
}
