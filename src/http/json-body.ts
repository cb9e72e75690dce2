// The only request body the API takes is JSON in UTF-8. Fastify's default parser would also take text/plain and
// would report a prototype-pollution key as plain "invalid JSON"; this one answers each case with its own code.
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { BridgeError } from '../errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new BridgeError('BRIDGE_MALFORMED_JSON', 'The request body is empty');
  let text: string;
  try {
    // Invalid UTF-8 is refused rather than silently turned into U+FFFD.
    text = utf8.decode(body);
  } catch {
    throw new BridgeError('BRIDGE_MALFORMED_JSON', 'The request body is not valid UTF-8');
  }
  try {
    return sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    if (/forbidden prototype property/i.test((err as Error).message)) throw new BridgeError('BRIDGE_FORBIDDEN_KEY');
    // SyntaxError, or RangeError on absurd nesting: either way not JSON we can take.
    throw new BridgeError('BRIDGE_MALFORMED_JSON', 'The request body is not valid JSON');
  }
}

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
