// GET /v1/records/{id}: the state of one record and of each delivery. No personal data: ids, topics, times.
import type { FastifyInstance } from 'fastify';
import { BridgeError } from '../errors.ts';
import { recordView } from '../feedback/record-state.ts';
import type { Pool } from '../store/pool.ts';
import { problemResponse } from './problem-schema.ts';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const recordStateSchema = {
  type: 'object',
  required: ['id', 'kind', 'source', 'externalId', 'version', 'status', 'receivedAt', 'deliveries', 'webhooks'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string' },
    source: { type: 'string', description: 'OIN of the issuing organisation' },
    externalId: { type: 'string' },
    version: { type: 'integer' },
    status: { type: 'string', description: 'accepted (not yet delivered everywhere), delivered, or a later lifecycle state' },
    receivedAt: { type: 'string', format: 'date-time' },
    chain: {
      type: 'array',
      description: 'Advices only: the chain the advice belongs to, oldest first: requested (by ZSM), advice-accepted, advice-delivered, consulted, decided',
      items: {
        type: 'object',
        required: ['step', 'at', 'recordId'],
        properties: {
          step: { type: 'string', enum: ['requested', 'advice-accepted', 'advice-delivered', 'consulted', 'decided'] },
          at: { type: 'string', format: 'date-time' },
          recordId: { type: 'string', description: 'The record of that step (the ZSM case event, or the advice itself)' },
          detail: { type: 'string', description: 'For decided: the kind of decision' },
        },
      },
    },
    deliveries: {
      type: 'array',
      description: 'One entry per recipient; delivered entries are removed after the outbox retention period',
      items: {
        type: 'object',
        required: ['recipient', 'topic', 'eventId', 'deliveredAt', 'attempts', 'lastError'],
        properties: {
          recipient: { type: 'string' },
          topic: { type: 'string' },
          eventId: { type: 'string', description: 'ce_id of the message' },
          deliveredAt: { type: ['string', 'null'], format: 'date-time' },
          attempts: { type: 'integer' },
          lastError: { type: ['string', 'null'] },
        },
      },
    },
    webhooks: {
      type: 'array',
      description:
        "One entry per event of the record and webhook subscription that takes it (while the outbox holds the event): delivered, pending (being retried, or not yet reached) or dead-letter (given up; the subscription's dead letters can re-drive it)",
      items: {
        type: 'object',
        required: ['subscriptionId', 'recipient', 'eventId', 'status', 'attempts', 'lastError'],
        properties: {
          subscriptionId: { type: 'string' },
          recipient: { type: 'string' },
          eventId: { type: 'string', description: 'ce_id, the webhook-id' },
          status: { type: 'string', enum: ['delivered', 'pending', 'dead-letter'] },
          attempts: { type: 'integer', description: 'Failed attempts so far (pending) or in all (dead-letter)' },
          lastError: { type: ['string', 'null'] },
        },
      },
    },
  },
};

export async function recordRoutes(app: FastifyInstance, deps: { pool: Pool }): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/v1/records/:id',
    {
      config: { access: { roles: ['submit-advice', 'submit-case-events', 'ops'] } },
      schema: {
        tags: ['records'],
        operationId: 'getRecord',
        summary: 'State of a record and of each of its deliveries',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: UUID } } },
        response: { 200: recordStateSchema, 400: problemResponse('Malformed id'), 404: problemResponse('No such record, or one of another organisation') },
      },
    },
    async (request) => {
      const client = request.client;
      const view = await recordView(deps.pool, request.params.id, client && { roles: client.roles, oin: client.organisation.oin });
      if (!view) throw new BridgeError('BRIDGE_NOT_FOUND', 'No record with this id');
      return view;
    },
  );
}
