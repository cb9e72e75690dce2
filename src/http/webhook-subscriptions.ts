// Webhook subscriptions of a recipient and their dead letters (decision 0111), for the privacy officer only: who
// receives what where is part of the exchange, so every change is written to the processing log. A secret is
// shown once, in the answer to its creation.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BridgeError, fieldError } from '../errors.ts';
import { currentTrace } from '../observability/tracing.ts';
import { findSubscription, listDeadLetters, listSubscriptions, type DeadLetterRow } from '../store/webhook-repo.ts';
import { urlProblem } from '../webhook/address-guard.ts';
import { SECRET_PATTERN } from '../webhook/secrets.ts';
import {
  createSubscription,
  discardDeadLetterOf,
  redriveDeadLetter,
  removeSubscription,
  subscriptionView,
  TargetNotAllowed,
  type SubscriptionDeps,
} from '../webhook/subscriptions.ts';
import { actorOf } from './actor.ts';
import { problemResponse } from './problem-schema.ts';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const ACCESS = { access: { roles: ['privacy-officer'] as const } };
const TAGS = ['webhooks'];

const recipientParam = { type: 'string', pattern: '^[a-z0-9-]{1,40}$', description: 'A recipient of the exchange policy' };
const subscriptionParams = { type: 'object', required: ['recipient', 'id'], properties: { recipient: recipientParam, id: { type: 'string', pattern: UUID } } };
const deadLetterParams = {
  type: 'object',
  required: ['recipient', 'id', 'eventId'],
  properties: { recipient: recipientParam, id: { type: 'string', pattern: UUID }, eventId: { type: 'string', pattern: UUID } },
};
const page = (maximum: number) => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    // Read from its digits and bounded here (create-server.ts): the handler gets a number.
    limit: { type: 'integer', minimum: 1, maximum, default: 50, description: 'At most this many' },
    after: { type: 'string', pattern: UUID, description: 'The last id of the previous page' },
  },
});

const subscriptionSchema = {
  type: 'object',
  required: ['id', 'recipient', 'url', 'eventTypes', 'origin', 'createdAt', 'createdBy', 'status'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    recipient: { type: 'string' },
    url: { type: 'string' },
    eventTypes: { type: 'array', items: { type: 'string' }, description: 'Empty: every type the recipient receives' },
    origin: { type: 'string', enum: ['api', 'config'] },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    status: {
      type: 'object',
      properties: {
        delivered: { type: 'integer' },
        lastDeliveredAt: { type: ['string', 'null'], format: 'date-time' },
        pendingEventId: { type: ['string', 'null'], description: 'The event being retried, if any' },
        pendingSince: { type: ['string', 'null'], format: 'date-time' },
        attempts: { type: 'integer', description: 'Failed attempts at the pending event' },
        lastAttemptAt: { type: ['string', 'null'], format: 'date-time' },
        lastError: { type: ['string', 'null'] },
        deadLetters: { type: 'integer' },
      },
    },
  },
};

const deadLetterSchema = {
  type: 'object',
  properties: {
    eventId: { type: 'string', description: 'ce_id, also the webhook-id of every attempt' },
    recordId: { type: ['string', 'null'] },
    eventType: { type: 'string' },
    reason: { type: 'string', description: 'Why the last attempt failed: a status code, a timeout, a refused address' },
    attempts: { type: 'integer' },
    firstAttemptAt: { type: 'string', format: 'date-time' },
    deadAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['open', 'redrive'], description: 'redrive: asked to be sent again, not yet settled' },
  },
};

export interface WebhookRouteDeps extends SubscriptionDeps {
  /** Whether a name is a recipient of the exchange policy (or a region's recipient). */
  isRecipient(name: string): boolean;
}

function acting(request: FastifyRequest): { actor: string; traceId: string } {
  return { actor: actorOf(request), traceId: currentTrace(request.headers.traceparent as string | undefined).traceId };
}

function deadLetterView(d: DeadLetterRow) {
  return { ...d, subscriptionId: undefined, firstAttemptAt: d.firstAttemptAt.toISOString(), deadAt: d.deadAt.toISOString() };
}

