// The only request body the API takes is JSON in UTF-8. Fastify's default parser would also take text/plain and
// would report a prototype-pollution key as plain "invalid JSON"; this one answers each case with its own code.
import type { FastifyInstance } from 'fastify';
import { parseJsonBody } from '../records/json-body.ts';

export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
