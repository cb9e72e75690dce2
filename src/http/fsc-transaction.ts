// The FSC transaction id of a request (`Fsc-Transaction-Id`, FSC Logging; decision 0109): the caller's when it
// sends one, which must then be a UUIDv7 (400 otherwise), else one the bridge makes, so that every request's
// processing-log entries and messages carry one. Answered on every response of a request that got one, refusals
// included; a malformed one is not repeated back (it is caller text and could hold anything).
import type { FastifyInstance } from 'fastify';
import { BridgeError } from '../errors.ts';
import { isUuidV7, newTransactionId, normaliseTransactionId } from '../records/transaction-id.ts';

export const TRANSACTION_ID_HEADER = 'fsc-transaction-id';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's FSC transaction id: the caller's, lower case, or a new one; '' only for a malformed header. */
    transactionId: string;
  }
}

export function installTransactionId(app: FastifyInstance): void {
  app.decorateRequest('transactionId', '');
  app.addHook('onRequest', async (request, reply) => {
    const given = request.headers[TRANSACTION_ID_HEADER];
    // Set on the reply here, not in onSend: Fastify keeps a reply's headers when a later hook throws, so refusals
    // carry it too, without another hook on every response.
    if (given === undefined) {
      request.transactionId = newTransactionId();
      reply.header(TRANSACTION_ID_HEADER, request.transactionId);
      return;
    }
    // Two headers arrive joined by a comma (Node) and so fail the form too: one transaction, one id.
    if (typeof given !== 'string' || !isUuidV7(given)) {
      throw new BridgeError(
        'BRIDGE_INVALID_TRANSACTION_ID',
        'The Fsc-Transaction-Id header must be one UUID version 7 (RFC 9562: version digit 7, variant 8, 9, a or b), or be left out so that the bridge makes one',
      );
    }
    request.transactionId = normaliseTransactionId(given);
    reply.header(TRANSACTION_ID_HEADER, request.transactionId);
  });
}
