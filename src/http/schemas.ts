// GET /v1/schemas/{topic}/{type}: the JSON Schema of the data of one kind of message on one topic, as each
// message's `ce_dataschema` names it (NL GOV profile for CloudEvents, docs/standards.md). For an accepted record it
// is the recipient's view: the record's schema with the grant's allow-list applied (src/outbox/data-schemas.ts). The
// channels and their messages are src/contract/channels.ts's, as in the AsyncAPI document.
// Public, as the OpenAPI document: it says which fields a topic carries, never a value, and the exchange policy
// it follows is public (docs/privacy.md). Every document is made once, here, at start.
import type { FastifyInstance } from 'fastify';
import { outgoingChannels } from '../contract/channels.ts';
import { BridgeError } from '../errors.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import { dataschemaUri } from '../outbox/cloudevents.ts';
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
  for (const channel of outgoingChannels({ ...deps, policy: deps.plan.policy })) {
    for (const topic of channel.topics) {
      for (const m of channel.messages) out.set(`${topic} ${m.type}`, JSON.stringify(m.schema(dataschemaUri(topic, m.type))));
    }
  }
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
