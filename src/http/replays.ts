// POST /v1/recipients/{recipient}/replays: a recipient that lost data gets a time range of its events again, at a
// privacy officer's request with a reason (decision 0110). The answer counts what was and was not sent again.
import type { FastifyInstance } from 'fastify';
import { BridgeError } from '../errors.ts';
import { REPLAY_DESTINATIONS, REPLAY_MAX_RANGE_DAYS, replay, type ReplayDeps, type ReplayDestination } from '../feed/replay.ts';
import { currentTrace } from '../observability/tracing.ts';
import { actorOf } from './actor.ts';
import { problemResponse } from './problem-schema.ts';

interface Body {
  from: string;
  to: string;
  reason: string;
  destination: ReplayDestination;
  subscription?: string;
}

const outcomeSchema = {
  type: 'object',
  required: ['recipient', 'destination', 'from', 'to', 'resent', 'notResent'],
  properties: {
    recipient: { type: 'string' },
    destination: { type: 'string', enum: [...REPLAY_DESTINATIONS] },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    resent: { type: 'integer', description: 'Events sent again (topic: marked for the relay; feed: readable from `cursor`), with their own ce_id' },
    notResent: {
      type: 'integer',
      description:
        'Events disclosed to the recipient in the range that the bridge no longer holds (past the feed window or removed by retention): not resurrected',
    },
    cursor: { type: 'string', description: 'Feed: the cursor (`after`) to read the range from' },
    subscriptions: { type: 'integer', description: 'Subscription: how many webhook subscriptions the events were queued for' },
  },
};

export async function replayRoutes(app: FastifyInstance, deps: ReplayDeps): Promise<void> {
  app.post<{ Params: { recipient: string }; Body: Body }>(
    '/v1/recipients/:recipient/replays',
    {
      config: { access: { roles: ['privacy-officer'] } },
      schema: {
        tags: ['privacy'],
        operationId: 'replayRecipientEvents',
        summary: "Send a time range of a recipient's events again",
        description:
          `For a recipient that lost data: the events of [from, to) (at most ${REPLAY_MAX_RANGE_DAYS} days) that the bridge still holds go again to its topic (the relay sends them, same ce_id, the view of when each was accepted) ` +
          'or are readable again from the feed cursor in the answer, or are queued for its webhook subscriptions (same webhook-id). What retention removed is not resurrected; the answer counts it. The replay is written to the processing log with its reason.',
        params: { type: 'object', required: ['recipient'], properties: { recipient: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to', 'reason', 'destination'],
          properties: {
            from: { type: 'string', format: 'date-time', description: 'Start of the range (acceptance time), inclusive' },
            to: { type: 'string', format: 'date-time', description: 'End of the range, exclusive' },
            reason: {
              type: 'string',
              minLength: 10,
              maxLength: 500,
              description: 'Why the recipient gets the events again (kept in the processing log; no personal data, no number of five or more digits)',
            },
            destination: {
              type: 'string',
              enum: [...REPLAY_DESTINATIONS],
              description: 'Its topic, its pull feed, or its webhook subscriptions (each gets the types it takes, before its next new event)',
            },
            subscription: {
              type: 'string',
              format: 'uuid',
              description: 'With destination `subscription`: only this subscription; without it, every subscription of the recipient',
            },
          },
        },
        response: {
          200: outcomeSchema,
          400: problemResponse('Malformed body, a reversed or too long range, or a reason holding a long number'),
          404: problemResponse('The exchange policy names no such recipient, or the recipient has no such webhook subscription'),
          422: problemResponse('The range holds too many events for one replay; ask in parts'),
        },
      },
    },
    async (request) => {
      const { recipient } = request.params;
      if (!(recipient in deps.plan.policy.recipients)) throw new BridgeError('BRIDGE_NOT_FOUND', 'The exchange policy names no such recipient');
      const { traceId } = currentTrace(request.headers.traceparent as string | undefined);
      const b = request.body;
      return replay(deps, {
        recipient,
        from: new Date(b.from),
        to: new Date(b.to),
        reason: b.reason,
        destination: b.destination,
        ...(b.subscription !== undefined && { subscriptionId: b.subscription }),
        actor: actorOf(request),
        traceId,
      });
    },
  );
}
