// POST /v1/advices: a Veiligheidshuis's advice, from GCOS. The spine validates (one compiled ajv validator, shared
// with the Kafka and command-line paths) and stores; the route maps its outcome. The route schema documents the contract.
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { receiptOrThrow } from '../ingest/outcome.ts';
import type { IngestDeps, Receipt } from '../ingest/prepare.ts';
import { ingestRecord } from '../ingest/spine.ts';
import { KINDS } from '../ingest/kinds/index.ts';
import { readSchema, SCHEMAS_DIR } from '../ingest/schemas.ts';
import { negotiateLanguage, type Language } from '../quality/language.ts';
import { renderReport } from '../quality/render.ts';
import { actorOf } from './actor.ts';
import { problemResponse, qualityProblemSchema } from './problem-schema.ts';
import { receiptSchema } from './receipt-schema.ts';

/** The schema as documentation: the same file, without the keywords that only make sense standing alone. */
export function documentedSchema(file: string, exampleFile: string): Record<string, unknown> {
  const { $schema: _s, $id: _i, ...schema } = readSchema(file);
  const example = JSON.parse(readFileSync(`${SCHEMAS_DIR}examples/${exampleFile}`, 'utf8')) as unknown;
  return { ...schema, examples: [example] };
}

/** The stored receipt told in the client's language: a replay in another language gets the same findings. */
export function receiptIn(receipt: Receipt, language: Language): Record<string, unknown> {
  return receipt.quality ? { ...receipt, quality: renderReport(receipt.quality, language) } : { ...receipt };
}

export async function adviceRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  app.post(
    '/v1/advices',
    {
      config: { access: { roles: ['submit-advice'] } },
      schema: {
        tags: ['advices'],
        operationId: 'submitAdvice',
        summary: 'Submit an advice',
        description:
          'Validates the advice against its schema and rules, stores it with its outgoing messages in one transaction, and answers 202 only after the commit. ' +
          'Sending the same advice again returns the original receipt; the same id and version with other content is a 409. ' +
          "The receipt holds the advice's quality findings per criterion (current, goal, context, legal language, concise, domestic violence); " +
          'findings whose severity is refuse make it a 422 that lists every one. Messages follow Accept-Language (en, nl); codes do not.',
        body: documentedSchema('advice.v1.json', 'advice.valid.json'),
        response: {
          202: receiptSchema,
          400: problemResponse('Malformed JSON or a body that does not match the schema; every error is listed'),
          403: problemResponse("The client lacks the submit-advice role, or the advice is issued by another organisation than the client's"),
          409: problemResponse('Same advice id and version already accepted with different content'),
          413: problemResponse('Body too large'),
          415: problemResponse('Content-Type is not application/json'),
          422: problemResponse(
            'Well-formed, but breaks a rule (BSN eleven-test, impossible dates), a quality criterion or the exchange policy (legal basis, purpose, special-category data); every failed rule and criterion is listed, each naming its rule',
            qualityProblemSchema,
          ),
          503: problemResponse(
            'BRIDGE_UNAVAILABLE or BRIDGE_OVERLOADED: the database is unavailable or the service is shedding load, nothing stored. BRIDGE_OUTCOME_UNKNOWN: the database connection was lost during the commit and the outcome could not be found out in time; the advice may be stored. ' +
              'Either way, send the same advice again after the indicated time: that is safe, a stored one returns its original receipt',
          ),
        },
      },
      // Validation happens in the spine, so that REST, Kafka and the offline validator give one verdict.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const language = negotiateLanguage(request.headers['accept-language']);
      const result = receiptOrThrow(
        await ingestRecord(deps, KINDS.advice, {
          body: request.body,
          door: 'rest',
          traceparent: request.headers.traceparent as string | undefined,
          transactionId: request.transactionId,
          actor: actorOf(request),
          submitter: request.client,
          language,
        }),
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      reply.header('content-language', language).header('vary', 'accept-language');
      return reply.code(202).header('location', result.receipt.statusUrl).send(receiptIn(result.receipt, language));
    },
  );
}
