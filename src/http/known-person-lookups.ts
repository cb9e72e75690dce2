// POST /v1/known-person-lookups: for a ZSM officer, is this suspect known at a Veiligheidshuis, whom to contact,
// and is there a current advice? The BSN travels in the body, never the URL. Every lookup is in the processing log.
import type { FastifyInstance } from 'fastify';
import { BridgeError, fieldError } from '../errors.ts';
import { lookupKnownPerson, type LookupDeps } from '../lookup/known-person.ts';
import { isValidBsn } from '../privacy/bsn.ts';
import { actorOf } from './actor.ts';
import { problemResponse } from './problem-schema.ts';

const answerSchema = {
  type: 'object',
  required: ['result', 'knownAt'],
  properties: {
    result: { type: 'string', enum: ['hit', 'no-hit'] },
    knownAt: {
      type: 'array',
      description: 'One entry per Veiligheidshuis that gave advice about the person; empty on no-hit',
      items: {
        type: 'object',
        required: ['veiligheidshuis', 'contactPoint', 'currentAdvice'],
        properties: {
          veiligheidshuis: { type: 'object', properties: { oin: { type: 'string' }, name: { type: 'string' } } },
          contactPoint: {
            type: 'object',
            description: 'A functional contact point, not a person',
            properties: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } },
          },
          currentAdvice: {
            type: ['object', 'null'],
            description: 'The current advice (valid today, not expired), by id only; fetch it from the advice topic',
            properties: {
              recordId: { type: 'string' },
              adviceId: { type: 'string' },
              version: { type: 'integer' },
              validUntil: { type: 'string', format: 'date' },
            },
          },
        },
      },
    },
  },
};

export async function knownPersonRoutes(app: FastifyInstance, deps: LookupDeps): Promise<void> {
  app.post<{ Body: { bsn: string } }>(
    '/v1/known-person-lookups',
    {
      config: { access: { roles: ['lookup'] } },
      schema: {
        tags: ['case events'],
        operationId: 'lookUpKnownPerson',
        summary: 'Is a suspect known at a Veiligheidshuis, and whom to contact?',
        description:
          'Answers hit or no-hit, which Veiligheidshuis, its functional contact point and the id of a current advice; nothing else. The BSN is sent in the body, never in the URL. Every lookup is written to the processing log.',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['bsn'],
          properties: { bsn: { type: 'string', pattern: '^[0-9]{9}$', description: 'The BSN of the suspect' } },
        },
        response: {
          200: answerSchema,
          400: problemResponse('Malformed body'),
          422: problemResponse('The BSN fails the eleven-test'),
          503: problemResponse('Database unavailable; retry after the indicated time'),
        },
      },
    },
    async (request) => {
      const { bsn } = request.body;
      if (!isValidBsn(bsn)) throw new BridgeError('BRIDGE_UNPROCESSABLE', 'The BSN fails the eleven-test', { errors: [fieldError('BSN_ELEVEN_TEST', '/bsn')] });
      return lookupKnownPerson(deps, {
        bsn,
        actor: actorOf(request),
        traceparent: request.headers.traceparent as string | undefined,
        transactionId: request.transactionId,
      });
    },
  );
}
