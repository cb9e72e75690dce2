// Quarantined inbound messages, for operators: list them (reasons only, never the message), read one with its
// original (logged as a disclosure), release one after a fix (it is taken again exactly as from the topic), or
// discard one (its content is erased).
import type { FastifyInstance } from 'fastify';
import { BridgeError } from '../errors.ts';
import { discardQuarantined, quarantined, readQuarantined, releaseQuarantined } from '../inbound/quarantine-release.ts';
import type { IngestDeps } from '../ingest/prepare.ts';
import { actorOf } from './actor.ts';
import { problemResponse } from './problem-schema.ts';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: UUID } } };
const fieldErrors = {
  type: 'array',
  items: { type: 'object', properties: { code: { type: 'string' }, pointer: { type: 'string' }, detail: { type: 'string' }, rule: { type: 'string' } } },
};
const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    receivedAt: { type: 'string', format: 'date-time' },
    origin: { type: 'string', description: 'kafka:<topic>/<partition>/<offset>' },
    eventId: { type: ['string', 'null'] },
    reasonCode: { type: 'string' },
    reason: fieldErrors,
    status: { type: 'string', enum: ['open', 'released', 'discarded'] },
    attempts: { type: 'integer' },
    resolvedAt: { type: ['string', 'null'], format: 'date-time' },
    recordId: { type: ['string', 'null'] },
  },
};

const readSchema = {
  type: 'object',
  properties: {
    ...entrySchema.properties,
    purgedAt: { type: ['string', 'null'], format: 'date-time', description: 'When retention erased the original' },
    rawValue: {
      type: ['string', 'null'],
      description: 'The message as received (may hold personal data); null once discarded or erased by retention',
    },
  },
};

export async function quarantineRoutes(app: FastifyInstance, deps: IngestDeps & { deadLetterTopic: string }): Promise<void> {
  app.get<{ Querystring: { status?: 'open' | 'released' | 'discarded'; limit?: number } }>(
    '/v1/quarantine',
    {
      config: { access: { roles: ['ops'] } },
      schema: {
        tags: ['operations'],
        operationId: 'listQuarantine',
        summary: 'Inbound messages that could not be taken, with their reasons',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['open', 'released', 'discarded'], default: 'open' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: { 200: { type: 'object', properties: { entries: { type: 'array', items: entrySchema } } } },
      },
    },
    async (request) => ({ entries: await quarantined(deps.pool, request.query.status ?? 'open', request.query.limit ?? 100) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/quarantine/:id',
    {
      // Ops, to find the cause before a release or discard; the privacy officer, to answer for what is held.
      config: { access: { roles: ['ops', 'privacy-officer'] } },
      schema: {
        tags: ['operations'],
        operationId: 'getQuarantineEntry',
        summary: 'One quarantined message with its original value',
        description:
          'The original may hold personal data: every read that returns it is written to the processing log as a disclosure to the reader, about the person the message names.',
        params: idParams,
        response: {
          200: readSchema,
          404: problemResponse('No quarantine entry with this id'),
        },
      },
    },
    async (request) => {
      const entry = await readQuarantined(deps, request.params.id, {
        actor: actorOf(request),
        traceparent: request.headers.traceparent as string | undefined,
        transactionId: request.transactionId,
      });
      if (!entry) throw new BridgeError('BRIDGE_NOT_FOUND', 'No quarantine entry with this id');
      return entry;
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/quarantine/:id/release',
    {
      config: { access: { roles: ['ops'] } },
      schema: {
        tags: ['operations'],
        operationId: 'releaseQuarantineEntry',
        summary: 'Take a quarantined message again, after the cause was fixed',
        description:
          'Runs the message through the pipeline exactly as from the inbound topic. Accepted (or already accepted): released. Still failing: stays open with its new reason (422).',
        params: idParams,
        response: {
          200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, recordId: { type: 'string' } } },
          404: problemResponse('No open quarantine entry with this id'),
          422: problemResponse('Still cannot be taken; the entry stays open with this reason'),
        },
      },
    },
    async (request) => {
      const released = await releaseQuarantined(deps, request.params.id, actorOf(request), request.transactionId);
      if ('refused' in released) throw released.refused;
      return released;
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/quarantine/:id/discard',
    {
      config: { access: { roles: ['ops'] } },
      schema: {
        tags: ['operations'],
        operationId: 'discardQuarantineEntry',
        summary: 'Discard a quarantined message: its content is erased, its reason kept',
        params: idParams,
        response: {
          200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } },
          404: problemResponse('No open quarantine entry with this id'),
        },
      },
    },
    async (request) => {
      const discarded = await discardQuarantined(deps.pool, request.params.id);
      if (!discarded) throw new BridgeError('BRIDGE_NOT_FOUND', 'No open quarantine entry with this id');
      return { id: request.params.id, status: 'discarded' };
    },
  );
}
