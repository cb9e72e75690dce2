// Who is acting, for the processing log: the authenticated client (request.client, set by the access hook in
// access.ts) as `client:<id>`; 'unauthenticated' only on public routes, which log no processing.
import type { FastifyRequest } from 'fastify';

export function actorOf(request: FastifyRequest): string {
  return request.client ? `client:${request.client.id}` : 'unauthenticated';
}
