// No personal data in URLs (Logius API Design Rules; the BSN must never reach a URL, and so an access log or a
// proxy's log). A query string is refused on a route that declares none, and a run of exactly nine digits (what
// a BSN looks like) anywhere in the path or query is refused before anything else reads it. Neither is logged:
// the request serializer in src/logger.ts already masks digit runs and drops the query.
import type { FastifyInstance } from 'fastify';
import { BridgeError } from '../errors.ts';

const NINE_DIGITS = /(?<![0-9])[0-9]{9}(?![0-9])/;
// A record's own id is a random UUID, and about one in thirty holds nine digits in a row between two letters
// (a status URL refused by chance); a UUID is an identifier we hand out, never a BSN, so it is left out.
const UUIDS = /(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])/gi;

function decoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    throw new BridgeError('BRIDGE_URL_REFUSED', 'The URL holds a malformed percent-encoding');
  }
}

/** True when the URL, raw or percent-decoded, holds a run of nine digits outside a UUID. */
export function holdsBsnLikeNumber(url: string): boolean {
  return NINE_DIGITS.test(url.replace(UUIDS, '-')) || NINE_DIGITS.test(decoded(url).replace(UUIDS, '-'));
}

export function installUrlHygiene(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const url = request.raw.url ?? '';
    if (holdsBsnLikeNumber(url)) {
      throw new BridgeError('BRIDGE_URL_REFUSED', 'The URL holds a number that could be a BSN; personal data never goes in a URL, send it in the body');
    }
    const hasQuery = url.includes('?');
    if (hasQuery && !request.is404 && request.routeOptions.schema?.querystring === undefined) {
      throw new BridgeError('BRIDGE_URL_REFUSED', 'This resource takes no query parameters');
    }
  });
}

/** The path to name in a problem document: without the query, and left out when it holds a BSN-like number. */
export function safeInstance(url: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  try {
    return holdsBsnLikeNumber(path) ? undefined : path;
  } catch {
    return undefined;
  }
}
