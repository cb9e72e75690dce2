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
      // A description document like /v1/openapi.json, not an operation of the API: named in info.description and
      // left out of the paths, as openapi.json is (the NL API Design Rules' path rule exempts only that name).
      schema: { hide: true },
    },
    async (_request, reply) => {
      reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      return reply.type('application/json').send(body);
    },
  );
}
