// POST /v1/subject-access-reports: what the bridge holds about a person and to whom it disclosed what. The BSN
// travels in the body, never in the URL; only a privacy officer may ask.
import type { FastifyInstance } from 'fastify';
import { BridgeError, fieldError } from '../errors.ts';
import { currentTrace } from '../observability/tracing.ts';
import { isValidBsn } from '../privacy/bsn.ts';
import { subjectAccessReport, type SubjectAccessDeps } from '../privacy/subject-access.ts';
import { actorOf } from './actor.ts';
import { problemResponse } from './problem-schema.ts';

const nullableString = { type: ['string', 'null'] };
const requestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['bsn'],
  properties: {
    bsn: { type: 'string', pattern: '^[0-9]{9}$', description: 'The BSN of the person the report is about' },
    requestReference: {
      type: 'string',
      pattern: '^[A-Za-z0-9._/-]{1,64}$',
      description: "The privacy officer's reference of the request; logged with the lookup",
    },
  },
};
const reportSchema = {
  type: 'object',
  required: ['generatedAt', 'policyVersion', 'records', 'quarantined', 'disclosures', 'processing'],
  properties: {
    generatedAt: { type: 'string', format: 'date-time' },
    policyVersion: { type: 'string' },
    records: {
      type: 'array',
      description: 'Every record received about the person; data is null once retention has removed it',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          kind: { type: 'string' },
          source: { type: 'string' },
          externalId: { type: 'string' },
          version: { type: 'integer' },
          status: { type: 'string' },
          receivedAt: { type: 'string', format: 'date-time' },
          data: { type: ['object', 'null'], additionalProperties: true, description: 'The record as received' },
        },
      },
    },
    quarantined: {
      type: 'array',
      description:
        'Inbound messages about the person that could not be taken and sit in quarantine: reasons and status, not the message (until retention erases the entry)',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          eventId: nullableString,
          reasonCode: { type: 'string' },
          reasons: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, pointer: { type: 'string' } } } },
          status: { type: 'string', enum: ['open', 'released', 'discarded'] },
          receivedAt: { type: 'string', format: 'date-time' },
          resolvedAt: { ...nullableString, format: 'date-time' },
          recordId: nullableString,
        },
      },
    },
    disclosures: {
      type: 'array',
      description: 'Every disclosure: to which recipient, which fields, under which legal basis and purpose, when',
      items: {
        type: 'object',
        properties: {
          recordId: nullableString,
          recipient: { type: 'string' },
          recipientName: { type: 'string' },
          fields: { type: 'array', items: { type: 'string' } },
          legalBasis: nullableString,
          purpose: nullableString,
          at: { type: 'string', format: 'date-time', description: 'When the disclosure was committed for delivery' },
          deliveredAt: { ...nullableString, format: 'date-time', description: 'When Kafka acknowledged it, while the bridge still holds the delivery' },
        },
      },
    },
    processing: {
      type: 'array',
      description: 'Every step of the processing log about the person',
      items: {
        type: 'object',
        properties: {
          operation: { type: 'string' },
          status: { type: 'string' },
          startedAt: { type: 'string' },
          endedAt: { type: 'string' },
          actor: { type: 'string' },
          processingActivity: { type: 'string' },
          legalBasis: nullableString,
          purpose: nullableString,
          recordId: nullableString,
          recipient: nullableString,
          traceId: { type: 'string' },
        },
      },
    },
  },
};

export async function subjectAccessRoutes(app: FastifyInstance, deps: SubjectAccessDeps): Promise<void> {
  app.post<{ Body: { bsn: string; requestReference?: string } }>(
    '/v1/subject-access-reports',
    {
      config: { access: { roles: ['privacy-officer'] } },
      schema: {
        tags: ['privacy'],
        operationId: 'createSubjectAccessReport',
        summary: 'Report what the bridge holds about a person and every disclosure',
        description:
          'For a privacy officer answering a data-subject access request (AVG art. 15). The BSN is sent in the body, never in the URL. The report itself is logged as a lookup.',
        body: requestSchema,
        response: {
          200: reportSchema,
          400: problemResponse('Malformed body'),
          422: problemResponse('The BSN fails the eleven-test'),
          503: problemResponse('Database unavailable; retry after the indicated time'),
        },
      },
    },
    async (request) => {
      const { bsn, requestReference } = request.body;
      if (!isValidBsn(bsn)) throw new BridgeError('BRIDGE_UNPROCESSABLE', 'The BSN fails the eleven-test', { errors: [fieldError('BSN_ELEVEN_TEST', '/bsn')] });
      const { traceId } = currentTrace(request.headers.traceparent as string | undefined);
      return subjectAccessReport(deps, { bsn, requestReference, actor: actorOf(request), traceId, transactionId: request.transactionId });
    },
  );
}
