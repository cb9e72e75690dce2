// Who is acting, for the processing log. Client authentication (request.client) comes with its own work; until
// it is there every caller is 'unauthenticated'. This is the one place to change when it lands.
import type { FastifyRequest } from 'fastify';

export function actorOf(request: FastifyRequest): string {
  const client = (request as { client?: { id?: unknown } }).client;
  return typeof client?.id === 'string' && client.id ? `client:${client.id}` : 'unauthenticated';
}
