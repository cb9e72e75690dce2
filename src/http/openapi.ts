// The OpenAPI document, generated from the route schemas. openapi.yaml in the repository is the same document
// (`npm run openapi:write` rewrites it; a test fails when they drift).
import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { API_VERSION } from '../version.ts';

export function openapiOptions(): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'gcos-zsm-bridge',
        version: API_VERSION,
        description:
          "Exchange between the Zorg- en Veiligheidshuizen (GCOS) and the OM's ZSM fast track: advice and case events, validated, stored durably, and relayed over Kafka as CloudEvents, each recipient receiving only what it may see.",
        contact: { name: 'gcos-zsm-bridge maintainers' },
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      components: {
        securitySchemes: {
          bearerToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'A client token made by `gcos-zsm-bridge client-token`; the bridge stores only its scrypt hash',
          },
          // OpenAPI 3.1 has mutualTLS; the swagger plugin's types know only 3.0's schemes.
          clientCertificate: {
            type: 'mutualTLS',
            description: "A PKIoverheid-style client certificate whose subject serialNumber is the organisation's OIN",
          } as never,
        },
      },
      tags: [
        { name: 'advices', description: 'Advice from a Veiligheidshuis to ZSM' },
        { name: 'records', description: 'State of accepted records' },
        { name: 'privacy', description: 'Subject access reports for privacy officers' },
        { name: 'operations', description: 'Health, readiness and metrics' },
      ],
    },
  };
}

export async function openapiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
