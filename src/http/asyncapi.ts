// GET /v1/asyncapi.json: the AsyncAPI document of this bridge's topics (src/contract/asyncapi.ts), made once at
// start from its exchange policy and topic prefix. Public and readable from any origin, as the OpenAPI document
// (ADR /core/publish-openapi): it names topics and fields, never a value, and the policy it follows is public.
import type { FastifyInstance } from 'fastify';
import { asyncApiDocument, type AsyncApiDeps } from '../contract/asyncapi.ts';

export const ASYNCAPI_PATH = '/v1/asyncapi.json';

export async function asyncapiRoutes(app: FastifyInstance, deps: AsyncApiDeps): Promise<void> {
  const body = JSON.stringify(asyncApiDocument(deps));
  app.get(
    ASYNCAPI_PATH,
    {
      config: { access: 'public' },
      schema: {
        tags: ['records'],
        summary: 'AsyncAPI 3.0 document of every Kafka topic the bridge writes and reads',
        description:
          "Channels per topic (the regional case-event topics as one channel with a region parameter), the CloudEvents headers, the key, and per message the JSON Schema of the recipient's view, equal to the schema its ce_dataschema names. Generated from the exchange policy; asyncapi.yaml in the repository is the shipped policy's.",
        response: { 200: { description: 'An AsyncAPI 3.0 document', type: 'object', additionalProperties: true } },
      },
    },
    async (_request, reply) => {
      reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      return reply.type('application/json').send(body);
    },
  );
}
