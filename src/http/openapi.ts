// The OpenAPI document, generated from the route schemas. openapi.yaml in the repository is the same document
// (`npm run openapi:write` rewrites it; a test fails when they drift). `transformObject` adds what holds for every
// route and so is not repeated in each (NL API Design Rules, docs/standards.md): the paths relative to a server
// that names the major version, the API-Version header on every response, the 400 of invalid input and the 406 of
// content negotiation, and the Fsc-Transaction-Id header (FSC Logging, decision 0109) that every operation takes and
// every response answers. The rules are checked by ops/api-rules/adr.spectral.yaml.
import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { API_VERSION } from '../version.ts';
import { problemResponse } from './problem-schema.ts';

/** The versioned API's prefix: the server URL of the document, and left off its paths. */
export const API_BASE = '/v1';

/** Where the document is served: no credentials, and readable from any origin (ADR /core/publish-openapi). */
export const OPENAPI_PATH = `${API_BASE}/openapi.json`;

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

type Operation = { parameters?: unknown[]; responses?: Record<string, Record<string, unknown>> };

const TRANSACTION_ID_SCHEMA = {
  type: 'string',
  format: 'uuid',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$',
  example: '0193e2a4-7b1c-7d2e-9f3a-4b5c6d7e8f90',
};

/** What holds for every operation, added once: see the file comment. */
export function completeDocument(doc: Record<string, unknown>): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries((doc['paths'] ?? {}) as Record<string, Record<string, unknown>>)) {
    const versioned = path.startsWith(`${API_BASE}/`);
    const completed: Record<string, unknown> = versioned
      ? { ...item }
      : { servers: [{ url: '/', description: 'Operations endpoints (health, metrics): on the host, outside the versioned API' }], ...item };
    for (const [method, op] of Object.entries(item)) {
      if (METHODS.has(method)) completed[method] = completeOperation(method, op as Operation);
    }
    paths[versioned ? path.slice(API_BASE.length) : path] = completed;
  }
  const components = (doc['components'] ?? {}) as Record<string, unknown>;
  return {
    ...doc,
    servers: [{ url: API_BASE, description: `Version ${API_VERSION.split('.')[0]} of the API, on the host that serves this document` }],
    paths,
    components: {
      ...components,
      parameters: {
        'Fsc-Transaction-Id': {
          name: 'Fsc-Transaction-Id',
          in: 'header',
          required: false,
          description:
            'The FSC transaction id (FSC Logging; the Digikoppeling REST API profile asks a UUID version 7), as an FSC outway sets it. ' +
            'Stored with every processing-log entry of the request and sent on every message it causes (CloudEvents extension fsctransactionid). ' +
            'Without it the bridge makes one; a value that is not a UUIDv7 is refused with 400 (BRIDGE_INVALID_TRANSACTION_ID).',
          schema: TRANSACTION_ID_SCHEMA,
        },
      },
      headers: {
        'API-Version': {
          description: 'The full version of the API (semver), equal to info.version; on every response, refusals included',
          required: true,
          schema: { type: 'string', example: API_VERSION },
        },
        'Fsc-Transaction-Id': {
          description:
            "The request's FSC transaction id: the caller's (in lower case) or the one the bridge made; on every response but the refusal of a malformed one",
          required: false,
          schema: TRANSACTION_ID_SCHEMA,
        },
      },
    },
  };
}

function completeOperation(method: string, op: Operation): Operation {
  const responses: Record<string, Record<string, unknown>> = { ...op.responses };
  const takesInput = ['post', 'put', 'patch'].includes(method) || (op.parameters?.length ?? 0) > 0;
  // Every operation takes Fsc-Transaction-Id, so every one can answer 400 for a malformed one.
  if (!responses['400']) {
    responses['400'] = problemResponse(
      takesInput ? 'The request parameters are invalid; each is named in errors' : 'The Fsc-Transaction-Id header is not a UUID version 7',
    );
  }
  if (!responses['406']) {
    responses['406'] = problemResponse('Accept names no media type this route answers in (send application/json, application/problem+json, */* or no Accept)');
  }
  const ordered = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  for (const [status, response] of Object.entries(ordered)) {
    const headers = (response['headers'] ?? {}) as Record<string, unknown>;
    ordered[status] = {
      ...response,
      headers: {
        'API-Version': { $ref: '#/components/headers/API-Version' },
        'Fsc-Transaction-Id': { $ref: '#/components/headers/Fsc-Transaction-Id' },
        ...headers,
      },
    };
  }
  const parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/Fsc-Transaction-Id' }];
  return { ...op, parameters, responses: ordered };
}

export function openapiOptions(): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'gcos-zsm-bridge',
        version: API_VERSION,
        description:
          "Exchange between the Zorg- en Veiligheidshuizen (GCOS) and the OM's ZSM fast track: advice and case events, validated, stored durably, and relayed over Kafka as CloudEvents, each recipient receiving only what it may see.\n\n" +
          'Errors are problem documents (RFC 9457, application/problem+json) with type, title, status, detail and a stable code. ' +
          'A request the bridge cannot read or whose form is wrong (malformed JSON, a body or parameter that does not match the schema) is a 400 naming every problem. ' +
          'A well-formed request that breaks a rule of the exchange (the BSN eleven-test, an impossible date, a quality criterion, the exchange policy) is a 422 with the same problem members, each failed rule in errors (docs/decisions/0103).\n\n' +
          'The description documents are served beside the operations, without credentials: this one at /v1/openapi.json, and the AsyncAPI 3.0 document of every Kafka topic the bridge writes and reads at /v1/asyncapi.json (decision 0112).',
        // Placeholders on a reserved domain until the organisation that runs the bridge publishes its own (docs/standards.md).
        contact: { name: 'gcos-zsm-bridge maintainers', email: 'api@gcos-zsm-bridge.example', url: 'https://gcos-zsm-bridge.example/contact' },
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
        { name: 'case events', description: 'Case events from ZSM, and the known-person lookup' },
        { name: 'records', description: 'State of accepted records' },
        { name: 'privacy', description: 'Subject access reports for privacy officers' },
        { name: 'operations', description: 'Health, readiness, metrics and the quarantine of inbound messages' },
      ],
    },
    transformObject: (document) => completeDocument('openapiObject' in document ? document.openapiObject : document.swaggerObject),
  };
}

export async function openapiRoutes(app: FastifyInstance): Promise<void> {
  // ADR /core/publish-openapi: any origin may read the document from a browser (no credentials are involved), and
  // Cross-Origin-Resource-Policy must not forbid what CORS allows.
  app.get('/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
    return app.swagger();
  });
}
