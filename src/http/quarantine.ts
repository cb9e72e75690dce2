// Quarantined inbound messages, for operators: list them (reasons only, never the message), release one after a
// fix (it is taken again exactly as from the topic), or discard one (its content is erased).
import type { FastifyInstance } from 'fastify';
import { BridgeError } from '../errors.ts';
import { takeCaseEvent } from '../inbound/take-case-event.ts';
import type { IngestDeps } from '../ingest/prepare.ts';
import { listQuarantine, lockOpenEntry, markDiscarded, markReleased, markStillFailing } from '../store/quarantine-repo.ts';
import { withTransaction } from '../store/transaction.ts';
import { actorOf } from './actor.ts';
import { problemResponse } from './problem-schema.ts';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: UUID } } };
const fieldErrors = { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, pointer: { type: 'string' }, detail: { type: 'string' }, rule: { type: 'string' } } } };
const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, receivedAt: { type: 'string', format: 'date-time' }, origin: { type: 'string', description: 'kafka:<topic>/<partition>/<offset>' },
    eventId: { type: ['string', 'null'] }, reasonCode: { type: 'string' }, reason: fieldErrors, status: { type: 'string', enum: ['open', 'released', 'discarded'] },
    attempts: { type: 'integer' }, resolvedAt: { type: ['string', 'null'], format: 'date-time' }, recordId: { type: ['string', 'null'] },
  },
};

export async function quarantineRoutes(app: FastifyInstance, deps: IngestDeps & { deadLetterTopic: string }): Promise<void> {
  app.get<{ Querystring: { status?: 'open' | 'released' | 'discarded'; limit?: number } }>('/v1/quarantine', {
    config: { access: { roles: ['ops'] } },
    schema: {
      tags: ['operations'],
      summary: 'Inbound messages that could not be taken, with their reasons',
      querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['open', 'released', 'discarded'], default: 'open' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } } },
      response: { 200: { type: 'object', properties: { entries: { type: 'array', items: entrySchema } } } },
    },
  }, async (request) => ({ entries: await listQuarantine(deps.pool, request.query.status ?? 'open', request.query.limit ?? 100) }));

  app.post<{ Params: { id: string } }>('/v1/quarantine/:id/release', {
    config: { access: { roles: ['ops'] } },
    schema: {
      tags: ['operations'],
      summary: 'Take a quarantined message again, after the cause was fixed',
      description: 'Runs the message through the pipeline exactly as from the inbound topic. Accepted (or already accepted): released. Still failing: stays open with its new reason (422).',
      params: idParams,
      response: {
        200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, recordId: { type: 'string' } } },
        404: problemResponse('No open quarantine entry with this id'),
        422: problemResponse('Still cannot be taken; the entry stays open with this reason'),
      },
    },
  }, async (request) => {
    const id = request.params.id;
    // The refusal is thrown only after the commit: the entry's new reason must be stored, not rolled back.
    let refusal: BridgeError | undefined;
    const released = await withTransaction(deps.pool, async (client) => {
      // The lock keeps two operators from releasing one message twice.
      const entry = await lockOpenEntry(client, id);
      if (!entry || entry.status !== 'open') throw new BridgeError('BRIDGE_NOT_FOUND', 'No open quarantine entry with this id');
      const outcome = await takeCaseEvent({ ...deps, quarantine: false }, { value: Buffer.from(entry.rawValue, 'utf8'), origin: entry.origin, actor: actorOf(request) });
      if (outcome.outcome === 'refused') {
        await markStillFailing(client, id, outcome.error.code, outcome.error.errors ?? []);
        refusal = outcome.error;
        return undefined;
      }
      if (outcome.outcome === 'quarantined') throw new Error('a release never quarantines again'); // quarantine is off above
      await markReleased(client, id, outcome.recordId);
      return { id, status: 'released', recordId: outcome.recordId };
    });
    if (refusal || !released) throw refusal ?? new BridgeError('BRIDGE_INTERNAL');
    return released;
  });

  app.post<{ Params: { id: string } }>('/v1/quarantine/:id/discard', {
    config: { access: { roles: ['ops'] } },
    schema: {
      tags: ['operations'],
      summary: 'Discard a quarantined message: its content is erased, its reason kept',
      params: idParams,
      response: { 200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } }, 404: problemResponse('No open quarantine entry with this id') },
    },
  }, async (request) => {
    const discarded = await withTransaction(deps.pool, (client) => markDiscarded(client, request.params.id));
    if (!discarded) throw new BridgeError('BRIDGE_NOT_FOUND', 'No open quarantine entry with this id');
    return { id: request.params.id, status: 'discarded' };
  });
}
