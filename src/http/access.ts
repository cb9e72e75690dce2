// Who may call a route, declared on the route itself (`config.access`), and the one hook that enforces it for
// every route: authenticate (401), then check the route's roles (403). A route that declares nothing is refused
// to everyone, so a route added without thought is closed, not open.
import type { FastifyInstance } from 'fastify';
import { unauthenticated, type Authenticator } from '../auth/authenticate.ts';
import type { Client } from '../auth/clients.ts';
import type { Role } from '../auth/roles.ts';
import { BridgeError } from '../errors.ts';
import { problemResponse } from './problem-schema.ts';

export { ROLES, type Role } from '../auth/roles.ts';

/** 'public': no client needed (liveness, readiness, the OpenAPI document). Otherwise: any one of the roles. */
export type Access = 'public' | { roles: readonly Role[] };

export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The authenticated client; null on public routes and before authentication. */
    client: Client | null;
  }
  interface FastifyInstance {
    /** Every route registered after access control was installed, with its declared access (tests walk these). */
    declaredRoutes: DeclaredRoute[];
  }
}

export function isPublic(access: Access | undefined): access is 'public' {
  return access === 'public';
}

export function installAccessControl(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('client', null);
  const routes: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, access: r.config?.access });
    if (r.schema) r.schema = { ...r.schema, ...documented(r.config?.access, r.schema.response as Record<string, unknown> | undefined) };
  });

  app.addHook('onRequest', async (request) => {
    // Unknown paths go on to the 404 handler, which tells nothing a public OpenAPI document does not.
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (isPublic(access)) return;
    const client = await authenticator.authenticate(request.headers, request.raw.socket);
    if (!client) throw unauthenticated('This resource needs a client: send a bearer token or a client certificate', false);
    request.client = client;
    if (access === undefined) throw new BridgeError('BRIDGE_FORBIDDEN', 'This resource declares no access and is closed to every client');
    if (!access.roles.some((role) => client.roles.includes(role))) {
      throw new BridgeError('BRIDGE_FORBIDDEN', `This resource needs one of the roles: ${access.roles.join(', ')}`);
    }
  });
}

/** The OpenAPI side of access: who may call, and the refusals every protected route can answer. */
function documented(access: Access | undefined, response: Record<string, unknown> = {}): Record<string, unknown> {
  if (isPublic(access)) return { security: [] };
  const roles = access?.roles.join(', ') ?? 'none: the route declares no access';
  return {
    security: [{ bearerToken: [] }, { clientCertificate: [] }],
    response: {
      401: problemResponse('No valid credentials (WWW-Authenticate names the scheme)'),
      403: problemResponse(`The client lacks the role this resource needs (${roles})`),
      429: problemResponse('Too many requests from this client; Retry-After says when to try again'),
      503: problemResponse('The service is shedding load or a dependency is down; Retry-After says when to try again'),
      ...response,
    },
  };
}