export async function webhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  const base = '/v1/recipients/:recipient/subscriptions';
  const known = (recipient: string) => {
    if (!deps.isRecipient(recipient)) throw new BridgeError('BRIDGE_NOT_FOUND', 'No recipient with this name in the exchange policy');
  };

  app.post<{ Params: { recipient: string }; Body: { url: string; eventTypes?: string[]; secret?: string } }>(
    base,
    {
      config: ACCESS,
      schema: {
        tags: TAGS,
        operationId: 'createWebhookSubscription',
        summary: "Subscribe a URL to a recipient's events",
        description:
          'The events are signed after Standard Webhooks with the secret in the answer, shown only this once (or the one given). The URL must be https (plain http only to loopback) and must not resolve to a private or link-local address unless configuration allows it. Delivery starts with the events committed after the subscription.',
        params: { type: 'object', required: ['recipient'], properties: { recipient: recipientParam } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 8, maxLength: 2000, description: 'Where events are POSTed' },
            eventTypes: { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 200 } },
            secret: { type: 'string', pattern: SECRET_PATTERN, description: 'A signing secret of your own (whsec_ and base64); else one is made' },
          },
        },
        response: {
          201: {
            ...subscriptionSchema,
            required: [...subscriptionSchema.required, 'secret'],
            properties: { ...subscriptionSchema.properties, secret: { type: 'string' } },
          },
          404: problemResponse('No such recipient'),
          422: problemResponse('The URL is not an allowed target, or the recipient has as many subscriptions as it may'),
        },
      },
    },
    async (request, reply) => {
      known(request.params.recipient);
      const { url, eventTypes = [], secret } = request.body;
      const problem = urlProblem(url);
      if (problem)
        throw new BridgeError('BRIDGE_VALIDATION_FAILED', 'The URL cannot be a webhook target', {
          errors: [fieldError('FIELD_INVALID', '/url', `The URL ${problem}`)],
        });
      try {
        const created = await createSubscription(deps, acting(request), { recipient: request.params.recipient, url, eventTypes, secret });
        reply.code(201).header('location', `/v1/recipients/${request.params.recipient}/subscriptions/${created.id}`);
        return created;
      } catch (err) {
        if (err instanceof TargetNotAllowed)
          throw new BridgeError('BRIDGE_UNPROCESSABLE', 'The URL is not an allowed target', { errors: [fieldError('FIELD_INVALID', '/url', err.message)] });
        throw err;
      }
    },
  );

  app.get<{ Params: { recipient: string }; Querystring: { limit: number; after?: string } }>(
    base,
    {
      config: ACCESS,
      schema: {
        tags: TAGS,
        operationId: 'listWebhookSubscriptions',
        summary: "A recipient's webhook subscriptions with their delivery status (never their secrets)",
        params: { type: 'object', required: ['recipient'], properties: { recipient: recipientParam } },
        querystring: page(200),
        response: {
          200: { type: 'object', properties: { subscriptions: { type: 'array', items: subscriptionSchema } } },
          404: problemResponse('No such recipient'),
        },
      },
    },
    async (request) => {
      known(request.params.recipient);
      const rows = await listSubscriptions(deps.pool, request.params.recipient, request.query.limit, request.query.after);
      return { subscriptions: rows.map(subscriptionView) };
    },
  );

  app.get<{ Params: { recipient: string; id: string } }>(
    `${base}/:id`,
    {
      config: ACCESS,
      schema: {
        tags: TAGS,
        operationId: 'getWebhookSubscription',
        summary: 'One webhook subscription with its delivery status',
        params: subscriptionParams,
        response: { 200: subscriptionSchema, 404: problemResponse('No such subscription of this recipient') },
      },
    },
    async (request) => {
      const s = await findSubscription(deps.pool, request.params.recipient, request.params.id);
      if (!s) throw new BridgeError('BRIDGE_NOT_FOUND', 'No such subscription of this recipient');
      return subscriptionView(s);
    },
  );

  app.delete<{ Params: { recipient: string; id: string } }>(
    `${base}/:id`,
    {
      config: ACCESS,
      schema: {
        tags: TAGS,
        operationId: 'deleteWebhookSubscription',
        summary: 'End a webhook subscription (its dead letters go with it)',
        params: subscriptionParams,
        response: { 204: { type: 'null', description: 'Deleted' }, 404: problemResponse('No such subscription of this recipient') },
      },
    },
    async (request, reply) => {
      if (!(await removeSubscription(deps, acting(request), request.params.recipient, request.params.id))) {
        throw new BridgeError('BRIDGE_NOT_FOUND', 'No such subscription of this recipient');
      }
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { recipient: string; id: string }; Querystring: { limit: number; after?: string } }>(
    `${base}/:id/dead-letters`,
    {
      config: ACCESS,
      schema: {
        tags: TAGS,
        operationId: 'listWebhookDeadLetters',
        summary: 'Events a subscription gave up on, with the reason (ids only, never the event)',
        params: subscriptionParams,
        querystring: page(500),
        response: {
          200: { type: 'object', properties: { deadLetters: { type: 'array', items: deadLetterSchema } } },
          404: problemResponse('No such subscription of this recipient'),
        },
      },
    },
    async (request) => {
      if (!(await findSubscription(deps.pool, request.params.recipient, request.params.id)))
        throw new BridgeError('BRIDGE_NOT_FOUND', 'No such subscription of this recipient');
      const rows = await listDeadLetters(deps.pool, request.params.id, request.query.limit, request.query.after);
      return { deadLetters: rows.map(deadLetterView) };
    },
  );

  app.post<{ Params: { recipient: string; id: string; eventId: string } }>(
    `${base}/:id/dead-letters/:eventId/redrive`,
    {
      config: ACCESS,
      schema: {
        tags: TAGS,
        operationId: 'redriveWebhookDeadLetter',
        summary: 'Send a dead letter again (same webhook-id), before the next new event',
        params: deadLetterParams,
        response: {
          202: { type: 'object', properties: { eventId: { type: 'string' }, status: { type: 'string', enum: ['redrive'] } } },
          404: problemResponse('No such dead letter'),
        },
      },
    },
    async (request, reply) => {
      const { recipient, id, eventId } = request.params;
      if (!(await redriveDeadLetter(deps, acting(request), recipient, id, eventId))) throw new BridgeError('BRIDGE_NOT_FOUND', 'No such dead letter');
      reply.code(202);
      return { eventId, status: 'redrive' };
    },
  );

  app.delete<{ Params: { recipient: string; id: string; eventId: string } }>(
    `${base}/:id/dead-letters/:eventId`,
    {
      config: ACCESS,
      schema: {
        tags: TAGS,
        operationId: 'discardWebhookDeadLetter',
        summary: 'Discard a dead letter: the event is not sent to this subscription again',
        params: deadLetterParams,
        response: { 204: { type: 'null', description: 'Discarded' }, 404: problemResponse('No such dead letter') },
      },
    },
    async (request, reply) => {
      const { recipient, id, eventId } = request.params;
      if (!(await discardDeadLetterOf(deps, acting(request), recipient, id, eventId))) throw new BridgeError('BRIDGE_NOT_FOUND', 'No such dead letter');
      return reply.code(204).send();
    },
  );
}
