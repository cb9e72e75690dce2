// POST /v1/case-events: a ZSM case event for the Veiligheidshuis responsible for the suspect. The same spine
// as an advice (schema, rules, exchange policy, one transaction, outbox), routed by the person's municipality.
import type { FastifyInstance } from 'fastify';
import { KINDS } from '../ingest/kinds/index.ts';
import { receiptOrThrow } from '../ingest/outcome.ts';
import type { IngestDeps } from '../ingest/prepare.ts';
import { ingestRecord } from '../ingest/spine.ts';
import { actorOf } from './actor.ts';
import { documentedSchema } from './advices.ts';
import { problemResponse } from './problem-schema.ts';
import { receiptSchema } from './receipt-schema.ts';

export async function caseEventRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  app.post(
    '/v1/case-events',
    {
      config: { access: { roles: ['submit-case-events'] } },
      schema: {
        tags: ['case events'],
        operationId: 'submitCaseEvent',
        summary: 'Submit a ZSM case event',
        description:
          'Suspect entered ZSM, advice requested, advice consulted, decision taken, case closed: validated, stored with its outgoing message in one ' +
          "transaction, and delivered to the Zorg- en Veiligheidshuis of the person's municipality only (a decision also to the Veiligheidshuis whose " +
          'advice it answers). 202 only after the commit. Sending the same event again returns the original receipt; the same event id with other ' +
          'content is a 409. A municipality that no region covers is refused with MUNICIPALITY_UNKNOWN.',
        body: documentedSchema('case-event.v1.json', 'case-event.valid.json'),
        response: {
          202: receiptSchema,
          400: problemResponse('Malformed JSON or a body that does not match the schema; every error is listed'),
          409: problemResponse('Same event id already accepted with different content'),
          413: problemResponse('Body too large'),
          415: problemResponse('Content-Type is not application/json'),
          422: problemResponse(
            'Well-formed, but breaks a rule (BSN eleven-test, times) or the exchange policy (legal basis, purpose, an unknown municipality)',
          ),
          503: problemResponse(
            'BRIDGE_UNAVAILABLE: the database is unavailable, nothing stored. BRIDGE_OUTCOME_UNKNOWN: the database connection was lost during the commit and the outcome could not be found out in time; the event may be stored. ' +
              'Either way, send the same event again after the indicated time: that is safe, a stored one returns its original receipt',
          ),
        },
      },
      // Validation happens in the spine, so that REST, the inbound topic and the offline validator give one verdict.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const result = receiptOrThrow(
        await ingestRecord(deps, KINDS['case-event'], {
          body: request.body,
          door: 'rest',
          traceparent: request.headers.traceparent as string | undefined,
          transactionId: request.transactionId,
          actor: actorOf(request),
          submitter: request.client,
        }),
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(202).header('location', result.receipt.statusUrl).send(result.receipt);
    },
  );
}
