// Who may call a route, declared on the route itself (`config.access`), so that one authentication hook can
// enforce it and a test can check every route. Enforcement comes with client authentication.

export const ROLES = ['submit-advice', 'submit-case-events', 'lookup', 'privacy-officer', 'ops'] as const;
export type Role = (typeof ROLES)[number];

/** 'public': no client needed (liveness, readiness, the OpenAPI document). Otherwise: any one of the roles. */
export type Access = 'public' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
