// POST /v1/advice-batches: many advices in one request, for a GCOS instance synchronising a backlog. Each advice
// gets the answer POST /v1/advices would give it (a receipt, or a problem document), and every accepted one is
// committed in one transaction before the 200 (decision 0090).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BridgeError, fieldError, MAX_LISTED_ERRORS, toProblem, type FieldError } from '../errors.ts';
import { KINDS } from '../ingest/kinds/index.ts';
import type { IngestDeps } from '../ingest/prepare.ts';
import { ingestBatch } from '../ingest/spine.ts';
import { negotiateLanguage } from '../quality/language.ts';
import { actorOf } from './actor.ts';
import { documentedSchema, receiptIn } from './advices.ts';
import { problemResponse, qualityProblemSchema } from './problem-schema.ts';
import { receiptSchema } from './receipt-schema.ts';
import { logSecurityRefusal } from './refusal-log.ts';

export interface BatchLimits {
  maxItems: number;
  bodyLimitBytes: number;
}

const itemSchema = {
  type: 'object',
  required: ['index', 'status'],
  properties: {
    index: { type: 'integer', description: 'Position of the advice in the request (from 0)' },
    status: { type: 'integer', description: 'What POST /v1/advices would have answered for this advice: 202, or the status of its problem' },
    replayed: { type: 'boolean', description: 'True when this advice repeated one already accepted (also earlier in the same batch): nothing new was stored' },
    receipt: receiptSchema,
    problem: { ...qualityProblemSchema, description: 'Why this advice was refused; pointers lead into the request body (/advices/<index>/...)' },
  },
} as const;

/** The most problems listed in one batch answer, its items' together; each item lists at most MAX_LISTED_ERRORS. */
export const MAX_LISTED_ERRORS_PER_BATCH = 10 * MAX_LISTED_ERRORS;

/** The envelope's own problems: every advice inside is judged by the pipeline. */
function advicesOf(body: unknown, maxItems: number): unknown[] {
  const errors: FieldError[] = [];
  let omitted = 0;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BridgeError('BRIDGE_VALIDATION_FAILED', 'The batch must be an object with an advices array', { errors: [fieldError('FIELD_TYPE', '')] });
  }
  // Counted, not listed, past the ceiling: a body of 300,000 unknown keys gets an answer of a few kilobytes.
  for (const key in body) {
    if (key === 'advices') continue;
    if (errors.length < MAX_LISTED_ERRORS) errors.push(fieldError('FIELD_UNKNOWN', `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
    else omitted++;
  }
  const advices = (body as { advices?: unknown }).advices;
  if (advices === undefined) errors.push(fieldError('FIELD_REQUIRED', '/advices'));
  else if (!Array.isArray(advices)) errors.push(fieldError('FIELD_TYPE', '/advices'));
  else if (advices.length === 0) errors.push(fieldError('FIELD_TOO_FEW_ITEMS', '/advices', 'holds no advice'));
  else if (advices.length > maxItems) errors.push(fieldError('FIELD_TOO_MANY_ITEMS', '/advices', `holds more than ${maxItems} advices`));
  if (errors.length > 0)
    throw new BridgeError('BRIDGE_VALIDATION_FAILED', 'The batch is malformed; no advice in it was judged', { errors, errorsOmitted: omitted });
  return advices as unknown[];
}

/** An item's problem, its pointers leading into the request body; it lists at most `maxErrors` problems. */
function itemProblem(request: FastifyRequest, err: BridgeError, index: number, maxErrors: number): Record<string, unknown> {
  logSecurityRefusal(request, err);
  const problem = toProblem(err, undefined, maxErrors);
  if (problem.errors) problem.errors = problem.errors.map((e) => ({ ...e, pointer: `/advices/${index}${e.pointer}` }));
  return problem;
}

export async function adviceBatchRoutes(app: FastifyInstance, deps: IngestDeps, limits: BatchLimits): Promise<void> {
  app.post(
    '/v1/advice-batches',
    {
      config: { access: { roles: ['submit-advice'] } },
      bodyLimit: limits.bodyLimitBytes,
      schema: {
        tags: ['advices'],
        operationId: 'submitAdviceBatch',
        summary: 'Submit many advices at once',
        description:
          `Up to ${limits.maxItems} advices (BATCH_MAX_ITEMS). Each is judged as POST /v1/advices would judge it, and answered on its own in \`items\`, ` +
          'in request order: a receipt (202) or a problem document with its status (400, 403, 409, 422). Every accepted advice is stored with its ' +
          'outgoing messages in one transaction, and the answer comes only after the commit; a refused advice leaves nothing stored or sent. ' +
          'A repeated advice (also within the batch) returns the first receipt; the same id and version with other content is a 409 for that item. ' +
          `An item's problem lists at most ${MAX_LISTED_ERRORS} problems and the items together at most ${MAX_LISTED_ERRORS_PER_BATCH}; \`errorsOmitted\` counts the rest.`,
        body: {
          type: 'object',
          required: ['advices'],
          additionalProperties: false,
          properties: { advices: { type: 'array', minItems: 1, maxItems: limits.maxItems, items: documentedSchema('advice.v1.json', 'advice.valid.json') } },
        },
        response: {
          200: {
            type: 'object',
            description: 'Every advice answered; accepted ones are committed',
            required: ['accepted', 'refused', 'items'],
            properties: {
              accepted: { type: 'integer', description: 'Items with a receipt (replays included)' },
              refused: { type: 'integer' },
              items: { type: 'array', items: itemSchema },
            },
          },
          400: problemResponse('Malformed JSON, or a batch that is not an object with 1 to BATCH_MAX_ITEMS advices'),
          413: problemResponse('Body too large (BATCH_BODY_LIMIT_BYTES)'),
          415: problemResponse('Content-Type is not application/json'),
          503: problemResponse(
            'BRIDGE_UNAVAILABLE or BRIDGE_OVERLOADED: the database is unavailable or the service is shedding load, nothing stored. BRIDGE_OUTCOME_UNKNOWN: the database connection was lost during the commit and the outcome could not be found out in time; every accepted advice of the batch is stored, or none. ' +
              'Either way, send the same batch again after the indicated time: that is safe, a stored advice returns its original receipt',
          ),
        },
      },
      // The envelope is checked below and each advice by the pipeline, so that the verdict is the single one's.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const advices = advicesOf(request.body, limits.maxItems);
      const language = negotiateLanguage(request.headers['accept-language']);
      const batch = await ingestBatch(deps, KINDS.advice, advices, {
        door: 'batch',
        traceparent: request.headers.traceparent as string | undefined,
        transactionId: request.transactionId,
        actor: actorOf(request),
        submitter: request.client,
        language,
      });
      if (batch.outcome === 'unavailable') throw batch.error;
      // The items share one budget of listed problems; an item past it still has its problem, with the count.
      let budget = MAX_LISTED_ERRORS_PER_BATCH;
      const items = batch.items.map((o, index) => {
        if (!('error' in o)) return { index, status: 202, replayed: o.outcome === 'replayed', receipt: receiptIn(o.receipt, language) };
        const problem = itemProblem(request, o.error, index, Math.min(budget, MAX_LISTED_ERRORS));
        budget -= (problem['errors'] as unknown[] | undefined)?.length ?? 0;
        return { index, status: o.error.status, problem };
      });
      const accepted = items.filter((i) => i.status === 202).length;
      reply.header('content-language', language).header('vary', 'accept-language');
      return reply.code(200).send({ accepted, refused: items.length - accepted, items });
    },
  );
}
