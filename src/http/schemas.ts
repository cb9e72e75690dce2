// GET /v1/schemas/{topic}/{type}: the JSON Schema of the data of one kind of message on one topic, as each
// message's `ce_dataschema` names it (NL GOV profile for CloudEvents, docs/standards.md). For an accepted record it
// is the recipient's view: the record's schema with the grant's allow-list applied (src/outbox/data-schemas.ts).
// Public, as the OpenAPI document: it says which fields a topic carries, never a value, and the exchange policy
// it follows is public (docs/privacy.md). Every document is made once, here, at start.
import type { FastifyInstance } from 'fastify';
import { BridgeError } from '../errors.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import { specialCategoryPaths } from '../exchange/field-paths.ts';
import { compileView } from '../exchange/views.ts';
import { QUARANTINE_EVENT_TYPE } from '../inbound/take-case-event.ts';
import { KINDS } from '../ingest/kinds/index.ts';
import { readSchema } from '../ingest/schemas.ts';
import { topicName } from '../kafka/topics.ts';
import { dataschemaUri } from '../outbox/cloudevents.ts';
import { acceptedSchema, deadLetterSchema, expiredSchema, viewSchema } from '../outbox/data-schemas.ts';
import type { RegionDirectory } from '../regions/regions.ts';
import { problemResponse } from './problem-schema.ts';

export interface SchemaDeps {
  plan: ExchangePlan;
  regions: RegionDirectory;
  topicPrefix: string;
  deadLetterTopic: string;
}

/** Every (topic, type) the bridge sends, with its data schema serialised. */
export function dataSchemaCatalogue(deps: SchemaDeps): Map<string, string> {
  const out = new Map<string, string>();
  const put = (topic: string, type: string, make: (id: string) => Record<string, unknown>) =>
    out.set(`${topic} ${type}`, JSON.stringify(make(dataschemaUri(topic, type))));
  for (const kind of Object.values(KINDS)) {
    const policy = deps.plan.policy.kinds[kind.name];
    if (!policy) continue;
    const schema = readSchema(kind.schemaFile);
    const special = specialCategoryPaths(schema).map((s) => s.path);
    for (const [recipient, grant] of Object.entries(policy.recipients)) {
      const view = viewSchema(schema, compileView(grant.fields, special));
      const topics = grant.routeBy
        ? deps.regions.regions.map((r) => topicName(deps.topicPrefix, kind.name, r.recipient))
        : [topicName(deps.topicPrefix, kind.name, recipient)];
      for (const topic of topics) {
        put(topic, kind.eventType, (id) => acceptedSchema(id, kind.name, kind.eventType, view, kind.assess !== undefined));
        if (kind.expiredEventType) put(topic, kind.expiredEventType, (id) => expiredSchema(id, kind.expiredEventType!));
      }
    }
  }
  put(deps.deadLetterTopic, QUARANTINE_EVENT_TYPE, (id) => deadLetterSchema(id, QUARANTINE_EVENT_TYPE));
  return out;
}

export async function schemaRoutes(app: FastifyInstance, deps: SchemaDeps): Promise<void> {
  const catalogue = dataSchemaCatalogue(deps);
  app.get<{ Params: { topic: string; type: string } }>(
    '/v1/schemas/:topic/:type',
    {
      config: { access: 'public' },
      schema: {
        tags: ['records'],
        summary: "JSON Schema of the data of a message type on a topic (a message's ce_dataschema)",
        description:
          "For an accepted record, the recipient's view: only the fields the exchange policy grants on this topic. Served as application/schema+json.",
        params: {
          type: 'object',
          required: ['topic', 'type'],
          properties: { topic: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,249}$' }, type: { type: 'string', pattern: '^[a-z0-9.-]{1,200}$' } },
        },
        response: {
          200: { description: 'A JSON Schema (draft 2020-12)', type: 'object', additionalProperties: true },
          400: problemResponse('Malformed topic or type'),
          404: problemResponse('The bridge sends no message of this type on this topic'),
        },
      },
    },
    async (request, reply) => {
      const doc = catalogue.get(`${request.params.topic} ${request.params.type}`);
      if (doc === undefined) throw new BridgeError('BRIDGE_NOT_FOUND', 'The bridge sends no message of this type on this topic');
      return reply.type('application/schema+json').header('cache-control', 'public, max-age=300').send(doc);
    },
  );
}
