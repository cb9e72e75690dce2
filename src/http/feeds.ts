// GET /v1/feeds/{recipient}/events: a recipient's events as structured CloudEvents, after an opaque cursor, long
// polling up to `wait` seconds (decision 0110). Only a client bound to that recipient may read it; to anyone else
// an unknown recipient and a forbidden one answer the same 403, so the answer tells nothing about what exists.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BridgeError } from '../errors.ts';
import { decodeCursor } from '../feed/cursor.ts';
import { readFeedPage, type FeedDeps } from '../feed/read-feed.ts';
import { currentTrace } from '../observability/tracing.ts';
import { actorOf } from './actor.ts';
import { acceptsGzip, GZIP_MIN_BYTES, gzipOnce } from './gzip-body.ts';
import { problemResponse, problemSchema } from './problem-schema.ts';

export const BATCH_TYPE = 'application/cloudevents-batch+json';
const RECIPIENT = '^[a-z0-9][a-z0-9-]{0,62}$';
const TYPES = '^[a-z0-9.-]{1,200}(,[a-z0-9.-]{1,200}){0,19}$';

export interface FeedRouteSettings {
  maxWaitSeconds: number;
  maxLimit: number;
}

// limit and wait arrive as numbers: the query string's integers are read from their digits and bounded by the
// schema (create-server.ts), which also fills in their defaults.
interface Query {
  after?: string;
  limit: number;
  wait: number;
  types?: string;
}

const goneSchema = {
  ...problemSchema,
  required: [...problemSchema.required, 'resume'],
  properties: { ...problemSchema.properties, resume: { type: 'string', description: 'The cursor (`after`) to go on from: before the oldest event held' } },
};

const eventSchema = {
  type: 'object',
  required: ['specversion', 'id', 'source', 'type', 'data'],
  description:
    'A CloudEvent in structured mode: the attributes of the Kafka message (ce_ headers without their prefix, content-type as datacontenttype, the key as partitionkey) and its value as data, exactly as the topic carries it (the schema `dataschema` names)',
  properties: {
    specversion: { type: 'string' },
    id: { type: 'string', description: 'ce_id: the same on the topic, in the feed and on every resend' },
    source: { type: 'string' },
    type: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    dataschema: { type: 'string', format: 'uri' },
    datacontenttype: { type: 'string' },
    traceparent: { type: 'string' },
    partitionkey: { type: 'string', description: "The subject's pseudonym: events with the same key come in the order they were accepted" },
    data: { type: 'object', additionalProperties: true },
  },
  additionalProperties: true,
};

export async function feedRoutes(app: FastifyInstance, deps: FeedDeps, settings: FeedRouteSettings): Promise<void> {
  // Waiting requests end at shutdown (an empty page with a cursor to resume from), not when their wait runs out.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  app.get<{ Params: { recipient: string }; Querystring: Query }>(
    '/v1/feeds/:recipient/events',
    {
      config: { access: { roles: ['receiver'] } },
      schema: {
        tags: ['feeds'],
        operationId: 'getFeedEvents',
        summary: "A recipient's events after a cursor, waiting for new ones when there are none yet",
        description:
          'The events the recipient receives on its topics (same ce_id, same view, in the order of acceptance per subject), as a JSON array of structured CloudEvents. ' +
          'Follow the Link header (rel="next") to go on; an empty array after `wait` seconds means nothing new came. ' +
          'A cursor older than the feed window answers 410 with `resume`, the cursor of the oldest event held. ' +
          'Every page that returns events is written to the processing log as a disclosure to the recipient. ' +
          'A client that sends `Accept-Encoding: gzip` gets larger pages gzipped (`Content-Encoding: gzip`).',
        produces: [BATCH_TYPE, 'application/problem+json'],
        params: { type: 'object', required: ['recipient'], properties: { recipient: { type: 'string', pattern: RECIPIENT } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: {
              type: 'string',
              minLength: 1,
              maxLength: 512,
              description: 'The cursor of the previous page (from its Link header); none: from the oldest event held',
            },
            limit: { type: 'integer', minimum: 1, maximum: settings.maxLimit, default: 100, description: 'Most events in the page' },
            wait: {
              type: 'integer',
              minimum: 0,
              maximum: settings.maxWaitSeconds,
              default: 0,
              description: 'Seconds to wait for events when there are none yet (long polling)',
            },
            types: { type: 'string', pattern: TYPES, description: 'Only events of these types (comma-separated)' },
          },
        },
        response: {
          200: {
            description: 'The events (possibly none), oldest first',
            headers: {
              link: { type: 'string', description: 'RFC 8288: the next page, rel="next", with the cursor after the last event of this one' },
              'content-encoding': { type: 'string', enum: ['gzip'], description: 'gzip when the client accepts it and the page is large (32 KiB or more)' },
            },
            content: { [BATCH_TYPE]: { schema: { type: 'array', items: eventSchema } } },
          },
          400: problemResponse('A malformed or altered cursor, or a parameter out of range'),
          403: problemResponse('The client may not read this feed (whether or not such a recipient exists)'),
          410: problemResponse('The cursor lies before the feed window; `resume` is the cursor to go on from (the oldest event held)', goneSchema),
        },
      },
    },
    async (request, reply) => {
      const { recipient } = request.params;
      if (!request.client?.recipients.includes(recipient)) throw new BridgeError('BRIDGE_FORBIDDEN', 'This client may not read this feed');
      const q = request.query;
      const cursor = q.after === undefined ? null : decodeCursor(q.after, recipient);
      const { limit, wait } = q;
      const signal = AbortSignal.any([closing.signal, clientGone(request, reply)]);
      const { traceId } = currentTrace(request.headers.traceparent as string | undefined);
      try {
        const page = await readFeedPage(deps, {
          recipient,
          cursor,
          limit,
          waitMs: wait * 1000,
          ...(q.types ? { types: q.types.split(',') } : {}),
          actor: actorOf(request),
          traceId,
          signal,
        });
        deps.metrics.feedRequests.inc({ recipient, outcome: page.count > 0 ? 'events' : 'empty' });
        const next = new URLSearchParams({ after: page.next, limit: String(limit) });
        if (wait > 0) next.set('wait', String(wait));
        if (q.types) next.set('types', q.types);
        reply.header('link', `</v1/feeds/${recipient}/events?${next.toString()}>; rel="next"`).header('vary', 'accept-encoding').type(BATCH_TYPE);
        if (page.body.length >= GZIP_MIN_BYTES && acceptsGzip(request.headers['accept-encoding'])) {
          return reply.header('content-encoding', 'gzip').send(await gzipOnce(page.body));
        }
        return reply.send(page.body);
      } catch (err) {
        if (err instanceof BridgeError && err.code === 'BRIDGE_FEED_GONE') deps.metrics.feedRequests.inc({ recipient, outcome: 'gone' });
        throw err;
      }
    },
  );
}

/** Aborts when the client closes the connection before the answer is sent: its wait is freed. */
function clientGone(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  request.raw.once('aborted', () => gone.abort());
  return gone.signal;
}
